"""Resolve include[]/exclude[]/fields/omit/expand against a serializer into a render plan.

At each level (querylang-design §3.1): start from the default fields, apply ``exclude[]``,
then ``include[]``, then the ``fields`` whitelist, then ``omit``, then ``expand`` (which
never brings back a field that ``fields`` or ``omit`` removed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from shared_querylang import Path, Selection

from .exceptions import LimitExceeded, UnknownField
from .fields import DynamicGenericRelationField, DynamicRelationField
from .settings import api_settings

if TYPE_CHECKING:
    from .serializers import DynamicModelSerializer

__all__ = ["Plan", "build_plan", "selection_from_options"]

Kind = Literal["include[]", "exclude[]", "fields", "omit", "expand"]
_KINDS: tuple[tuple[Kind, str], ...] = (
    ("exclude[]", "exclude"),
    ("include[]", "include"),
    ("fields", "fields"),
    ("omit", "omit"),
    ("expand", "expand"),
)


@dataclass(frozen=True, slots=True)
class Plan:
    """What one serializer level renders.

    Attributes:
        serializer_class: the serializer this plan is for.
        fields: names of the fields to render, in declaration order.
        children: plans for relations whose objects are loaded, by field name.
        embedded: which of ``children`` render inline (the others are sideloaded).
        generic: generic relations rendered with their target objects.
    """

    serializer_class: type[DynamicModelSerializer]
    fields: tuple[str, ...]
    children: Mapping[str, Plan] = field(default_factory=dict)
    embedded: frozenset[str] = frozenset()
    #: Generic relations whose targets are loaded and sideloaded (``include[]=pet.``).
    generic: frozenset[str] = frozenset()

    def paths(self, prefix: Path = ()) -> Iterable[Path]:
        """Every loaded relation path, parents first."""
        for name, child in self.children.items():
            yield (*prefix, name)
            yield from child.paths((*prefix, name))


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
        serializer_class: type[DynamicModelSerializer],
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
        serializer_class: type[DynamicModelSerializer],
        selection: Mapping[Kind, list[Path]],
        trail: Path,
    ) -> Plan:
        all_fields = serializer_class.field_map()
        deferred = serializer_class.deferred_names()
        grouped = {
            kind: self._group(kind, selection.get(kind, ()), all_fields, serializer_class, trail)
            for kind, _ in _KINDS
        }
        chosen = {name for name in all_fields if name not in deferred}
        loads: dict[str, bool] = {}  # relation name -> requested through expand (inline)
        below: dict[str, dict[Kind, list[Path]]] = defaultdict(lambda: defaultdict(list))

        def pass_down(kind: Kind, name: str, tails: list[Path]) -> bool:
            deeper = [tail for tail in tails if tail]
            below[name][kind].extend(deeper)
            return bool(deeper)

        excluded = grouped["exclude[]"]
        if "*" in excluded:
            chosen.clear()
        dropped = {name for name, tails in excluded.items() if () in tails and name != "*"}
        for name, tails in excluded.items():
            if name != "*" and pass_down("exclude[]", name, tails):
                # Excluding a field below a relation loads it (dynamic-rest: exclude[]=a.b
                # sideloads ``a`` without ``b``).
                loads.setdefault(name, False)
                chosen.add(name)
        for name, tails in grouped["include[]"].items():
            if name == "*":
                continue  # include[]=* adds nothing: deferred fields stay deferred
            chosen.add(name)
            if pass_down("include[]", name, tails):
                loads.setdefault(name, False)
        chosen -= dropped  # a name in both lists is excluded (dynamic-rest)
        for name in chosen:  # embed=True relations render their objects whenever shown
            field = all_fields[name]
            if isinstance(field, DynamicRelationField) and field.embed:
                loads.setdefault(name, True)

        whitelist = grouped["fields"]
        limited = bool(whitelist) and "*" not in whitelist
        if limited:
            chosen = set(whitelist)
        for name, tails in whitelist.items():
            if name != "*":
                pass_down("fields", name, tails)

        omitted = {name for name, tails in grouped["omit"].items() if () in tails}
        for name, tails in grouped["omit"].items():
            pass_down("omit", name, tails)
        chosen -= omitted

        expand = grouped["expand"]
        targets = list(expand)
        if "*" in expand:
            targets = [n for n, f in all_fields.items() if isinstance(f, DynamicRelationField)]
        for name in targets:
            if name == "*" or name in omitted or (limited and name not in whitelist):
                continue  # fields beats expand, and omit too: nothing spent on it
            chosen.add(name)
            loads[name] = True
            pass_down("expand", name, expand.get(name, []))

        children: dict[str, Plan] = {}
        embedded: set[str] = set()
        generic: set[str] = set()
        for name, inline in loads.items():
            if name not in chosen:
                continue
            relation = all_fields[name]
            path = (*trail, name)
            if isinstance(relation, DynamicGenericRelationField):
                _whole_objects_only(below[name], path)
                generic.add(name)
                continue
            if not isinstance(relation, DynamicRelationField):
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
            children[name] = self.level(relation.serializer_class, below[name], path)
            if self._inline(relation, inline):
                embedded.add(name)
        return Plan(
            serializer_class=serializer_class,
            fields=tuple(name for name in all_fields if name in chosen),
            children=children,
            embedded=frozenset(embedded),
            generic=frozenset(generic),
        )

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
    serializer_class: type[DynamicModelSerializer],
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
