"""OPTIONS bodies: DRF's simple metadata plus dynamic-rest ``properties`` and ``features``.

:meth:`DynamicMetadata.resource` is the one description of a resource: the OPTIONS answer
and the committed contract (:mod:`server_kit.contract`) are both written from it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.views import APIView

from ._types import AnyField, ViewHost
from .fields import DynamicRelationField
from .settings import api_settings

__all__ = ["DynamicMetadata", "relation_rendering", "restbridge_version", "server_limits"]

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


def _features(view: ViewHost) -> list[str]:
    """The features the view applies (only those whose backend it runs), else its list."""
    applied = getattr(view, "applied_features", None)
    return list(applied() if applied else getattr(view, "features", ()))


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
            "features": _features(view),
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
        if hasattr(field, "immutable"):  # dynamic-rest's fields say whether they are
            info["immutable"] = bool(field.immutable)
        if isinstance(field, DynamicRelationField):
            info["type"] = "many" if field.many else "one"
            info["related_to"] = field.serializer_class.plural_name()
            declared = field.relation
            if declared is not None:
                # Which side declares the relation, and the related resource's field for
                # the other side: what inspectdb needs to write the model field once.
                info["reverse"] = not declared.forward
                info["related_field"] = field.counterpart()
            # Ids unless included; included objects are sideloaded, or inline when embedded.
            info["relation"] = {"renders": "pk", "many": field.many}
            info["embed"] = bool(field.embed)
            return info
        info["type"] = self.label_lookup[field]  # type: ignore[index]  # looks up by class
        relation = relation_rendering(field)
        if relation is not None:
            info["relation"] = relation
        # Not a relation's choices: DRF's RelatedField.choices reads every related row (and
        # a hyperlink needs a request to render them), as DRF's own metadata knows.
        choices = field.choices if isinstance(field, serializers.ChoiceField) else None
        if choices:
            info["choices"] = [
                {"value": value, "display_name": str(label)} for value, label in choices.items()
            ]
        return info


def relation_rendering(field: AnyField) -> dict[str, Any] | None:
    """How a DRF relation field renders the related rows, or ``None`` for other fields.

    ``renders`` is ``pk``, ``slug`` (with ``slug_field``), ``url`` (with ``view_name`` and
    ``lookup_field``; ``identity`` for the row's own URL), ``string`` (``str()``, read-only),
    ``object`` (a nested serializer), ``generic`` (a generic foreign key, any model) or
    ``custom`` (a ``RelatedField`` subclass); ``many`` says whether it is a list.
    """
    many = isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer)
    shown: Any = field
    if isinstance(field, serializers.ManyRelatedField):
        shown = field.child_relation
    elif isinstance(field, serializers.ListSerializer):
        shown = field.child
    if isinstance(shown, serializers.BaseSerializer):
        return {"renders": "object", "many": many}
    if not isinstance(shown, serializers.RelatedField):
        return None
    if isinstance(shown, serializers.HyperlinkedRelatedField):
        url: dict[str, Any] = {"renders": "url", "many": many, "view_name": shown.view_name}
        url["lookup_field"] = shown.lookup_field
        if isinstance(shown, serializers.HyperlinkedIdentityField):
            url["identity"] = True
        return url
    if isinstance(shown, serializers.SlugRelatedField):
        return {"renders": "slug", "many": many, "slug_field": shown.slug_field}
    if isinstance(shown, serializers.PrimaryKeyRelatedField):
        return {"renders": "pk", "many": many}
    if isinstance(shown, serializers.StringRelatedField):
        return {"renders": "string", "many": many}
    return {"renders": "generic" if _is_generic(field) else "custom", "many": many}


def _is_generic(field: AnyField) -> bool:
    """Whether ``field`` reads a generic foreign key (Django's documented mark of one)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source or ""
    if model is None or "." in source or source == "*":
        return False
    try:
        target = model._meta.get_field(source)
    except FieldDoesNotExist:
        return False
    return bool(target.is_relation and target.many_to_one and target.related_model is None)
