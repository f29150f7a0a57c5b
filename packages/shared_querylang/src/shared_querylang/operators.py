"""Filter operators: their names, how many values each takes, and input aliases."""

from __future__ import annotations

from typing import Final

__all__ = ["ALIASES", "MULTI_VALUE", "OPERATORS", "canonical_operator", "check_arity"]

#: Every operator a leaf may carry. ``eq`` is the default when a leaf names none.
OPERATORS: Final[frozenset[str]] = frozenset(
    {
        "eq",
        "in",
        "range",
        "isnull",
        "gt",
        "gte",
        "lt",
        "lte",
        "contains",
        "icontains",
        "iexact",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "regex",
        "year",
        "month",
        "day",
        "week_day",
    }
)

#: Accepted on input, never emitted: the right-hand side is the canonical name.
#: ``ne`` is not here: it parses into ``Not(Leaf(..., "eq", ...))``.
ALIASES: Final[dict[str, str]] = {"ge": "gte", "le": "lte"}

#: Operators taking a list of values; every other operator takes exactly one.
MULTI_VALUE: Final[frozenset[str]] = frozenset({"in", "range"})


def canonical_operator(name: str) -> str | None:
    """The canonical operator for ``name`` (resolving aliases), or ``None`` if unknown."""
    if name in OPERATORS:
        return name
    return ALIASES.get(name)


def check_arity(op: str, count: int) -> str | None:
    """Why ``count`` values are wrong for ``op``, or ``None`` when they are fine."""
    if op == "in":
        return None
    if op == "range":
        return None if count == 2 else f"'range' takes exactly 2 values, got {count}"
    if count != 1:
        return f"{op!r} takes exactly 1 value, got {count}; only 'in' and 'range' take several"
    return None
