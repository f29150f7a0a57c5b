"""``Loader``: every query that loads the relations a response renders.

For a render plan the SQL is: the root query, then exactly one query per relation path that
renders to-many ids or loaded objects, whatever the number of rows or the depth. Each path
is loaded one of two ways, and :meth:`Loader.preloads_itself` is the one rule choosing:

- the root rows' own relations are loaded for the rendered rows only (a page, a detail),
  after pagination, by :meth:`Loader.preload`: to-many ids as ``(parent, id)`` pairs,
  objects as one instance per distinct related row;
- every other path (nested levels, relations a ``filter{rel|…}`` narrows, dotted sources)
  is a ``Prefetch`` with ``only()`` columns, set on the root queryset by :meth:`Loader.apply`
  (or on loaded instances by :meth:`Loader.prefetch`).

Both store rows under the field's ``prefetch_attr``, where the field reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects

from shared_querylang import Path

from ._types import SerializerHost
from .fields import DynamicField, DynamicMethodField, DynamicRelationField
from .plan import Plan
from .prefetches import field_lookups
from .related_rows import RowFilter
from .relations import ModelRelation, is_loaded
from .requires import prefetch_lookups

__all__ = ["Loader", "Lookups"]

Lookups: TypeAlias = "list[Prefetch[Any] | str]"


class Loader:
    """Plans and runs the loading of a plan's relations.

    Args:
        context: serializer context, for the row hooks of related serializers.
        relation_filters: compiled ``filter{rel|…}`` conditions by relation path.
    """

    def __init__(
        self, context: Mapping[str, Any], relation_filters: Mapping[Path, RowFilter] | None = None
    ) -> None:
        self.context = context
        self.relation_filters = relation_filters or {}

    # -- the rule -----------------------------------------------------------------------

    def preloads_itself(self, field: DynamicRelationField, path: Path) -> bool:
        """Whether the relation at ``path`` is loaded by :meth:`preload`, not a ``Prefetch``.

        Only a root relation can (the rendered rows are known after pagination), one the
        field can load in one query for all rows, and one no ``filter{rel|…}`` narrows.
        """
        return len(path) == 1 and field.can_preload() and not self._filtered_within(path)

    def _filtered_within(self, path: Path) -> bool:
        """Whether a ``filter{rel|…}`` narrows ``path`` or a path below it."""
        return any(narrowed[: len(path)] == path for narrowed in self.relation_filters)

    # -- prefetches ---------------------------------------------------------------------

    def apply(self, queryset: models.QuerySet[Any], plan: Plan) -> models.QuerySet[Any]:
        """``queryset`` with the plan's prefetches and, where safe, ``only()`` columns."""
        lookups, columns = self.level(plan, ())
        if lookups:
            queryset = queryset.prefetch_related(*lookups)
        # only() clashes with select_related() set up by the view's own queryset.
        if columns is not None and not queryset.query.select_related:
            queryset = queryset.only(*columns)
        visible_ids = self.visible_ids(plan)
        return queryset.annotate(**visible_ids) if visible_ids else queryset

    def visible_ids(self, plan: Plan) -> dict[str, Subquery]:
        """Root to-one ids whose related rows are narrowed (a row hook, a ``queryset``).

        Such an id must not show when its row is hidden, yet costs no query of its own:
        the root query reads it through a subquery of the visible rows (``NULL`` when
        hidden), stored where the field reads loaded rows (``prefetch_attr``).
        """
        fields = plan.serializer_class.field_map()
        ids: dict[str, Subquery] = {}
        for name in plan.fields:
            field = fields[name]
            if not isinstance(field, DynamicRelationField) or name in plan.children:
                continue
            relation = field.relation
            if relation is None or relation.attname is None or relation.target_attname is None:
                continue  # not a forward to-one relation with a local column
            if not field.is_narrowed() or (name,) in self.relation_filters:
                continue  # the raw column, or a filtered Prefetch
            visible = field.visible_queryset(self.context).filter(
                **{relation.target_attname: OuterRef(relation.attname)}
            )
            ids[field.prefetch_attr] = Subquery(visible.values("pk")[:1])
        return ids

    def prefetch(self, rows: Sequence[models.Model], plan: Plan) -> None:
        """The plan's prefetches on rows loaded already (written objects)."""
        lookups, _ = self.level(plan, ())
        prefetch_related_objects(list(rows), *lookups)

    def level(self, plan: Plan, trail: Path) -> tuple[Lookups, list[str] | None]:
        """Prefetches for one level, and its columns (``None`` when not safe to narrow)."""
        serializer_class = plan.serializer_class
        model = serializer_class.model_class()
        fields = serializer_class.field_map()
        pk = model._meta.pk
        assert pk is not None
        columns = {pk.attname}
        safe = True
        lookups: Lookups = []
        plain: list[str] = []  # after our Prefetches: Django refuses a Prefetch after a string
        requires: list[str] = []  # what computed fields read, loaded after the relations
        for name in plan.fields:
            field = fields[name]
            if isinstance(field, DynamicRelationField):
                chain = field.chain
                if chain is None:  # a computed source: read as the field says
                    safe = False
                    continue
                if chain[0].attname is not None:
                    columns.add(chain[0].attname)
                prefetch = self.relation(field, plan.children.get(name), (*trail, name))
                if prefetch is not None:
                    lookups.append(prefetch)
            elif isinstance(field, DynamicMethodField | DynamicField):
                safe = False  # the method may read any attribute
                requires.extend((*field.requires, field.source or ""))
            else:
                plain.extend(field_lookups(model, field))
                column = _column(model, field.source or name)
                if column is None:
                    safe = False
                else:
                    columns.add(column)
        if requires:
            taken = {str(getattr(lookup, "prefetch_to", lookup)) for lookup in lookups}
            lookups.extend(prefetch_lookups(serializer_class, requires, self.context, taken))
        lookups.extend(dict.fromkeys(plain))
        if self.context.get("links"):
            columns |= _link_columns(fields)
        return lookups, sorted(columns) if safe else None

    def relation(
        self, field: DynamicRelationField, child: Plan | None, path: Path
    ) -> Prefetch[Any] | None:
        """The ``Prefetch`` for one relation field, or ``None`` when none is needed.

        A dotted source (``review.book``) is walked with plain nested prefetches of the
        intermediate rows, the first stored under ``field.via_attr``; the related
        serializer's row hook applies to the last hop.
        """
        chain = field.chain
        assert chain is not None
        prefetch = self._last_hop(field, chain[-1], child, path)
        for hop, after in reversed(list(zip(chain, chain[1:], strict=False))):
            model = hop.related_model
            pk = model._meta.pk
            assert pk is not None
            columns = [c for c in (pk.attname, after.attname, hop.remote_attname) if c]
            queryset = model._default_manager.only(*set(columns))
            if prefetch is not None:
                queryset = queryset.prefetch_related(prefetch)
            to_attr = field.via_attr if hop is chain[0] else None
            prefetch = Prefetch(hop.accessor, queryset=queryset, to_attr=to_attr)
        return prefetch

    def _last_hop(
        self, field: DynamicRelationField, relation: ModelRelation, child: Plan | None, path: Path
    ) -> Prefetch[Any] | None:
        narrowed = field.is_narrowed()
        row_filter = self.relation_filters.get(path)
        if child is None and relation.attname is not None and not narrowed and row_filter is None:
            return None  # the id is read from the local column
        if self.preloads_itself(field, path):
            return None
        queryset = field.visible_queryset(self.context)
        if row_filter is not None:
            queryset = row_filter(queryset)
        if child is not None:
            lookups, columns = self.level(child, path)
        else:
            pk = field.serializer_class.model_class()._meta.pk
            assert pk is not None
            lookups, columns = [], [pk.attname]
        if columns is not None:
            if relation.remote_attname is not None:
                columns.append(relation.remote_attname)  # Django matches rows to parents on it
            if relation.generic is not None:
                columns += [relation.generic.content_type, relation.generic.object_id]
            queryset = queryset.only(*columns)
        if lookups:
            queryset = queryset.prefetch_related(*lookups)
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        # To-many rows go to a plain list attribute: Django then builds no manager and no
        # queryset per parent row, which costs more than the rows themselves. Narrowed or
        # filtered to-one rows too: Django skips a Prefetch whose relation the view already
        # select_related, and the field must see that they are loaded.
        to_attr = (
            field.prefetch_attr if relation.to_many or narrowed or row_filter is not None else None
        )
        return Prefetch(relation.accessor, queryset=queryset, to_attr=to_attr)

    # -- page preload -------------------------------------------------------------------

    def preload(self, serializer: SerializerHost, rows: Sequence[models.Model]) -> None:
        """Load the root relations of ``rows`` (a page, or one object), one query each.

        To-many id lists become ``{parent: [ids]}`` (no instances); loaded objects become
        one instance per distinct related row (Django's prefetch makes one per link, and
        goes through a manager or descriptor per row), prefetched further down like any
        level. Rows not preloaded still render right, with one query per row and field.
        """
        if not rows:
            return
        for name, field in serializer.fields.items():
            if not isinstance(field, DynamicRelationField):
                continue
            if not self.preloads_itself(field, (name,)):
                continue
            relation = field.relation
            assert relation is not None  # can_preload() says so
            if relation.to_many:
                self._preload_many(field, rows, relation)
            elif (
                not field.reads_raw_id()
                and not hasattr(rows[0], field.prefetch_attr)  # its visible id, read already
                and (field.is_narrowed() or not is_loaded(rows[0], relation))
            ):
                self._preload_one(field, rows, relation)

    def _preload_many(
        self, field: DynamicRelationField, rows: Sequence[models.Model], relation: ModelRelation
    ) -> None:
        back = f"{relation.reverse_query_name}__pk"
        visible = field.visible_queryset(field.context)
        if not visible.ordered:
            visible = visible.order_by("pk")
        linked = visible.filter(**{f"{back}__in": [row.pk for row in rows]})
        if field.child_plan is None:
            ids: dict[Any, list[Any]] = {}
            for parent, pk in linked.values_list(back, "pk"):
                ids.setdefault(parent, []).append(pk)
            field.preloaded_ids = ids
            return
        links: dict[Any, list[models.Model]] = {}
        for parent, obj in self._instances(field, linked, back):
            links.setdefault(parent, []).append(obj)
        for row in rows:
            setattr(row, field.prefetch_attr, links.get(row.pk, []))

    def _preload_one(
        self, field: DynamicRelationField, rows: Sequence[models.Model], relation: ModelRelation
    ) -> None:
        local, target = relation.attname, relation.target_attname
        assert local is not None and target is not None
        values = {getattr(row, local) for row in rows} - {None}
        found: dict[Any, models.Model] = {}
        if values:
            visible = field.visible_queryset(field.context)
            found = dict(
                self._instances(field, visible.filter(**{f"{target}__in": values}), target)
            )
        for row in rows:
            setattr(row, field.prefetch_attr, found.get(getattr(row, local)))

    def _instances(
        self, field: DynamicRelationField, linked: models.QuerySet[Any], key: str
    ) -> list[tuple[Any, models.Model]]:
        """``(key, instance)`` for each row of ``linked``, one instance per distinct row.

        Instances carry the child plan's columns (the primary key alone without a plan)
        and have the plan's own relations prefetched.
        """
        model = linked.model
        pk = model._meta.pk
        assert pk is not None
        lookups: Lookups = []
        columns: list[str] | None = [pk.attname]
        if field.child_plan is not None:
            lookups, columns = self.level(field.child_plan, (str(field.field_name),))
        # from_db takes the values in the model's field order.
        names = [
            column.attname
            for column in model._meta.concrete_fields
            if columns is None or column.attname in columns
        ]
        at = names.index(pk.attname)
        objects: dict[Any, models.Model] = {}
        pairs: list[tuple[Any, models.Model]] = []
        db = linked.db
        for value, *values in linked.values_list(key, *names):
            obj = objects.get(values[at])
            if obj is None:
                obj = objects[values[at]] = model.from_db(db, names, values)
            pairs.append((value, obj))
        if lookups:
            prefetch_related_objects(list(objects.values()), *lookups)
        return pairs


def _link_columns(fields: Mapping[str, Any]) -> set[str]:
    """Local columns of relations whose ``link=<callable>`` may read them (``obj.home_id``)."""
    columns = set()
    for field in fields.values():
        if isinstance(field, DynamicRelationField) and callable(field.link):
            relation = field.relation
            if relation is not None and relation.attname is not None:
                columns.add(relation.attname)
    return columns


def _column(model: type[models.Model], source: str) -> str | None:
    """The column attribute behind a plain field's ``source``, if it is a stored field."""
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    if not isinstance(model_field, models.Field) or model_field.many_to_many:
        return None
    return model_field.attname if model_field.concrete else None
