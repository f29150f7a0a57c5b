"""The filter tree: leaves, AND, OR, NOT and quantifiers over to-many relations.

Nodes are frozen, hashable and compared by value. Build trees with :func:`leaf`,
:func:`all_of`, :func:`any_of`, :func:`negate`, :func:`any_in` and :func:`all_in`:
they normalise (flatten nested AND/OR, drop single-child groups, cancel double
negation), so two trees that mean the same by those rules compare equal, and the
parser builds its trees with the same functions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from .operators import MULTI_VALUE, OPERATORS, canonical_operator, check_arity

__all__ = [
    "And",
    "Leaf",
    "Node",
    "Not",
    "Or",
    "Path",
    "Quantified",
    "Value",
    "all_in",
    "all_of",
    "any_in",
    "any_of",
    "conjuncts",
    "is_field_name",
    "leaf",
    "negate",
    "parse_path",
]

#: A scalar filter value. Values parsed from ``filter{…}`` leaves are always ``str``
#: (the wire carries text); JSON trees give JSON types; ``where=`` adds dates.
Value: TypeAlias = str | int | float | bool | None | dt.date | dt.datetime

#: A dotted path of serializer field names, split: ``("menu", "name")``.
Path: TypeAlias = tuple[str, ...]


#: A dotted path of field names; paths are checked whole with it, in C, on the fast path.
DOTTED_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def is_field_name(segment: str) -> bool:
    """Whether ``segment`` is a field name: ASCII letters, digits and ``_``, no leading digit."""
    # str.isidentifier() alone would accept non-ASCII letters; both checks run in C.
    return segment.isascii() and segment.isidentifier()


def _check_path(path: Path, what: str) -> None:
    if not path:
        raise ValueError(f"{what} must not be empty")
    dotted = ".".join(path)
    # The dot count rules out a segment that itself contains a dot.
    if DOTTED_PATH.fullmatch(dotted) and dotted.count(".") == len(path) - 1:
        return
    bad = next(segment for segment in path if not is_field_name(segment))
    raise ValueError(f"{what} segment {bad!r} is not a field name (letters, digits, '_')")


def parse_path(dotted: str) -> Path:
    """Split ``"menu.name"`` into ``("menu", "name")``, checking every segment."""
    path = tuple(dotted.split("."))
    _check_path(path, "path")
    return path


def _check_value(value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"value {value!r} is not a finite number")
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:  # a lone surrogate cannot travel in a UTF-8 URL
            raise ValueError(f"value {value!r} is not valid Unicode text") from None
    if value is not None and not isinstance(value, str | int | float | dt.date):
        raise TypeError(
            f"value {value!r} of type {type(value).__name__} is not a query value;"
            " use str, int, float, bool, None, date or datetime"
        )


def _value_key(value: Value) -> tuple[object, ...]:
    # Equal values that serialize differently must not compare equal: 0.0 / -0.0, and
    # datetimes naming the same instant with different offsets.
    if isinstance(value, float):
        return (float, repr(value))
    if isinstance(value, dt.date):
        return (type(value), value.isoformat())
    return (type(value), value)


@dataclass(frozen=True, slots=True, eq=False)
class Leaf:
    """One comparison: ``path`` ``op`` ``values`` (``menu.name icontains 'x'``).

    Values compare by type as well as value: ``1``, ``1.0``, ``True`` and ``"1"`` are
    four different leaves, as they serialize differently.
    """

    path: Path
    op: str
    values: tuple[Value, ...]

    def __post_init__(self) -> None:
        _check_path(self.path, "leaf path")
        if self.op not in OPERATORS:
            raise ValueError(f"unknown or non-canonical operator {self.op!r}")
        if len(self.values) != 1 or self.op in MULTI_VALUE:
            problem = check_arity(self.op, len(self.values))
            if problem:
                raise ValueError(problem)
        for value in self.values:
            # Plain ASCII text, what the wire mostly carries, needs no further check.
            if type(value) is not str or not value.isascii():
                _check_value(value)

    def _key(self) -> tuple[object, ...]:
        return (self.path, self.op, tuple(_value_key(v) for v in self.values))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Leaf):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def value(self) -> Value:
        """The single value of a one-value operator."""
        return self.values[0]


def _check_children(group: And | Or) -> None:
    if len(group.children) < 2:
        raise ValueError(f"{type(group).__name__} needs at least two children; use all_of/any_of")
    if any(type(child) is type(group) for child in group.children):
        raise ValueError(f"{type(group).__name__} inside {type(group).__name__}; flatten it")


@dataclass(frozen=True, slots=True)
class And:
    """All children hold. Has at least two children, none of them an ``And``."""

    children: tuple[Node, ...]

    def __post_init__(self) -> None:
        _check_children(self)


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child holds. Has at least two children, none of them an ``Or``."""

    children: tuple[Node, ...]

    def __post_init__(self) -> None:
        _check_children(self)


