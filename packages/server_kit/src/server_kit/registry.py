"""What the routers registered: the API directory and each serializer's canonical route.

Filled as URL confs are imported (``DynamicRouter.register`` / ``register_resource``); read
by ``links`` and the browsable API's directory. No DRF view imports here, so that renderer
classes named in settings can import it while DRF loads.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

__all__ = [
    "canonical_basename",
    "canonical_serializers",
    "directory",
    "record_canonical",
    "record_route",
]

#: Every ``prefix -> basename`` registered on a DynamicRouter, in order.
_ROUTES: dict[str, str] = {}
#: The basename ``register_resource`` gave each serializer first (where its links point).
_CANONICAL: dict[type[Any], str] = {}


def record_route(prefix: str, basename: str) -> None:
    _ROUTES.setdefault(prefix, basename)


def record_canonical(serializer_class: type[Any], basename: str) -> None:
    _CANONICAL.setdefault(serializer_class, basename)


def canonical_basename(serializer_class: type[Any]) -> str | None:
    """The basename ``register_resource`` gave ``serializer_class``'s routes, if any."""
    return _CANONICAL.get(serializer_class)


def canonical_serializers() -> list[type[Any]]:
    """The serializers registered with ``register_resource``, first registered first."""
    return list(_CANONICAL)


def directory() -> list[tuple[str, str]]:
    """``(prefix, list URL)`` of every registered resource whose URLs are installed."""
    entries = []
    for prefix, basename in _ROUTES.items():
        try:
            entries.append((prefix, reverse(f"{basename}-list").rstrip("?")))
        except NoReverseMatch:
            continue
    return entries
