"""Resolve include[]/exclude[]/fields/omit/expand against a serializer into a render plan.

At each level (querylang-design §3.1): start from the default fields, apply ``exclude[]``,
then ``include[]``, then the ``fields`` whitelist, then ``omit``, then ``expand`` (which
never brings back a field that ``fields`` or ``omit`` removed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Literal

from shared_querylang import Path, Selection

from ._types import SerializerClass
from .exceptions import LimitExceeded, UnknownField
from .fields import DynamicGenericRelationField, DynamicRelationField
from .plan import Plan
from .settings import api_settings

__all__ = ["build_plan", "selection_from_options"]

Kind = Literal["include[]", "exclude[]", "fields", "omit", "expand"]
_KINDS: tuple[tuple[Kind, str], ...] = (
    ("exclude[]", "exclude"),
    ("include[]", "include"),
    ("fields", "fields"),
    ("omit", "omit"),
    ("expand", "expand"),
)


def _as_paths(value: str | Iterable[str] | None) -> tuple[Path, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(tuple(item.strip().split(".")) for item in items if item.strip())


def selection_from_options(
    *,
    fields: str | Iterable[str] | None = None,
    omit: str | Iterable[str] | None = None,
    expand: str | Iterable[str] | None = None,
    include: str | Iterable[str] | None = None,
    exclude: str | Iterable[str] | None = None,
) -> Selection:
    """A :class:`Selection` from serializer keyword arguments (lists or comma strings)."""
    return Selection(
        include=_as_paths(include),
        exclude=_as_paths(exclude),
        fields=_as_paths(fields),
        omit=_as_paths(omit),
        expand=_as_paths(expand),
    )


class _Choice:
    """The fields chosen at one level, the relations loaded and what passes below.

    Args:
        chosen: the default fields (the non-deferred ones).
    """

    def __init__(self, chosen: set[str]) -> None:
        self.chosen = chosen
        #: Relation name -> requested through ``expand`` (rendered inline).
        self.loads: dict[str, bool] = {}
        self.below: dict[str, dict[Kind, list[Path]]] = defaultdict(lambda: defaultdict(list))
        self.limited = False
        self.allowed: Mapping[str, list[Path]] = {}
        self.omitted: set[str] = set()

    def pass_down(self, kind: Kind, name: str, tails: list[Path]) -> bool:
        """Hand the non-empty ``tails`` to relation ``name``; whether there were any."""
        deeper = [tail for tail in tails if tail]
        self.below[name][kind].extend(deeper)
        return bool(deeper)

    def include_exclude(
        self, included: Mapping[str, list[Path]], excluded: Mapping[str, list[Path]]
    ) -> None:
        """dynamic-rest's ``exclude[]`` then ``include[]``; a name in both is excluded."""
        if "*" in excluded:
            self.chosen.clear()
        dropped = {name for name, tails in excluded.items() if () in tails and name != "*"}
        for name, tails in excluded.items():
            if name != "*" and self.pass_down("exclude[]", name, tails):
                # Excluding a field below a relation loads it (dynamic-rest: exclude[]=a.b
                # sideloads ``a`` without ``b``).
                self.loads.setdefault(name, False)
                self.chosen.add(name)
        for name, tails in included.items():
            if name == "*":
                continue  # include[]=* adds nothing: deferred fields stay deferred
            self.chosen.add(name)
            if self.pass_down("include[]", name, tails):
                self.loads.setdefault(name, False)
        self.chosen -= dropped

    def embed_defaults(self, all_fields: Mapping[str, object]) -> None:
        """Relations declared ``embed=True`` render their objects whenever they are shown."""
        for name in self.chosen:
            field = all_fields[name]
            if isinstance(field, DynamicRelationField) and field.embed:
                self.loads.setdefault(name, True)

    def whitelist(self, fields: Mapping[str, list[Path]], omit: Mapping[str, list[Path]]) -> None:
        """drf-flex-fields' ``fields`` then ``omit``."""
        self.limited = bool(fields) and "*" not in fields
        self.allowed = fields
        if self.limited:
            self.chosen = set(fields)
        for name, tails in fields.items():
            if name != "*":
                self.pass_down("fields", name, tails)
        self.omitted = {name for name, tails in omit.items() if () in tails}
        for name, tails in omit.items():
            self.pass_down("omit", name, tails)
        self.chosen -= self.omitted

    def expand(self, targets: list[str], expand: Mapping[str, list[Path]]) -> None:
        """``expand``, which never brings back what ``fields`` or ``omit`` removed."""
        for name in targets:
            if name == "*" or name in self.omitted or (self.limited and name not in self.allowed):
                continue  # fields beats expand, and omit too: nothing spent on it
            self.chosen.add(name)
            self.loads[name] = True
            self.pass_down("expand", name, expand.get(name, []))


