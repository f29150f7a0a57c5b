"""Translate a Django ``WhereNode`` into a ``shared_querylang`` filter tree.

A standalone visitor dispatching on node type (no methods attached to Django classes).
It mirrors ``WhereNode.as_sql``'s handling of empty and full branches, so an empty
``__in`` or a contradiction answers empty without any request.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col, Exists
from django.db.models.functions import Extract
from django.db.models.lookups import IsNull, Lookup, YearLookup
from django.db.models.sql.where import AND, OR, NothingNode, WhereNode

from shared_querylang import And, Leaf, Node, Not, Or, all_of, any_in, any_of, leaf, negate

from .relations import AliasInfo, AliasPaths
from .resources import api_name

__all__ = ["WhereTranslator", "format_value"]

#: Django lookup name -> grammar operator.
LOOKUP_OPERATORS: dict[str, str] = {
    "exact": "eq",
    "iexact": "iexact",
    "contains": "contains",
    "icontains": "icontains",
    "startswith": "startswith",
    "istartswith": "istartswith",
    "endswith": "endswith",
    "iendswith": "iendswith",
    "regex": "regex",
    "gt": "gt",
    "gte": "gte",
    "lt": "lt",
    "lte": "lte",
    "in": "in",
    "range": "range",
    "isnull": "isnull",
}

#: Date-part transforms the grammar has as operators (equality only).
TRANSFORM_OPERATORS = frozenset({"year", "month", "day", "week_day"})


def format_value(value: object) -> str:
    """The text form of a prepared value, as django-rest-models sends it (``str()``)."""
    return str(value)


class WhereTranslator:
    """Translate the WHERE tree of one query; refuse what the grammar cannot say."""

    def __init__(self, paths: AliasPaths, connection: BaseDatabaseWrapper) -> None:
        self.paths = paths
        self.connection = connection
        # id(leaf) -> (the leaf, kept alive so its id stays its own; where its to-many hop
        # starts), for leaves crossing a to-many relation.
        self._leaf_many: dict[int, tuple[Leaf, _ManyHop]] = {}
        self._last_many: _ManyHop | None = None
        self._subqueries = 0  # numbers each exclude() subquery: its own existential

    def translate(self, where: WhereNode) -> Node | None:
        """The filter tree, or ``None`` when it matches everything.

        Raises:
            EmptyResultSet: the filter matches nothing; no request is needed.
        """
        try:
            node = self._node(where)
        except FullResultSet:
            return None
        # Leaves ANDed side by side through one to-many relation are read by the server
        # as conditions on one related object. Django gives each filter() call its own
        # join and each exclude() condition its own subquery: when such leaves come from
        # different joins or subqueries, only any() quantifiers (where=) say so.
        self._refuse_nested_conditions_on_one_object(node)
        split = self._merged_apart(node)
        return self._quantify(node, split) if split else node

    def _refuse_nested_conditions_on_one_object(self, node: Node) -> None:
        """Refuse conditions on one related object that the server would read apart.

        Django joins a to-many relation once per ``filter()`` call: in
        ``filter(Q(pizzas__name="a") & (Q(pizzas__price=1) | Q(pizzas__price=2)))`` all
        three conditions hold on one pizza. The server (and ``any()``) gives each group
        of sibling leaves its own related object: under an OR that is the same thing,
        under an AND it is not.
        """
        chains: dict[str, list[tuple[Node, ...]]] = {}

        def walk(current: Node, ancestors: tuple[Node, ...]) -> None:
            if isinstance(current, Leaf):
                hop = self._hop(current)
                if hop is not None:
                    chains.setdefault(hop.alias, []).append(ancestors)
            elif isinstance(current, Not):
                walk(current.child, (*ancestors, current))
            elif isinstance(current, And | Or):
                for child in current.children:
                    walk(child, (*ancestors, current))

        walk(node, ())
        for alias_chains in chains.values():
            for first, second in itertools.combinations(alias_chains, 2):
                shared = 0
                while shared < min(len(first), len(second)) and first[shared] is second[shared]:
                    shared += 1
                siblings = len(first) == len(second) == shared
                if not siblings and isinstance(first[shared - 1], And):
                    raise NotSupportedError(
                        "QuerySet.filter() with conditions on one to-many relation nested in"
                        " different groups of an AND (they must hold on one related object)"
                        " is not supported by the API backend: put them side by side in one"
                        " filter() call, or in one Q object without OR."
                    )

    def _merged_apart(self, node: Node) -> set[tuple[str, ...]]:
        """To-many paths with sibling leaves of different joins or subqueries in one AND."""
        split: set[tuple[str, ...]] = set()
        if isinstance(node, Not):
            return self._merged_apart(node.child)
        if not isinstance(node, And | Or):
            return split
        sources: dict[tuple[str, ...], set[str]] = {}
        for child in node.children:
            hop = self._hop(child) if isinstance(child, Leaf) else None
            if hop is not None and isinstance(node, And):
                sources.setdefault(hop.path, set()).add(hop.alias)
            split |= self._merged_apart(child)
        return split | {path for path, aliases in sources.items() if len(aliases) > 1}

    def _hop(self, node: Node) -> _ManyHop | None:
        entry = self._leaf_many.get(id(node))
        return entry[1] if entry is not None and entry[0] is node else None

    def _quantify(self, node: Node, split: set[tuple[str, ...]]) -> Node:
        if isinstance(node, Leaf):
            hop = self._hop(node)
            return _any(hop, [node]) if hop is not None and hop.path in split else node
        if isinstance(node, Not):
            return negate(self._quantify(node.child, split))
        if isinstance(node, Or):
            return any_of(*(self._quantify(child, split) for child in node.children))
        if not isinstance(node, And):
            return node
        groups: dict[str, tuple[_ManyHop, list[Leaf]]] = {}
        others: list[Node] = []
        for child in node.children:
            hop = self._hop(child) if isinstance(child, Leaf) else None
            if isinstance(child, Leaf) and hop is not None and hop.path in split:
                groups.setdefault(hop.alias, (hop, []))[1].append(child)
            else:
                others.append(self._quantify(child, split))
        return all_of(*others, *(_any(hop, leaves) for hop, leaves in groups.values()))

    def _node(self, node: object) -> Node:
        if isinstance(node, WhereNode):
            return self._group(node)
        if isinstance(node, NothingNode):
            raise EmptyResultSet
        if isinstance(node, Lookup) and isinstance(node.lhs, Exists):
            return self._exists(node)
        if isinstance(node, Lookup):
            return self._lookup(node)
        raise NotSupportedError(
            f"QuerySet.filter() with {type(node).__name__} conditions is not supported by"
            " the API backend (subqueries, Exists(), raw SQL)."
        )

    def _group(self, where: WhereNode) -> Node:
        if where.connector not in (AND, OR):
            raise NotSupportedError("QuerySet.filter() with an XOR of Q objects is not supported.")
        children: list[object] = list(where.children)
        if where.negated and where.connector == AND:
            children = _drop_null_guards(children)
        full_needed, empty_needed = (
            (len(children), 1) if where.connector == AND else (1, len(children))
        )
        results: list[Node] = []
        for child in children:
            try:
                results.append(self._node(child))
            except EmptyResultSet:
                empty_needed -= 1
            except FullResultSet:
                full_needed -= 1
            if empty_needed == 0:
                raise FullResultSet if where.negated else EmptyResultSet
            if full_needed == 0:
                raise EmptyResultSet if where.negated else FullResultSet
        if not results:
            raise EmptyResultSet if where.negated else FullResultSet
        if where.connector == AND and self._contradicts(results):
            raise FullResultSet if where.negated else EmptyResultSet
        combined = all_of(*results) if where.connector == AND else any_of(*results)
        return negate(combined) if where.negated else combined

    def _exists(self, lookup: Lookup[Any]) -> Node:
        """``exclude()`` across a to-many relation: Django's ``NOT EXISTS(inner query)``.

        The inner query is correlated to an outer alias by one lookup; its other
        conditions, placed below that alias, are the plain leaves the server turns back
        into the same ``exclude()`` (``filter{-pizzas.name}``).
        """
        inner = lookup.lhs.query
        bases: dict[str, AliasInfo] = {}
        conditions = []
        for child in inner.where.children:
            rhs = getattr(child, "rhs", None)
            lhs = getattr(child, "lhs", None)
            if isinstance(rhs, Col) and rhs.alias not in inner.alias_map and isinstance(lhs, Col):
                bases[lhs.alias] = self.paths.correlated(rhs.alias, rhs.target, lhs.target)
                restarts, outer = lhs.target.primary_key, rhs.alias
            else:
                conditions.append(child)
        if len(bases) != 1 or lookup.rhs is not True:
            raise NotSupportedError(
                "QuerySet.filter() with Exists() or subqueries is not supported by the API backend."
            )
        if self.paths.info(outer).first_many is not None:
            # ~Q(pizzas__x) next to pizzas__y in one filter() call: Django ties the negation
            # to the joined related object, which filter{-pizzas.x} would read as any object.
            raise NotSupportedError(
                "QuerySet.filter() with a negated condition on the same related object as"
                " another condition of the call is not supported by the API backend."
            )
        # The subquery is its own existential: its leaves start their to-many hop at the
        # inner base alias, renamed so that no other subquery shares it. An inner query
        # restarting at the outer row itself (exclude(pizzas=None)) has its hop below it.
        ((alias, base),) = bases.items()
        if base.first_many is None and not restarts:
            bases[alias] = replace(base, first_many=alias)
        translator = WhereTranslator(AliasPaths(inner, bases), self.connection)
        try:
            node = translator._node(WhereNode(conditions, AND))
        except FullResultSet:
            raise NotSupportedError(
                "QuerySet.exclude() of every related object is not supported by the API backend."
            ) from None
        self._subqueries += 1
        for inner_leaf, hop in translator._leaf_many.values():
            renamed = replace(hop, alias=f"{self._subqueries}/{hop.alias}")
            self._leaf_many[id(inner_leaf)] = (inner_leaf, renamed)
        return node

    def _column(self, expression: object, lookup: Lookup[Any]) -> tuple[str, ...]:
        if not isinstance(expression, Col):
            raise NotSupportedError(
                f"QuerySet.filter() on {expression!r} (lookup {lookup.lookup_name!r}) is not"
                " supported: only model fields and the transforms"
                f" {sorted(TRANSFORM_OPERATORS)} can be filtered."
            )
        path = self.paths.column_path(expression)
        info = self.paths.info(expression.alias)
        self._last_many = None
        if info.first_many is not None:
            start = self.paths.info(info.first_many)
            many_path = start.path + ((start.through_name,) if start.through_name else ())
            target = expression.target
            far = target.related_model if info.through_name and target.related_model else None
            pk = api_name(far._meta.pk) if far is not None else "id"
            self._last_many = _ManyHop(info.first_many, many_path, pk)
        return path

    def _contradicts(self, nodes: list[Node]) -> bool:
        """Whether two equalities of one AND group demand different values of one column.

        Leaves across a to-many relation only conflict on the same join (one filter()).
        """
        wanted: dict[tuple[object, ...], object] = {}
        for node in nodes:
            if isinstance(node, Leaf) and node.op == "eq":
                hop = self._hop(node)
                key = (node.path, hop.alias if hop else None)
                if wanted.setdefault(key, node.value) != node.value:
                    return True
        return False

    def _leaf(self, path: tuple[str, ...], op: str, *values: str) -> Leaf:
        node = leaf(path, op, *values)
        if self._last_many is not None:
            self._leaf_many[id(node)] = (node, self._last_many)
        return node

    def _lookup(self, lookup: Lookup[Any]) -> Node:
        rhs = lookup.rhs
        if hasattr(rhs, "resolve_expression"):
            raise NotSupportedError(
                "QuerySet.filter() comparing with F() expressions, OuterRef() or subqueries"
                f" ({lookup.lookup_name!r} on {rhs!r}) is not supported by the API backend."
            )
        lhs = lookup.lhs
        if isinstance(lookup, YearLookup) and lookup.lookup_name != "exact":
            # year__gte=2020 and friends become bounds on the field itself, as Django's SQL does.
            path = self._column(lhs.lhs, lookup)
            start, finish = lookup.year_lookup_bounds(self.connection, rhs)
            (bound,) = lookup.get_bound_params(start, finish)
            return self._leaf(path, LOOKUP_OPERATORS[str(lookup.lookup_name)], format_value(bound))
        if isinstance(lhs, Extract):
            if lhs.lookup_name not in TRANSFORM_OPERATORS or lookup.lookup_name != "exact":
                raise NotSupportedError(
                    f"QuerySet.filter() with __{lhs.lookup_name}__{lookup.lookup_name} is not"
                    f" supported: the API accepts exact {sorted(TRANSFORM_OPERATORS)} and"
                    " year comparisons."
                )
            return self._leaf(self._column(lhs.lhs, lookup), lhs.lookup_name, format_value(rhs))
        op = LOOKUP_OPERATORS.get(str(lookup.lookup_name))
        if op is None:
            raise NotSupportedError(
                f"QuerySet.filter() with the lookup {lookup.lookup_name!r} is not supported:"
                f" the API accepts {sorted(LOOKUP_OPERATORS)}."
            )
        path = self._column(lhs, lookup)
        if op == "in":
            values = _unique(v for v in rhs if v is not None)
            if not values:
                raise EmptyResultSet
            return self._leaf(path, op, *values)
        if op == "range":
            return self._leaf(path, op, *(format_value(v) for v in rhs))
        return self._leaf(path, op, format_value(rhs))


@dataclass(frozen=True, slots=True)
class _ManyHop:
    """Where a leaf crosses a to-many relation: the join alias, the path and its pk name."""

    alias: str
    path: tuple[str, ...]
    pk: str


def _any(hop: _ManyHop, leaves: list[Leaf]) -> Node:
    """``any(relation, ...)`` over ``leaves``, their paths made relative to the relation."""
    if any(node.op == "isnull" and str(node.values[0]) == "True" for node in leaves):
        # Django's LEFT JOIN also matches rows without any related object; any() cannot.
        raise NotSupportedError(
            "QuerySet.filter() with __isnull=True across a to-many relation, combined with"
            " other conditions on it, is not supported by the API backend."
        )
    relative = [
        leaf(node.path[len(hop.path) :] or (hop.pk,), node.op, *node.values) for node in leaves
    ]
    return any_in(hop.path, all_of(*relative))


def _unique(values: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(format_value(value), None)
    return list(seen)


def _drop_null_guards(children: list[object]) -> list[object]:
    """Drop the ``IS NOT NULL`` guard Django adds under ``exclude()`` on nullable columns.

    The server builds its own ``exclude()`` and adds the same guard, so sending it would
    only turn a negated leaf into a negated group, which plain dynamic-rest cannot express.
    """
    guarded = {
        _lhs_col(child)
        for child in children
        if isinstance(child, Lookup) and not isinstance(child, IsNull)
    }
    return [
        child
        for child in children
        if not (isinstance(child, IsNull) and child.rhs is False and _lhs_col(child) in guarded)
    ]


def _lhs_col(lookup: Lookup[Any]) -> object:
    lhs = lookup.lhs
    while not isinstance(lhs, Col) and hasattr(lhs, "lhs"):
        lhs = lhs.lhs
    return (lhs.alias, lhs.target) if isinstance(lhs, Col) else None
