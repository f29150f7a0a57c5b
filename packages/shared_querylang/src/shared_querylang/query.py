"""The parsed form of a whole query string: filter tree, selection, sort and page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .features import Dialect
from .nodes import DOTTED_PATH, Node, Path
from .serializer import encode_params, filter_dialect, filter_params

__all__ = ["Page", "Query", "RelationFilter", "Selection", "SortKey"]


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


def _selection_params(selection: Selection) -> list[tuple[str, str]]:
    params = [("include[]", ".".join(path)) for path in selection.include]
    params += [("exclude[]", ".".join(path)) for path in selection.exclude]
    for name, paths in (
        ("fields", selection.fields),
        ("omit", selection.omit),
        ("expand", selection.expand),
    ):
        if paths:
            params.append((name, ",".join(".".join(path) for path in paths)))
    return params


def _sort_term(key: SortKey) -> str:
    term = ("-" if key.descending else "") + ".".join(key.path)
    return term if key.nulls is None else f"{term}:nulls_{key.nulls}"


def _page_params(page: Page) -> list[tuple[str, str]]:
    params = []
    if page.number is not None:
        params.append(("page", str(page.number)))
    if page.size is not None:
        params.append(("per_page", str(page.size)))
    if page.offset is not None:
        params.append(("offset", str(page.offset)))
    if page.exclude_count:
        params.append(("exclude_count", "true"))
    return params


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
        needs = [filter_dialect(rf.condition, relation=True) for rf in self.relation_filters]
        if self.filter is not None:
            needs.append(filter_dialect(self.filter))
        return max(needs, default=Dialect.LEAVES)

    def to_params(self, *, where: bool = False) -> list[tuple[str, str]]:
        """Canonical ``(name, value)`` pairs, decoded, in a stable order.

        The order: the filter, relation filters (by relation), ``include[]``,
        ``exclude[]``, ``fields``, ``omit``, ``expand`` (paths sorted), ``sort[]`` (in
        order), ``page``, ``per_page``, ``offset``, ``exclude_count``, ``sideloading``,
        ``debug``, ``exclude_links``, ``distinct``.

        Args:
            where: emit filters that plain leaves cannot express as ``where=``
                instead of ``filter{}`` JSON (for restbridge servers).
        """
        params: list[tuple[str, str]] = []
        if self.filter is not None:
            params += filter_params(self.filter, None, where=where)
        for relation_filter in self.relation_filters:
            params += filter_params(
                relation_filter.condition, relation_filter.relation, where=where
            )
        params += _selection_params(self.selection)
        params += [("sort[]", _sort_term(key)) for key in self.sort]
        params += _page_params(self.page)
        if self.sideloading is not None:
            params.append(("sideloading", "true" if self.sideloading else "false"))
        if self.debug:
            params.append(("debug", "true"))
        if self.exclude_links:
            params.append(("exclude_links", "true"))
        if self.distinct:
            params.append(("distinct", "true"))
        return params

    def to_querystring(self, *, where: bool = False) -> str:
        """The canonical, percent-encoded query string (no leading ``?``)."""
        return encode_params(self.to_params(where=where))
