"""Filter trees from ``shared_querylang`` → Django ``Q`` objects, and the filter backend."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from shared_querylang import And, Leaf, Node, Not, Or, Path, Quantified, RelationFilter, Value

from .exceptions import InvalidValue, LimitExceeded, UnknownField
from .fieldpaths import FieldPath, resolve_path
from .settings import api_settings

if TYPE_CHECKING:
    from rest_framework.views import APIView

    from .serializers import DynamicModelSerializer

__all__ = ["DynamicFilterBackend", "FilterCompiler", "RowFilter", "count_nodes"]

#: Narrows a related queryset (a compiled ``filter{rel|…}``).
RowFilter = Callable[[models.QuerySet[Any]], models.QuerySet[Any]]

_TEXT_OPS = frozenset(
    {"contains", "icontains", "iexact", "startswith", "istartswith", "endswith", "iendswith"}
)
_COMPARE_OPS = frozenset({"gt", "gte", "lt", "lte"})
_DATE_PART_OPS = frozenset({"year", "month", "day", "week_day"})
_FALSE_WORDS = frozenset({"", "0", "false"})


def count_nodes(node: Node) -> int:
    """Leaves plus AND/OR/NOT/quantifier nodes in ``node``."""
    if isinstance(node, And | Or):
        return 1 + sum(count_nodes(child) for child in node.children)
    if isinstance(node, Not):
        return 1 + count_nodes(node.child)
    if isinstance(node, Quantified):
        return 1 + count_nodes(node.condition)
    return 1


def _truthy(value: Value) -> bool:
    # dynamic-rest's rule for booleans and isnull: 0, false (any case) and '' are False.
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_WORDS
    return bool(value)


class FilterCompiler:
    """Compiles filter nodes on one root serializer into ``Q`` objects.

    Args:
        serializer_class: the serializer whose field names the paths use.
        context: serializer context (the row hooks of quantified relations see it).
    """

    def __init__(
        self, serializer_class: type[DynamicModelSerializer], context: Mapping[str, Any]
    ) -> None:
        self.serializer_class = serializer_class
        self.context = context
        #: Whether a compiled leaf joined through a to-many relation (rows may repeat).
        self.joins_to_many = False

    def check_size(self, node: Node) -> None:
        """Refuse trees larger than ``MAX_EXPRESSION_NODES``."""
        size, limit = count_nodes(node), api_settings.MAX_EXPRESSION_NODES
        if size > limit:
            raise LimitExceeded(
                f"The filter has {size} nodes; the limit MAX_EXPRESSION_NODES is {limit}.",
                limit="MAX_EXPRESSION_NODES",
                value=size,
            )

    def compile(self, node: Node, on: type[DynamicModelSerializer] | None = None) -> Q:
        """The ``Q`` for ``node``, with paths relative to ``on`` (default: the root)."""
        serializer_class = on or self.serializer_class
        if isinstance(node, Leaf):
            return self._leaf(node, serializer_class)
        if isinstance(node, And):
            q = Q()
            for child in node.children:
                q &= self.compile(child, serializer_class)
            return q
        if isinstance(node, Or):
            q = Q()
            for child in node.children:
                q |= self.compile(child, serializer_class)
            return q
        if isinstance(node, Not):
            return ~self.compile(node.child, serializer_class)
        return self._quantified(node, serializer_class)

    def _leaf(self, node: Leaf, serializer_class: type[DynamicModelSerializer]) -> Q:
        path = resolve_path(serializer_class, node.path, purpose="filter")
        self.joins_to_many |= path.crosses_to_many
        lookup, op, values = path.lookup, node.op, node.values
        if op == "eq":
            if node.value is None:
                return Q(**{f"{lookup}__isnull": True})
            return Q(**{lookup: path.coerce(node.value)})
        if op == "in":
            limit = api_settings.MAX_IN_VALUES
            if len(values) > limit:
                raise LimitExceeded(
                    f"{path.dotted!r}: 'in' has {len(values)} values; "
                    f"the limit MAX_IN_VALUES is {limit}.",
                    limit="MAX_IN_VALUES",
                    value=len(values),
                    field=path.dotted,
                )
            q = Q(**{f"{lookup}__in": [path.coerce(v) for v in values if v is not None]})
            return q | Q(**{f"{lookup}__isnull": True}) if None in values else q
        if op == "isnull":
            return Q(**{f"{lookup}__isnull": _truthy(node.value)})
        if op == "range":
            low, high = (self._not_null(path, v) for v in values)
            return Q(**{f"{lookup}__range": (low, high)})
        if op in _COMPARE_OPS:
            return Q(**{f"{lookup}__{op}": self._not_null(path, node.value)})
        if op in _TEXT_OPS:
            return Q(**{f"{lookup}__{op}": self._text(path, node.value)})
        if op == "regex":
            pattern = self._text(path, node.value)
            try:
                re.compile(pattern)
            except re.error as error:
                raise InvalidValue(
                    f"{path.dotted!r}: {pattern!r} is not a valid regular expression ({error}).",
                    field=path.dotted,
                ) from None
            return Q(**{f"{lookup}__regex": pattern})
        return self._date_part(path, op, node.value)

    def _not_null(self, path: FieldPath, value: Value) -> Any:
        if value is None:
            raise InvalidValue(
                f"{path.dotted!r}: null cannot be compared; use isnull.", field=path.dotted
            )
        return path.coerce(value)

    def _text(self, path: FieldPath, value: Value) -> str:
        if value is None or isinstance(value, bool):
            raise InvalidValue(f"{path.dotted!r}: expected text, got {value!r}.", field=path.dotted)
        return str(value)

    def _date_part(self, path: FieldPath, op: str, value: Value) -> Q:
        if not path.is_temporal:
            raise InvalidValue(
                f"{path.dotted!r}: {op!r} needs a date or datetime field.", field=path.dotted
            )
        try:
            number = int(str(value))
        except ValueError:
            raise InvalidValue(
                f"{path.dotted!r}: {op!r} expects a whole number, got {value!r}.",
                field=path.dotted,
            ) from None
        return Q(**{f"{path.lookup}__{op}": number})

    def _quantified(self, node: Quantified, serializer_class: type[DynamicModelSerializer]) -> Q:
        path = resolve_path(serializer_class, node.relation, purpose="filter")
        last = path.hops[-1]
        if last.relation is None or last.field is None:
            raise UnknownField(
                f"{node.quantifier}({path.dotted}, ...): {path.dotted!r} is not a relation.",
                field=path.dotted,
            )
        reverse = [hop.relation.reverse_query_name if hop.relation else None for hop in path.hops]
        if any(name is None for name in reverse):
            raise UnknownField(
                f"{node.quantifier}({path.dotted}, ...): the relation has no reverse lookup.",
                field=path.dotted,
            )
        target = last.field.serializer_class  # type: ignore[attr-defined]
        condition = self.compile(node.condition, target)
        related = target.filter_rows(target.Meta.model._default_manager.all(), self.context)
        link = "__".join(name for name in reversed(reverse) if name)
        if node.quantifier == "any":
            return Q(Exists(related.filter(condition, **{link: OuterRef("pk")})))
        # all(rel, c): no related row fails c.
        return ~Q(Exists(related.filter(~condition, **{link: OuterRef("pk")})))

    def filter_queryset(self, queryset: models.QuerySet[Any], node: Node) -> models.QuerySet[Any]:
        """``queryset`` narrowed by ``node``, each row at most once."""
        self.check_size(node)
        q = self.compile(node)
        if not self.joins_to_many:
            return queryset.filter(q)
        # Joins through to-many relations repeat rows; a pk subquery keeps Django's
        # "same related row" semantics for the whole tree without DISTINCT.
        matching = queryset.model._default_manager.filter(q).values("pk")
        return queryset.filter(pk__in=matching)


class DynamicFilterBackend(BaseFilterBackend):
    """Applies ``filter{…}``, ``filter{}`` JSON and ``where=``, the row hook and prefetches.

    The host view provides ``get_query()``, ``get_plan()`` and ``get_serializer_class()``
    (see :class:`~server_kit.viewsets.WithDynamicViewSetMixin`).
    """

    def filter_queryset(
        self, request: Request, queryset: models.QuerySet[Any], view: APIView
    ) -> models.QuerySet[Any]:
        from .prefetching import Prefetcher

        query = view.get_query()  # type: ignore[attr-defined]
        serializer_class = view.get_serializer_class()  # type: ignore[attr-defined]
        context = view.get_serializer_context()  # type: ignore[attr-defined]
        queryset = serializer_class.filter_rows(queryset, context)
        if query.filter is not None and view.filters_enabled():  # type: ignore[attr-defined]
            compiler = FilterCompiler(serializer_class, context)
            queryset = compiler.filter_queryset(queryset, query.filter)
        if request.method not in ("GET", "HEAD"):
            return queryset  # writes load whole rows: no only(), no read plan
        relation_filters = self.relation_filters(serializer_class, context, query.relation_filters)
        plan = view.get_plan()  # type: ignore[attr-defined]
        return Prefetcher(context, relation_filters).apply(queryset, plan)

    def relation_filters(
        self,
        serializer_class: type[DynamicModelSerializer],
        context: Mapping[str, Any],
        relation_filters: Iterable[RelationFilter],
    ) -> dict[Path, RowFilter]:
        """``filter{rel|…}`` conditions compiled on the related serializers, by path."""
        compiled: dict[Path, RowFilter] = {}
        for relation_filter in relation_filters:
            path = resolve_path(serializer_class, relation_filter.relation, purpose="filter")
            last = path.hops[-1]
            if last.relation is None or last.field is None:
                raise UnknownField(
                    f"filter{{{path.dotted}|…}}: {path.dotted!r} is not a relation.",
                    field=path.dotted,
                )
            target = last.field.serializer_class  # type: ignore[attr-defined]
            compiler = FilterCompiler(target, context)
            compiler.compile(relation_filter.condition)  # resolve names now: errors before SQL
            compiled[relation_filter.relation] = partial(
                compiler.filter_queryset, node=relation_filter.condition
            )
        return compiled
