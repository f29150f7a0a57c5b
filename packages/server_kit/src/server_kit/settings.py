"""The ``RESTBRIDGE`` settings dict, read lazily and re-read when a test overrides it.

>>> from server_kit.settings import api_settings
>>> api_settings.PAGE_SIZE
50
"""

from __future__ import annotations

from typing import Any, Final

from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["DEFAULTS", "RestbridgeSettings", "api_settings"]

DEFAULTS: Final[dict[str, Any]] = {
    # Rows per page when the request names no per_page (None: every list is paginated anyway,
    # with this default, so that no list is materialised whole).
    "PAGE_SIZE": 50,
    # Largest per_page; larger requests are clamped (dynamic-rest) or refused.
    "MAX_PER_PAGE": 1000,
    # "clamp" silently lowers per_page to MAX_PER_PAGE; "reject" answers 400.
    "PER_PAGE_OVERFLOW": "clamp",
    # Most relations one path crosses: include/expand (``expand=a.b.c`` is 3), filter and
    # sort (``filter{a.b.name}`` is 2), any()/all() and filter{rel|...} (nested ones add up).
    "MAX_DEPTH": 4,
    # Most relations the filter and sort paths of one request cross together (each is a
    # subquery).
    "MAX_JOINS": 20,
    # Most to-many relations one sort key crosses (each multiplies the rows compared per row).
    "MAX_SORT_TO_MANY": 1,
    # Longest query string, in bytes as received.
    "MAX_QUERY_LENGTH": 8000,
    # Largest filter expression (leaves plus AND/OR/NOT/any/all nodes).
    "MAX_EXPRESSION_NODES": 200,
    # Most values in one ``in`` list.
    "MAX_IN_VALUES": 1000,
    # Deepest nesting of objects and lists in a JSON request body.
    "MAX_BODY_DEPTH": 64,
    # Most items in one bulk write.
    "MAX_BULK_ITEMS": 1000,
    # ``links`` blocks on objects, pointing at relation routes.
    "ENABLE_LINKS": True,
    # Included relations go to top-level keys (True) or inline (False) unless the request says.
    "SIDELOADING": True,
    # Prefix of the sideload key for objects of the primary type.
    "ADDITIONAL_PRIMARY_RESOURCE_PREFIX": "+",
    # To-many relations are deferred (absent unless included) by default.
    "DEFER_MANY_RELATIONS": False,
    # Unknown names in include/expand/fields/omit/filter/sort answer 400 (False: ignored).
    "STRICT": True,
}


class RestbridgeSettings:
    """Attribute access to ``settings.RESTBRIDGE`` merged over :data:`DEFAULTS`."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        from django.conf import settings

        user: dict[str, Any] = dict(getattr(settings, "RESTBRIDGE", None) or {})
        unknown = sorted(set(user) - set(DEFAULTS))
        if unknown:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"Unknown RESTBRIDGE setting(s) {unknown!r}; valid keys are {sorted(DEFAULTS)!r}."
            )
        return {**DEFAULTS, **user}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"{name!r} is not a RESTBRIDGE setting")
        if self._cache is None:
            self._cache = self._load()
        return self._cache[name]

    def reload(self) -> None:
        """Forget the cached values; the next access reads ``settings.RESTBRIDGE`` again."""
        self._cache = None


api_settings = RestbridgeSettings()


@receiver(setting_changed)
def _reload_settings(*, setting: str, **kwargs: object) -> None:
    if setting == "RESTBRIDGE":
        api_settings.reload()
