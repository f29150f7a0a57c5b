"""OPTIONS bodies: DRF's simple metadata plus dynamic-rest ``properties`` and ``features``.

:meth:`DynamicMetadata.resource` is the one description of a resource: the OPTIONS answer
and the committed contract (:mod:`server_kit.contract`) are both written from it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any, cast

from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.metadata import SimpleMetadata
from rest_framework.relations import (
    HyperlinkedRelatedField,
    ManyRelatedField,
    RelatedField,
    SlugRelatedField,
)
from rest_framework.request import Request
from rest_framework.views import APIView

from ._types import AnyField, ViewHost
from .fields import DynamicRelationField
from .settings import api_settings

__all__ = ["DynamicMetadata", "restbridge_version", "server_limits"]

#: The ``RESTBRIDGE`` settings a client must stay within, as advertised.
_LIMITS = (
    "PAGE_SIZE",
    "MAX_PER_PAGE",
    "MAX_DEPTH",
    "MAX_EXPRESSION_NODES",
    "MAX_IN_VALUES",
    "MAX_BULK_ITEMS",
)


def restbridge_version() -> str:
    """The installed restbridge version (``"0.0.0"`` when run from a source tree)."""
    try:
        return version("restbridge")
    except PackageNotFoundError:
        return "0.0.0"


def server_limits() -> dict[str, int]:
    """The request bounds this server enforces (lower-cased setting names)."""
    return {name.lower(): int(getattr(api_settings, name)) for name in _LIMITS}


def _renders(field: RelatedField[Any, Any, Any]) -> str:
    """How a plain DRF relation shows a related object: ``ids``, ``slug:<field>`` or ``urls``."""
    if isinstance(field, SlugRelatedField):
        return f"slug:{field.slug_field}"
    if isinstance(field, HyperlinkedRelatedField):
        return "urls"
    return "ids"


class DynamicMetadata(SimpleMetadata):
    """``features``, ``resource_name(_plural)``, ``properties``, ``limits`` and ``restbridge``."""

    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "restbridge": restbridge_version(),
        }
        if getattr(view, "get_serializer_class", None) is None:
            return metadata
        return {**metadata, **self.resource(cast("ViewHost", view))}

    def resource(self, view: ViewHost) -> dict[str, Any]:
        """What a dynamic resource offers: names, features, limits and field ``properties``."""
        serializer_class = view.get_serializer_class()
        return {
            "features": list(getattr(view, "features", ())),
            "resource_name": serializer_class.resource_name(),
            "resource_name_plural": serializer_class.plural_name(),
            "limits": server_limits(),
            "properties": {
                name: self.describe(field) for name, field in serializer_class.field_map().items()
            },
        }

    def describe(self, field: AnyField) -> dict[str, Any]:
        """One ``properties`` entry (dynamic-rest's keys, plus how relations render)."""
        default = field.default
        info: dict[str, Any] = {
            "required": bool(field.required),
            "read_only": bool(field.read_only),
            "default": None if default is empty or callable(default) else default,
            "label": str(field.label) if field.label is not None else None,
            "nullable": bool(field.allow_null),
        }
        if isinstance(field, DynamicRelationField):
            info["type"] = "many" if field.many else "one"
            info["related_to"] = field.serializer_class.plural_name()
            # Ids unless included; included objects are sideloaded, or inline when embedded.
            info["renders"] = "ids"
            info["embed"] = bool(field.embed)
            return info
        related = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(related, RelatedField):
            info["type"] = "many" if related is not field else "one"
            info["related_to"] = None
            info["renders"] = _renders(related)
            return info
        info["type"] = self.label_lookup[field]  # type: ignore[index]  # looks up by class
        choices = getattr(field, "choices", None)
        if isinstance(field, serializers.ChoiceField) and choices:
            info["choices"] = [
                {"value": value, "display_name": str(label)} for value, label in choices.items()
            ]
        return info
