"""Renderers under dynamic-rest's public names (``DEFAULT_RENDERER_CLASSES`` dotted paths)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer

from .registry import directory

__all__ = ["DynamicBrowsableAPIRenderer"]


class DynamicBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API with a directory of the registered resources."""

    template = "server_kit/api.html"

    def get_context(
        self, data: Any, accepted_media_type: str | None, renderer_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(data, accepted_media_type, renderer_context)
        context["directory"] = directory()
        return context
