"""Viewsets that answer dynamic-rest envelopes, relation routes and bulk writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from shared_querylang import Feature, Query, QuerySyntaxError, Selection, parse
from shared_querylang.limits import DEFAULT_LIMITS, Limits

from .bulk import BulkWriteMixin
from .exceptions import InvalidBody, InvalidQuery, exception_handler
from .fields import DynamicRelationField
from .filtering import DynamicFilterBackend, FilterCompiler
from .metadata import DynamicMetadata
from .pagination import DynamicPageNumberPaginator
from .prefetching import Prefetcher
from .selection import Plan, build_plan
from .serializers import DynamicModelSerializer
from .settings import api_settings
from .sideloading import Sideloads
from .sorting import DynamicSortingFilter, order_queryset

__all__ = ["FEATURES", "DynamicModelViewSet", "WithDynamicViewSetMixin"]

#: What a server_kit list route advertises in OPTIONS (see docs/server.md): every feature.
FEATURES: tuple[str, ...] = tuple(feature.value for feature in Feature)


class WithDynamicViewSetMixin(BulkWriteMixin):
    """Adds dynamic-rest reads, relation routes and bulk writes to a DRF ``GenericViewSet``.

    Hooks: :meth:`get_query` (the parsed query string), :meth:`get_plan` (what to
    render), the serializer's ``filter_queryset`` (row-level visibility), and DRF's
    usual ``get_queryset`` / permissions / throttles.
    """

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

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return exception_handler

    def get_serializer_class(self) -> type[DynamicModelSerializer]:
        return super().get_serializer_class()  # type: ignore[misc,no-any-return]

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "queryset", None) is None:
            model: type[models.Model] = self.get_serializer_class().Meta.model
            return model._default_manager.all()
        return super().get_queryset()  # type: ignore[misc,no-any-return]

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        query = self.get_query()
        context["sideloads"] = Sideloads(self.get_serializer_class().plural_name())
        context["links"] = api_settings.ENABLE_LINKS and not query.exclude_links
        context["debug"] = query.debug and Feature.DEBUG in self.features
        return context

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("plan", self.get_plan())
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        if args and args[0] is not None and "data" not in kwargs:
            if kwargs.get("many"):
                serializer.child.preload(list(args[0]))
            else:
                serializer.preload([args[0]])
        return serializer

    def paginate_queryset(self, queryset: models.QuerySet[Any]) -> list[Any] | None:
        if Feature.PAGE not in self.features:
            return None
        return super().paginate_queryset(queryset)  # type: ignore[misc,no-any-return]

    # -- query and plan ---------------------------------------------------------------

    def get_query(self) -> Query:
        """The request's query string, parsed once (400 when it does not parse).

        A view without a request (a schema generator's) has the empty query.
        """
        cached: Query | None = getattr(self, "_restbridge_query", None)
        if cached is None:
            request = getattr(self, "request", None)
            params = "" if request is None else request.query_params
            try:
                cached = parse(params, limits=parser_limits())
            except QuerySyntaxError as error:
                raise InvalidQuery(
                    str(error), parameter=error.param, position=error.position
                ) from None
            self._restbridge_query = cached
        return cached

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
            selection = query.selection
            method = getattr(getattr(self, "request", None), "method", None) or "GET"
            if method not in ("GET", "HEAD"):
                selection = _with_deferred_values(self.get_serializer_class(), selection)
            sideloading = query.sideloading if Feature.SIDELOADING in self.features else None
            cached = build_plan(self.get_serializer_class(), selection, sideloading=sideloading)
            self._restbridge_plan = cached
        return cached

    # -- reads ------------------------------------------------------------------------

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page if page is not None else queryset, many=True)
        body = serializer.context["sideloads"].envelope(
            self.get_serializer_class().plural_name(), serializer.data
        )
        if page is not None:
            return self.get_paginated_response(body)  # type: ignore[attr-defined,no-any-return]
        return Response(body)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(self.get_object())  # type: ignore[attr-defined]
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
        context = self.get_serializer_context()
        parents = serializer_class.filter_rows(self.get_queryset(), context)
        extra = self.get_extra_filters(request)
        if extra is not None:
            parents = parents.filter(extra)
        lookup = self.lookup_url_kwarg or self.lookup_field  # type: ignore[attr-defined]
        try:
            parent = parents.get(**{self.lookup_field: self.kwargs[lookup]})  # type: ignore[attr-defined]
        except (parents.model.DoesNotExist, ValueError, TypeError):
            raise Http404("Not found.") from None
        self.check_object_permissions(request, parent)  # type: ignore[attr-defined]
        target = field.serializer_class
        query = self.get_query()
        context["sideloads"] = Sideloads(target.plural_name())
        plan = build_plan(target, query.selection, sideloading=query.sideloading)
        rows = field.related_rows(parent, context)
        if query.filter is not None:
            rows = FilterCompiler(target, context).filter_queryset(rows, query.filter)
        rows = Prefetcher(context).apply(order_queryset(rows, target, query.sort, context), plan)
        if field.relation.to_many:
            serializer: Any = target(list(rows), many=True, plan=plan, context=context)
            serializer.child.preload(serializer.instance)
            data = serializer.data
            return Response(context["sideloads"].envelope(target.plural_name(), data))
        row = rows.first()
        if row is None:
            return Response({})
        one = target(row, plan=plan, context=context)
        one.preload([row])
        return Response(context["sideloads"].envelope(target.resource_name(), one.data))

    # -- writes -----------------------------------------------------------------------

    def render_written(self, instances: Any, *, key: str) -> dict[str, Any]:
        """The envelope for written objects: default fields plus deferred values.

        Their relations are prefetched like a read's (row hooks applied, one query per
        relation path, not per object).
        """
        many = isinstance(instances, list)
        lookups, _ = Prefetcher(self.get_serializer_context()).level(self.get_plan(), ())
        prefetch_related_objects(instances if many else [instances], *lookups)
        serializer = self.get_serializer(instances, many=many)
        return serializer.context["sideloads"].envelope(key, serializer.data)  # type: ignore[no-any-return]

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
        instance = self.get_object()  # type: ignore[attr-defined]
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
        if items is None:
            raise InvalidBody(
                "A list-route update takes a list of objects with ids (or add patch-all=query)."
            )
        return self.bulk_update(items, partial=partial)

    def bulk_delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """``DELETE`` on the list route with a list of ids."""
        return self.bulk_destroy(request.data)

    def perform_destroy(self, instance: models.Model) -> None:
        instance.delete()


def parser_limits() -> Limits:
    """Parser bounds no tighter than the settings, so that ours answer with their names."""
    return Limits(
        max_nodes=max(DEFAULT_LIMITS.max_nodes, api_settings.MAX_EXPRESSION_NODES),
        max_in_values=max(DEFAULT_LIMITS.max_in_values, api_settings.MAX_IN_VALUES),
        max_selection_depth=max(DEFAULT_LIMITS.max_selection_depth, api_settings.MAX_DEPTH),
    )


def _with_deferred_values(
    serializer_class: type[DynamicModelSerializer], selection: Selection
) -> Selection:
    """Write responses show deferred scalar fields too, not deferred to-many lists (#262)."""
    fields = serializer_class.field_map()
    extra = tuple(
        (name,)
        for name in serializer_class.deferred_names()
        if not (isinstance(field := fields[name], DynamicRelationField) and field.many)
    )
    return Selection(
        include=selection.include + extra,
        exclude=selection.exclude,
        fields=selection.fields,
        omit=selection.omit,
        expand=selection.expand,
    )


# The stubs type GenericAPIView's class attributes more narrowly than the mixin's overrides.
class DynamicModelViewSet(WithDynamicViewSetMixin, viewsets.ModelViewSet):  # type: ignore[type-arg,misc]
    """A ``ModelViewSet`` speaking the dynamic-rest wire format."""
