"""drf-flex-fields' filter backends: loading what a request selects, and its schema parameters."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework.filters import BaseFilterBackend
from rest_framework.serializers import BaseSerializer, ListSerializer

from .serializers import FlexFieldsSerializerMixin, _setting


def _model_field(model: type[models.Model], source: str) -> Any:
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return next((f for f in model._meta.private_fields if f.name == source), None)


class FlexFieldsFilterBackend(BaseFilterBackend):
    """Joins the selected to-one relations, prefetches the rest, loads only selected columns."""

    def filter_queryset(
        self, request: Any, queryset: models.QuerySet[Any], view: Any
    ) -> models.QuerySet[Any]:
        serializer = view.get_serializer(context=view.get_serializer_context())
        if isinstance(serializer, ListSerializer):
            serializer = serializer.child
        if not isinstance(serializer, FlexFieldsSerializerMixin):
            return queryset
        joined, prefetched, columns = [], [], []
        for name, field in serializer.fields.items():  # type: ignore[attr-defined]
            model_field = _model_field(queryset.model, field.source or name)
            if model_field is None:
                continue
            if isinstance(model_field, GenericForeignKey):
                prefetched.append(model_field.name)
                columns += [model_field.ct_field, model_field.fk_field]
            elif model_field.many_to_many or model_field.one_to_many:
                if isinstance(field, BaseSerializer):
                    prefetched.append(model_field.name)
            elif model_field.concrete:
                columns.append(model_field.name)
                if model_field.is_relation:
                    joined.append(model_field.name)
        queryset = queryset.select_related(*joined).prefetch_related(*prefetched)
        return queryset.only(*columns) if columns else queryset


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
