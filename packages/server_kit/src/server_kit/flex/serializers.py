"""``FlexFieldsSerializerMixin`` / ``FlexFieldsModelSerializer``: drf-flex-fields' serializers.

``expand``, ``fields`` and ``omit`` come as keyword arguments (list or comma string) or, for the
root serializer, from ``context["request"]``'s query string, so any DRF view works. The parameter
names and limits are ``REST_FLEX_FIELDS`` settings read when a serializer is built; this module's
``EXPAND_PARAM`` ... ``RECURSIVE_EXPANSION_PERMITTED`` resolve lazily (and may be overridden).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.module_loading import import_string
from rest_framework import serializers

from shared_querylang import Path, Selection

from ..selection import selection_from_options
from .utils import DEFAULTS, flex_setting, query_values

_OPTIONS = {"expand": "EXPAND_PARAM", "fields": "FIELDS_PARAM", "omit": "OMIT_PARAM"}


def __getattr__(name: str) -> Any:
    if name in DEFAULTS:
        return flex_setting(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _setting(name: str) -> Any:
    # A value assigned to this module (e.g. by a test's patch) wins over the settings dict.
    return globals()[name] if name in globals() else flex_setting(name)


def _tree(paths: tuple[Path, ...]) -> dict[str, list[str]]:
    """``(("a", "b"), ("c",))`` -> ``{"a": ["b"], "c": []}``: each first name and its tails."""
    tree: dict[str, list[str]] = {}
    for head, *tail in paths:
        tree.setdefault(head, [])
        if tail:
            tree[head].append(".".join(tail))
    return tree


def _serializer_class(spec: Any) -> Any:
    """A class, or a lazy string naming one.

    ``"pkg.module.Serializer"``, or ``"app.Serializer"`` for the app's ``serializers`` module.
    """
    if not isinstance(spec, str):
        return spec
    try:
        return import_string(spec)
    except ImportError:
        module, _, name = spec.rpartition(".")
        return import_string(f"{module}.serializers.{name}")


class FlexFieldsSerializerMixin:
    """Adds drf-flex-fields' ``expandable_fields``, ``expand``, ``fields`` and ``omit``."""

    expandable_fields: ClassVar[dict[str, Any]] = {}
    maximum_expansion_depth: int | None = None
    recursive_expansion_permitted: bool | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = {option: _setting(key) for option, key in _OPTIONS.items()}
        given = {option: kwargs.pop(name) for option, name in names.items() if name in kwargs}
        super().__init__(*args, **kwargs)
        context: dict[str, Any] = getattr(self, "_context", {})
        request = context.get("request")
        values = {
            option: given[option] if option in given else query_values(request, name)
            for option, name in names.items()
        }
        permitted = context.get("permitted_expands")
        if permitted is not None and "expand" not in given:
            values["expand"] = [path for path in values["expand"] if path in permitted]
        # The one parser of fields/omit/expand, shared with the dynamic-rest side.
        self.flex_selection: Selection = selection_from_options(**values)
        self._check_expansion(self.flex_selection.expand)
        # Each option by first name (and what passes below it), computed once per serializer.
        self._trees = {option: _tree(getattr(self.flex_selection, option)) for option in _OPTIONS}
        self._expansion_applied = False

    @property
    def expanded_fields(self) -> list[str]:
        """The names expanded at this level."""
        return list(self._expanded_names())

    def _check_expansion(self, expand: tuple[Path, ...]) -> None:
        depth = self.maximum_expansion_depth
        if depth is None:
            depth = _setting("MAXIMUM_EXPANSION_DEPTH")
        recursive = self.recursive_expansion_permitted
        if recursive is None:
            recursive = _setting("RECURSIVE_EXPANSION_PERMITTED")
        for path in expand:
            if depth is not None and len(path) > depth:
                self.expansion_depth_exceeded()
            if not recursive and len(set(path)) < len(path):
                self.recursive_expansion_not_permitted()

    def expansion_depth_exceeded(self) -> None:
        """Called for an expand path deeper than the maximum; raises a ValidationError."""
        raise serializers.ValidationError({"expand": ["Expansion depth exceeded."]})

    def recursive_expansion_not_permitted(self) -> None:
        """Called for an expand path naming a field twice; raises a ValidationError."""
        raise serializers.ValidationError({"expand": ["Recursive expansion found."]})

    def _expandable(self) -> dict[str, Any]:
        meta = getattr(getattr(self, "Meta", None), "expandable_fields", None) or {}
        return {**meta, **self.expandable_fields}

    def _kept(self, name: str) -> bool:
        sparse, omit = self._trees["fields"], self._trees["omit"]
        wildcards = set(_setting("WILDCARD_VALUES") or ())
        if name in omit and not omit[name]:
            return False
        return not sparse or bool(wildcards & set(sparse)) or name in sparse

    def _expanded_names(self) -> list[str]:
        expand = self._trees["expand"]
        expandable = self._expandable()
        if set(_setting("WILDCARD_VALUES") or ()) & set(expand):
            names = list(expandable)
        else:
            names = [name for name in expand if name in expandable]
        return [name for name in names if self._kept(name)]

    def get_fields(self) -> dict[str, Any]:
        """DRF's fields, less the sparse and omitted ones."""
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        return {name: field for name, field in fields.items() if self._kept(name)}

    def expanded_serializers(self) -> dict[str, Any]:
        """The fields (nested serializers, method fields ...) the expansion puts at this level."""
        expandable = self._expandable()
        return {
            name: self._expanded_field(name, expandable[name]) for name in self._expanded_names()
        }

    def to_representation(self, instance: Any) -> Any:
        """Renders with the expanded fields nested (only output expands: input keeps the ids)."""
        if not self._expansion_applied:
            for name, field in self.expanded_serializers().items():
                self.fields[name] = field  # type: ignore[attr-defined]
            self._expansion_applied = True
        return super().to_representation(instance)  # type: ignore[misc]

    def _expanded_field(self, name: str, spec: Any) -> Any:
        target, options = spec if isinstance(spec, tuple) else (spec, {})
        field_class = _serializer_class(target)
        kwargs = dict(options)
        if isinstance(field_class, type) and issubclass(field_class, FlexFieldsSerializerMixin):
            for option, key in _OPTIONS.items():
                kwargs[_setting(key)] = self._trees[option].get(name, [])
        return field_class(**kwargs)


class FlexFieldsModelSerializer(FlexFieldsSerializerMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """A ``ModelSerializer`` with drf-flex-fields' expansion and sparse fields."""
