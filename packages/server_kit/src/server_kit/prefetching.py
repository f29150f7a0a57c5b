"""One ``Prefetch`` per loaded relation path, with ``only()`` columns and row hooks applied.

For a render plan the SQL is: the root query, then exactly one query per relation path
that renders to-many ids or loaded objects, whatever the number of rows or the depth.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch

from shared_querylang import Path

from .fields import DynamicField, DynamicMethodField, DynamicRelationField
from .relations import ModelRelation
from .requires import prefetch_lookups
from .selection import Plan

if TYPE_CHECKING:
    from .filtering import RowFilter

__all__ = ["Prefetcher"]

Lookups: TypeAlias = "list[Prefetch[Any] | str]"


class Prefetcher:
    """Builds the prefetch tree for a plan.

    Args:
        context: serializer context, for the row hooks of related serializers.
        relation_filters: compiled ``filter{rel|…}`` conditions by relation path.
    """

    def __init__(
        self, context: Mapping[str, Any], relation_filters: Mapping[Path, RowFilter] | None = None
    ) -> None:
        self.context = context
        self.relation_filters = relation_filters or {}

    def apply(self, queryset: models.QuerySet[Any], plan: Plan) -> models.QuerySet[Any]:
        """``queryset`` with the plan's prefetches and, where safe, ``only()`` columns."""
        lookups, columns = self.level(plan, ())
        if lookups:
            queryset = queryset.prefetch_related(*lookups)
        # only() clashes with select_related() set up by the view's own queryset.
        if columns is not None and not queryset.query.select_related:
            queryset = queryset.only(*columns)
        return queryset

    def level(self, plan: Plan, trail: Path) -> tuple[Lookups, list[str] | None]:
        """Prefetches for one level, and its columns (``None`` when not safe to narrow)."""
        serializer_class = plan.serializer_class
        model: type[models.Model] = serializer_class.Meta.model
        fields = serializer_class.field_map()
        pk = model._meta.pk
        assert pk is not None
        columns = {pk.attname}
        safe = True
        lookups: Lookups = []
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
                lookups.extend(prefetch_lookups(model, (*field.requires, field.source or "")))
            else:
                column = _column(model, field.source or name)
                if column is None:
                    safe = False
                else:
                    columns.add(column)
        return lookups, sorted(columns) if safe else None

    def relation(
        self, field: DynamicRelationField, child: Plan | None, path: Path
    ) -> Prefetch[Any] | None:
        """The ``Prefetch`` for one relation field, or ``None`` when ids cost no query.

        A dotted source (``review.book``) is walked with plain nested prefetches of the
        intermediate rows, the first stored under ``field.via_attr``; the related
        serializer's row hook applies to the last hop.
        """
        chain = field.chain
        assert chain is not None
        prefetch = self._last_hop(field, chain[-1], child, path, root=len(path) == len(chain) == 1)
        for hop, after in reversed(list(zip(chain, chain[1:], strict=False))):
            model = hop.related_model
            pk = model._meta.pk
            assert pk is not None
            columns = {pk.attname, after.attname, hop.remote_attname} - {None}
            queryset = model._default_manager.only(*columns)  # type: ignore[arg-type]
            if prefetch is not None:
                queryset = queryset.prefetch_related(prefetch)
            to_attr = field.via_attr if hop is chain[0] else None
            prefetch = Prefetch(hop.accessor, queryset=queryset, to_attr=to_attr)
        return prefetch

    def _filtered_within(self, path: Path) -> bool:
        """Whether a ``filter{rel|…}`` narrows ``path`` or a path below it."""
        return any(narrowed[: len(path)] == path for narrowed in self.relation_filters)

    def _last_hop(
        self,
        field: DynamicRelationField,
        relation: ModelRelation,
        child: Plan | None,
        path: Path,
        *,
        root: bool,
    ) -> Prefetch[Any] | None:
        target = field.serializer_class
        narrowed = field.is_narrowed()
        row_filter = self.relation_filters.get(path)
        if child is None and not relation.to_many and not narrowed and row_filter is None:
            return None  # the id is read from the local column
        if root and field.preloads() and not self._filtered_within(path):
            return None  # the viewset preloads the root's to-many rows (field.preload)
        queryset = field.visible_queryset(self.context)
        if row_filter is not None:
            queryset = row_filter(queryset)
        if child is not None:
            lookups, columns = self.level(child, path)
        else:
            target_model: type[models.Model] = target.Meta.model
            pk = target_model._meta.pk
            assert pk is not None
            lookups, columns = [], [pk.attname]
        if columns is not None:
            if relation.remote_attname is not None:
                columns.append(relation.remote_attname)  # Django matches rows to parents on it
            queryset = queryset.only(*columns)
        if lookups:
            queryset = queryset.prefetch_related(*lookups)
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        # To-many rows go to a plain list attribute: Django then builds no manager and no
        # queryset per parent row, which costs more than the rows themselves. Narrowed or
        # filtered to-one rows too: Django skips a Prefetch whose relation the view already
        # select_related, and the root's preload must see that they are loaded.
        to_attr = (
            field.prefetch_attr if relation.to_many or narrowed or row_filter is not None else None
        )
        return Prefetch(relation.accessor, queryset=queryset, to_attr=to_attr)


def _column(model: type[models.Model], source: str) -> str | None:
    """The column attribute behind a plain field's ``source``, if it is a stored field."""
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    if not getattr(model_field, "concrete", False) or model_field.many_to_many:
        return None
    return model_field.attname  # type: ignore[union-attr]
