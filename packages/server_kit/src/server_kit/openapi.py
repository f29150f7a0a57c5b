"""drf-spectacular extensions: OpenAPI schemas that tell the truth about dynamic resources.

Install ``restbridge[openapi]`` and add ``drf_spectacular`` to ``INSTALLED_APPS``: server_kit
loads this module then (see :mod:`server_kit.apps`) and every ``DynamicModelViewSet`` is
documented with

- its envelopes: ``{"<plural>": [...], "meta": {...}, <sideloads>}`` for lists,
  ``{"<name>": {...}, <sideloads>}`` for one object;
- relation fields as ids, or objects when included inline (``expand`` / embedded);
- every field optional in responses (``fields`` / ``omit`` / ``exclude[]`` and deferred
  fields leave them out);
- the query parameters it reads, with its own field names: ``filter{<field>}``,
  ``include[]``, ``exclude[]``, ``sort[]``, ``page``, ``per_page``, ``offset``,
  ``exclude_count``, ``where``, ``fields``, ``omit``, ``expand``;
- the structured error body of its 4xx answers;
- the view's own docstring as description (never server_kit's or DRF's).
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any, cast

from django.db import models
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
    OpenApiViewExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    Direction,
    OpenApiParameter,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers

from ._types import AnyField, SerializerClass
from .fields import DynamicMethodField, DynamicRelationField
from .metadata import DynamicMetadata
from .serializers import DynamicModelSerializer
from .settings import api_settings
from .viewsets import WithDynamicViewSetMixin

__all__ = ["DynamicAutoSchema"]

#: Modules whose docstrings describe the machinery, not an API's resource.
_MACHINERY = ("server_kit", "rest_framework", "drf_spectacular", "django", "builtins")

#: OPTIONS type label -> the OpenAPI type of a ``filter{}`` value of that field.
_FILTER_TYPES = {
    "integer": OpenApiTypes.INT,
    "float": OpenApiTypes.NUMBER,
    "decimal": OpenApiTypes.NUMBER,
    "boolean": OpenApiTypes.BOOL,
    "date": OpenApiTypes.DATE,
    "datetime": OpenApiTypes.DATETIME,
}

_ERROR = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(),
        "errors": inline_serializer(
            "ErrorItem",
            {"code": serializers.CharField(), "detail": serializers.CharField()},
            many=True,
            required=False,
        ),
    },
)


def own_doc(cls: type) -> str:
    """The docstring an API's own class in ``cls``'s MRO declares ("" if none does)."""
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] in _MACHINERY:
            continue
        doc = klass.__dict__.get("__doc__")
        if doc:
            return inspect.cleandoc(doc)
    return ""


def _pk_type(model: type[models.Model]) -> dict[str, Any]:
    pk = model._meta.pk
    kind = OpenApiTypes.STR
    if isinstance(pk, models.UUIDField):
        kind = OpenApiTypes.UUID
    elif isinstance(pk, models.IntegerField | models.AutoField):
        kind = OpenApiTypes.INT
    return dict(build_basic_type(kind) or {})


def _stored(serializer_class: SerializerClass) -> dict[str, AnyField]:
    """Fields backed by the model (filterable and sortable), by name."""
    return {
        name: field
        for name, field in serializer_class.field_map().items()
        if not isinstance(field, DynamicMethodField | serializers.SerializerMethodField)
    }


def _sideloaded(serializer_class: SerializerClass) -> list[SerializerClass]:
    """Every serializer whose objects an ``include[]`` may sideload, nearest first."""
    found: list[SerializerClass] = []
    todo = [serializer_class]
    while todo:
        for field in todo.pop(0).field_map().values():
            if isinstance(field, DynamicRelationField) and field.serializer_class not in found:
                found.append(field.serializer_class)
                todo.append(field.serializer_class)
    return found


@cache
def envelope(serializer_class: SerializerClass, *, many: bool) -> Any:
    """The response envelope of a list (``many``) or of one object, with its sideloads."""
    name = serializer_class.__name__.removesuffix("Serializer")
    key = serializer_class.plural_name() if many else serializer_class.resource_name()
    fields: dict[str, Any] = {key: serializer_class(many=many)}
    for related in _sideloaded(serializer_class):
        plural = related.plural_name()
        if related is serializer_class:
            plural = f"{api_settings.ADDITIONAL_PRIMARY_RESOURCE_PREFIX}{plural}"
        fields[plural] = related(many=True, required=False)
    if many:
        fields["meta"] = _PAGE_META
    envelope_class = type(inline_serializer(f"{name}{'List' if many else ''}Envelope", fields))
    # An envelope is one object, even on a list route: no array, no paginator wrapping.
    return extend_schema_serializer(many=False)(envelope_class)()


_PAGE_META = inline_serializer(
    "PageMeta",
    {
        "page": serializers.IntegerField(required=False),
        "per_page": serializers.IntegerField(required=False),
        "offset": serializers.IntegerField(required=False),
        "total_results": serializers.IntegerField(required=False),
        "total_pages": serializers.IntegerField(required=False),
        "more_pages": serializers.BooleanField(required=False),
    },
    required=False,
)


def _query(name: str, kind: Any, description: str, **extra: Any) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


def selection_parameters(serializer_class: SerializerClass) -> list[OpenApiParameter]:
    """``include[]`` / ``exclude[]`` and drf-flex-fields' ``fields`` / ``omit`` / ``expand``."""
    names = sorted(serializer_class.field_map())
    relations = [
        n for n, f in serializer_class.field_map().items() if isinstance(f, DynamicRelationField)
    ]
    paths = ["*", *names, *(f"{name}.*" for name in sorted(relations))]
    return [
        _query(
            "include[]", str, "Fields to add; `<relation>.*` sideloads it.", many=True, enum=paths
        ),
        _query("exclude[]", str, "Fields to leave out.", many=True, enum=["*", *names]),
        _query("fields", str, "Comma-separated fields to keep (drf-flex-fields)."),
        _query("omit", str, "Comma-separated fields to leave out (drf-flex-fields)."),
        _query("expand", str, "Comma-separated relations to render inline (drf-flex-fields)."),
    ]


