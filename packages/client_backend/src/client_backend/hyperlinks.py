"""Foreign keys the API renders as hyperlinks: URLs on the wire, keys on the model.

A DRF ``HyperlinkedRelatedField`` renders the related row as the URL of its detail route and
takes that URL on writes. A model declares such foreign keys in ``APIMeta.hyperlinked``; the
column then holds the key the URL ends with (the target's primary key, or its ``to_field``),
read back from the URL, and writes send the URL of the target's resource. Filters send the
key itself, which server_kit accepts for a hyperlink as well as the URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urljoin, urlparse

from django.db import DataError, models

from .resources import resource_for

__all__ = ["is_hyperlinked", "key_from_link", "link_to"]


def is_hyperlinked(field: Any) -> bool:
    """Whether ``field`` is a foreign key its model declares in ``APIMeta.hyperlinked``."""
    model = getattr(field, "model", None)
    if not getattr(field, "many_to_one", False) or not hasattr(model, "APIMeta"):
        return False
    return field.name in resource_for(model).hyperlinked


def _target_route(root_url: str, field: models.ForeignKey[Any, Any]) -> str:
    related = field.related_model
    assert isinstance(related, type)
    return urljoin(root_url, resource_for(related).list_path() + "/")


def link_to(root_url: str, field: models.ForeignKey[Any, Any], key: Any) -> str:
    """The URL the API takes for the row of ``field``'s target keyed by ``key``."""
    return f"{_target_route(root_url, field)}{quote(str(key), safe='')}/"


def key_from_link(value: Any, expression: Any, connection: Any) -> Any:
    """A database converter: the key a hyperlink names (``None`` and keys pass through).

    Raises:
        DataError: a URL that is not a detail route of the target's resource.
    """
    if not isinstance(value, str) or "/" not in value:
        return value
    field = expression.target  # the foreign key (its Col reads as the target field)
    route = urlparse(_target_route(connection.api_settings.root_url, field)).path
    path = urlparse(value).path
    key = path[len(route) :].rstrip("/") if path.startswith(route) else ""
    if not key or "/" in key:
        raise DataError(
            f"{field.model._meta.label}.{field.name}: {value!r} is not a URL of the"
            f" {route!r} resource, so it names no {field.related_model._meta.label} row."
        )
    return field.target_field.to_python(unquote(key))
