"""dynamic-rest's serializer arguments (``request_fields``, ``only_fields`` ...) as a selection.

``request_fields`` is a tree: ``True`` includes a field, ``False`` excludes it, a dict
includes a relation with its objects (``{}``: their default fields) and applies the dict
one level down. ``only_fields`` renders just those names, ``include_fields`` adds names
(``"*"``: every field), ``exclude_fields`` removes names (``"*"``: every field not
explicitly included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared_querylang import Path, Selection

__all__ = ["merge_selections", "request_fields_from_selection", "selection_from_request_fields"]


def _walk(tree: Mapping[str, Any], prefix: Path, include: list[Path], exclude: list[Path]) -> None:
    for name, value in tree.items():
        path = (*prefix, name)
        if value is False:
            exclude.append(path)
        elif isinstance(value, Mapping):
            include.append((*path, "*"))
            _walk(value, path, include, exclude)
        elif value:
            include.append(path)


def selection_from_request_fields(
    request_fields: Mapping[str, Any] | None,
    *,
    only_fields: Iterable[str] | None = None,
    include_fields: Iterable[str] | str | None = None,
    exclude_fields: Iterable[str] | str | None = None,
    all_fields: Iterable[str] = (),
) -> Selection:
    """The :class:`Selection` these dynamic-rest arguments ask for."""
    include: list[Path] = []
    exclude: list[Path] = []
    _walk(request_fields or {}, (), include, exclude)
    if only_fields:
        exclude_fields, include_fields = "*", list(only_fields)
    if include_fields == "*":
        include_fields = list(all_fields)
    named = [(name,) for name in include_fields or ()]
    include.extend(named)
    if exclude_fields == "*":
        exclude.append(("*",))
    else:
        exclude.extend((name,) for name in exclude_fields or ())
    # An explicitly included name beats an exclusion (as dynamic-rest's arguments combine).
    exclude = [path for path in exclude if path not in named]
    return Selection(include=tuple(include), exclude=tuple(exclude))


def merge_selections(first: Selection, second: Selection) -> Selection:
    """Both selections' paths together."""
    return Selection(
        include=first.include + second.include,
        exclude=first.exclude + second.exclude,
        fields=first.fields + second.fields,
        omit=first.omit + second.omit,
        expand=first.expand + second.expand,
    )


def request_fields_from_selection(
    selection: Selection, *, include: bool = True, exclude: bool = True
) -> dict[str, Any]:
    """dynamic-rest's field tree for a request's ``include[]`` / ``exclude[]`` paths.

    ``include`` / ``exclude`` say whether the view honours each parameter.
    """
    tree: dict[str, Any] = {}
    marked = [(path, True) for path in selection.include] if include else []
    marked += [(path, False) for path in selection.exclude] if exclude else []
    for path, value in marked:
        node = tree
        for name in path[:-1]:
            child = node.get(name)
            if not isinstance(child, dict):
                child = node[name] = {}
            node = child
        if path[-1] == "*":
            continue  # ``a.*``: the relation's objects with their default fields
        if not isinstance(node.get(path[-1]), dict):
            node[path[-1]] = value
    return tree
