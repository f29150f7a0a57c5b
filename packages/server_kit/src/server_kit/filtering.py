"""Filter trees from ``shared_querylang`` → Django ``Q`` objects, and the filter backend."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.db import models
from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from shared_querylang import And, Leaf, Node, Not, Or, Path, Quantified, RelationFilter, Value

from ._types import SerializerClass, ViewHost
from .exceptions import InvalidValue, LimitExceeded, RestbridgeError, UnknownField
from .fieldpaths import FieldPath, PathSegment, is_truthy, resolve_path
from .fields import DynamicRelationField
from .related_rows import RowFilter, linked_to, visible_rows
from .settings import api_settings

if TYPE_CHECKING:
    from rest_framework.views import APIView

__all__ = [
    "DynamicFilterBackend",
    "FilterCompiler",
    "FilterHost",
    "compile_relation_filters",
    "count_nodes",
]


class FilterHost(ViewHost, Protocol):
    """The view :class:`DynamicFilterBackend` filters for."""

    def filters_enabled(self) -> bool: ...


_TEXT_OPS = frozenset(
    {"contains", "icontains", "iexact", "startswith", "istartswith", "endswith", "iendswith"}
)
_COMPARE_OPS = frozenset({"gt", "gte", "lt", "lte"})
#: The values each date part takes (Django's week_day: 1 is Sunday); a number outside can
#: match no date, and would reach the database as one it cannot hold (year 10**40).
_DATE_PARTS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31), "week_day": (1, 7)}


def count_nodes(node: Node) -> int:
    """Leaves plus AND/OR/NOT/quantifier nodes in ``node``."""
    if isinstance(node, And | Or):
        return 1 + sum(count_nodes(child) for child in node.children)
    if isinstance(node, Not):
        return 1 + count_nodes(node.child)
    if isinstance(node, Quantified):
        return 1 + count_nodes(node.condition)
    return 1


@dataclass(frozen=True, slots=True)
class _Step:
    """A leaf whose path is resolved, seen from hop ``start`` onwards."""

    path: FieldPath
    start: int
    leaf: Leaf

    @property
    def hop(self) -> PathSegment:
        return self.path.hops[self.start]

    @property
    def last(self) -> bool:
        return self.start == len(self.path.hops) - 1

    def next(self) -> _Step:
        return _Step(self.path, self.start + 1, self.leaf)


def _null_positive(leaf: Leaf) -> bool:
    """Whether ``leaf`` holds for a missing related row (its columns read as NULL)."""
    if leaf.op == "isnull":
        return is_truthy(leaf.value)
    if leaf.op == "eq":
        return leaf.value is None
    return leaf.op == "in" and None in leaf.values


class FilterCompiler:
    """Compiles filter nodes on one root serializer into ``Q`` objects.

    A leaf crossing a relation compiles to a subquery (``IN`` or ``EXISTS``) over the related
    rows the request may see (the related serializer's row hook applies at every hop), so
    hidden rows are no oracle and rows never repeat. Leaves ANDed at one level through the
    same relation share one subquery: they must hold on the same related row, as
    dynamic-rest's joins do.

    Args:
        serializer_class: the serializer whose field names the paths use.
        context: serializer context (the row hooks of related serializers see it).
    """

    def __init__(self, serializer_class: SerializerClass, context: Mapping[str, Any]) -> None:
        self.serializer_class = serializer_class
        self.context = context

    def check_size(self, node: Node) -> None:
        """Refuse trees larger than ``MAX_EXPRESSION_NODES``."""
        size, limit = count_nodes(node), api_settings.MAX_EXPRESSION_NODES
        if size > limit:
            raise LimitExceeded(
                f"The filter has {size} nodes; the limit MAX_EXPRESSION_NODES is {limit}.",
                limit="MAX_EXPRESSION_NODES",
                value=size,
            )

    def compile(self, node: Node, on: SerializerClass | None = None, extra: Q | None = None) -> Q:
        """The ``Q`` for ``node``, with paths relative to ``on`` (default: the root).

        ``extra`` (the view's ``get_extra_filters``) is ANDed in; its conditions through a
        to-many relation the node's leaves cross too hold on the same related row
        (dynamic-rest applies both in one ``filter()``: one join).
        """
        serializer_class = on or self.serializer_class
        if isinstance(node, Leaf | And):
            children = node.children if isinstance(node, And) else (node,)
            leaves = [child for child in children if isinstance(child, Leaf)]
            steps = [self._step(leaf, serializer_class) for leaf in leaves]
            folded, rest = _fold(extra, steps)
            q = self._conjunction(steps, folded) & rest
            for child in children:
                if not isinstance(child, Leaf):
                    q &= self.compile(child, serializer_class)
            return q
        if extra is not None:
            return self.compile(node, on) & extra
        if isinstance(node, Or):
            q = Q()
            for child in node.children:
                q |= self.compile(child, serializer_class)
            return q
        if isinstance(node, Not):
            return ~self.compile(node.child, serializer_class)
        return self._quantified(node, serializer_class)

    def _step(self, leaf: Leaf, serializer_class: SerializerClass) -> _Step:
        return _Step(resolve_path(serializer_class, leaf.path, purpose="filter"), 0, leaf)

    def _conjunction(self, steps: list[_Step], folded: Mapping[str, Q] | None = None) -> Q:
        """AND of ``steps``; those crossing the same relation share one related row.

        ``folded``: more conditions on the related row, by the relation's field name.
        """
        q = Q()
        through: dict[str, list[_Step]] = {}
        for step in steps:
            if step.hop.relation is None:
                q &= self._condition(step.hop.lookup, step)
            else:
                through.setdefault(step.hop.name, []).append(step)
        for name, group in through.items():
            inner = self._conjunction([step.next() for step in group if not step.last])
            if folded and name in folded:
                inner &= folded[name]
            for step in group:
                if step.last:  # the path ends on the relation: compare what it renders
                    inner &= self._condition(step.hop.key, step)
            nullable = all(_null_positive(step.leaf) for step in group)
            q &= self._cross(group[0].hop, inner, or_missing=nullable)
        return q

    def _cross(self, hop: PathSegment, condition: Q, *, or_missing: bool = False) -> Q:
        """Some visible related row through ``hop`` meets ``condition``.

        With ``or_missing``, also true when there is no visible related row (Django's
        outer-join reading of ``isnull=True`` through a relation).
        """
        assert hop.relation is not None
        rows = visible_rows(hop.field, hop.relation, self.context)
        q = linked_to(hop.relation, rows.filter(condition), hop.name)
        return q | ~linked_to(hop.relation, rows, hop.name) if or_missing else q

    def _condition(self, lookup: str, step: _Step) -> Q:
        """The leaf's comparison on ``lookup`` of the model at the end of its path."""
        node, path = step.leaf, step.path
        op, values = node.op, node.values
        if any(isinstance(value, str) and "\x00" in value for value in values):
            # PostgreSQL cannot take one (psycopg raises ValueError: a 500), and DRF's CharField
            # refuses them on writes, so no stored text holds one.
            raise InvalidValue(
                f"{path.dotted!r}: null characters (U+0000) are not allowed.", field=path.dotted
            )
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
            return Q(**{f"{lookup}__isnull": is_truthy(node.value)})
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
        return self._date_part(lookup, path, op, node.value)

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

    def _date_part(self, lookup: str, path: FieldPath, op: str, value: Value) -> Q:
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
        low, high = _DATE_PARTS[op]
        if not low <= number <= high:
            raise InvalidValue(
                f"{path.dotted!r}: {op} {number} is outside {low}..{high}.",
                field=path.dotted,
            )
        return Q(**{f"{lookup}__{op}": number})

    def _quantified(self, node: Quantified, serializer_class: SerializerClass) -> Q:
        path = resolve_path(serializer_class, node.relation, purpose="filter")
        last = path.hops[-1]
        if last.relation is None or not isinstance(last.field, DynamicRelationField):
            raise UnknownField(
                f"{node.quantifier}({path.dotted}, ...): {path.dotted!r} is not a relation.",
                field=path.dotted,
            )
        condition = self.compile(node.condition, last.field.serializer_class)
        # any(a.b, c) = any(a, any(b, c)); all(a.b, c) = no a with some b failing c.
        q = condition if node.quantifier == "any" else ~condition
        for hop in reversed(path.hops):
            q = self._cross(hop, q)
        return q if node.quantifier == "any" else ~q

    def apply(
        self, queryset: models.QuerySet[Any], node: Node, extra: Q | None = None
    ) -> models.QuerySet[Any]:
        """``queryset`` narrowed by ``node`` (and ``extra``), each row at most once."""
        self.check_size(node)
        return queryset.filter(self.compile(node, extra=extra))


def _fold(extra: Q | None, steps: list[_Step]) -> tuple[dict[str, Q], Q]:
    """Split ``extra`` for the steps' to-many relations (one related row each).

    Returns ``extra``'s ANDed ``relation__lookup`` conditions through a to-many relation some
    step crosses, by that relation's field name and relative to the related row, and the
    rest of ``extra``.
    """
    if extra is None:
        return {}, Q()
    if extra.negated or extra.connector != Q.AND:
        return {}, extra
    crossed = {
        step.hop.relation.query_name: step.hop.name
        for step in steps
        if step.hop.relation is not None and step.hop.relation.to_many
    }
    folded: dict[str, Q] = {}
    rest = Q()
    for child in extra.children:
        condition: Any = child  # a (lookup, value) pair or a nested Q
        if isinstance(condition, tuple):
            head, _, tail = str(condition[0]).partition("__")
            if tail and head in crossed:
                name = crossed[head]
                folded[name] = folded.get(name, Q()) & Q((tail, condition[1]))
                continue
            condition = Q(condition)
        rest &= condition
    return folded, rest


def compile_relation_filters(
    serializer_class: SerializerClass,
    context: Mapping[str, Any],
    relation_filters: Iterable[RelationFilter],
) -> dict[Path, RowFilter]:
    """``filter{rel|…}`` conditions compiled on the related serializers, by path.

    They narrow loaded relations, not the root rows: the loader applies them.
    """
    compiled: dict[Path, RowFilter] = {}
    for relation_filter in relation_filters:
        path = resolve_path(serializer_class, relation_filter.relation, purpose="filter")
        last = path.hops[-1]
        if last.relation is None or not isinstance(last.field, DynamicRelationField):
            raise UnknownField(
                f"filter{{{path.dotted}|…}}: {path.dotted!r} is not a relation.",
                field=path.dotted,
            )
        compiler = FilterCompiler(last.field.serializer_class, context)
        compiler.compile(relation_filter.condition)  # resolve names now: errors before SQL
        compiled[relation_filter.relation] = partial(compiler.apply, node=relation_filter.condition)
    return compiled


def filter_parameter(params: Mapping[str, Any], error: RestbridgeError) -> str:
    """The query parameter a filter error comes from: its ``filter{…}`` key, or ``where``."""
    field = str(error.where.get("field", ""))
    for key in params:
        if key.startswith("filter{"):
            inner = key[len("filter{") :].lstrip("-")
            if field and (inner == field or inner.startswith((f"{field}.", f"{field}}}"))):
                return key
    return "where" if "where" in params else "filter{}"


class DynamicFilterBackend(BaseFilterBackend):
    """Applies the request's filters: ``filter{…}``, ``filter{}`` JSON and ``where=``.

    The host view provides ``get_query()``, ``filters_enabled()``,
    ``get_serializer_class()`` and ``get_serializer_context()`` (see
    :class:`~server_kit.viewsets.WithDynamicViewSetMixin`, which also applies the row
    hook and ``get_extra_filters`` before, and loads the rows after).
    """

    def filter_queryset(
        self, request: Request, queryset: models.QuerySet[Any], view: APIView
    ) -> models.QuerySet[Any]:
        host = cast(FilterHost, view)
        node = host.get_query().filter
        if node is None or not host.filters_enabled():
            return queryset
        compiler = FilterCompiler(host.get_serializer_class(), host.get_serializer_context())
        extra = host.deferred_extra_filters() if hasattr(host, "deferred_extra_filters") else None
        try:
            return compiler.apply(queryset, node, extra)
        except RestbridgeError as error:
            raise error.located(filter_parameter(request.query_params, error)) from None
