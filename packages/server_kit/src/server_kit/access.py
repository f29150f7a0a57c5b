"""``Access``: what one request may read of each resource its relations reach.

A resource is the viewset routed under a serializer's plural name: ``<plural>-list`` in the
request's URL namespace, else without one (where links point;
:meth:`~server_kit.routers.DynamicRouter.register_resource` registers it so). When a request
reaches that serializer's rows from another resource (a sideload, an embed, a relation route,
a filter or sort through a relation), the viewset's permission classes and row restrictions
apply as if the client had asked it directly: ``has_permission`` for a ``GET`` authenticated
by the viewset's own authentication classes, and its ``get_queryset`` (our viewsets'
``resource_rows``: ``get_extra_filters`` too). Each resource is decided once per request; its
throttles are not counted (the route served counts once). A serializer with no such route is
no resource: its rows are part of the data of the resources that link to them (the
serializer's own row hook still applies).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db import models
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request, clone_request
from rest_framework.viewsets import ViewSetMixin

from ._types import SerializerClass
from .exceptions import UnreadableRelation

__all__ = ["Access", "Verdict", "access_of", "require_readable", "verdict_for"]

#: One ``Access`` per request, for as long as the request lives.
_BY_REQUEST: WeakKeyDictionary[Request, Access] = WeakKeyDictionary()


@dataclass(frozen=True)
class Verdict:
    """Whether a request may read one resource, and which of its rows.

    Attributes:
        view: the resource's viewset, set up for this request (``None``: not a resource).
        denied: why the request may not read it (DRF's ``NotAuthenticated`` or
            ``PermissionDenied``), ``None`` when it may.
        rows: the viewset's own rows (``get_queryset`` and extra filters) when they are
            narrower than the model's, else ``None``.
    """

    view: GenericAPIView[Any] | None = None
    denied: exceptions.APIException | None = None
    rows: models.QuerySet[Any] | None = None

    @property
    def readable(self) -> bool:
        return self.denied is None

    def restrict(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """``queryset`` cut to the rows the resource shows this request (none if denied)."""
        if self.denied is not None:
            return queryset.none()
        if self.rows is None:
            return queryset
        # A subquery, not a merge: the view's queryset may join, annotate or be distinct.
        return queryset.filter(pk__in=self.rows.values("pk"))

    def check(self) -> None:
        """Raise what the resource's own route would answer (401 / 403) if denied."""
        if self.denied is not None:
            raise self.denied

    def check_object(self, obj: models.Model) -> None:
        """``has_object_permission`` on ``obj``, as the resource's detail route calls it."""
        self.check()
        if self.view is not None:
            if isinstance(self.view, ViewSetMixin):
                self.view.action = "retrieve"
            self.view.check_object_permissions(self.view.request, obj)


#: The verdict outside a request: everything readable, nothing restricted.
_OPEN = Verdict()


class Access:
    """The verdicts of one request, one per resource reached (see the module docstring)."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self._verdicts: dict[SerializerClass, Verdict] = {}
        match = getattr(request, "resolver_match", None)
        self._namespace: str = match.namespace if match is not None else ""
        self._authenticators = [type(each) for each in request.authenticators or ()]
        self._routes = _routes()

    def verdict(self, serializer_class: SerializerClass) -> Verdict:
        found = self._verdicts.get(serializer_class)
        if found is None:
            found = self._verdicts[serializer_class] = self._decide(serializer_class)
        return found

    def _decide(self, serializer_class: SerializerClass) -> Verdict:
        route = _route(self._routes, self._namespace, serializer_class)
        if route is None:
            return Verdict()
        view = route.view()
        request = self._authenticated_for(view)
        if request.method != "GET":  # permission classes read the method: a read is asked
            request = clone_request(request, "GET")
        view.request = request
        try:
            view.check_permissions(request)
        except exceptions.APIException as denied:  # 401 / 403, or a failed login
            return Verdict(view, denied)
        # Our viewsets' resource_rows adds get_extra_filters; a plain DRF one has get_queryset.
        rows_of = getattr(view, "resource_rows", None)
        rows: models.QuerySet[Any] = rows_of() if rows_of is not None else view.get_queryset()
        if rows.model is not serializer_class.model_class():
            return Verdict()  # routed under the same name, but other rows: not this resource
        narrowed = bool(rows.query.where) or rows.query.is_sliced
        return Verdict(view, None, rows if narrowed else None)

    def _authenticated_for(self, view: GenericAPIView[Any]) -> Request:
        """The request as the resource's own route authenticates it.

        The same request when the views authenticate alike (no second login, no query);
        else a fresh one from the same HTTP request, with the resource's authenticators.
        """
        theirs = [type(authenticator) for authenticator in view.get_authenticators()]
        if self._authenticators == theirs:
            return self.request
        return view.initialize_request(self.request._request)


@dataclass(frozen=True)
class _Route:
    """A resource's viewset as its list route serves it."""

    cls: type[GenericAPIView[Any]]
    initkwargs: Mapping[str, Any]
    actions: Mapping[str, str]

    def view(self) -> GenericAPIView[Any]:
        """A fresh instance, set up as DRF's ``as_view`` sets one up for a ``GET``."""
        view = self.cls(**self.initkwargs)
        if isinstance(view, ViewSetMixin):
            view.action_map = dict(self.actions)
            view.action = self.actions.get("get", "list")
        view.args, view.kwargs = (), {}
        view.format_kwarg = None
        return view


