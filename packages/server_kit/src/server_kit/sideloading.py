"""Collects sideloaded objects once per key and builds response envelopes."""

from __future__ import annotations

from typing import Any

from ._types import SerializerHost
from .processors import post_process
from .settings import api_settings

__all__ = ["Sideloads"]


class Sideloads:
    """Sideloaded objects by key (the related ``plural_name``), each object once.

    Args:
        primary: the plural name of the response's primary type; objects of that type
            go under ``+<primary>`` so they do not mix with the primary list.
    """

    def __init__(self, primary: str) -> None:
        self.primary = primary
        self._objects: dict[str, dict[Any, dict[str, Any]]] = {}

    def add(self, serializer: SerializerHost, pk: Any, data: dict[str, Any]) -> None:
        """Record one object; a second copy merges its fields into the first (#176)."""
        key = serializer.plural_name()
        if key == self.primary:
            key = f"{api_settings.ADDITIONAL_PRIMARY_RESOURCE_PREFIX}{key}"
        bucket = self._objects.setdefault(key, {})
        if pk in bucket:
            bucket[pk].update(data)
        else:
            bucket[pk] = data

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Top-level keys and their objects, in first-seen order."""
        return {key: list(bucket.values()) for key, bucket in self._objects.items()}

    def envelope(self, key: str, data: Any) -> dict[str, Any]:
        """``{key: data, <sideload keys>: [...]}``, through the registered post-processors."""
        return post_process({key: data, **self.as_dict()})  # type: ignore[no-any-return]