def list_parameters(serializer_class: SerializerClass, view: Any) -> list[OpenApiParameter]:
    """Filters, sorting and paging of a list route, with the resource's field names."""
    describe = DynamicMetadata().describe
    stored = _stored(serializer_class)
    parameters = [
        _query(
            f"filter{{{name}}}",
            _FILTER_TYPES.get(describe(field)["type"], str),
            f"Rows whose {name!r} equals the value; `filter{{{name}.<operator>}}` and"
            f" `filter{{-{name}}}` (negation) are read too.",
        )
        for name, field in sorted(stored.items())
        if not (isinstance(field, DynamicRelationField) and field.many)
    ]
    sortable = getattr(view, "ordering_fields", None)
    sortable = sorted(stored) if sortable in (None, "__all__") else list(sortable)
    return [
        *parameters,
        _query("where", str, "A filter expression (restbridge's `where=` dialect)."),
        _query(
            "sort[]",
            str,
            "Sort keys; `-` sorts descending.",
            many=True,
            enum=[*sortable, *(f"-{name}" for name in sortable)],
        ),
        _query("page", str, "Page number, or `last`.", pattern=r"^([1-9][0-9]{0,8}|last)$"),
        _query(
            "per_page",
            {"type": "integer", "minimum": 1},
            f"Rows per page (at most {api_settings.MAX_PER_PAGE}).",
        ),
        _query(
            "offset",
            {"type": "integer", "minimum": 0},
            "Rows to skip (with `per_page`), instead of `page`.",
        ),
        _query("exclude_count", bool, "Skip the count: `meta.more_pages` instead of totals."),
    ]