#: Routes by URL name, per URL configuration (reversed and resolved once).
_ROUTES: WeakKeyDictionary[URLResolver, dict[str, _Route | None]] = WeakKeyDictionary()


def _routes() -> dict[str, _Route | None]:
    """The routes found so far in the active URL configuration."""
    # A changed ROOT_URLCONF (or a per-request urlconf) is another resolver: another cache.
    resolver = get_resolver(get_urlconf())
    routes = _ROUTES.get(resolver)
    if routes is None:
        routes = _ROUTES[resolver] = {}
    return routes


def _route(
    routes: dict[str, _Route | None], namespace: str, serializer_class: SerializerClass
) -> _Route | None:
    """The viewset routed under the serializer's plural name, in ``namespace`` first."""
    name = f"{serializer_class.plural_name()}-list"
    # The request's own URL namespace first (a versioned API), else the global name.
    for qualified in (f"{namespace}:{name}", name) if namespace else (name,):
        if qualified not in routes:
            routes[qualified] = _resolved(qualified)
        found = routes[qualified]
        if found is not None:
            return found
    return None


def _resolved(name: str) -> _Route | None:
    try:
        path = reverse(name)
        # reverse() prepends the deployment's script prefix; resolve() takes the path after it.
        view = resolve("/" + path.removeprefix(get_script_prefix()).lstrip("/")).func
    except (NoReverseMatch, Resolver404):
        return None
    cls = getattr(view, "cls", None)
    if not (isinstance(cls, type) and issubclass(cls, GenericAPIView)):
        return None
    return _Route(cls, getattr(view, "initkwargs", {}), getattr(view, "actions", {}))


def access_of(context: Mapping[str, Any]) -> Access | None:
    """The request's :class:`Access`, or ``None`` outside a request (no checks).

    The viewsets put it in their serializer context under ``"access"`` (a dict lookup on
    the hot path); any other context with a request finds the same one by its request.
    """
    found = context.get("access")
    if isinstance(found, Access):
        return found
    request = context.get("request")
    if not isinstance(request, Request):
        return None
    access = _BY_REQUEST.get(request)
    if access is None:
        access = _BY_REQUEST[request] = Access(request)
    return access


def verdict_for(serializer_class: SerializerClass, context: Mapping[str, Any]) -> Verdict:
    """The request's verdict on ``serializer_class``'s resource (readable outside a request)."""
    access = access_of(context)
    return _OPEN if access is None else access.verdict(serializer_class)


def require_readable(
    serializer_class: SerializerClass, context: Mapping[str, Any], dotted: str
) -> None:
    """Refuse a filter or sort through ``dotted`` into a resource the request may not read.

    Decided before any SQL, so the answer is the same whether matching rows exist.

    Raises:
        UnreadableRelation: 400 naming the field and the reason.
    """
    denied = verdict_for(serializer_class, context).denied
    if denied is not None:
        raise UnreadableRelation(
            f"{dotted!r} cannot be filtered or sorted through: this request may not read "
            f"{serializer_class.plural_name()!r} ({denied.detail})",
            field=dotted,
        )
