"""Leaf keys (``-menu.name.icontains``) and checked leaf construction for every filter form.

A leaf key is an optional ``-`` (negation), a dotted path and an optional operator. The
last segment is the operator only if it names one and something is left for the path,
so ``filter{year}`` filters a field called ``year`` and ``filter{date.year}`` its year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import QuerySyntaxError
from .limits import Limits
from .nodes import DOTTED_PATH, Node, Path, Value, is_field_name, leaf, negate
from .operators import OPERATORS

__all__ = [
    "LEAF_KEY",
    "build_leaf",
    "format_leaf_key",
    "leaf_key_parts",
    "split_leaf_key",
    "split_path",
]


def _path_error(text: str, param: str, offset: int | None) -> QuerySyntaxError:
    segments = text.split(".")
    index = next(i for i, segment in enumerate(segments) if not is_field_name(segment))
    return QuerySyntaxError(
        f"{segments[index]!r} is not a field name; expected ASCII letters, digits and '_',"
        " not starting with a digit",
        param=param,
        position=None if offset is None else offset + sum(len(s) + 1 for s in segments[:index]),
    )


def split_path(text: str, *, param: str, offset: int | None) -> Path:
    """Split a dotted field path, pointing at the first bad segment.

    Args:
        text: the dotted path, e.g. ``"menu.name"``.
        param: the parameter name for errors.
        offset: where ``text`` starts in the key or value, for error positions
            (``None`` when unknown).
    """
    if DOTTED_PATH.fullmatch(text):
        return tuple(text.split("."))
    raise _path_error(text, param, offset)


_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_OPERATOR_NAMES = "|".join(sorted(OPERATORS))
#: ``[-]path[.op]``. The path is lazy and the operator must end the key, so the last
#: segment is an operator only if it names one and a path is left before it.
LEAF_KEY = rf"(?P<negated>-?)(?P<path>{_NAME}(?:\.{_NAME})*?)(?:\.(?P<op>{_OPERATOR_NAMES}))?"
_LEAF_KEY = re.compile(LEAF_KEY)


def leaf_key_parts(match: re.Match[str]) -> tuple[Path, str, bool]:
    """``(path, operator, negated)`` from a match of :data:`LEAF_KEY`."""
    return tuple(match["path"].split(".")), match["op"] or "eq", bool(match["negated"])


def split_leaf_key(text: str, *, param: str, offset: int | None) -> tuple[Path, str, bool]:
    """Read ``[-]path[.op]`` into ``(path, operator, negated)``.

    Args:
        text: the key, e.g. ``"-menu.price.gte"``.
        param: the parameter name for errors.
        offset: where ``text`` starts in the key or value, for error positions
            (``None`` when unknown).
    """
    match = _LEAF_KEY.fullmatch(text)
    if match is not None:
        return leaf_key_parts(match)
    # Not '[-]path': some segment after the optional '-' is not a field name.
    negated = text.startswith("-")
    raise _path_error(text[negated:], param, None if offset is None else offset + negated)


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
