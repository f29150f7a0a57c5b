"""Canonical output of filters: each in the oldest form that can express it.

A filter takes the first form that fits:

1. an AND of leaves (each maybe negated) whose values are all ``str``, with no two
   leaves on the same (path, operator, negation) and no empty ``in``: ``filter{…}``
   leaves, ``in``/``range`` values as repeated parameters (:attr:`Dialect.LEAVES`);
2. a tree without quantifiers or dates: ``filter{}`` JSON (:attr:`Dialect.JSON`, or
   :attr:`Dialect.JSON_NOT` when a NOT covers a group); with ``where=True``, skipped;
3. anything else: ``where=`` (:attr:`Dialect.WHERE`).

Relation filters are ``filter{rel|…}`` leaves when form 1 fits, else ``where[rel]=``.
:meth:`Query.to_params` puts these parameters first, then the rest of the query.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from .expression import format_expression
from .features import Dialect
from .jsontree import format_tree
from .leaves import format_leaf_key
from .nodes import Leaf, Node, Not, Path, Quantified, conjuncts

__all__ = ["encode_params", "filter_dialect", "filter_params"]

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
    for child in conjuncts(node):
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


def filter_dialect(node: Node, *, relation: bool = False) -> Dialect:
    """The oldest dialect that can carry ``node``; a relation filter has leaves or ``where``."""
    if _leaf_items(node) is not None:
        return Dialect.LEAVES
    return Dialect.WHERE if relation else _json_dialect(node)


def filter_params(node: Node, relation: Path | None, *, where: bool) -> list[tuple[str, str]]:
    """The parameters carrying ``node`` (narrowing ``relation`` when given), decoded.

    Args:
        node: the filter.
        relation: the relation a relation filter narrows; ``None`` for the main filter.
        where: send what ``filter{…}`` leaves cannot carry as ``where=`` rather than
            ``filter{}`` JSON.
    """
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


def encode_params(params: list[tuple[str, str]]) -> str:
    """``params`` percent-encoded as a query string (no leading ``?``)."""
    return "&".join(
        f"{quote(name, safe=_KEY_SAFE)}={quote(value, safe=_VALUE_SAFE)}" for name, value in params
    )
