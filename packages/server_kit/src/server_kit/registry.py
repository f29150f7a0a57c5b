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
    "canonical_path",
    "canonical_serializer",
    "canonical_serializers",
    "directory",
    "list_path",
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
        path = list_path(basename)
        if path is not None:
            entries.append((prefix, path))
    return entries


def list_path(basename: str) -> str | None:
    """The path of the list route named ``basename`` (``/v2/cats``), if its URLs are installed."""
    try:
        return reverse(f"{basename}-list").rstrip("/?")
    except NoReverseMatch:
        return None


def canonical_serializer(
    resource_key: str | None = None,
    *,
    model: type[Any] | None = None,
    instance: Any = None,
) -> type[Any] | None:
    """The canonical serializer of a resource: by key (its model's table), model or object."""
    if instance is not None:
        model = type(instance)
    for serializer_class in _CANONICAL:
        served = serializer_class.Meta.model
        if served is model or (resource_key is not None and resource_key == _table(served)):
            return serializer_class
    return None


def canonical_path(resource_key: str, pk: Any = None) -> str | None:
    """The canonical list route of a resource (``/v2/cats``), or its object's (``/v2/cats/1/``)."""
    serializer_class = canonical_serializer(resource_key)
    if serializer_class is None:
        return None
    path = list_path(_CANONICAL[serializer_class])
    return path if path is None or pk is None else f"{path}/{pk}/"


def _table(model: Any) -> str | None:
    return getattr(getattr(model, "_meta", None), "db_table", None)
