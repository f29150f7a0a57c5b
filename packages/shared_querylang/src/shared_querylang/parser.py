"""``parse()``: a query string or multi-valued mapping into one :class:`Query`.

Every filter form (``filter{…}`` leaves, one ``filter{}`` JSON tree, one ``where=``) is
ANDed, in that order; ``filter{rel|…}`` leaves and ``where[rel]=`` are ANDed per
relation. Parameters this grammar does not know are ignored, for the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal
from urllib.parse import unquote

from .errors import QuerySyntaxError
from .expression import parse_expression
from .jsontree import parse_tree
from .leaves import LEAF_KEY, build_leaf, leaf_key_parts, split_leaf_key, split_path
from .limits import DEFAULT_LIMITS, Limits
from .nodes import Node, Path, all_of, is_field_name
from .query import SELECTION_PATH, Page, Query, RelationFilter, Selection, SortKey

__all__ = ["parse"]

#: A raw query string, or a multi-valued mapping such as Django's ``QueryDict``.
QueryInput = str | Mapping[str, str | Sequence[str]]

_LeafSpec = tuple[Path | None, Path, str, bool]  # relation, path, operator, negated
_NULLS: dict[str, Literal["first", "last"]] = {"nulls_first": "first", "nulls_last": "last"}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# The common filter key: no relation, well-formed. Others take the slow path and its errors.
_PLAIN_FILTER_KEY = re.compile(rf"filter\{{{LEAF_KEY}\}}(?:\[\])?")
# Immutable, so every query without selection or paging can share one instance.
_NO_SELECTION = Selection()
_NO_PAGE = Page()
_SELECTIONS = {
    "include[]": "include",
    "exclude[]": "exclude",
    "fields": "fields",
    "fields[]": "fields",
    "omit": "omit",
    "omit[]": "omit",
    "expand": "expand",
    "expand[]": "expand",
}


def _too_long(length: int, limits: Limits) -> QuerySyntaxError:
    return QuerySyntaxError(
        f"the query is {length} characters long; at most {limits.max_query_length} are allowed",
        param="",
        position=limits.max_query_length,
    )


def _split(query: str, limits: Limits) -> dict[str, list[str]]:
    """Form-decode ``a=1&b=2&a=3`` into ``{"a": ["1", "3"], "b": ["2"]}``, keeping order."""
    if len(query) > limits.max_query_length:
        raise _too_long(len(query), limits)
    groups: dict[str, list[str]] = {}
    for part in query.removeprefix("?").split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        # unquote() is a no-op without '%'; skipping the call keeps plain keys fast.
        if "%" in key or "+" in key:
            key = unquote(key.replace("+", " "))
        if "%" in value or "+" in value:
            value = unquote(value.replace("+", " "))
        values = groups.get(key)
        if values is None:
            groups[key] = [value]
        else:
            values.append(value)
    return groups


def _collect(query: Mapping[Any, Any], limits: Limits) -> dict[str, list[str]]:
    """Check and copy a multi-valued mapping (``QueryDict.lists()`` when it has one)."""
    lists: Callable[[], Iterable[tuple[Any, Any]]] | None = getattr(query, "lists", None)
    pairs = lists() if callable(lists) else query.items()
    groups: dict[str, list[str]] = {}
    length = 0
    for key, value in pairs:
        if not isinstance(key, str):
            raise QuerySyntaxError(f"parameter names must be str, not {key!r}", param=repr(key))
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
            raise QuerySyntaxError(
                f"expected a str or a sequence of str, got {value!r:.60}", param=key
            )
        groups[key] = list(values)
        length += len(key) + sum(map(len, values)) + len(values)
    if length > limits.max_query_length:
        raise _too_long(length, limits)
    return groups


class _Builder:
    """Collects the parameters of one query, then builds the :class:`Query`."""

    __slots__ = (
        "debug",
        "distinct",
        "exclude_links",
        "leaves",
        "limits",
        "page",
        "scoped",
        "selection",
        "sideloading",
        "sort",
        "tree",
        "where",
    )

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.leaves: dict[_LeafSpec, tuple[str, list[str]]] = {}
        self.tree: Node | None = None
        self.where: Node | None = None
        self.scoped: dict[Path, Node] = {}
        self.selection: dict[str, list[Path]] = {}
        self.sort: list[SortKey] = []
        self.page: dict[str, Any] = {}
        self.sideloading: bool | None = None
        self.debug = False
        self.exclude_links = False
        self.distinct = False

    def add(self, key: str, values: list[str]) -> None:
        handler = _HANDLERS.get(key)
        if handler is not None:
            handler(self, key, values)
        elif key.startswith("filter{"):
            self.add_leaf(key, values)
        elif key.startswith("where["):
            self.add_scoped(key, values)

    def set_tree(self, key: str, values: list[str]) -> None:
        self.tree = parse_tree(_one(key, values), param=key, limits=self.limits)

    def set_where(self, key: str, values: list[str]) -> None:
        self.where = parse_expression(_one(key, values), param=key, limits=self.limits)

    def add_leaf(self, key: str, values: list[str]) -> None:
        plain = _PLAIN_FILTER_KEY.fullmatch(key)
        spec = (None, *leaf_key_parts(plain)) if plain is not None else _filter_key(key)
        entry = self.leaves.get(spec)
        if entry is None:
            self.leaves[spec] = (key, list(values))
        else:
            entry[1].extend(values)

    def add_scoped(self, key: str, values: list[str]) -> None:
        if not key.endswith("]"):
            raise QuerySyntaxError(
                f"{key!r} is not a well-formed key; expected 'where[relation.path]'",
                param=key,
                position=len(key),
            )
        relation = split_path(key[6:-1], param=key, offset=6)
        # Each relation has one key ('where[a.b]'), and _one() allows one value per key.
        self.scoped[relation] = parse_expression(_one(key, values), param=key, limits=self.limits)

    def add_selection(self, key: str, values: list[str]) -> None:
        paths = self.selection.setdefault(_SELECTIONS[key], [])
        depth = self.limits.max_selection_depth
        for value in values:
            if not value:  # an empty form field selects nothing
                continue
            # Fast path: one plain path ('menu.*'); the rest goes item by item.
            if SELECTION_PATH.fullmatch(value) and value.count(".") < depth:
                paths.append(tuple(value.split(".")))
                continue
            offset = 0
            for item in value.split(","):
                paths.append(self.selection_path(item, key, offset))
                offset += len(item) + 1

    def selection_path(self, item: str, key: str, offset: int) -> Path:
        # dynamic-rest: 'rel.' means 'rel.*'; drf-flex-fields: '~all' means '*'.
        plain = SELECTION_PATH.fullmatch(item) is not None
        segments = (item + "*" if item.endswith(".") else item).split(".")
        if len(segments) > self.limits.max_selection_depth:
            raise QuerySyntaxError(
                f"{item!r} has {len(segments)} levels; at most"
                f" {self.limits.max_selection_depth} are allowed",
                param=key,
                position=offset,
            )
        if plain:
            return tuple(segments)
        path = []
        for segment in segments:
            if segment == "~all":
                path.append("*")
            elif segment == "*" or is_field_name(segment):
                path.append(segment)
            else:
                raise QuerySyntaxError(
                    f"{segment!r} is not a field name; expected a name, '*' or '~all'",
                    param=key,
                    position=offset,
                )
            offset += len(segment) + 1
        return tuple(path)

    def add_sort(self, key: str, values: list[str]) -> None:
        for value in values:
            if not value:
                continue
            offset = 0
            for term in value.split(","):
                self.sort.append(_sort_key(term, key, offset))
                offset += len(term) + 1

    def set_page(self, key: str, values: list[str]) -> None:
        value = _one(key, values)
        self.page["number"] = "last" if value == "last" else _integer(key, value, 1)

    def set_size(self, key: str, values: list[str]) -> None:
        self.page["size"] = _integer(key, _one(key, values), 1)

    def set_offset(self, key: str, values: list[str]) -> None:
        self.page["offset"] = _integer(key, _one(key, values), 0)

    def set_exclude_count(self, key: str, values: list[str]) -> None:
        # As dynamic-rest: any non-empty value, even '0', skips the count.
        self.page["exclude_count"] = any(values)

    def set_sideloading(self, key: str, values: list[str]) -> None:
        self.sideloading = _boolean(key, _one(key, values))

    def set_debug(self, key: str, values: list[str]) -> None:
        self.debug = _boolean(key, _one(key, values))

    def set_distinct(self, key: str, values: list[str]) -> None:
        self.distinct = _boolean(key, _one(key, values))

    def set_exclude_links(self, key: str, values: list[str]) -> None:
        self.exclude_links = True  # presence alone, as dynamic-rest

    def build(self) -> Query:
        filters: list[Node] = []
        scoped: dict[Path, list[Node]] = {}
        for (relation, path, op, negated), (param, values) in self.leaves.items():
            node = build_leaf(
                path, op, values, negated=negated, param=param, position=None, limits=self.limits
            )
            if relation is None:
                filters.append(node)
            else:
                scoped.setdefault(relation, []).append(node)
        filters += [node for node in (self.tree, self.where) if node is not None]
        for relation, node in self.scoped.items():
            scoped.setdefault(relation, []).append(node)
        if "number" in self.page and "offset" in self.page:
            raise QuerySyntaxError(
                "'page' and 'offset' were both given; expected one of them", param="offset"
            )
        return Query(
            filter=all_of(*filters) if filters else None,
            relation_filters=tuple(
                RelationFilter(relation, all_of(*nodes)) for relation, nodes in scoped.items()
            ),
            selection=Selection(**{name: tuple(paths) for name, paths in self.selection.items()})
            if self.selection
            else _NO_SELECTION,
            sort=tuple(self.sort),
            page=Page(**self.page) if self.page else _NO_PAGE,
            sideloading=self.sideloading,
            debug=self.debug,
            exclude_links=self.exclude_links,
            distinct=self.distinct,
        )


_HANDLERS: dict[str, Callable[[_Builder, str, list[str]], None]] = {
    "filter{}": _Builder.set_tree,
    "where": _Builder.set_where,
    **dict.fromkeys(_SELECTIONS, _Builder.add_selection),
    "sort": _Builder.add_sort,
    "sort[]": _Builder.add_sort,
    "page": _Builder.set_page,
    "per_page": _Builder.set_size,
    "offset": _Builder.set_offset,
    "exclude_count": _Builder.set_exclude_count,
    "sideloading": _Builder.set_sideloading,
    "debug": _Builder.set_debug,
    "exclude_links": _Builder.set_exclude_links,
    "distinct": _Builder.set_distinct,
}


def _filter_key(key: str) -> _LeafSpec:
    """The leaf of a ``filter{…}`` key the fast pattern did not match, or why it is bad."""
    close = key.find("}")
    if close < 0:
        raise QuerySyntaxError(
            f"{key!r} is not a well-formed filter key; expected '}}' after the path",
            param=key,
            position=len(key),
        )
    if close + 1 < len(key) and key[close + 1 :] != "[]":
        raise QuerySyntaxError(
            f"unexpected {key[close + 1 :]!r} after '}}'; expected nothing or '[]'",
            param=key,
            position=close + 1,
        )
    inner = key[7:close]
    bar = inner.find("|")
    relation: Path | None = None
    if bar < 0:
        path, op, negated = split_leaf_key(inner, param=key, offset=7)
    else:
        negated = inner.startswith("-")
        relation = split_path(inner[negated:bar], param=key, offset=7 + negated)
        path, op, inner_negated = split_leaf_key(inner[bar + 1 :], param=key, offset=8 + bar)
        if inner_negated:
            raise QuerySyntaxError(
                f"unexpected '-' after '|' in {key!r}; expected it first, as in"
                " 'filter{-rel|path}'",
                param=key,
                position=8 + bar,
            )
    return relation, path, op, negated


def _one(key: str, values: list[str]) -> str:
    if len(values) != 1:
        raise QuerySyntaxError(f"expected one value, got {len(values)}: {values!r:.80}", param=key)
    return values[0]


def _integer(key: str, value: str, minimum: int) -> int:
    # isdigit() alone accepts other scripts' digits and superscripts; int() accepts '+1', '1_0'.
    if not (value.isascii() and value.isdigit()) or len(value) > 18 or int(value) < minimum:
        raise QuerySyntaxError(
            f"{value!r:.40} is not a valid number; expected a whole number of at least {minimum}",
            param=key,
            position=0,
        )
    return int(value)


def _boolean(key: str, value: str) -> bool:
    flag = _BOOLEANS.get(value.lower())
    if flag is None:
        raise QuerySyntaxError(
            f"{value!r:.40} is not a boolean; expected 'true' or 'false'", param=key, position=0
        )
    return flag


def _sort_key(term: str, key: str, offset: int) -> SortKey:
    body, colon, nulls = term.partition(":")
    if colon and nulls not in _NULLS:
        raise QuerySyntaxError(
            f"{colon + nulls!r} is not a sort option; expected ':nulls_first' or ':nulls_last'",
            param=key,
            position=offset + len(body),
        )
    descending = body.startswith("-")
    path = split_path(body[descending:], param=key, offset=offset + descending)
    return SortKey(path, descending, _NULLS[nulls] if colon else None)


def parse(query: QueryInput, *, limits: Limits | None = None) -> Query:
    """Parse a query string or a multi-valued mapping into a :class:`Query`.

    Args:
        query: a raw query string (``a=1&b=2``, form-encoded; a leading ``?`` is
            skipped) or a mapping of names to a value or a list of values, such as
            Django's ``QueryDict`` (read through its ``lists()``).
        limits: bounds to enforce; :data:`~shared_querylang.limits.DEFAULT_LIMITS` if
            not given.

    Raises:
        QuerySyntaxError: a parameter this grammar owns is malformed or exceeds a limit.
        TypeError: ``query`` is neither a ``str`` nor a mapping.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    if isinstance(query, str):
        groups = _split(query, limits)
    elif isinstance(query, Mapping):
        groups = _collect(query, limits)
    else:
        raise TypeError(f"parse() takes a str or a mapping, not {type(query).__name__}")
    builder = _Builder(limits)
    for key, values in groups.items():
        builder.add(key, values)
    return builder.build()
