"""Map response envelopes to rows: primary objects, sideloads and ``meta``.

A list answer is ``{"<plural>": [...], "<other plural>": [...], "meta": {...}}``; a
detail answer is ``{"<name>": {...}, ...}``. Related objects are found by id under the
related resource's plural (or ``+<plural>`` for the primary type), or inline when the
server embeds them. A value that is a list where a row expects one value (a to-many hop)
fans out into one row per element, as the SQL join would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from .exceptions import APIProtocolError

__all__ = ["ColumnSpec", "Envelope", "Hop", "RowDecoder"]


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


#: The objects one row reads, by slot: 0 is the primary object, then one per hop prefix.
Binding = list[Mapping[str, Any] | None]


class RowDecoder:
    """Decodes objects into rows for the columns of one read, worked out once per read.

    One row per primary object, more where to-many values fan out, in column order.
    """

    def __init__(self, columns: Sequence[ColumnSpec]) -> None:
        prefixes = sorted({c.hops[:i] for c in columns for i in range(1, len(c.hops) + 1)}, key=len)
        slots = {prefix: slot for slot, prefix in enumerate([(), *prefixes])}
        #: Per hop prefix, in slot order: the slot of the object it starts from, and the hop.
        self._steps = [(slots[prefix[:-1]], prefix[-1]) for prefix in prefixes]
        #: Per column: the slot of the object it reads, and the column.
        self._columns = [(slots[c.hops], c) for c in columns]
        fields = [(slot, c.name) for slot, c in self._columns if c.name is not None and not c.many]
        # Columns that are all one field of one object each (no constant, no to-many list)
        # are read without per-column checks: by an item getter per object when they are
        # the primary object's own fields, else by slot and name per row.
        plain = len(fields) == len(columns)
        self._fields = fields if plain else None
        self._getter: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = (
            _getter(tuple(name for _, name in fields)) if plain and not prefixes else None
        )

    def decode(
        self, objects: Sequence[Mapping[str, Any]], sideloads: Mapping[str, Any], where: str
    ) -> list[list[Any]]:
        """The rows of ``objects``, related ones found in ``sideloads``.

        Args:
            objects: the primary objects of a page.
            sideloads: the answer holding the sideloaded objects.
            where: ``"METHOD url"`` for error messages.
        """
        if self._getter is not None:
            try:
                return list(map(list, map(self._getter, objects)))
            except (KeyError, TypeError):
                pass  # a malformed object: the general path gives the exact failure
        index = _Index(sideloads)
        rows: list[list[Any]] = []
        for obj in objects:
            for binding in self._bindings(obj, index):
                rows.extend(self._rows(binding, where))
        return rows

    def _bindings(self, obj: Mapping[str, Any], index: _Index) -> list[Binding]:
        bindings: list[Binding] = [[obj]]
        for parent_slot, hop in self._steps:
            expanded: list[Binding] = []
            for binding in bindings:
                parent = binding[parent_slot]
                value = None if parent is None else parent.get(hop.name)
                if isinstance(value, list):
                    # A to-many hop: one row per related object, one null row when there is none.
                    targets = [_resolve(v, hop, index) for v in value] or (
                        [] if hop.inner else [None]
                    )
                    expanded.extend([*binding, target] for target in targets)
                else:
                    # A to-one hop: the binding is this object's alone, extend it in place.
                    binding.append(_resolve(value, hop, index))
                    expanded.append(binding)
            bindings = expanded
        return bindings

    def _rows(self, binding: Binding, where: str) -> Iterable[list[Any]]:
        if self._fields is not None:
            try:
                return ([binding[slot][name] for slot, name in self._fields],)  # type: ignore[index]
            except (KeyError, TypeError):
                pass  # a null related object or a missing field: read column by column
        return self._checked_rows(binding, where)

    def _checked_rows(self, binding: Binding, where: str) -> Iterator[list[Any]]:
        row: list[Any] = []
        fan: tuple[int, list[Any]] | None = None
        for position, (slot, column) in enumerate(self._columns):
            if column.name is None:
                row.append(column.constant)
                continue
            obj = binding[slot]
            if obj is None:
                row.append(None)
                continue
            if column.name not in obj:
                raise _protocol(
                    where, f"field {column.name!r} missing from an object: {dict(obj)!r}"
                )
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


def _getter(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    if len(names) == 1:
        (name,) = names
        return lambda obj: (obj[name],)
    return itemgetter(*names)