class DynamicAutoSchema(AutoSchema):
    """drf-spectacular's ``AutoSchema`` for dynamic viewsets (set on them by the extension)."""

    def _resource(self) -> type[DynamicModelSerializer]:
        return self._dynamic_view().get_serializer_class()

    def _dynamic_view(self) -> WithDynamicViewSetMixin:
        # Set by DynamicViewSetExtension on dynamic viewsets only.
        return cast(WithDynamicViewSetMixin, self.view)

    def get_operation_id(self) -> str:
        """``<plural>_<action>``: unique, where method and path alone collide (bulk routes)."""
        return f"{self._resource().plural_name()}_{getattr(self.view, 'action', '')}"

    # drf-spectacular narrows DRF's (path, method) signature; its own method is ignored alike.
    def get_description(self) -> str:  # type: ignore[override]
        """The API's own docstring of the view class, never the machinery's."""
        return own_doc(type(self.view))

    def _linked_relations(self) -> list[str]:
        """The relations ``/<id>/<field_name>/`` serves (its route answers only these)."""
        return [name for name, field in self._resource().field_map().items()
                if isinstance(field, DynamicRelationField) and field.link]  # fmt: skip

    def is_excluded(self) -> bool:
        """A resource without linked relations has no relation route to document."""
        if getattr(self.view, "action", None) == "list_related" and not self._linked_relations():
            return True
        return bool(super().is_excluded())

    def get_override_parameters(self) -> list[Any]:
        action = getattr(self.view, "action", None)
        if action == "list_related":
            relations = self._linked_relations()
            path = OpenApiParameter("field_name", str, OpenApiParameter.PATH, enum=relations)
            return [*super().get_override_parameters(), path]
        if self.method != "GET" or action not in ("list", "retrieve"):
            return list(super().get_override_parameters())
        parameters = selection_parameters(self._resource())
        if action == "list":
            parameters += list_parameters(self._resource(), self.view)
        return [*super().get_override_parameters(), *parameters]

    def get_request_serializer(self) -> Any:
        action = getattr(self.view, "action", None)
        if action in ("create", "update", "partial_update"):
            return self._resource()()  # every field, not the selection of a request
        if action in ("bulk_partial_update", "bulk_full_update"):
            return self._resource()(many=True)
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        action = getattr(self.view, "action", None)
        errors = {code: _ERROR for code in (400, 401, 403, 404)}
        if action in ("list", "bulk_partial_update", "bulk_full_update"):
            return {200: envelope(self._resource(), many=True), **errors}
        if action in ("retrieve", "update", "partial_update"):
            return {200: envelope(self._resource(), many=False), **errors}
        if action == "create":
            return {201: envelope(self._resource(), many=False), **errors}
        if action in ("destroy", "bulk_delete"):
            return {204: None, **errors}
        if action == "list_related":
            return {200: build_basic_type(OpenApiTypes.OBJECT), **errors}
        return super().get_response_serializers()


class DynamicViewSetExtension(OpenApiViewExtension):
    """Documents every dynamic viewset with :class:`DynamicAutoSchema`."""

    target_class = "server_kit.viewsets.WithDynamicViewSetMixin"
    match_subclasses = True

    def view_replacement(self) -> type[Any]:
        return type(self.target.__name__, (self.target,), {"schema": DynamicAutoSchema()})


class DynamicSerializerExtension(OpenApiSerializerExtension):
    """A resource's fields: all optional in responses; requests get their own component."""

    target_class = "server_kit.serializers.DynamicModelSerializer"
    match_subclasses = True

    def get_name(self, auto_schema: AutoSchema, direction: Direction) -> str | None:
        name = type(self.target).__name__.removesuffix("Serializer")
        split = spectacular_settings.COMPONENT_SPLIT_REQUEST
        return f"{name}Request" if direction == "request" and not split else None

    def map_serializer(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(  # the extension API's own call
            self.target, direction, bypass_extensions=True
        )
        if direction == "response":
            schema.pop("required", None)
        schema.pop("description", None)
        doc = own_doc(type(self.target))
        return {**schema, "description": doc} if doc else schema


class DynamicRelationFieldExtension(OpenApiSerializerFieldExtension):
    """Relations as ids; in responses an object instead when rendered inline."""

    target_class = "server_kit.fields.DynamicRelationField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        field: DynamicRelationField = self.target
        one: dict[str, Any] = _pk_type(field.serializer_class.model_class())
        if direction == "response":
            related = cast("serializers.Serializer[Any]", field.serializer_class())
            target = auto_schema.resolve_serializer(related, direction)
            one = {"oneOf": [one, target.ref]}
        if field.many:
            return build_array_type(one)
        if field.allow_null:
            one = {**one, "nullable": True}
        return one
