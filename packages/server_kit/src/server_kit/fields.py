"""Relation and method fields that know how to render ids, sideloads and embedded objects."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from functools import cache, cached_property
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.datastructures import MultiValueDict
from django.utils.module_loading import import_string
from rest_framework import serializers

from ._types import SerializerClass, SerializerHost
from .keys import to_key
from .plan import Plan
from .relations import ModelRelation, is_loaded, relation_chain
from .value_fields import CountField, DynamicField, DynamicGenericRelationField, DynamicHashIdField

__all__ = [
    "CountField",
    "DynamicField",
    "DynamicGenericRelationField",
    "DynamicHashIdField",
    "DynamicMethodField",
    "DynamicRelationField",
]

_NOT_LOADED = object()


class DynamicRelationField(serializers.Field[Any, Any, Any, Any]):
    """A relation rendered as ids, or as objects (sideloaded or inline) when included.

    Args:
        serializer_class: the related serializer, as a class, a dotted path, a class name
            in the module of the declaring serializer, or a zero-argument callable.
        many: whether the relation is to-many (rendered as a list of ids).
        deferred: absent unless included; ``None`` follows ``DEFER_MANY_RELATIONS``.
        embed: render included objects inline instead of sideloading them.
        queryset: related rows that may be linked and shown (writes validate ids against
            it; reads show only these rows).
        link: ``False`` (or ``None``) drops this field's ``links`` entry and relation route;
            a callable ``(name, field, data, instance) -> url`` gives the entry.
        immutable: writable when the object is created, ignored on updates.
        reverse_optional: a reason why the related serializer need not expose the reverse
            relation (silences the ``restbridge.E001`` system check).
        **kwargs: DRF field arguments (``source``, ``read_only``, ``required`` ...).
    """

    default_error_messages = {
        "not_a_list": "{name!r} value must be a list of ids, not {kind}.",
        "does_not_exist": "Invalid value for {name!r}: {model} object with ID={pk!r} not found.",
        "incorrect_type": "Invalid value for {name!r}: {pk!r} is not a valid id.",
        "read_only": (
            "{name!r} is read-only: it cannot be changed through this resource; "
            "set the relation on the related objects instead."
        ),
    }

    def __init__(
        self,
        serializer_class: Any,
        many: bool = False,
        *,
        deferred: bool | None = None,
        embed: bool = False,
        queryset: models.QuerySet[Any] | Callable[[Any], models.QuerySet[Any]] | None = None,
        link: bool | Callable[..., str] | None = True,
        reverse_optional: str | None = None,
        immutable: bool = False,
        **kwargs: Any,
    ) -> None:
        self._serializer_ref = serializer_class
        self.many = many
        self.deferred = deferred
        self.embed = embed
        self.queryset = queryset
        self.link = link
        self.reverse_optional = reverse_optional
        self.immutable = immutable
        self._given = frozenset(kwargs)  # what the declaration said (not to be inferred)
        # No default for to-many fields: an omitted relation is left as it is (a PUT
        # without ``users`` must not clear them), as dynamic-rest does.
        super().__init__(**kwargs)
        #: What to render for included objects; ``None`` renders ids. Set by the serializer.
        self.child_plan: Plan | None = None
        self.embedded = False
        self._child: SerializerHost | None = None
        #: Related ids by parent pk, loaded for a whole page by the loader.
        self.preloaded_ids: dict[Any, list[Any]] | None = None
        #: Objects rendered inline already, by pk: each is rendered once per response.
        self._rendered: dict[Any, Any] = {}

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        self._infer_optional()

    def _infer_optional(self) -> None:
        """``required=False`` / ``allow_null=True`` where the model allows it (dynamic-rest).

        Not required: a to-many or reverse relation, a column with a default or nullable;
        nullable: a nullable column or a reverse relation. Explicit arguments win.
        """
        model = getattr(getattr(self.parent, "Meta", None), "model", None)
        model_field = _model_field(model, self.source) if model is not None else None
        if model_field is None:
            return
        remote = model_field.many_to_many or not getattr(model_field, "concrete", False)
        given = self._given
        if "required" not in given and "default" not in given and not self.read_only:
            if remote or model_field.has_default() or model_field.null:
                self.required = False
        if "allow_null" not in given and getattr(model_field, "null", False):
            self.allow_null = True

    # -- resolution -------------------------------------------------------------------

    @property
    def serializer_class(self) -> SerializerClass:
        """The related serializer class, resolved on first use (no circular imports)."""
        ref = self._serializer_ref
        if isinstance(ref, str):
            ref = self._import(ref)
            self._serializer_ref = ref
        elif not isinstance(ref, type) and callable(ref):
            ref = ref()
        resolved: SerializerClass = ref
        return resolved

    def _import(self, ref: str) -> SerializerClass:
        if "." in ref:
            found: SerializerClass = import_string(ref)
            return found
        parent = getattr(self, "parent", None)
        for klass in type(parent).__mro__ if parent is not None else ():
            named = getattr(sys.modules.get(klass.__module__), ref, None)
            if isinstance(named, type):
                return named
        raise ImportError(
            f"DynamicRelationField {getattr(self, 'field_name', '?')!r} names serializer {ref!r}, "
            "which is not defined in the serializer's module; use a dotted path or the class."
        )

    @property
    def model(self) -> type[models.Model]:
        """The related model, from the related serializer."""
        return self.serializer_class.model_class()

    @property
    def relation(self) -> ModelRelation | None:
        """The ORM relation behind this field, or ``None`` for dotted or computed sources."""
        chain = self.chain
        return chain[0] if chain is not None and len(chain) == 1 else None

    def counterpart(self) -> str | None:
        """The related serializer's field for the other direction of this relation, if any."""
        relation = self.relation
        if relation is None:
            return None
        for name, field in self.serializer_class.field_map().items():
            if isinstance(field, DynamicRelationField):
                other = field.relation
                if (
                    other is not None
                    and other.key == relation.key
                    and other.forward != relation.forward
                ):
                    return name
        return None

    @cached_property
    def chain(self) -> tuple[ModelRelation, ...] | None:
        """The relations the source follows: one, several for a dotted source, or ``None``.

        ``None`` for a source that is not a chain of model relations (a property, ``*``):
        such a field cannot be prefetched, and the ``restbridge.E003`` check reports it.
        Read once the field is bound (copies start afresh).
        """
        parent_model = getattr(getattr(self.parent, "Meta", None), "model", None)
        source = self.source or ""
        if parent_model is None or not source or source == "*":
            return None
        return relation_chain(parent_model, source)

    @cached_property
    def prefetch_attr(self) -> str:
        """Where our prefetch stores the rows (``Prefetch(to_attr=...)``): a list, or one row."""
        return f"_restbridge_{self.field_name}"

    @property
    def via_attr(self) -> str:
        """Where the first hop of a dotted source is prefetched (``Prefetch(to_attr=...)``)."""
        return f"_restbridge_via_{self.field_name}"

    def is_deferred(self, defer_many: bool) -> bool:
        """Whether the field is left out unless included."""
        return self.deferred if self.deferred is not None else (self.many and defer_many)

    def related_queryset(self) -> models.QuerySet[Any]:
        """Related rows this field may show or link, before the serializer's row hook."""
        if callable(self.queryset) and not isinstance(self.queryset, models.QuerySet):
            return self.queryset(self).all()  # dynamic-rest's queryset=<callable(field)>
        if self.queryset is not None:
            return self.queryset.all()
        return self.model._default_manager.all()

    def visible_queryset(self, context: Mapping[str, Any]) -> models.QuerySet[Any]:
        """Related rows this field may show or link, after the serializer's row hook."""
        return self.serializer_class.filter_rows(self.related_queryset(), context)

    def related_rows(self, instance: models.Model, context: Mapping[str, Any]) -> Any:
        """The visible rows ``instance`` links through this field's last relation (a queryset).

        ``instance`` holds that relation: the serializer's row, or for a dotted source the
        object reached by the hops before the last.
        """
        chain = self.chain
        assert chain is not None
        relation = chain[-1]
        rows = self.visible_queryset(context)
        if relation.to_many:
            return rows.filter(pk__in=getattr(instance, relation.accessor).values("pk"))
        if relation.attname is not None and relation.target_attname is not None:
            return rows.filter(**{relation.target_attname: getattr(instance, relation.attname)})
        related = getattr(instance, relation.accessor, None)
        return rows.filter(pk=related.pk if related is not None else None)

    def links_same_rows(self, data: Any, instance: models.Model | None) -> bool:
        """Whether ``data`` (ids, as written) names exactly the rows linked now.

        Read-only relations accept their current value, so that a client may send back
        what it read; anything else is refused rather than silently dropped.
        """
        if self.relation is None:
            return True  # a dotted or computed source: ignored like any read-only field
        if self.many:
            if not isinstance(data, list | tuple):
                self.fail("not_a_list", name=self.field_name, kind=type(data).__name__)
            wanted = {self._coerce_pk(item) for item in data}
        else:
            wanted = set() if data is None else {self._coerce_pk(data)}
        if instance is None or instance.pk is None:
            return not wanted
        current = self.related_rows(instance, self.context).values_list("pk", flat=True)
        return wanted == set(current)

    def is_narrowed(self) -> bool:
        """Whether some related rows are hidden (a ``queryset`` or the serializer's row hook).

        Then only rows loaded through :meth:`visible_queryset` may render: a cache filled by
        the view's own ``select_related`` / ``prefetch_related`` is not trusted.
        """
        return self.queryset is not None or self.serializer_class.has_row_filter()

    def reads_raw_id(self) -> bool:
        """Whether a to-one id can be read from the local column without a query.

        Not when the related rows are narrowed (a ``queryset`` or a row hook): then the id
        of a hidden row must not show, so it goes through a prefetch like an included row.
        """
        return self.child_plan is None and self._raw_id_column

    @cached_property
    def _raw_id_column(self) -> bool:
        # A bound field's relation and narrowing never change: work them out once.
        chain = self.chain
        return chain is not None and chain[-1].attname is not None and not self.is_narrowed()

    # -- reading ----------------------------------------------------------------------

    def expand(self, plan: Plan, *, embed: bool) -> None:
        """Render related objects with ``plan``, inline when ``embed`` else sideloaded."""
        self.child_plan = plan
        self.embedded = embed

    def can_preload(self) -> bool:
        """Whether one query can load this relation for many rows at once (a page).

        :class:`~server_kit.loading.Loader` decides whether it does.
        """
        relation = self.relation
        if relation is None:
            return False
        if relation.to_many:
            return relation.reverse_query_name is not None
        return relation.attname is not None and relation.target_attname is not None

    def get_attribute(self, instance: Any) -> Any:
        chain = self.chain
        if chain is None:
            return super().get_attribute(instance)  # a computed source: read as DRF does
        owner = instance
        if len(chain) > 1:  # a dotted source: walk to the object holding the last relation
            first = chain[0].accessor
            via = self.via_attr if hasattr(instance, self.via_attr) else first
            owner = getattr(instance, via, None)  # None also for a missing reverse one-to-one
            for hop in chain[1:-1]:
                owner = None if owner is None else getattr(owner, hop.accessor, None)
            if owner is None:
                return None
        last = chain[-1]
        if self.reads_raw_id():
            assert last.attname is not None  # a raw id is read from a local column
            return getattr(owner, last.attname)
        loaded = getattr(owner, self.prefetch_attr, _NOT_LOADED)
        if loaded is not _NOT_LOADED:
            return loaded  # our prefetch or preload, row hook applied
        if last.to_many and self.preloaded_ids is not None and self.child_plan is None:
            return self.preloaded_ids.get(owner.pk, [])
        if not self.is_narrowed() and is_loaded(owner, last):
            return getattr(owner, last.accessor, None)  # the view's own select/prefetch
        rows = self.related_rows(owner, self.context)  # one object (a detail, a write)
        return rows if last.to_many else rows.first()

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """A new serializer for the related object(s), in this field's context and plan."""
        kwargs.setdefault("context", self.context)
        if self.child_plan is not None and hasattr(self.serializer_class, "field_map"):
            kwargs.setdefault("plan", self.child_plan)
        if self.many:
            kwargs.setdefault("many", True)
        return self.serializer_class(*args, **kwargs)

    @property
    def serializer(self) -> Any:
        """A serializer for the related object(s) (dynamic-rest's accessor)."""
        return self.get_serializer()

    def _child_serializer(self) -> SerializerHost:
        if self._child is None:
            assert self.child_plan is not None
            self._child = self.serializer_class(plan=self.child_plan, context=self.context)
        return self._child

    def _render_one(self, obj: Any) -> Any:
        if self.child_plan is None:
            return getattr(obj, "pk", obj)  # a row, an EphemeralObject, or an id already
        pk = obj.pk
        # Many rows link the same objects: render each once per field (same plan, same data).
        data = self._rendered.get(pk)
        if data is None:
            child = self._child_serializer()
            data = self._rendered[pk] = child.to_representation(obj)
            if not self._inline:
                self.context["sideloads"].add(child, pk, data)
        return data if self._inline else pk

    @cached_property
    def _inline(self) -> bool:
        # Embedded, or no envelope to sideload into: render inline. Read once the field
        # renders (the plan and context are set by then).
        return self.embedded or self.context.get("sideloads") is None

    def to_representation(self, value: Any) -> Any:
        if self.many:
            rows: Iterable[Any] = value.all() if hasattr(value, "all") else value
            return [self._render_one(obj) for obj in rows]
        return self._render_one(value)

    def row_reader(self) -> Callable[[Any], Any]:
        """A function rendering this field for one row as DRF's loop does.

        That is ``to_representation(get_attribute(row))``, ``None`` kept, ``SkipField``
        raised. What cannot change while one response renders (the plan, the source, where
        loaded rows are stored) is decided once; a row the page did not load takes the
        general path.
        """
        chain = self.chain
        if chain is None or len(chain) > 1:
            return self._render_row
        if self.reads_raw_id():
            assert chain[0].attname is not None  # a raw id is read from a local column
            return attrgetter(chain[0].attname)
        attr, render, general = self.prefetch_attr, self._render_one, self._render_row
        if not self.many:

            def read_one(row: Any) -> Any:
                loaded: Any = getattr(row, attr, _NOT_LOADED)
                if loaded is _NOT_LOADED:
                    return general(row)
                return None if loaded is None else render(loaded)

            return read_one

        def read_many(row: Any) -> Any:
            loaded: Any = getattr(row, attr, _NOT_LOADED)
            if loaded is not _NOT_LOADED:
                return [render(obj) for obj in loaded]
            if self.preloaded_ids is not None and self.child_plan is None:
                return list(self.preloaded_ids.get(row.pk, ()))  # ids render as themselves
            return general(row)

        return read_many

    def _render_row(self, row: Any) -> Any:
        value = self.get_attribute(row)
        return None if value is None else self.to_representation(value)

    # -- writing ----------------------------------------------------------------------

    def _coerce_pk(self, raw: Any) -> Any:
        if isinstance(raw, dict):
            raw = raw.get("id", raw.get("pk"))
        if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict):
            self.fail("incorrect_type", name=self.field_name, pk=raw)
        try:
            return to_key(self.model, raw)
        except ValueError:
            self.fail("incorrect_type", name=self.field_name, pk=raw)

    def get_value(self, dictionary: Mapping[str, Any]) -> Any:
        # A form (a multipart upload) repeats a to-many field once per id, which DRF's
        # plain Field.get_value would read as its last id only.
        if self.many and isinstance(dictionary, MultiValueDict) and self.field_name in dictionary:
            return dictionary.getlist(self.field_name)
        return super().get_value(dictionary)

    def to_internal_value(self, data: Any) -> Any:
        writable = self.visible_queryset(self.context)
        if not self.many:
            pk = self._coerce_pk(data)
            found = writable.filter(pk=pk).first()
            if found is None:
                self.fail("does_not_exist", name=self.field_name, model=self.model.__name__, pk=pk)
            return found
        if not isinstance(data, list | tuple):
            self.fail("not_a_list", name=self.field_name, kind=type(data).__name__)
        pks = [self._coerce_pk(item) for item in data]
        # One query for the whole list (dynamic-rest spends one per id).
        by_pk = {obj.pk: obj for obj in writable.filter(pk__in=pks)}
        for pk in pks:
            if pk not in by_pk:
                self.fail("does_not_exist", name=self.field_name, model=self.model.__name__, pk=pk)
        return [by_pk[pk] for pk in pks]


class DynamicMethodField(serializers.SerializerMethodField):
    """A ``SerializerMethodField`` that may be deferred and can name what it reads.

    Args:
        method_name: as for ``SerializerMethodField``.
        requires: ``prefetch_related`` lookups the method reads, loaded with the rows.
        deferred: absent unless included.
        **kwargs: DRF field arguments.
    """

    def __init__(
        self,
        method_name: str | None = None,
        *,
        requires: Iterable[str] = (),
        deferred: bool = False,
        **kwargs: Any,
    ) -> None:
        self.requires = tuple(requires)
        self.deferred = deferred
        super().__init__(method_name, **kwargs)


@cache
def _model_field(model: type[models.Model], source: str | None) -> Any:
    """The model field or reverse relation named ``source`` (``cat_set`` too), or ``None``."""
    try:
        return model._meta.get_field(source or "")
    except FieldDoesNotExist:
        pass
    for candidate in model._meta.get_fields():
        accessor = getattr(candidate, "get_accessor_name", None)
        if candidate.auto_created and accessor is not None and accessor() == source:
            return candidate
    return None
