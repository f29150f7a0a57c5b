"""Where a model lives on the API: its ``APIMeta`` and the API names of its fields.

``APIMeta`` attributes keep django-rest-models' meaning: ``resource_name`` (singular key,
default the lowercased model name), ``resource_name_plural`` (list key, default name + "s"),
``resource_path`` (URL path relative to the API root, or to its host when it starts with
``/``; default ``resource_name``) and
``db_name`` (the ``DATABASES`` alias; by default the only ``client_backend`` database); and
restbridge's ``hyperlinked`` (names of foreign keys the API renders as URLs, see
:mod:`client_backend.hyperlinks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeAlias, cast

from django.conf import settings
from django.db import models
from django.db.models.fields.related import ForeignObjectRel, ManyToManyField
from django.db.models.sql.query import Query

from .exceptions import APIConfigurationError, NotSupportedError

__all__ = [
    "Resource",
    "api_name",
    "default_api_database",
    "is_api_model",
    "model_of",
    "resource_for",
    "through_owner",
]

ENGINE = "client_backend"

Field: TypeAlias = "models.Field[Any, Any] | ForeignObjectRel"


@dataclass(frozen=True, slots=True)
class Resource:
    """The API resource behind one model."""

    name: str
    plural: str
    path: str
    db_name: str
    hyperlinked: frozenset[str] = frozenset()

    def list_path(self) -> str:
        """The list route, relative to the API root, without trailing slash."""
        return self.path

    def detail_path(self, pk: object) -> str:
        """The detail route of one object, with a trailing slash."""
        return f"{self.path}/{pk}/"


def model_of(query: Query) -> type[models.Model]:
    """The model a Django ``Query`` is about (always set for the queries compilers get)."""
    if query.model is None:
        raise APIConfigurationError("A query without a model cannot be sent to an API.")
    return query.model


def is_api_model(model: type[models.Model]) -> bool:
    """Whether ``model`` (or the model owning an auto-created through table) has APIMeta."""
    if hasattr(model, "APIMeta"):
        return True
    owner = through_owner(model)
    return owner is not None and hasattr(owner[0], "APIMeta")


@cache
def resource_for(model: type[models.Model]) -> Resource:
    """The :class:`Resource` declared by ``model.APIMeta``."""
    meta = getattr(model, "APIMeta", None)
    if meta is None:
        raise APIConfigurationError(
            f"{model._meta.label} has no APIMeta: it does not live on an API database."
        )
    name = getattr(meta, "resource_name", None) or model._meta.model_name or ""
    plural = getattr(meta, "resource_name_plural", None) or f"{name}s"
    raw_path = getattr(meta, "resource_path", None) or name
    # A leading "/" resolves against the API host, as in django-rest-models.
    path = "/" + raw_path.strip("/") if raw_path.startswith("/") else raw_path.strip("/")
    db_name = getattr(meta, "db_name", None) or default_api_database(settings.DATABASES)
    hyperlinked = frozenset(getattr(meta, "hyperlinked", ()))
    return Resource(name=name, plural=plural, path=path, db_name=db_name, hyperlinked=hyperlinked)


def default_api_database(databases: Mapping[str, Mapping[str, Any]]) -> str:
    """The alias of the only ``client_backend`` database (``TEST_<alias>`` entries aside).

    Raises:
        APIConfigurationError: there is none, or several.
    """
    aliases = [
        alias
        for alias, entry in databases.items()
        if entry.get("ENGINE") == ENGINE and not alias.startswith("TEST_")
    ]
    if len(aliases) == 1:
        return aliases[0]
    if not aliases:
        raise APIConfigurationError(
            f"No DATABASES entry has ENGINE {ENGINE!r}: add one for the API, or set"
            " APIMeta.db_name."
        )
    raise APIConfigurationError(
        f"Several API databases ({', '.join(sorted(aliases))}): set APIMeta.db_name to one of them."
    )


def api_name(field: Field) -> str:
    """The serializer field name of a model field or reverse relation.

    Concrete fields use ``db_column`` when set (django-rest-models' rule), else their
    name, so a ``ForeignKey`` named ``menu`` is ``menu`` on the wire. Reverse relations
    use their accessor name (``related_name``, else ``<model>_set``).
    """
    if isinstance(field, ForeignObjectRel):
        if field.hidden:
            # Django names a hidden reverse relation "_<app>_<model>_<field>_+": no API
            # field has that name, so no request can go through it.
            owner = field.field
            raise NotSupportedError(
                f"{owner.model._meta.label}.{owner.name} has related_name='+': the API"
                " cannot be asked for rows through it in reverse (reading"
                f" {owner.name!r} needs it). Give {owner.name!r} the related_name of the"
                " API's reverse relation."
            )
        return field.get_accessor_name() or field.name
    return field.db_column or field.name


@cache
def through_owner(
    model: type[models.Model],
) -> tuple[type[models.Model], ManyToManyField[Any, Any]] | None:
    """For an auto-created M2M through model: the model declaring the field, and the field."""
    if not model._meta.auto_created:
        return None
    owner: Any = model._meta.auto_created  # the declaring model (typed bool in the stubs)
    if not isinstance(owner, type):
        return None
    for m2m in cast("type[models.Model]", owner)._meta.local_many_to_many:
        if m2m.remote_field.through is model:
            return owner, m2m
    return None
