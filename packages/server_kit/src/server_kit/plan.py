"""``Plan``: what one serializer level renders, resolved from a request's selection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._types import SerializerClass

__all__ = ["Plan"]


@dataclass(frozen=True, slots=True)
class Plan:
    """What one serializer level renders.

    Attributes:
        serializer_class: the serializer this plan is for.
        fields: names of the fields to render, in declaration order.
        children: plans for relations whose objects are loaded, by field name.
        embedded: which of ``children`` render inline (the others are sideloaded).
        generic: generic relations rendered with their target objects (sideloaded).
    """

    serializer_class: SerializerClass
    fields: tuple[str, ...]
    children: Mapping[str, Plan] = field(default_factory=dict)
    embedded: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
