"""``sort[]`` / ``sort=`` → ``order_by``, with a primary-key tie-breaker and no duplicated rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.db import models
from django.db.models import F, OrderBy, Subquery
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from shared_querylang import Feature, Path, SortKey, parse_path

from ._types import SerializerClass, ViewHost
from .exceptions import LimitExceeded, RestbridgeError, UnknownField
from .fieldpaths import FieldPath, resolve_path
from .related_rows import correlated, visible_rows
from .settings import api_settings

if TYPE_CHECKING:
    from rest_framework.views import APIView

__all__ = ["DynamicSortingFilter", "SortHost", "order_queryset"]


class SortHost(ViewHost, Protocol):
    """The view :class:`DynamicSortingFilter` sorts for (DRF's ``OrderingFilter`` names)."""

    ordering: tuple[str, ...] | str | None
    ordering_fields: tuple[str, ...] | str | None


def _sort_value(path: FieldPath, start: int, context: Mapping[str, Any]) -> F | Subquery:
    """The value to sort by, from hop ``start`` on.

    Through a relation it is a correlated subquery over the related rows the request may
    see (hidden rows sort like missing ones); through a to-many relation, the smallest
    related value, so rows are not repeated.
    """
    hop = path.hops[start]
    if hop.relation is None:
        return F(hop.lookup)
    rows = correlated(hop.relation, visible_rows(hop.field, hop.relation, context), path.dotted)
    last = start == len(path.hops) - 1
    rows = rows.annotate(
        _restbridge_value=F(hop.key) if last else _sort_value(path, start + 1, context)
    )
    ordered = rows.order_by("_restbridge_value") if hop.relation.to_many else rows.order_by()
    return Subquery(ordered.values("_restbridge_value")[:1])


def _check_to_many(path: FieldPath) -> None:
    """Refuse a key crossing more than ``MAX_SORT_TO_MANY`` to-many relations.

    Each one multiplies the related rows compared to find one row's sort value.
    """
    crossed = sum(1 for hop in path.hops if hop.relation is not None and hop.relation.to_many)
    limit = api_settings.MAX_SORT_TO_MANY
    if crossed > limit:
        raise LimitExceeded(
            f"Sort field {path.dotted!r} crosses {crossed} to-many relations; "
            f"the limit MAX_SORT_TO_MANY is {limit}.",
            parameter="sort[]",
            limit="MAX_SORT_TO_MANY",
            value=crossed,
            field=path.dotted,
        )


def _order_term(expression: F | Subquery, key: SortKey) -> OrderBy:
    nulls = {"nulls_first": True} if key.nulls == "first" else {}
    if key.nulls == "last":
        nulls = {"nulls_last": True}
    return expression.desc(**nulls) if key.descending else expression.asc(**nulls)


def order_queryset(
    queryset: models.QuerySet[Any],
    serializer_class: SerializerClass,
    keys: Sequence[SortKey],
    context: Mapping[str, Any],
    *,
    allowed: Iterable[str] | None = None,
) -> models.QuerySet[Any]:
    """``queryset`` ordered by ``keys`` (serializer paths), then by primary key.

    Args:
        queryset: the rows to order.
        serializer_class: the serializer whose names the keys use.
        keys: sort keys; an empty sequence keeps the queryset's ordering.
        context: serializer context, for the row hooks of related serializers.
        allowed: the view's ``ordering_fields`` (dotted names), or ``None`` for any
            exposed stored field.

    Raises:
        UnknownField: a key the serializer does not expose, a computed field, or one
            outside ``allowed``.
    """
    allowed_set = None if allowed is None else set(allowed)
    terms: list[OrderBy | str] = []
    seen: set[Path] = set()
    for key in keys:
        if key.path in seen:
            continue  # a later key on the same path orders nothing more
        seen.add(key.path)
        path = resolve_path(serializer_class, key.path, purpose="sort")
        if allowed_set is not None and path.dotted not in allowed_set:
            raise UnknownField(
                f"Invalid sort field {path.dotted!r}: sorting is allowed on "
                f"{', '.join(sorted(allowed_set)) or 'no field'}.",
                parameter="sort[]",
                field=path.dotted,
            )
        _check_to_many(path)
        terms.append(_order_term(_sort_value(path, 0, context), key))
    if terms:
        queryset = queryset.order_by(*terms)
    elif not queryset.ordered:
        queryset = queryset.order_by("pk")
    # A stable tie-breaker so that pages never overlap or skip rows.
    existing = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if "pk" not in existing and "-pk" not in existing:
        queryset = queryset.order_by(*existing, "pk")
    return queryset


class DynamicSortingFilter(BaseFilterBackend):
    """Orders by ``sort[]`` (or the view's ``ordering``), always ending with the primary key.

    The view may set ``ordering_fields`` (dotted serializer names, ``"__all__"`` or
    ``None``) and ``ordering`` (default sort, e.g. ``["-created"]``).
    """

    def filter_queryset(
        self, request: Request, queryset: models.QuerySet[Any], view: APIView
    ) -> models.QuerySet[Any]:
        host = cast(SortHost, view)
        # A view whose ``features`` leave out sort[] ignores it (dynamic-rest).
        keys = list(host.get_query().sort) if Feature.SORT in _features(view) else []
        if not keys:
            default = getattr(host, "ordering", None) or ()
            if isinstance(default, str):
                default = (default,)
            keys = [
                SortKey(parse_path(term.lstrip("-")), descending=term.startswith("-"))
                for term in default
            ]
        fields = getattr(host, "ordering_fields", None)
        allowed = None if fields is None or fields == "__all__" else list(fields)
        context = host.get_serializer_context()
        serializer_class = host.get_serializer_class()
        try:
            return order_queryset(queryset, serializer_class, keys, context, allowed=allowed)
        except RestbridgeError as error:
            raise error.located("sort[]") from None


def _features(view: APIView) -> Sequence[str]:
    return getattr(view, "features", (Feature.SORT,))
