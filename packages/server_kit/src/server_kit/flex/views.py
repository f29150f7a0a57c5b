"""``FlexFieldsModelViewSet``: a DRF ``ModelViewSet`` whose list action limits expansion."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from rest_framework import viewsets

from .filter_backends import FlexFieldsFilterBackend


class FlexFieldsMixin:
    """Passes ``permit_list_expands`` to the serializer of the list action."""

    permit_list_expands: ClassVar[list[str]] = []

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        # Expanding in a list costs per row: only the listed names may be expanded there.
        if getattr(self, "action", None) == "list":
            context["permitted_expands"] = self.permit_list_expands
        return context


class FlexFieldsModelViewSet(FlexFieldsMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """A ``ModelViewSet`` for ``FlexFieldsModelSerializer``s (bare objects, DRF pagination).

    Whatever its ``filter_backends``, it loads what the request renders as
    :class:`FlexFieldsFilterBackend` does: no query per row at any depth of expansion.
    """

    def filter_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if any(issubclass(backend, FlexFieldsFilterBackend) for backend in self.filter_backends):
            return queryset
        return FlexFieldsFilterBackend().filter_queryset(self.request, queryset, self)
