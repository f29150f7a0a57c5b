"""``DynamicRouter``: optional trailing slashes, bulk list routes, resources by plural name."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import DefaultRouter, Route

from .registry import canonical_path, canonical_serializer, record_canonical, record_route

__all__ = ["DynamicRouter", "Route"]


def _with_bulk(route: Any) -> Any:
    if isinstance(route, Route) and route.name == "{basename}-list":
        mapping = {
            **route.mapping,
            "patch": "bulk_partial_update",
            "put": "bulk_full_update",
            "delete": "bulk_delete",
        }
        return route._replace(mapping=mapping)
    return route


class DynamicRouter(DefaultRouter):
    """A ``DefaultRouter`` whose routes answer with and without a trailing slash.

    The list route also maps ``PATCH``/``PUT``/``DELETE`` to bulk writes when the
    viewset has them, and the API root lists every registered resource.
    """

    routes = [_with_bulk(route) for route in DefaultRouter.routes]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # dynamic-rest clients request lists without and details with a slash; never redirect.
        self.trailing_slash = "/?"

    def register(
        self,
        prefix: str,
        viewset: Any,
        basename: str | None = None,
        *,
        base_name: str | None = None,
    ) -> None:
        """DRF's ``register``; the basename defaults to the prefix, as in dynamic-rest.

        So one model may be routed twice (``cats`` and ``v2/cats``) without naming either.
        ``base_name`` is dynamic-rest's spelling.
        """
        basename = basename or base_name or prefix
        super().register(prefix, viewset, basename)
        record_route(prefix, basename)

    def register_resource(self, viewset: Any, namespace: str | None = None) -> None:
        """Register ``viewset`` under its serializer's ``plural_name`` (the basename too).

        The first route registered for a serializer is its canonical one: ``links`` on its
        objects point there.
        """
        plural = viewset.serializer_class.plural_name()
        prefix = f"{namespace.strip('/')}/{plural}" if namespace else plural
        self.register(prefix, viewset)
        record_canonical(viewset.serializer_class, prefix)

    @staticmethod
    def get_canonical_path(resource_key: str, pk: Any = None) -> str | None:
        """The canonical route of a resource key (``/v2/cats``; ``/v2/cats/1/`` with ``pk``)."""
        return canonical_path(resource_key, pk)

    @staticmethod
    def get_canonical_serializer(
        resource_key: str | None = None, model: type[Any] | None = None, instance: Any = None
    ) -> type[Any] | None:
        """The serializer registered with ``register_resource`` for a key, model or object."""
        return canonical_serializer(resource_key, model=model, instance=instance)
