"""drf-flex-fields' filter backends: loading what a request selects, and its schema parameters."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework.filters import BaseFilterBackend
from rest_framework.serializers import ListSerializer

from .serializers import FlexFieldsSerializerMixin, _setting


def _model_field(model: type[models.Model], source: str) -> Any:
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return next((f for f in model._meta.private_fields if f.name == source), None)


class _Loads:
    """What one request loads: joined to-one paths, prefetched paths, root columns."""

    def __init__(self) -> None:
        self.joined: list[str] = []
        self.prefetched: list[str] = []
        self.columns: list[str] = []
        # A root field that is no model field (a method, a computed source) may read any column.
        self.whole_rows = False

    def walk(self, serializer: Any, model: type[models.Model], prefix: str, many: bool) -> None:
        """Records the relations ``serializer`` renders, then those of its expansions."""
        fields = {**serializer.fields, **serializer.expanded_serializers()}
        for name, field in fields.items():
            model_field = _model_field(model, field.source or name)
            if model_field is None:
                self.whole_rows = self.whole_rows or not prefix
                continue
            path = f"{prefix}{model_field.name}"
            if not prefix and model_field.concrete:
                self.columns.append(model_field.name)
            if isinstance(model_field, GenericForeignKey):
                self.prefetched.append(path)
                if not prefix:
                    self.columns += [model_field.ct_field, model_field.fk_field]
                continue
            if not model_field.is_relation:
                continue
            to_many = many or model_field.many_to_many or model_field.one_to_many
            nested = field.child if isinstance(field, ListSerializer) else field
            # to-many ids too: DRF would read them with one query per row
            (self.prefetched if to_many else self.joined).append(path)
            if isinstance(nested, FlexFieldsSerializerMixin):
                self.walk(nested, model_field.related_model, f"{path}__", to_many)


class FlexFieldsFilterBackend(BaseFilterBackend):
    """Loads what the serializer renders, at any depth of expansion, without a query per row.

    To-one chains are joined, to-many relations prefetched; the root loads its selected columns.
    """

    def filter_queryset(
        self, request: Any, queryset: models.QuerySet[Any], view: Any
    ) -> models.QuerySet[Any]:
        serializer = view.get_serializer(context=view.get_serializer_context())
        if isinstance(serializer, ListSerializer):
            serializer = serializer.child
        if not isinstance(serializer, FlexFieldsSerializerMixin):
            return queryset
        loads = _Loads()
        loads.walk(serializer, queryset.model, "", False)
        # select_related() with no names would join every non-null foreign key.
        if loads.joined:
            queryset = queryset.select_related(*loads.joined)
        if loads.prefetched:
            queryset = queryset.prefetch_related(*loads.prefetched)
        if loads.whole_rows or not loads.columns:
            return queryset
        return queryset.only(*loads.columns)


class FlexFieldsDocsFilterBackend(BaseFilterBackend):
    """Documents the ``expand``, ``fields`` and ``omit`` query parameters in DRF's schema."""

    def filter_queryset(
        self, request: Any, queryset: models.QuerySet[Any], view: Any
    ) -> models.QuerySet[Any]:
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        described = {
            "FIELDS_PARAM": "Names of the fields to return (comma separated, dotted for nested).",
            "OMIT_PARAM": "Names of the fields to leave out (comma separated, dotted for nested).",
            "EXPAND_PARAM": "Relations to expand (comma separated, dotted for nested).",
        }
        return [
            {
                "name": _setting(key),
                "required": False,
                "in": "query",
                "description": text,
                "schema": {"type": "string"},
            }
            for key, text in described.items()
        ]
