"""The ``RESTBRIDGE`` settings dict, read lazily and re-read when a test overrides it.

dynamic-rest's ``DYNAMIC_REST`` dict is honoured under its own name (its keys, translated
where ours are spelled differently); ``RESTBRIDGE`` keys win where both are set.

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
    # dynamic-rest's keys that have no restbridge spelling of their own.
    # Links are host-relative (``/users/1/groups/``) rather than relative to the resource.
    "ENABLE_HOST_RELATIVE_LINKS": True,
    # DynamicHashIdField: hash ids need both (the salt is the secret).
    "ENABLE_HASHID_FIELDS": False,
    "HASHIDS_SALT": None,
    # Accepted for dynamic-rest settings files without effect: ``?debug`` shows ``_meta``
    # blocks, and restbridge's caches are always on.
    "DEBUG": False,
    "ENABLE_SERIALIZER_CACHE": True,
    "ENABLE_SERIALIZER_OBJECT_CACHE": True,
    "ENABLE_SERIALIZER_OPTIMIZATIONS": True,
    "ENABLE_FIELDS_CACHE": False,
    "ENABLE_BROWSABLE_API": True,
    # Bulk and patch-all switches: restbridge's bulk writes are always atomic and on.
    "ENABLE_BULK_PARTIAL_CREATION": False,
    "ENABLE_BULK_UPDATE": True,
    "ENABLE_PATCH_ALL": True,
    # The list serializer class (``None``: ``DynamicListSerializer``).
    "LIST_SERIALIZER_CLASS": None,
    # Query parameter names are those of the wire protocol; other spellings are refused.
    "PAGE_QUERY_PARAM": "page",
    "PAGE_SIZE_QUERY_PARAM": "per_page",
    "EXCLUDE_COUNT_QUERY_PARAM": "exclude_count",
    # 4xx bodies: "restbridge" (``{"detail", "errors": [...]}``) or "dynamic-rest" (DRF's
    # own shapes, as dynamic-rest answers them) for clients that parse those. The default
    # is "dynamic-rest" when settings still have a ``DYNAMIC_REST`` dict and "restbridge"
    # otherwise; ``RESTBRIDGE = {"ERROR_FORMAT": ...}`` decides.
    "ERROR_FORMAT": "restbridge",
}

#: ``DYNAMIC_REST`` keys spelled differently here (``None`` values there mean "the default").
_DYNAMIC_REST_NAMES: Final[dict[str, str]] = {"MAX_PAGE_SIZE": "MAX_PER_PAGE"}


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
        merged = {**DEFAULTS, **_from_dynamic_rest(settings), **user}
        if getattr(settings, "DYNAMIC_REST", None) is not None and "ERROR_FORMAT" not in user:
            # A project still configured as dynamic-rest gets the 400 bodies its clients parse.
            merged["ERROR_FORMAT"] = "dynamic-rest"
        return merged

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"{name!r} is not a RESTBRIDGE setting")
        if self._cache is None:
            self._cache = self._load()
        return self._cache[name]

    def reload(self) -> None:
        """Forget the cached values; the next access reads ``settings.RESTBRIDGE`` again."""
        self._cache = None


def _from_dynamic_rest(settings: Any) -> dict[str, Any]:
    """The known keys of ``settings.DYNAMIC_REST`` under our names; ``None`` values dropped."""
    legacy: dict[str, Any] = dict(getattr(settings, "DYNAMIC_REST", None) or {})
    named = {_DYNAMIC_REST_NAMES.get(key, key): value for key, value in legacy.items()}
    return {key: value for key, value in named.items() if key in DEFAULTS and value is not None}


api_settings = RestbridgeSettings()


@receiver(setting_changed)
def _reload_settings(*, setting: str, **kwargs: object) -> None:
    if setting in ("RESTBRIDGE", "DYNAMIC_REST"):
        api_settings.reload()
