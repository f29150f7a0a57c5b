"""``distinct=true``: the distinct values of a few own fields, as one paged list.

A client asking "which ratings exist" (Django's admin builds a list filter so) would
otherwise read every row. With ``include[]=rating&exclude[]=*&distinct=true`` the list
answers ``{"reviews": [{"rating": 1}, …]}``: each combination of the included fields
once, sorted by ``sort[]`` (only those fields) or by the fields in order, paged as any
list. Filters, the row hook and ``get_extra_filters`` apply as to the rows themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework.fields import Field

from shared_querylang import Query

from .exceptions import InvalidQuery
from .fields import DynamicRelationField
from .serializers import DynamicModelSerializer

__all__ = ["DistinctValues"]

#: A field's column (``attname``) and how one of its values is rendered.
_Column = tuple[str, Callable[[Any], Any]]


class DistinctValues:
    """The distinct rows ``query`` selects from ``serializer_class``'s fields."""

    def __init__(self, serializer_class: type[DynamicModelSerializer], query: Query) -> None:
        selection = query.selection
        names = [path[0] for path in selection.include]
        if (
            selection.exclude != (("*",),)
            or not names
            or any(len(p) > 1 for p in selection.include)
        ):
            raise _refusal("needs include[] of own fields and exclude[]=*")
        fields = serializer_class.field_map()
        model: type[models.Model] = serializer_class.Meta.model
        self.columns: dict[str, _Column] = {}
        for name in names:
            column = _column(model, fields.get(name))
            if column is None:
                raise _refusal(f"takes fields stored in a column of their own, not {name!r}")
            self.columns[name] = column
        self.order = self._order(query)

    def _order(self, query: Query) -> list[str]:
        terms = []
        for key in query.sort:
            column = self.columns.get(key.path[0]) if len(key.path) == 1 else None
            if column is None:
                raise _refusal(f"sorts only by the included fields, not {'.'.join(key.path)!r}")
            terms.append(("-" if key.descending else "") + column[0])
        return terms or [source for source, _ in self.columns.values()]

    def queryset(self, rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """``rows`` (filtered) as their distinct values, ordered."""
        sources = [source for source, _ in self.columns.values()]
        return rows.prefetch_related(None).values(*sources).order_by(*self.order).distinct()

    def render(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each row of :meth:`queryset` as the serializer's fields render it."""
        return [
            {
                name: None if row[source] is None else render(row[source])
                for name, (source, render) in self.columns.items()
            }
            for row in values
        ]


def _column(model: type[models.Model], field: Field | None) -> _Column | None:  # type: ignore[type-arg]
    """The model column behind a field and how to render its values; ``None`` if none."""
    if field is None or not field.source or getattr(field, "many", False):
        return None
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
    if not getattr(model_field, "concrete", False):
        return None
    if isinstance(field, DynamicRelationField):
        # A to-one relation renders as the related primary key: the column's own value.
        return (model_field.attname, _same) if model_field.many_to_one else None  # type: ignore[union-attr]
    if model_field.is_relation:
        return None
    return model_field.attname, field.to_representation  # type: ignore[union-attr]


def _same(value: Any) -> Any:
    return value


def _refusal(why: str) -> InvalidQuery:
    return InvalidQuery(f"distinct=true {why}.", parameter="distinct")
