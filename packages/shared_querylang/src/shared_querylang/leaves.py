"""Leaf keys (``-menu.name.icontains``) and checked leaf construction for every filter form.

A leaf key is an optional ``-`` (negation), a dotted path and an optional operator. The
last segment is the operator only if it names one and something is left for the path,
so ``filter{year}`` filters a field called ``year`` and ``filter{date.year}`` its year.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import QuerySyntaxError
from .limits import Limits
from .nodes import Node, Path, Value, is_field_name, leaf, negate
from .operators import OPERATORS

__all__ = ["build_leaf", "format_leaf_key", "split_leaf_key", "split_path"]


def split_path(text: str, *, param: str, offset: int | None) -> Path:
    """Split a dotted field path, pointing at the first bad segment.

    Args:
        text: the dotted path, e.g. ``"menu.name"``.
        param: the parameter name for errors.
        offset: where ``text`` starts in the key or value, for error positions
            (``None`` when unknown).
    """
    segments = text.split(".")
    for segment in segments:
        if not is_field_name(segment):
            raise QuerySyntaxError(
                f"{segment!r} is not a field name; expected ASCII letters, digits and '_',"
                " not starting with a digit",
                param=param,
                position=offset,
            )
        if offset is not None:
            offset += len(segment) + 1
    return tuple(segments)


def split_leaf_key(text: str, *, param: str, offset: int | None) -> tuple[Path, str, bool]:
    """Read ``[-]path[.op]`` into ``(path, operator, negated)``.

    Args:
        text: the key, e.g. ``"-menu.price.gte"``.
        param: the parameter name for errors.
        offset: where ``text`` starts in the key or value, for error positions
            (``None`` when unknown).
    """
    negated = text.startswith("-")
    if negated:
        text = text[1:]
        offset = None if offset is None else offset + 1
    head, dot, last = text.rpartition(".")
    if dot and last in OPERATORS:
        return split_path(head, param=param, offset=offset), last, negated
    return split_path(text, param=param, offset=offset), "eq", negated


def format_leaf_key(path: Path, op: str, negated: bool) -> str:
    """The key :func:`split_leaf_key` reads back as ``(path, op, negated)``.

    ``.eq`` is left out unless the last path segment names an operator.
    """
    text = ".".join(path)
    if op != "eq" or path[-1] in OPERATORS:
        text = f"{text}.{op}"
    return f"-{text}" if negated else text


def build_leaf(
    path: Path,
    op: str,
    values: Sequence[Value],
    *,
    negated: bool,
    param: str,
    position: int | None,
    limits: Limits,
) -> Node:
    """A leaf (negated if asked), with every construction error as a syntax error.

    Args:
        path: the field path.
        op: an operator name or alias; ``ne`` is read as a negated ``eq``.
        values: the leaf's values.
        negated: whether to negate the leaf.
        param: the parameter name for errors.
        position: where the leaf starts, for errors.
        limits: bounds to enforce (``max_in_values``).
    """
    if op == "ne":
        op, negated = "eq", not negated
    if op == "in" and len(values) > limits.max_in_values:
        raise QuerySyntaxError(
            f"'in' takes at most {limits.max_in_values} values, got {len(values)}",
            param=param,
            position=position,
        )
    try:
        node = leaf(path, op, *values)
    except ValueError as error:
        raise QuerySyntaxError(str(error), param=param, position=position) from None
    return negate(node) if negated else node
