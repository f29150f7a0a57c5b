"""dynamic-rest's ``filters`` module: the filter and sort backends under their public names."""

from __future__ import annotations

from .filtering import DynamicFilterBackend
from .sorting import DynamicSortingFilter

__all__ = ["DynamicFilterBackend", "DynamicSortingFilter"]
