"""OPTIONS bodies: DRF's simple metadata plus dynamic-rest ``properties`` and ``features``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.views import APIView

from ._types import AnyField
from .fields import DynamicRelationField

__all__ = ["DynamicMetadata", "restbridge_version"]


def restbridge_version() -> str:
    """The installed restbridge version (``"0.0.0"`` when run from a source tree)."""
    try:
        return version("restbridge")
    except PackageNotFoundError:
        return "0.0.0"


class DynamicMetadata(SimpleMetadata):
    """``features``, ``resource_name(_plural)``, ``properties`` and ``restbridge``."""

    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "restbridge": restbridge_version(),
        }
        get_serializer_class = getattr(view, "get_serializer_class", None)
        if get_serializer_class is None:
            return metadata
        serializer_class = get_serializer_class()
        applied = getattr(view, "applied_features", None)
        metadata["features"] = list(applied() if applied else getattr(view, "features", ()))
        metadata["resource_name"] = serializer_class.resource_name()
        metadata["resource_name_plural"] = serializer_class.plural_name()
        metadata["properties"] = {
            name: self.describe(field) for name, field in serializer_class.field_map().items()
        }
        return metadata

    def describe(self, field: AnyField) -> dict[str, Any]:
        """One ``properties`` entry (dynamic-rest's keys)."""
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
            relation = field.relation
            if relation is not None:
                # Which side declares the relation, and the related resource's field for
                # the other side: what inspectdb needs to write the model field once.
                info["reverse"] = not relation.forward
                info["related_field"] = field.counterpart()
            return info
        info["type"] = self.label_lookup[field]  # type: ignore[index]  # looks up by class
        choices = getattr(field, "choices", None)
        if isinstance(field, serializers.ChoiceField) and choices:
            info["choices"] = [
                {"value": value, "display_name": str(label)} for value, label in choices.items()
            ]
        return info
