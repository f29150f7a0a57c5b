"""Canned API answers for tests, in django-rest-models' fixture format.

A fixture set maps a URL (relative to the API root, or starting with ``/`` for a path on
the API host; ``%(name)s`` placeholders are filled from variables) to a list of answers,
each ``{"filter": {...} | [{...}, ...], "data": ..., "status_code": ...}``. An answer is
used when one of its filters is contained in the request's middleware ``params``
(:func:`dict_contains`). A value may also be a path to a JSON file holding such a list,
and whole sets may be JSON files mapping URLs to lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["JsonFixtures", "Path", "dict_contains"]


def dict_contains(subdict: Mapping[str, Any], maindict: Mapping[str, Any]) -> bool:
    """Whether every key of ``subdict`` is in ``maindict`` with the same value.

    Nested mappings are compared the same way; a set in ``maindict`` matches any
    collection of the same members (``include[]`` lists are unordered).
    """
    for key, expected in subdict.items():
        if key not in maindict:
            return False
        actual = maindict[key]
        if isinstance(actual, Mapping) and isinstance(expected, Mapping):
            if not dict_contains(expected, actual):
                return False
        elif isinstance(actual, set | frozenset):
            if not isinstance(expected, list | tuple | set | frozenset) or set(expected) != actual:
                return False
        elif actual != expected:
            return False
    return True


def _read(path: str | Path) -> Any:
    try:
        with Path(path).open(encoding="utf-8") as stream:
            return json.load(stream)
    except ValueError as error:
        raise ValueError(f"error while loading the fixture {str(path)!r}: {error}") from error


class JsonFixtures:
    """URL -> answers, from mappings, other ``JsonFixtures`` and JSON files.

    Answers given later come first (they override earlier ones).
    """

    def __init__(self, *sources: Any, **answers: Any) -> None:
        self._files: list[str | Path] = []
        self._answers: dict[str, list[Any]] = {}
        self.variables: Mapping[str, Any] = {}
        self._loaded: dict[str, list[Any]] | None = None
        self.update(*sources, **answers)

    def update(self, *sources: Any, **answers: Any) -> None:
        """Add answers per URL (keywords) and fixture sets (mappings, files, fixtures)."""
        self._loaded = None
        for url, value in answers.items():
            values = list(value) if isinstance(value, list | tuple) else [value]
            self._answers[url] = values + self._answers.get(url, [])
        for source in sources:
            if isinstance(source, str | bytes | Path):
                self._files.append(source.decode() if isinstance(source, bytes) else source)
            elif isinstance(source, Mapping):
                self.update(**source)
            elif isinstance(source, JsonFixtures):
                self.update(**source._load())
            else:
                raise ValueError(f"{type(source).__name__} is not a fixture source.")

    def set_variable(self, variables: Mapping[str, Any]) -> JsonFixtures:
        """Fill ``%(name)s`` placeholders in URLs from ``variables`` (read at lookup)."""
        self.variables = variables
        return self

    def _load(self) -> dict[str, list[Any]]:
        if self._loaded is not None:
            return self._loaded
        loaded: dict[str, list[Any]] = {}
        for file in self._files:
            for url, value in _read(file).items():
                loaded.setdefault(url, []).extend(value if isinstance(value, list) else [value])
        for url, values in self._answers.items():
            for value in values:
                value = _read(value) if isinstance(value, Path) else value
                loaded.setdefault(url, []).extend(value if isinstance(value, list) else [value])
        self._loaded = loaded
        return loaded

    def items(self) -> Iterator[tuple[str, list[Any]]]:
        """``(url, answers)`` with placeholders filled; URLs missing a variable are left out."""
        for url, values in self._load().items():
            if "%(" not in url:
                yield url, values  # no placeholder: a literal "%" stays as it is
                continue
            try:
                yield url % self.variables, values
            except KeyError:
                continue

    def __getitem__(self, url: str) -> list[Any]:
        for candidate, values in self.items():
            if candidate == url:
                return values
        raise KeyError(url)