@dataclass(frozen=True, slots=True)
class Not:
    """The child does not hold. The child is never a ``Not``."""

    child: Node

    def __post_init__(self) -> None:
        if isinstance(self.child, Not):
            raise ValueError("a Not of a Not; use negate(), which cancels them")


@dataclass(frozen=True, slots=True)
class Quantified:
    """``any``/``all`` related objects along the to-many ``relation`` satisfy ``condition``.

    The condition's paths are relative to the related model.
    """

    quantifier: Literal["any", "all"]
    relation: Path
    condition: Node

    def __post_init__(self) -> None:
        if self.quantifier not in ("any", "all"):
            raise ValueError(f"quantifier must be 'any' or 'all', not {self.quantifier!r}")
        _check_path(self.relation, "quantifier relation")


Node: TypeAlias = Leaf | And | Or | Not | Quantified


def leaf(path: str | Path, op: str = "eq", *values: Value) -> Leaf:
    """Build a leaf: ``leaf("price", "gte", 10)``; ``leaf("id", "in", 1, 2, 3)``.

    ``path`` may be dotted; operator aliases (``ge``, ``le``) are resolved.
    """
    resolved = canonical_operator(op)
    if resolved is None:
        raise ValueError(f"unknown operator {op!r}")
    return Leaf(parse_path(path) if isinstance(path, str) else tuple(path), resolved, values)


def _group(cls: type[And] | type[Or], nodes: Iterable[Node]) -> Node:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, cls):
            flat.extend(node.children)
        else:
            flat.append(node)
    if not flat:
        raise ValueError(f"{cls.__name__} needs at least one child")
    if len(flat) == 1:
        return flat[0]
    return cls(tuple(flat))


def all_of(*nodes: Node) -> Node:
    """AND of ``nodes``, flattened; a single node is returned as it is."""
    return _group(And, nodes)


def any_of(*nodes: Node) -> Node:
    """OR of ``nodes``, flattened; a single node is returned as it is."""
    return _group(Or, nodes)


def conjuncts(node: Node | None) -> tuple[Node, ...]:
    """The nodes ANDed at the top of ``node``: an ``And``'s children, ``()`` for no filter."""
    if node is None:
        return ()
    return node.children if isinstance(node, And) else (node,)


def negate(node: Node) -> Node:
    """NOT ``node``; negating a ``Not`` gives back its child."""
    return node.child if isinstance(node, Not) else Not(node)


def any_in(relation: str | Path, condition: Node) -> Quantified:
    """Some object related through the to-many ``relation`` satisfies ``condition``."""
    return Quantified(
        "any", parse_path(relation) if isinstance(relation, str) else relation, condition
    )


def all_in(relation: str | Path, condition: Node) -> Quantified:
    """Every object related through the to-many ``relation`` satisfies ``condition``."""
    return Quantified(
        "all", parse_path(relation) if isinstance(relation, str) else relation, condition
    )
