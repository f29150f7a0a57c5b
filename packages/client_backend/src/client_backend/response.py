"""Map response envelopes to rows: primary objects, sideloads and ``meta``.

A list answer is ``{"<plural>": [...], "<other plural>": [...], "meta": {...}}``; a
detail answer is ``{"<name>": {...}, ...}``. Related objects are found by id under the
related resource's plural (or ``+<plural>`` for the primary type), or inline when the
server embeds them. A value that is a list where a row expects one value (a to-many hop)
fans out into one row per element, as the SQL join would.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .exceptions import APIProtocolError

__all__ = ["ColumnSpec", "Envelope", "Hop", "rows_from"]


@dataclass(frozen=True, slots=True)
class Hop:
    """One relation hop: the field on the parent object, and where its objects sideload.

    ``inner`` drops a parent whose to-many list is empty (an inner join) instead of giving
    it one row of nulls (a left join).
    """

    name: str
    plural: str
    pk: str
    inner: bool = False


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """Where one selected column comes from.

    ``name`` is the API field on the object reached through ``hops``; ``name=None`` means
    the constant ``constant`` (``exists()`` selects ``1``). ``many`` marks a column whose
    value is a list of related ids (an M2M column) to fan out; ``restrict`` keeps only
    those ids (the ``__in`` of a prefetch).
    """

    hops: tuple[Hop, ...]
    name: str | None
    constant: object = None
    many: bool = False
    restrict: frozenset[str] | None = field(default=None)


@dataclass(frozen=True, slots=True)
class Envelope:
    """A decoded answer: primary objects, sideload index and ``meta``."""

    objects: list[Mapping[str, Any]]
    sideloads: Mapping[str, Any]
    meta: Mapping[str, Any]

    @classmethod
    def parse(cls, body: Any, *, key: str, detail: bool, where: str) -> Envelope:
        """Decode ``body``, whose primary data is under ``key``.

        Args:
            body: the decoded JSON.
            key: the resource name (detail) or plural (list).
            detail: whether the answer is a single object.
            where: ``"METHOD url"`` for error messages.
        """
        if not isinstance(body, Mapping):
            raise _protocol(where, f"expected a JSON object, got {type(body).__name__}")
        primary = body.get(key)
        if primary is None and detail and body and "id" in body:
            primary = body  # a server answering with the bare object
        if detail:
            if not isinstance(primary, Mapping):
                raise _protocol(where, f"no {key!r} object in the response")
            objects = [primary]
        else:
            if not isinstance(primary, list):
                raise _protocol(where, f"no {key!r} list in the response")
            objects = primary
        meta = body.get("meta")
        return cls(objects, body, meta if isinstance(meta, Mapping) else {})


def _protocol(where: str, detail: str) -> APIProtocolError:
    method, _, url = where.partition(" ")
    return APIProtocolError("Unexpected API response", method=method, url=url, detail=detail)


class _Index:
    """Sideloaded objects by (plural, pk name, id), indexed on first use."""

    def __init__(self, sideloads: Mapping[str, Any]) -> None:
        self._sideloads = sideloads
        self._index: dict[tuple[str, str], dict[str, Mapping[str, Any]]] = {}

    def get(self, hop: Hop, key: object) -> Mapping[str, Any] | None:
        index = self._index.get((hop.plural, hop.pk))
        if index is None:
            index = {}
            for plural in (f"+{hop.plural}", hop.plural):
                for obj in self._sideloads.get(plural) or ():
                    if isinstance(obj, Mapping) and hop.pk in obj:
                        index[str(obj[hop.pk])] = obj
            self._index[(hop.plural, hop.pk)] = index
        return index.get(str(key))


def _resolve(value: Any, hop: Hop, index: _Index) -> Mapping[str, Any] | None:
    if value is None or isinstance(value, Mapping):
        return value
    found = index.get(hop, value)
    # Without a sideload the id alone still answers for the related primary key.
    return found if found is not None else {hop.pk: value}


def rows_from(
    objects: Sequence[Mapping[str, Any]],
    columns: Sequence[ColumnSpec],
    sideloads: Mapping[str, Any],
    where: str,
) -> list[list[Any]]:
    """One row per primary object (more where to-many values fan out), in column order."""
    index = _Index(sideloads)
    prefixes = sorted({c.hops[:i] for c in columns for i in range(1, len(c.hops) + 1)}, key=len)
    rows: list[list[Any]] = []
    for obj in objects:
        for binding in _bindings(obj, prefixes, index):
            for row in _columns(binding, columns, where):
                rows.append(row)
    return rows


Binding = dict[tuple[Hop, ...], Mapping[str, Any] | None]


def _bindings(
    obj: Mapping[str, Any], prefixes: list[tuple[Hop, ...]], index: _Index
) -> Iterator[Binding]:
    bindings: list[Binding] = [{(): obj}]
    for prefix in prefixes:
        hop = prefix[-1]
        expanded: list[Binding] = []
        for binding in bindings:
            parent = binding[prefix[:-1]]
            value = None if parent is None else parent.get(hop.name)
            if isinstance(value, list):
                # A to-many hop: one row per related object, one null row when there is none.
                targets = [_resolve(v, hop, index) for v in value] or ([] if hop.inner else [None])
            else:
                targets = [_resolve(value, hop, index)]
            expanded.extend({**binding, prefix: target} for target in targets)
        bindings = expanded
    yield from bindings


def _columns(binding: Binding, columns: Sequence[ColumnSpec], where: str) -> Iterator[list[Any]]:
    row: list[Any] = []
    fan: tuple[int, list[Any]] | None = None
    for position, column in enumerate(columns):
        if column.name is None:
            row.append(column.constant)
            continue
        obj = binding[column.hops]
        if obj is None:
            row.append(None)
            continue
        if column.name not in obj:
            raise _protocol(where, f"field {column.name!r} missing from an object: {dict(obj)!r}")
        value = obj[column.name]
        if column.many:
            restrict = column.restrict
            values = [v for v in (value or ()) if restrict is None or str(v) in restrict]
            # Without a restriction this is a LEFT JOIN: no related row still gives one row.
            fan = (position, values or ([None] if restrict is None else []))
            row.append(None)
        else:
            row.append(value)
    if fan is None:
        yield row
        return
    position, values = fan
    for value in values:
        fanned = list(row)
        fanned[position] = value
        yield fanned
