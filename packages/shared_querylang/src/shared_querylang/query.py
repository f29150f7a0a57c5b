"""The parsed form of a whole query string: filter tree, selection, sort and page."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Literal

from .nodes import DOTTED_PATH, Node, Path

__all__ = ["Dialect", "Page", "Query", "RelationFilter", "Selection", "SortKey"]


class Dialect(enum.IntEnum):
    """How much of the grammar a server understands, oldest first.

    A query needs the smallest dialect that can express its filter; a client compares
    :meth:`Query.dialect` with what the server advertises before sending anything.
    """

    #: ``filter{path.op}`` leaves with ``-`` negation, ANDed (every dynamic-rest).
    LEAVES = 1
    #: ``filter{}`` JSON trees with ``.or`` / ``.and`` (dynamic-rest 2.1.7+).
    JSON = 2
    #: ``.not`` inside JSON trees (restbridge servers).
    JSON_NOT = 3
    #: ``where=`` expressions, quantifiers and date literals (restbridge servers).
    WHERE = 4


def _check_field_path(path: Path, what: str) -> None:
    dotted = ".".join(path)
    # The dot count rules out a segment that itself contains a dot.
    if not (DOTTED_PATH.fullmatch(dotted) and dotted.count(".") == len(path) - 1):
        raise ValueError(f"{what} {dotted!r} must be dotted field names")


#: A dotted selection path: field names or ``*``.
SELECTION_PATH = re.compile(r"(?:\*|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:\*|[A-Za-z_][A-Za-z0-9_]*))*")


def _canonical_paths(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    unique = set(paths)
    for path in unique:
        dotted = ".".join(path)
        # The dot count rules out a segment that itself contains a dot.
        if not (SELECTION_PATH.fullmatch(dotted) and dotted.count(".") == len(path) - 1):
            raise ValueError(f"selection path {dotted!r} must be dotted field names or '*'")
    return tuple(sorted(unique))


@dataclass(frozen=True, slots=True)
class Selection:
    """Which fields to render and which relations to load.

    dynamic-rest's ``include[]`` / ``exclude[]`` and drf-flex-fields' ``fields`` /
    ``omit`` / ``expand`` are kept apart: how they combine depends on the serializer's
    defaults, which only the server knows. Each is a sorted set of paths; ``*`` is a
    wildcard segment (``("menu", "*")``).
    """

    include: tuple[Path, ...] = ()
    exclude: tuple[Path, ...] = ()
    fields: tuple[Path, ...] = ()
    omit: tuple[Path, ...] = ()
    expand: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        for name in ("include", "exclude", "fields", "omit", "expand"):
            paths = getattr(self, name)
            if paths:  # most queries leave most of these empty
                object.__setattr__(self, name, _canonical_paths(paths))

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude or self.fields or self.omit or self.expand)


@dataclass(frozen=True, slots=True)
class SortKey:
    """One sort term: ``-menu.name`` is ``SortKey(("menu", "name"), descending=True)``."""

    path: Path
    descending: bool = False
    nulls: Literal["first", "last"] | None = None

    def __post_init__(self) -> None:
        _check_field_path(self.path, "sort path")
        if self.nulls not in (None, "first", "last"):
            raise ValueError(f"nulls must be 'first', 'last' or None, not {self.nulls!r}")


@dataclass(frozen=True, slots=True)
class Page:
    """Which window of the list: page number or offset, and its size."""

    number: int | Literal["last"] | None = None
    size: int | None = None
    offset: int | None = None
    exclude_count: bool = False

    def __post_init__(self) -> None:
        for name in ("number", "size", "offset"):
            if isinstance(getattr(self, name), bool):
                raise TypeError(f"page {name} must be an int, not a bool")
        if self.number is not None and self.number != "last" and self.number < 1:
            raise ValueError(f"page number must be 1 or more, or 'last', not {self.number!r}")
        if self.size is not None and self.size < 1:
            raise ValueError(f"page size must be 1 or more, not {self.size!r}")
        if self.offset is not None and self.offset < 0:
            raise ValueError(f"offset must be 0 or more, not {self.offset!r}")
        if self.offset is not None and self.number is not None:
            raise ValueError("give a page number or an offset, not both")


@dataclass(frozen=True, slots=True)
class RelationFilter:
    """``filter{rel|path.op}``: narrows the related rows loaded for ``relation``.

    It does not narrow the primary list.
    """

    relation: Path
    condition: Node

    def __post_init__(self) -> None:
        _check_field_path(self.relation, "relation")


@dataclass(frozen=True, slots=True)
class Query:
    """Everything a list or detail request asks for. Immutable, comparable, hashable."""

    filter: Node | None = None
    relation_filters: tuple[RelationFilter, ...] = ()
    selection: Selection = field(default_factory=Selection)
    sort: tuple[SortKey, ...] = ()
    page: Page = field(default_factory=Page)
    sideloading: bool | None = None
    debug: bool = False
    exclude_links: bool = False
    #: ``distinct=true``: each combination of the selected own fields once (a server
    #: advertising ``distinct``).
    distinct: bool = False

    def __post_init__(self) -> None:
        if not self.relation_filters:
            return
        relations = [rf.relation for rf in self.relation_filters]
        if len(set(relations)) != len(relations):
            raise ValueError("one RelationFilter per relation; combine conditions with all_of()")
        object.__setattr__(
            self,
            "relation_filters",
            tuple(sorted(self.relation_filters, key=lambda rf: rf.relation)),
        )

    def dialect(self) -> Dialect:
        """The oldest dialect that can express this query's filters."""
        from .serializer import query_dialect

        return query_dialect(self)

    def to_params(self, *, where: bool = False) -> list[tuple[str, str]]:
        """Canonical ``(name, value)`` pairs, in a stable order.

        Args:
            where: emit filters that plain leaves cannot express as ``where=``
                instead of ``filter{}`` JSON (for restbridge servers).
        """
        from .serializer import to_params

        return to_params(self, where=where)

    def to_querystring(self, *, where: bool = False) -> str:
        """The canonical, percent-encoded query string (no leading ``?``)."""
        from .serializer import to_querystring

        return to_querystring(self, where=where)
