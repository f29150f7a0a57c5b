"""drf-flex-fields settings, wildcards and request helpers (``is_expanded``, ``is_included``).

The ``REST_FLEX_FIELDS`` settings dict is read when a value is needed, never at import time:
``from server_kit.flex import EXPAND_PARAM`` resolves through :func:`__getattr__`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

WILDCARD_ALL = "~all"
WILDCARD_ASTERISK = "*"

DEFAULTS: dict[str, Any] = {
    "EXPAND_PARAM": "expand",
    "FIELDS_PARAM": "fields",
    "OMIT_PARAM": "omit",
    "MAXIMUM_EXPANSION_DEPTH": None,
    "RECURSIVE_EXPANSION_PERMITTED": True,
    "WILDCARD_VALUES": [WILDCARD_ALL, WILDCARD_ASTERISK],
}


def flex_setting(name: str) -> Any:
    """The current value of one ``REST_FLEX_FIELDS`` setting (or its default)."""
    configured: dict[str, Any] = getattr(settings, "REST_FLEX_FIELDS", {}) or {}
    return configured.get(name, DEFAULTS[name])


def __getattr__(name: str) -> Any:
    if name in DEFAULTS:
        return flex_setting(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def split_values(value: str | Iterable[str] | None) -> list[str]:
    """A list or comma string of names (as a kwarg or query parameter gives it) as a list."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [part for item in items for part in item.split(",") if part]


def query_values(request: Any, param: str) -> list[str]:
    """``param`` from the request's query string: repeated, ``param[]`` or comma-separated."""
    params = getattr(request, "query_params", None)
    if params is None:
        return []
    if hasattr(params, "getlist"):
        return split_values([*params.getlist(param), *params.getlist(f"{param}[]")])
    return split_values(params.get(param))


def _segments(values: list[str]) -> set[str]:
    return {segment for value in values for segment in value.split(".")}


def is_expanded(request: Any, field: str) -> bool:
    """Whether the request's expand parameter names ``field`` at any depth (or a wildcard)."""
    expand = query_values(request, flex_setting("EXPAND_PARAM"))
    wildcards = set(flex_setting("WILDCARD_VALUES") or ())
    return bool(wildcards & set(expand)) or field in _segments(expand)


def is_included(request: Any, field: str) -> bool:
    """Whether the request's sparse fields and omit parameters keep ``field``."""
    sparse = query_values(request, flex_setting("FIELDS_PARAM"))
    omit = query_values(request, flex_setting("OMIT_PARAM"))
    if field in _segments(omit):
        return False
    return not sparse or field in _segments(sparse)
