"""``DynamicModelSerializer``: a ``ModelSerializer`` that renders what the request selects."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from rest_framework import serializers
from rest_framework.fields import empty

from ._types import AnyField
from .fields import DynamicMethodField, DynamicRelationField
from .loading import Loader
from .naming import pluralize, underscore
from .plan import Plan
from .representation import RowRenderer
from .selection import build_plan, selection_from_options
from .settings import api_settings

__all__ = ["DynamicModelSerializer"]


class DynamicModelSerializer(serializers.ModelSerializer[Any]):
    """A model serializer with dynamic-rest and drf-flex-fields field selection.

    ``Meta`` takes ``model``, ``fields``, ``read_only_fields`` as usual, plus ``name``
    and ``plural_name`` (the envelope keys), and ``deferred_fields`` (absent unless
    included).

    Args:
        instance: as for DRF.
        data: as for DRF.
        plan: a resolved :class:`~server_kit.selection.Plan` (the viewsets pass one).
        fields: drf-flex-fields whitelist (list or comma string, dotted paths).
        omit: drf-flex-fields names to leave out.
        expand: drf-flex-fields relations to render inline.
        include: dynamic-rest ``include[]`` paths.
        exclude: dynamic-rest ``exclude[]`` paths.
        **kwargs: DRF serializer arguments (``many``, ``context``, ``partial`` ...).
    """

    serializer_related_field = serializers.PrimaryKeyRelatedField

    def __init__(
        self,
        instance: Any = None,
        data: Any = empty,
        *,
        plan: Plan | None = None,
        fields: str | Iterable[str] | None = None,
        omit: str | Iterable[str] | None = None,
        expand: str | Iterable[str] | None = None,
        include: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(instance, data, **kwargs)
        options = {"fields": fields, "omit": omit, "expand": expand}
        options |= {"include": include, "exclude": exclude}
        if plan is None and any(value is not None for value in options.values()):
            plan = build_plan(type(self), selection_from_options(**options))
        self._plan = plan

    # -- names ------------------------------------------------------------------------

    @classmethod
    def resource_name(cls) -> str:
        """``Meta.name``, else the model name in underscore form."""
        meta = cls.Meta
        return getattr(meta, "name", None) or underscore(meta.model.__name__)

    @classmethod
    def plural_name(cls) -> str:
        """``Meta.plural_name``, else the plural of :meth:`resource_name`."""
        return getattr(cls.Meta, "plural_name", None) or pluralize(cls.resource_name())

    @classmethod
    def model_class(cls) -> type[models.Model]:
        """``Meta.model`` (what other modules read: a Protocol cannot name ``Meta``)."""
        model: type[models.Model] = cls.Meta.model
        return model

    # -- fields -----------------------------------------------------------------------

    @classmethod
    def field_map(cls) -> Mapping[str, AnyField]:
        """Every field the serializer exposes, deferred ones included, bound and read-only.

        Computed once per class; used to resolve names in include, filter and sort.
        """
        return _field_map(cls)

    @classmethod
    def deferred_names(cls) -> frozenset[str]:
        """Fields rendered only when a request includes them."""
        names = set(getattr(cls.Meta, "deferred_fields", ()))
        defer_many = api_settings.DEFER_MANY_RELATIONS
        for name, field in cls.field_map().items():
            if isinstance(field, DynamicRelationField) and field.is_deferred(defer_many):
                names.add(name)
            elif isinstance(field, DynamicMethodField) and field.deferred:
                names.add(name)
        return frozenset(names)

    def build_fields(self) -> dict[str, AnyField]:
        """Every field, as ``ModelSerializer.get_fields`` builds them (once per class)."""
        fields: dict[str, AnyField] = super().get_fields()
        for name in getattr(self.Meta, "read_only_fields", ()):
            if isinstance(fields.get(name), DynamicRelationField):
                fields[name].read_only = True
        return fields

    def get_all_fields(self) -> dict[str, AnyField]:
        """Every field: fresh copies of :meth:`field_map`'s (no model introspection)."""
        return {name: _copy(field) for name, field in self.field_map().items()}

    @property
    def plan(self) -> Plan | None:
        """What this serializer renders; ``None`` renders every field (writes)."""
        return self._plan

    def get_fields(self) -> dict[str, AnyField]:
        plan = self._plan
        if plan is None:
            return self.get_all_fields()
        every = self.field_map()
        chosen: dict[str, AnyField] = {}
        for name in plan.fields:
            field = _copy(every[name])
            child = plan.children.get(name)
            if child is not None and isinstance(field, DynamicRelationField):
                field.expand(child, embed=name in plan.embedded)
            chosen[name] = field
        return chosen

    # -- writing ----------------------------------------------------------------------

    def to_internal_value(self, data: Any) -> Any:
        """DRF's validation, refusing changes to read-only relations (not dropping them)."""
        value = super().to_internal_value(data)
        errors: dict[str, Any] = {}
        for name, field in self.fields.items():
            if not isinstance(field, DynamicRelationField) or not field.read_only:
                continue
            if not isinstance(data, Mapping) or name not in data:
                continue
            try:
                if not field.links_same_rows(data[name], self.instance):
                    field.fail("read_only", name=name)
            except serializers.ValidationError as error:
                errors[name] = error.detail
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def preload(self, rows: Sequence[models.Model]) -> None:
        """Load the relations of ``rows`` (a page, or one object), one query each.

        Rows not preloaded still render right, with one query per row and field. The
        viewsets preload through their own loader (:meth:`Loader.preload`), which also
        knows the request's ``filter{rel|…}``.
        """
        Loader(self.context).preload(self, rows)

    # -- row-level hook ---------------------------------------------------------------

    def filter_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """Narrow the rows this serializer may show; applied wherever its rows are loaded.

        Override to hide rows: the root list, detail, relation routes, and every
        included, embedded or prefetched relation to this serializer all pass through it.
        ``self.context["request"]`` is available.
        """
        return queryset

    @classmethod
    def has_row_filter(cls) -> bool:
        """Whether :meth:`filter_queryset` is overridden."""
        return cls.filter_queryset is not DynamicModelSerializer.filter_queryset

    @classmethod
    def filter_rows(
        cls, queryset: models.QuerySet[Any], context: Mapping[str, Any]
    ) -> models.QuerySet[Any]:
        """Apply the row hook of a serializer of this class built with ``context``."""
        if not cls.has_row_filter():
            return queryset
        return cls(context=dict(context)).filter_queryset(queryset)

    # -- rendering --------------------------------------------------------------------

    def _link_names(self) -> tuple[str, ...]:
        """The relation route base then the fields that get a link; computed once."""
        cached: tuple[str, ...] | None = getattr(self, "_restbridge_links", None)
        if cached is not None:
            return cached
        names: tuple[str, ...] = ()
        if self.context.get("request") is not None and self.context.get("links", False):
            try:
                base = reverse(f"{self.plural_name()}-list").rstrip("/?")
            except NoReverseMatch:  # not routed under its plural name: no links to promise
                base = ""
            linked = tuple(
                name
                for name, field in self.fields.items()
                if isinstance(field, DynamicRelationField)
                and field.link
                and field.child_plan is None
                and field.relation is not None  # a dotted source has no relation route
            )
            if base and linked:
                names = (base, *linked)
        self._restbridge_links = names
        return names

    def _renderer(self) -> RowRenderer:
        renderer: RowRenderer | None = getattr(self, "_restbridge_renderer", None)
        if renderer is None:
            renderer = RowRenderer(self.Meta.model, self._readable_fields)
            self._restbridge_renderer = renderer
        return renderer

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = self._renderer().render(instance)
        links = self._link_names()
        if links:
            base, *names = links
            data["links"] = {name: f"{base}/{instance.pk}/{name}/" for name in names}
        if self.context.get("debug"):
            data["_meta"] = {"id": instance.pk, "type": self.plural_name()}
        return data


@cache
def _field_map(cls: type[DynamicModelSerializer]) -> Mapping[str, AnyField]:
    serializer = cls()
    fields = serializer.build_fields()
    for name, field in fields.items():
        field.bind(name, serializer)
    return fields


def _copy(field: AnyField) -> AnyField:
    """An unbound copy of ``field``, as DRF copies declared fields (from its arguments)."""
    clone = copy.deepcopy(field)
    clone.read_only = field.read_only  # build_fields may have set it after construction
    return clone