class _Builder:
    def __init__(self, *, sideloading: bool | None, strict: bool, max_depth: int) -> None:
        self.sideloading = sideloading
        self.strict = strict
        self.max_depth = max_depth

    def _group(
        self,
        kind: Kind,
        paths: Iterable[Path],
        names: Mapping[str, object],
        serializer_class: SerializerClass,
        trail: Path,
    ) -> dict[str, list[Path]]:
        grouped: dict[str, list[Path]] = defaultdict(list)
        for path in paths:
            head, tail = path[0], path[1:]
            if head == "*" and tail:
                raise UnknownField(
                    f"{'.'.join((*trail, *path))!r} is not a valid {kind} path: "
                    "'*' must be the last segment.",
                    parameter=kind,
                )
            if head != "*" and head not in names:
                if not self.strict:
                    continue
                raise UnknownField(
                    f"{head!r} is not a valid field name for "
                    f"{serializer_class.resource_name()!r}"
                    + (f" (in {'.'.join(trail)!r})" if trail else "")
                    + f"; valid names: {', '.join(sorted(names))}.",
                    parameter=kind,
                    field=".".join((*trail, head)),
                )
            grouped[head].append(tail)
        return grouped

    def level(
        self,
        serializer_class: SerializerClass,
        selection: Mapping[Kind, list[Path]],
        trail: Path,
    ) -> Plan:
        """The plan for one serializer level, and recursively for the relations it loads."""
        all_fields = serializer_class.field_map()
        grouped = {
            kind: self._group(kind, selection.get(kind, ()), all_fields, serializer_class, trail)
            for kind, _ in _KINDS
        }
        deferred = serializer_class.deferred_names()
        choice = _Choice({name for name in all_fields if name not in deferred})
        choice.include_exclude(grouped["include[]"], grouped["exclude[]"])
        choice.embed_defaults(all_fields)
        choice.whitelist(grouped["fields"], grouped["omit"])
        expand = grouped["expand"]
        targets = list(expand)
        if "*" in expand:
            targets = [n for n, f in all_fields.items() if isinstance(f, DynamicRelationField)]
        choice.expand(targets, expand)
        children: dict[str, Plan] = {}
        embedded: set[str] = set()
        generic: set[str] = set()
        for name, inline in choice.loads.items():
            if name not in choice.chosen:
                continue
            if isinstance(all_fields[name], DynamicGenericRelationField):
                _whole_objects_only(choice.below[name], (*trail, name))
                generic.add(name)
                continue
            relation = self._relation(all_fields[name], (*trail, name))
            children[name] = self.level(
                relation.serializer_class, choice.below[name], (*trail, name)
            )
            if self._inline(relation, inline):
                embedded.add(name)
        return Plan(
            serializer_class=serializer_class,
            fields=tuple(name for name in all_fields if name in choice.chosen),
            children=children,
            embedded=frozenset(embedded),
            generic=frozenset(generic),
        )

    def _relation(self, field: object, path: Path) -> DynamicRelationField:
        """``field``, checked to be a relation that may load objects at ``path``."""
        if not isinstance(field, DynamicRelationField):
            raise UnknownField(
                f"{'.'.join(path)!r} is not a relation: it cannot be included or expanded.",
                field=".".join(path),
            )
        if len(path) > self.max_depth:
            raise LimitExceeded(
                f"{'.'.join(path)!r} is {len(path)} levels deep; "
                f"the limit MAX_DEPTH is {self.max_depth}.",
                limit="MAX_DEPTH",
                value=len(path),
                field=".".join(path),
            )
        return field

    def _inline(self, relation: DynamicRelationField, by_expand: bool) -> bool:
        if self.sideloading is not None:
            return not self.sideloading
        return relation.embed or by_expand or not api_settings.SIDELOADING


def _whole_objects_only(below: Mapping[Kind, list[Path]], path: Path) -> None:
    """A generic relation's targets have no one field set: only ``pet.`` may name them."""
    for paths in below.values():
        for tail in paths:
            if tail != ("*",):
                raise UnknownField(
                    f"{'.'.join((*path, *tail))!r}: fields of a generic relation's targets "
                    "cannot be selected; include the relation with a trailing dot.",
                    field=".".join(path),
                )


def build_plan(
    serializer_class: SerializerClass,
    selection: Selection = Selection(),  # noqa: B008 - immutable
    *,
    sideloading: bool | None = None,
    strict: bool | None = None,
) -> Plan:
    """Resolve ``selection`` against ``serializer_class``.

    Raises:
        UnknownField: a name the serializer does not expose (when strict), or a
            path through a field that is not a relation.
        LimitExceeded: an include or expand path deeper than ``MAX_DEPTH``.
    """
    builder = _Builder(
        sideloading=sideloading,
        strict=api_settings.STRICT if strict is None else strict,
        max_depth=api_settings.MAX_DEPTH,
    )
    top: dict[Kind, list[Path]] = {kind: list(getattr(selection, attr)) for kind, attr in _KINDS}
    return builder.level(serializer_class, top, ())
