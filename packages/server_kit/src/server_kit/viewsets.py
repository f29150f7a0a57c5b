"""Viewsets that answer dynamic-rest envelopes, relation routes and bulk writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import TooManyFieldsSent
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from shared_querylang import Feature, Query, QuerySyntaxError, Selection, parse
from shared_querylang.limits import DEFAULT_LIMITS, Limits

from .access import access_of, verdict_for
from .bulk import BulkWriteMixin
from .costs import check_query_cost, check_query_length
from .distinct_values import DistinctValues
from .exceptions import InvalidBody, InvalidQuery, exception_handler
from .fields import DynamicRelationField
from .filtering import DynamicFilterBackend, FilterCompiler, compile_relation_filters
from .loading import Loader
from .metadata import DynamicMetadata
from .pagination import DynamicPageNumberPaginator
from .parsers import BoundedJSONParser
from .plan import Plan
from .query_params import QueryParams
from .request_fields import request_fields_from_selection
from .selection import build_plan
from .serializers import DynamicModelSerializer
from .settings import api_settings
from .sideloading import Sideloads
from .sorting import DynamicSortingFilter, order_queryset

__all__ = ["BACKEND_FEATURES", "FEATURES", "DynamicModelViewSet", "WithDynamicViewSetMixin"]

#: What a server_kit list route advertises in OPTIONS (see docs/server.md): every feature.
FEATURES: tuple[str, ...] = tuple(feature.value for feature in Feature)
#: Features a filter backend applies: with the backend gone from ``filter_backends`` (as
#: ``filter_backends = [DjangoFilterBackend]`` drops it), they are neither advertised nor
#: taken (a 400), never silently ignored.
BACKEND_FEATURES: dict[str, type] = {
    Feature.FILTER: DynamicFilterBackend,
    Feature.FILTER_NOT: DynamicFilterBackend,
    Feature.WHERE: DynamicFilterBackend,
    Feature.SORT: DynamicSortingFilter,
}


if TYPE_CHECKING:
    # The mixin is used on a GenericViewSet: type-check its calls to DRF against one.
    _ViewBase = viewsets.GenericViewSet[Any]
else:
    _ViewBase = object


class WithDynamicViewSetMixin(BulkWriteMixin, _ViewBase):
    """Adds dynamic-rest reads, relation routes and bulk writes to a DRF ``GenericViewSet``.

    Every route reads its rows through one pipeline, each step a hook to override:
    ``get_queryset`` → :meth:`scope_queryset` (the serializer's row hook and
    :meth:`get_extra_filters`) → the filter backends (``filter{}``, then ``sort[]``) →
    :meth:`load_queryset` (the plan's prefetches, from :meth:`get_loader`) →
    ``paginate_queryset`` → ``get_serializer`` (which preloads the rendered rows) → render.
    DRF's ``filter_queryset`` runs the middle three, so details and bulk writes (which load
    whole rows: no read plan) pass through them too. Also :meth:`get_query` (the parsed
    query string), :meth:`get_plan` (what to render), and DRF's permissions / throttles.
    """

    # dynamic-rest's names for the entries of ``features``.
    INCLUDE, EXCLUDE, FILTER = Feature.INCLUDE.value, Feature.EXCLUDE.value, Feature.FILTER.value
    SORT, SIDELOADING, DEBUG = Feature.SORT.value, Feature.SIDELOADING.value, Feature.DEBUG.value
    PAGE, PER_PAGE = Feature.PAGE.value, Feature.PER_PAGE.value

    features: tuple[str, ...] = FEATURES
    filter_backends = (DynamicFilterBackend, DynamicSortingFilter)
    pagination_class = DynamicPageNumberPaginator
    metadata_class = DynamicMetadata
    #: Dotted serializer names allowed in ``sort[]`` (``None``: every stored field).
    ordering_fields: tuple[str, ...] | str | None = None
    #: Default sort, e.g. ``("-created",)``; the primary key always ends it.
    ordering: tuple[str, ...] | str | None = None

    request: Request
    kwargs: dict[str, Any]

    # -- DRF hooks --------------------------------------------------------------------

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # dynamic-rest lets viewset hooks add parameters (request.query_params.add(...)).
        # The stubs type GET as immutable; making it mutable is the point here.
        try:
            request.GET = QueryParams.of(request.GET)  # type: ignore[assignment]
        except TooManyFieldsSent:
            pass  # raised again when the view reads them, where it becomes the JSON 400
        return super().initialize_request(request, *args, **kwargs)

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return exception_handler

    def get_parsers(self) -> list[BaseParser]:
        """DRF's parsers, DRF's stock ``JSONParser`` replaced by the depth-bounded one."""
        parsers: list[BaseParser] = super().get_parsers()
        return [BoundedJSONParser() if type(p) is JSONParser else p for p in parsers]

    def get_serializer_class(self) -> type[DynamicModelSerializer]:
        # Routed serializers are DynamicModelSerializers; DRF types them as any serializer.
        return cast("type[DynamicModelSerializer]", super().get_serializer_class())

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "queryset", None) is None:
            model: type[models.Model] = self.get_serializer_class().Meta.model
            return model._default_manager.all()
        return super().get_queryset()

    def resource_rows(self) -> models.QuerySet[Any]:
        """The rows this resource shows a request that reaches them through a relation.

        ``get_queryset()`` then ``get_extra_filters`` (the serializer's row hook applies at
        the relation, see :mod:`~server_kit.access`). A class-level ``queryset`` comes back
        as is when neither hook is overridden: no copy per request.
        """
        cls = type(self)
        queryset = getattr(cls, "queryset", None)
        if (
            isinstance(queryset, models.QuerySet)
            and cls.get_queryset is WithDynamicViewSetMixin.get_queryset
            and cls.get_extra_filters is WithDynamicViewSetMixin.get_extra_filters
        ):
            return queryset
        rows = self.get_queryset()
        extra = self.get_extra_filters(self.request)
        return rows if extra is None else rows.filter(extra)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        query = self.get_query()
        context["sideloads"] = Sideloads(self.get_serializer_class().plural_name())
        context["links"] = api_settings.ENABLE_LINKS and not query.exclude_links
        context["debug"] = query.debug and Feature.DEBUG in self.features
        context["access"] = access_of(context)  # what relations may show, decided once
        return context

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """DRF's, with the plan; rows to render get their root relations preloaded."""
        kwargs.setdefault("plan", self.get_plan())
        serializer: Any = super().get_serializer(*args, **kwargs)
        if args and args[0] is not None and "data" not in kwargs:
            if kwargs.get("many"):
                self.get_loader().preload(serializer.child, list(args[0]))
            else:
                self.get_loader().preload(serializer, [args[0]])
        return serializer

    # -- the read pipeline ------------------------------------------------------------

    def filter_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """Scope, then the filter backends (filter, sort), then load (reads only)."""
        scoped = self.scope_queryset(queryset, with_extra=not self._extra_joins_filter())
        return self.load_queryset(super().filter_queryset(scoped))

    def scope_queryset(
        self, queryset: models.QuerySet[Any], *, with_extra: bool = True
    ) -> models.QuerySet[Any]:
        """The root rows this request may see: the row hook, then ``get_extra_filters``."""
        context = self.get_serializer_context()
        queryset = self.get_serializer_class().filter_rows(queryset, context)
        extra = self.get_extra_filters(self.request) if with_extra else None
        return queryset if extra is None else queryset.filter(extra)

    def deferred_extra_filters(self) -> Q | None:
        """``get_extra_filters`` when the filter backend ANDs it into the request's filter.

        Then a condition of both through the same to-many relation holds on one related row,
        as in dynamic-rest's single ``filter()`` call.
        """
        return self.get_extra_filters(self.request) if self._extra_joins_filter() else None

    def _extra_joins_filter(self) -> bool:
        return (
            self.filters_enabled()
            and self.get_query().filter is not None
            and any(issubclass(backend, DynamicFilterBackend) for backend in self.filter_backends)
        )

    def load_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """``queryset`` with the plan's prefetches and ``only()`` columns, for reads.

        Writes load whole rows (no ``only()``, no read plan); their responses are loaded
        by :meth:`render_written`.
        """
        if not self._reading():
            return queryset
        return self.get_loader().apply(queryset, self.get_plan())

    def get_loader(self) -> Loader:
        """What loads this request's relations (with its ``filter{rel|…}`` on reads)."""
        cached: Loader | None = getattr(self, "_restbridge_loader", None)
        if cached is None:
            context = self.get_serializer_context()
            relation_filters = (
                compile_relation_filters(
                    self.get_serializer_class(), context, self.get_query().relation_filters
                )
                if self._reading()
                else {}
            )
            cached = self._restbridge_loader = Loader(context, relation_filters)
        return cached

    def _reading(self) -> bool:
        return self.request.method in ("GET", "HEAD")

    def paginate_queryset(self, queryset: models.QuerySet[Any] | Sequence[Any]) -> list[Any] | None:
        if Feature.PAGE not in self.features:
            return None
        return super().paginate_queryset(queryset)

    # -- query and plan ---------------------------------------------------------------

    def get_query(self) -> Query:
        """The request's query string, parsed once (400 when it does not parse).

        A view without a request (a schema generator's) has the empty query.
        """
        cached: Query | None = getattr(self, "_restbridge_query", None)
        if cached is None:
            request = getattr(self, "request", None)
            params: Any = {} if request is None else request.query_params
            if request is not None:
                check_query_length(request.META.get("QUERY_STRING", ""))
            try:
                cached = parse(params, limits=parser_limits())
            except QuerySyntaxError as error:
                raise InvalidQuery(
                    str(error), parameter=error.param, position=error.position
                ) from None
            check_query_cost(cached, params.keys())
            self._refuse_unapplied(cached)
            self._restbridge_query = cached
        return cached

    def applied_features(self) -> tuple[str, ...]:
        """``features`` less those whose backend ``filter_backends`` lacks: what OPTIONS says."""
        backends = tuple(self.filter_backends)
        return tuple(
            name
            for name in self.features
            if name not in BACKEND_FEATURES
            or any(issubclass(backend, BACKEND_FEATURES[name]) for backend in backends)
        )

    def _refuse_unapplied(self, query: Query) -> None:
        applied = self.applied_features()
        for feature, parameter, used in (
            (Feature.FILTER, "filter", query.filter is not None),
            (Feature.SORT, "sort[]", bool(query.sort)),
            (Feature.DISTINCT, "distinct", query.distinct),
        ):
            # A feature the view leaves out of `features` is ignored (dynamic-rest); one it
            # offers but whose backend is missing would answer every row: refused.
            if used and feature in self.features and feature not in applied:
                backend = BACKEND_FEATURES.get(feature)
                why = f": its view's filter_backends lack {backend.__name__}" if backend else ""
                raise InvalidQuery(
                    f"This resource does not apply {parameter}{why}.", parameter=parameter
                )

    def get_request_fields(self) -> dict[str, Any]:
        """The request's ``include[]`` / ``exclude[]`` as dynamic-rest's field tree."""
        return request_fields_from_selection(
            self.get_query().selection,
            include=Feature.INCLUDE in self.features,
            exclude=Feature.EXCLUDE in self.features,
        )

    def get_extra_filters(self, request: Request) -> Q | None:
        """A ``Q`` ANDed into every query of the root rows (dynamic-rest's hook); ``None``.

        Applied to lists, details, relation routes' parents and bulk writes, alongside the
        serializer's row hook and the request's filters.
        """
        return None

    def filters_enabled(self) -> bool:
        return Feature.FILTER in self.features

    def get_plan(self) -> Plan:
        """What the response renders for this request's selection."""
        cached: Plan | None = getattr(self, "_restbridge_plan", None)
        if cached is None:
            query = self.get_query()
            selection = _honoured(query.selection, self.features)
            method = getattr(getattr(self, "request", None), "method", None) or "GET"
            if method not in ("GET", "HEAD"):
                selection = _with_deferred_values(self.get_serializer_class(), selection)
            sideloading = query.sideloading if Feature.SIDELOADING in self.features else None
            cached = build_plan(
                self.get_serializer_class(),
                selection,
                sideloading=sideloading,
                readable=self._readable,
            )
            self._restbridge_plan = cached
        return cached

    def _readable(self, serializer_class: type[Any]) -> bool:
        """Whether this request may read ``serializer_class``'s resource (decided once)."""
        return verdict_for(serializer_class, {"request": self.request}).readable

    # -- reads ------------------------------------------------------------------------

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        if self.get_query().distinct:
            return self._distinct_list(queryset)
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page if page is not None else queryset, many=True)
        body = serializer.context["sideloads"].envelope(
            self.get_serializer_class().plural_name(), serializer.data
        )
        if page is not None:
            return self.get_paginated_response(body)
        return Response(body)

    def _distinct_list(self, queryset: models.QuerySet[Any]) -> Response:
        """``distinct=true``: the included fields' distinct values, paged (one query + COUNT)."""
        distinct = DistinctValues(self.get_serializer_class(), self.get_query())
        values = distinct.queryset(queryset)
        page = self.paginate_queryset(values)
        body = {
            self.get_serializer_class().plural_name(): distinct.render(
                page if page is not None else list(values)
            )
        }
        if page is not None:
            return self.get_paginated_response(body)
        return Response(body)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(self.get_object())
        body = serializer.context["sideloads"].envelope(
            self.get_serializer_class().resource_name(), serializer.data
        )
        return Response(body)

    @action(detail=True, methods=["get"], url_path=r"(?P<field_name>[A-Za-z_][A-Za-z0-9_]*)")
    def list_related(self, request: Request, pk: Any = None, field_name: str = "") -> Response:
        """``GET /<plural>/<pk>/<field>/``: the related object(s) in their own envelope."""
        serializer_class = self.get_serializer_class()
        field = serializer_class.field_map().get(field_name)
        if not isinstance(field, DynamicRelationField) or not field.link or field.relation is None:
            raise Http404(f"{serializer_class.resource_name()!r} has no relation {field_name!r}.")
        if field.relation.attname is not None:
            # A forward to-one relation is an id on the object itself: no route (dynamic-rest).
            raise Http404(f"{field_name!r} is a to-one relation: read the id on the object.")
        parent = self.get_related_parent()
        target = field.serializer_class
        verdict = verdict_for(target, {"request": request})
        verdict.check()  # what the target's own routes answer: 401 / 403
        query = self.get_query()
        context = self.get_serializer_context()
        context["sideloads"] = Sideloads(target.plural_name())
        plan = build_plan(
            target, query.selection, sideloading=query.sideloading, readable=self._readable
        )
        loader = Loader(context)
        rows = self.related_queryset(field, parent, context, loader, plan)
        if field.relation.to_many:
            serializer: Any = target(list(rows), many=True, plan=plan, context=context)
            loader.preload(serializer.child, serializer.instance)
            data = serializer.data
            return Response(context["sideloads"].envelope(target.plural_name(), data))
        row = rows.first()
        if row is None:
            return Response({})
        verdict.check_object(row)  # as the target's detail route would
        one = target(row, plan=plan, context=context)
        loader.preload(one, [row])
        return Response(context["sideloads"].envelope(target.resource_name(), one.data))

    def get_related_parent(self) -> models.Model:
        """The row a relation route starts from, scoped as the root rows are (404 if hidden)."""
        parents = self.scope_queryset(self.get_queryset())
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            parent: models.Model = parents.get(**{self.lookup_field: self.kwargs[lookup]})
        except (parents.model.DoesNotExist, ValueError, TypeError):
            raise Http404("Not found.") from None
        self.check_object_permissions(self.request, parent)
        return parent

    def related_queryset(
        self,
        field: DynamicRelationField,
        parent: models.Model,
        context: dict[str, Any],
        loader: Loader,
        plan: Plan,
    ) -> models.QuerySet[Any]:
        """A relation route's rows: the pipeline's steps on the related serializer.

        Scoped by the related serializer's row hook (and the field's ``queryset``), then
        ``filter{}``, ``sort[]`` (no ``ordering_fields`` / ``ordering``: those name the
        root's fields) and the loader; not paged.
        """
        target = field.serializer_class
        query = self.get_query()
        rows = field.related_rows(parent, context)
        if query.filter is not None:
            rows = FilterCompiler(target, context).apply(rows, query.filter)
        rows = order_queryset(rows, target, query.sort, context)
        return loader.apply(rows, plan)

    # -- writes -----------------------------------------------------------------------

    def render_written(self, instances: Any, *, key: str) -> dict[str, Any]:
        """The envelope for written objects: default fields plus deferred values.

        Their relations are prefetched like a read's (row hooks applied, one query per
        relation path, not per object).
        """
        many = isinstance(instances, list)
        self.get_loader().prefetch(instances if many else [instances], self.get_plan())
        serializer = self.get_serializer(instances, many=many)
        sideloads: Sideloads = serializer.context["sideloads"]
        return sideloads.envelope(key, serializer.data)

    def _unwrap_one(self, body: Any) -> Any:
        name = self.get_serializer_class().resource_name()
        if isinstance(body, dict) and set(body) == {name} and isinstance(body[name], dict):
            return body[name]
        if not isinstance(body, dict):
            raise InvalidBody("The body must be a JSON object (or a list for a bulk write).")
        return body

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        items = self.unwrap_list(request.data)
        if items is not None:
            return self.bulk_create(items)
        serializer = self.get_serializer(data=self._unwrap_one(request.data), plan=None)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        name = self.get_serializer_class().resource_name()
        return Response(
            self.render_written(serializer.instance, key=name), status=status.HTTP_201_CREATED
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.save()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        data = self._unwrap_one(request.data)
        serializer = self.get_serializer(instance, data=data, partial=partial, plan=None)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        # Rendered anew: to-many caches from before the write are stale.
        instance._prefetched_objects_cache = {}
        name = self.get_serializer_class().resource_name()
        return Response(self.render_written(serializer.instance, key=name))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def perform_update(self, serializer: Any) -> None:
        serializer.save()

    def bulk_partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """``PATCH`` on the list route: a bulk update, or ``patch-all``."""
        mode = request.query_params.get("patch-all")
        if mode is not None:
            if mode not in ("query", "true"):
                raise InvalidQuery(
                    f"patch-all={mode!r}: use 'query' or 'true'.", parameter="patch-all"
                )
            return self.patch_all(request, mode)
        return self._bulk_update(request, partial=True)

    def bulk_full_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """``PUT`` on the list route: a bulk update requiring every field."""
        return self._bulk_update(request, partial=False)

    def _bulk_update(self, request: Request, *, partial: bool) -> Response:
        items = self.unwrap_list(request.data)
        if not items:
            raise InvalidBody(
                "A list-route update takes a non-empty list of objects with ids "
                "(or add patch-all=query)."
            )
        return self.bulk_update(items, partial=partial)

    def bulk_delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """``DELETE`` on the list route with a list of ids (405 for any other body)."""
        if self.unwrap_list(request.data) is None:
            # Deleting "the list" is not a thing (dynamic-rest answers 405 too).
            raise MethodNotAllowed("DELETE", "DELETE on a list route takes a list of ids.")
        return self.bulk_destroy(request.data)

    def perform_destroy(self, instance: models.Model) -> None:
        instance.delete()


def parser_limits() -> Limits:
    """Parser bounds looser than the settings, so that ours answer with their names."""
    return Limits(
        max_nodes=max(DEFAULT_LIMITS.max_nodes, api_settings.MAX_EXPRESSION_NODES + 1),
        max_in_values=max(DEFAULT_LIMITS.max_in_values, api_settings.MAX_IN_VALUES + 1),
        max_selection_depth=max(DEFAULT_LIMITS.max_selection_depth, api_settings.MAX_DEPTH + 1),
    )


def _honoured(selection: Selection, features: Sequence[str]) -> Selection:
    """``include[]`` / ``exclude[]`` only when the view's ``features`` name them (dynamic-rest)."""
    if Feature.INCLUDE in features and Feature.EXCLUDE in features:
        return selection
    return replace(
        selection,
        include=selection.include if Feature.INCLUDE in features else (),
        exclude=selection.exclude if Feature.EXCLUDE in features else (),
    )


def _with_deferred_values(
    serializer_class: type[DynamicModelSerializer], selection: Selection
) -> Selection:
    """Write responses show every field, deferred ones too (dynamic-rest includes them all)."""
    extra = tuple((name,) for name in serializer_class.deferred_names())
    return Selection(
        include=selection.include + extra,
        exclude=selection.exclude,
        fields=selection.fields,
        omit=selection.omit,
        expand=selection.expand,
    )


class DynamicModelViewSet(WithDynamicViewSetMixin, viewsets.ModelViewSet[Any]):
    """A ``ModelViewSet`` speaking the dynamic-rest wire format."""
