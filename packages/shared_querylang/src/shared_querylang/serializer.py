"""Canonical output: each query in the oldest form that can express it, in a fixed order.

Filters take the first form that fits:

1. an AND of leaves (each maybe negated) whose values are all ``str``, with no two
   leaves on the same (path, operator, negation) and no empty ``in``: ``filter{…}``
   leaves, ``in``/``range`` values as repeated parameters (:attr:`Dialect.LEAVES`);
2. a tree without quantifiers or dates: ``filter{}`` JSON (:attr:`Dialect.JSON`, or
   :attr:`Dialect.JSON_NOT` when a NOT covers a group); with ``where=True``, skipped;
3. anything else: ``where=`` (:attr:`Dialect.WHERE`).

Relation filters are ``filter{rel|…}`` leaves when form 1 fits, else ``where[rel]=``.

Parameter order: the filter, relation filters (by relation), ``include[]``,
``exclude[]``, ``fields``, ``omit``, ``expand`` (paths sorted), ``sort[]`` (in order),
``page``, ``per_page``, ``offset``, ``exclude_count``, ``sideloading``, ``debug``,
``exclude_links``, ``distinct``.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from .expression import format_expression
from .jsontree import format_tree
from .leaves import format_leaf_key
from .nodes import And, Leaf, Node, Not, Path, Quantified
from .query import Dialect, Query, SortKey

__all__ = ["query_dialect", "to_params", "to_querystring"]

_JSON_TYPES = (str, int, float, bool, type(None))
# Keys are fully encoded (braces, brackets); values keep the punctuation of where=
# expressions readable. '*' is encoded in both, '+' always is (it would decode to a space).
_KEY_SAFE = ""
_VALUE_SAFE = "(),':"

_LeafItem = tuple[Path, str, bool, tuple[str, ...]]


def _leaf_items(node: Node) -> list[_LeafItem] | None:
    """The leaves of ``node`` if ``filter{…}`` parameters can carry it exactly, else None."""
    items: list[_LeafItem] = []
    seen: set[tuple[Path, str, bool]] = set()
    for child in node.children if isinstance(node, And) else (node,):
        negated = isinstance(child, Not)
        target = child.child if isinstance(child, Not) else child
        # An empty `in` has no parameter to carry it; typed values would come back as text.
        if not isinstance(target, Leaf) or not target.values:
            return None
        if not all(type(value) is str for value in target.values):
            return None
        key = (target.path, target.op, negated)
        if key in seen:
            return None
        seen.add(key)
        items.append((target.path, target.op, negated, cast("tuple[str, ...]", target.values)))
    return items


def _json_dialect(node: Node) -> Dialect:
    """JSON or JSON_NOT if ``filter{}`` can carry ``node``, else WHERE."""
    if isinstance(node, Leaf):
        if all(type(value) in _JSON_TYPES for value in node.values):
            return Dialect.JSON
        return Dialect.WHERE
    if isinstance(node, Not):
        if isinstance(node.child, Leaf):
            return _json_dialect(node.child)
        return max(Dialect.JSON_NOT, _json_dialect(node.child))
    if isinstance(node, Quantified):
        return Dialect.WHERE
    return max(map(_json_dialect, node.children))


def _tree_dialect(node: Node) -> Dialect:
    return Dialect.LEAVES if _leaf_items(node) is not None else _json_dialect(node)


def query_dialect(query: Query) -> Dialect:
    """The oldest dialect that can express the filters of ``query``."""
    dialect = Dialect.LEAVES if query.filter is None else _tree_dialect(query.filter)
    for relation_filter in query.relation_filters:
        if _leaf_items(relation_filter.condition) is None:
            dialect = Dialect.WHERE
    return dialect


def _filter_params(node: Node, relation: Path | None, where: bool) -> list[tuple[str, str]]:
    items = _leaf_items(node)
    if items is not None:
        scope = "" if relation is None else ".".join(relation) + "|"
        params: list[tuple[str, str]] = []
        for path, op, negated, values in items:
            key = f"filter{{{'-' if negated else ''}{scope}{format_leaf_key(path, op, False)}}}"
            params.extend((key, value) for value in values)
        return params
    if relation is not None:
        return [(f"where[{'.'.join(relation)}]", format_expression(node))]
    if not where and _json_dialect(node) < Dialect.WHERE:
        return [("filter{}", format_tree(node))]
    return [("where", format_expression(node))]


def _sort_term(key: SortKey) -> str:
    term = ("-" if key.descending else "") + ".".join(key.path)
    return term if key.nulls is None else f"{term}:nulls_{key.nulls}"


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def to_params(query: Query, *, where: bool = False) -> list[tuple[str, str]]:
    """Canonical ``(name, value)`` pairs of ``query``, decoded, in the documented order.

    Args:
        query: the query to write.
        where: send filters that ``filter{…}`` leaves cannot carry as ``where=`` rather
            than ``filter{}`` JSON.
    """
    params: list[tuple[str, str]] = []
    if query.filter is not None:
        params += _filter_params(query.filter, None, where)
    for relation_filter in query.relation_filters:
        params += _filter_params(relation_filter.condition, relation_filter.relation, where)
    selection = query.selection
    params += [("include[]", ".".join(path)) for path in selection.include]
    params += [("exclude[]", ".".join(path)) for path in selection.exclude]
    for name, paths in (
        ("fields", selection.fields),
        ("omit", selection.omit),
        ("expand", selection.expand),
    ):
        if paths:
            params.append((name, ",".join(".".join(path) for path in paths)))
    params += [("sort[]", _sort_term(key)) for key in query.sort]
    page = query.page
    if page.number is not None:
        params.append(("page", str(page.number)))
    if page.size is not None:
        params.append(("per_page", str(page.size)))
    if page.offset is not None:
        params.append(("offset", str(page.offset)))
    if page.exclude_count:
        params.append(("exclude_count", "true"))
    if query.sideloading is not None:
        params.append(("sideloading", _boolean(query.sideloading)))
    if query.debug:
        params.append(("debug", "true"))
    if query.exclude_links:
        params.append(("exclude_links", "true"))
    if query.distinct:
        params.append(("distinct", "true"))
    return params


def to_querystring(query: Query, *, where: bool = False) -> str:
    """The canonical, percent-encoded query string of ``query`` (no leading ``?``).

    Args:
        query: the query to write.
        where: as for :func:`to_params`.
    """
    return "&".join(
        f"{quote(name, safe=_KEY_SAFE)}={quote(value, safe=_VALUE_SAFE)}"
        for name, value in to_params(query, where=where)
    )
