"""``DynamicModelSerializer``: a ``ModelSerializer`` that renders what the request selects."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty

from ._types import AnyField
from .ephemeral import DynamicEphemeralSerializer
from .fields import DynamicRelationField
from .links import link_fields, merge_link_object
from .list_serializer import DynamicListSerializer, EphemeralObject, envelope
from .loading import Loader
from .naming import pluralize, underscore
from .plan import Plan
from .representation import RowRenderer
from .request_fields import merge_selections, selection_from_request_fields
from .selection import build_plan, selection_from_options
from .settings import api_settings

__all__ = [
    "DynamicEphemeralSerializer",
    "DynamicListSerializer",
    "DynamicModelSerializer",
    "EphemeralObject",
]


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
        request_fields: dynamic-rest's field tree (see :mod:`server_kit.request_fields`);
            ``only_fields``, ``include_fields``, ``exclude_fields`` likewise.
        envelope: ``.data`` is ``{name: data, <sideloads>...}`` (``sideload=True`` too).
        sideloading: ``True`` sideloads every included relation, ``False`` embeds them.
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
        request_fields: Mapping[str, Any] | bool | None = None,
        only_fields: Iterable[str] | None = None,
        include_fields: Iterable[str] | str | None = None,
        exclude_fields: Iterable[str] | str | None = None,
        envelope: bool = False,
        sideload: bool = False,
        sideloading: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(instance, data, **kwargs)
        self.envelope = envelope or sideload
        self._id_only = request_fields is True
        self.request_fields = dict(request_fields) if isinstance(request_fields, Mapping) else {}
        options = {"fields": fields, "omit": omit, "expand": expand}
        options |= {"include": include, "exclude": exclude}
        legacy = {"only_fields": only_fields, "include_fields": include_fields}
        legacy["exclude_fields"] = exclude_fields
        wanted = any(value is not None for value in options.values())
        if plan is None and (wanted or self.request_fields or any(legacy.values())):
            selection = merge_selections(
                selection_from_options(**options),
                selection_from_request_fields(
                    self.request_fields, all_fields=self.field_map(), **legacy
                ),
            )
            plan = build_plan(type(self), selection, sideloading=sideloading)
        self._plan = plan

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> DynamicListSerializer:
        """``many=True`` builds a :class:`DynamicListSerializer` (``Meta`` may name another)."""
        built: DynamicListSerializer = DynamicListSerializer.for_child(cls, *args, **kwargs)
        return built

    @property
    def data(self) -> Any:
        """DRF's data; with ``envelope=True``, the enveloped body with sideloads."""
        if not self.envelope:
            return super().data
        return envelope(self, lambda: super(DynamicModelSerializer, self).data, many=False)

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

    @classmethod
    def get_resource_key(cls) -> str:
        """The resource's key in the router's canonical registry: its model's table."""
        return str(cls.model_class()._meta.db_table)

    #: dynamic-rest's spellings of :meth:`resource_name` and :meth:`plural_name`.
    get_name = resource_name
    get_plural_name = plural_name

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
        defer_many = getattr(cls.Meta, "defer_many_relations", api_settings.DEFER_MANY_RELATIONS)
        for name, field in cls.field_map().items():
            if isinstance(field, DynamicRelationField) and field.is_deferred(defer_many):
                names.add(name)
            elif getattr(field, "deferred", False) is True:  # method and value fields
                names.add(name)
        return frozenset(names)

    def build_fields(self) -> dict[str, AnyField]:
        """Every field, as ``ModelSerializer.get_fields`` builds them (once per class)."""
        fields: dict[str, AnyField] = super().get_fields()
        for name in getattr(self.Meta, "read_only_fields", ()):
            if isinstance(fields.get(name), DynamicRelationField):
                fields[name].read_only = True
        for field in fields.values():
            # DRF builds StringRelatedField(many=True) as a writable, required list of a
            # read-only child: every write would be refused, or fail in the child.
            if isinstance(field, serializers.ManyRelatedField) and field.child_relation.read_only:
                field.read_only, field.required = True, False
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
        if plan is None and hasattr(self, "initial_data"):
            return self._write_flags(self.get_all_fields())  # a write: every field may be given
        if plan is None:
            plan = self._plan = build_plan(type(self))  # a read: the default fields
        every = self.field_map()
        chosen: dict[str, AnyField] = {}
        for name in plan.fields:
            field = _copy(every[name])
            child = plan.children.get(name)
            if child is not None and isinstance(field, DynamicRelationField):
                field.expand(child, embed=name in plan.embedded)
            elif name in plan.generic:
                field.load_objects = True  # type: ignore[attr-defined]
            chosen[name] = field
        return chosen

    # -- writing ----------------------------------------------------------------------

    def _write_flags(self, fields: dict[str, AnyField]) -> dict[str, AnyField]:
        """``Meta.untrimmed_fields`` keep their spaces; immutable fields are create-only.

        Immutable: a field built with ``immutable=True`` or named in ``Meta.immutable_fields``;
        on an update its value is ignored, as in dynamic-rest.
        """
        meta = self.Meta
        for name in getattr(meta, "untrimmed_fields", ()):
            if name in fields and hasattr(fields[name], "trim_whitespace"):
                fields[name].trim_whitespace = False  # type: ignore[attr-defined]
        immutable = set(getattr(meta, "immutable_fields", ()))
        for name, field in fields.items():
            if name in immutable or getattr(field, "immutable", False):
                field.immutable = True  # type: ignore[attr-defined]
                field.read_only = self.instance is not None
        return fields

    def to_internal_value(self, data: Any) -> Any:
        """DRF's validation, refusing changes to read-only relations (not dropping them)."""
        value = super().to_internal_value(data)
        errors: dict[str, Any] = {}
        for name, field in self.fields.items():
            if not isinstance(field, DynamicRelationField) or not field.read_only:
                continue
            if field.immutable:
                continue  # ignored on updates, as dynamic-rest does
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

    def _links(self) -> tuple[str, dict[str, DynamicRelationField]]:
        """The list route and the fields that get a ``links`` entry; computed once."""
        cached: tuple[str, dict[str, DynamicRelationField]] | None = getattr(
            self, "_restbridge_links", None
        )
        if cached is None:
            cached = "", {}
            if self.context.get("request") is not None and self.context.get("links", False):
                cached = link_fields(self)
            self._restbridge_links = cached
        return cached

    def _renderer(self) -> RowRenderer:
        renderer: RowRenderer | None = getattr(self, "_restbridge_renderer", None)
        if renderer is None:
            renderer = RowRenderer(self.Meta.model, self._readable_fields)
            self._restbridge_renderer = renderer
        return renderer

    def id_only(self) -> bool:
        """Whether objects render as their ids (``request_fields=True``, as dynamic-rest)."""
        return self._id_only

    def to_representation(self, instance: Any) -> Any:
        if self._id_only:
            return instance.pk
        data = self._renderer().render(instance)
        base, linked = self._links()
        if linked:
            merge_link_object(self, data, instance, base=base, fields=linked)
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
    if isinstance(field, DynamicRelationField) and isinstance(clone, DynamicRelationField):
        # Resolved where the bound original can (by its serializer's module); copies are unbound.
        clone._serializer_ref = field.serializer_class
    return clone
