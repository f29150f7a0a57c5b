"""``sort[]`` / ``sort=`` → ``order_by``, with a primary-key tie-breaker and no duplicated rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, OrderBy, OuterRef, Subquery
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from shared_querylang import SortKey, parse_path

from .exceptions import UnknownField
from .fieldpaths import FieldPath, resolve_path

if TYPE_CHECKING:
    from rest_framework.views import APIView

    from .serializers import DynamicModelSerializer

__all__ = ["DynamicSortingFilter", "order_queryset"]


def _to_many_key(path: FieldPath, alias: str) -> tuple[str, Subquery]:
    """Sort through a to-many relation by its first related value (no joined duplicates)."""
    index = next(i for i, hop in enumerate(path.hops) if hop.relation and hop.relation.to_many)
    through = path.hops[: index + 1]
    reverse = [hop.relation.reverse_query_name if hop.relation else None for hop in through]
    if any(name is None for name in reverse):
        raise UnknownField(
            f"Invalid sort field {path.dotted!r}: the relation has no reverse lookup.",
            field=path.dotted,
        )
    relation = through[-1].relation
    assert relation is not None
    rest = "__".join(hop.lookup for hop in path.hops[index + 1 :]) or "pk"
    link = "__".join(name for name in reversed(reverse) if name)
    related = relation.related_model._default_manager.filter(**{link: OuterRef("pk")})
    return alias, Subquery(related.order_by(rest).values(rest)[:1])


def _order_term(expression: F, key: SortKey) -> OrderBy:
    nulls = {"nulls_first": True} if key.nulls == "first" else {}
    if key.nulls == "last":
        nulls = {"nulls_last": True}
    return expression.desc(**nulls) if key.descending else expression.asc(**nulls)


def order_queryset(
    queryset: models.QuerySet[Any],
    serializer_class: type[DynamicModelSerializer],
    keys: Sequence[SortKey],
    *,
    allowed: Iterable[str] | None = None,
) -> models.QuerySet[Any]:
    """``queryset`` ordered by ``keys`` (serializer paths), then by primary key.

    Args:
        queryset: the rows to order.
        serializer_class: the serializer whose names the keys use.
        keys: sort keys; an empty sequence keeps the queryset's ordering.
        allowed: the view's ``ordering_fields`` (dotted names), or ``None`` for any
            exposed stored field.

    Raises:
        UnknownField: a key the serializer does not expose, a computed field, or one
            outside ``allowed``.
    """
    allowed_set = None if allowed is None else set(allowed)
    terms: list[OrderBy | str] = []
    annotations: dict[str, Subquery] = {}
    for position, key in enumerate(keys):
        path = resolve_path(serializer_class, key.path, purpose="sort")
        if allowed_set is not None and path.dotted not in allowed_set:
            raise UnknownField(
                f"Invalid sort field {path.dotted!r}: sorting is allowed on "
                f"{', '.join(sorted(allowed_set)) or 'no field'}.",
                parameter="sort[]",
                field=path.dotted,
            )
        if path.crosses_to_many:
            alias, subquery = _to_many_key(path, f"_restbridge_sort_{position}")
            annotations[alias] = subquery
            terms.append(_order_term(F(alias), key))
        else:
            terms.append(_order_term(F(path.lookup), key))
    if annotations:
        queryset = queryset.annotate(**annotations)
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
        query = view.get_query()  # type: ignore[attr-defined]
        serializer_class = view.get_serializer_class()  # type: ignore[attr-defined]
        keys = list(query.sort)
        if not keys:
            default = getattr(view, "ordering", None) or ()
            if isinstance(default, str):
                default = (default,)
            keys = [
                SortKey(parse_path(term.lstrip("-")), descending=term.startswith("-"))
                for term in default
            ]
        fields = getattr(view, "ordering_fields", None)
        allowed = None if fields in (None, "__all__") else list(fields)
        return order_queryset(queryset, serializer_class, keys, allowed=allowed)
