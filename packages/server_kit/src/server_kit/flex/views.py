"""``FlexFieldsModelViewSet``: a DRF ``ModelViewSet`` whose list action limits expansion."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import viewsets


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
    """A ``ModelViewSet`` for ``FlexFieldsModelSerializer``s (bare objects, DRF pagination)."""
