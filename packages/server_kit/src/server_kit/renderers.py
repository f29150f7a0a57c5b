"""Renderers under dynamic-rest's public names (``DEFAULT_RENDERER_CLASSES`` dotted paths)."""

from __future__ import annotations

from rest_framework.renderers import BrowsableAPIRenderer

__all__ = ["DynamicBrowsableAPIRenderer"]


class DynamicBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API; dynamic-rest's directory side panel is not reproduced."""
