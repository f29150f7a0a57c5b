"""The related rows a request may see through one relation, tied to the row that holds it.

Filters and sorts that cross a relation compile to subqueries over these rows, so the
related serializer's row hook (``filter_queryset``) and the field's ``queryset`` hold there
exactly as they do for includes: a hidden row matches nothing and sorts like a missing one.
Filters through a forward to-one relation use ``fk IN (SELECT ...)``, others ``EXISTS``;
sorts need a value per row: a correlated subquery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from django.db import models
from django.db.models import Exists, OuterRef, Q

from ._types import AnyField
from .exceptions import UnknownField
from .fields import DynamicRelationField
from .relations import ModelRelation

__all__ = ["RowFilter", "correlated", "linked_to", "visible_rows"]

#: Narrows a related queryset (a compiled ``filter{rel|…}``).
RowFilter: TypeAlias = Callable[[models.QuerySet[Any]], models.QuerySet[Any]]


def visible_rows(
    field: AnyField | None,
    relation: ModelRelation,
    context: Mapping[str, Any],
) -> models.QuerySet[Any]:
    """The rows behind ``field`` the request may see (every row for a plain DRF field)."""
    if isinstance(field, DynamicRelationField):
        return field.visible_queryset(context)
    return relation.related_model._default_manager.all()


def _reverse_lookup(relation: ModelRelation, dotted: str) -> str:
    if relation.reverse_query_name is None:
        raise UnknownField(
            f"{dotted!r} cannot be filtered or sorted through: the relation has no reverse "
            "lookup (related_name='+').",
            field=dotted,
        )
    # "__pk" keeps it right for foreign keys to a non-primary to_field (Django trims the join
    # otherwise).
    return f"{relation.reverse_query_name}__pk"


def linked_to(relation: ModelRelation, rows: models.QuerySet[Any], dotted: str) -> Q:
    """The outer rows that ``relation`` links to at least one of ``rows``.

    Raises:
        UnknownField: the relation cannot be followed back (``related_name="+"``).
    """
    if relation.attname is not None:
        # A forward to-one relation: "menu_id IN (SELECT id ...)", no join, no repeats.
        return Q(**{f"{relation.query_name}__in": rows})
    # Otherwise EXISTS: an IN over the other side's key would read NULLs through outer
    # joins (NOT IN then matches nothing) and cannot become an anti-join.
    return Q(Exists(correlated(relation, rows, dotted)))


def correlated(
    relation: ModelRelation, rows: models.QuerySet[Any], dotted: str
) -> models.QuerySet[Any]:
    """``rows`` narrowed to those related to the outer query's row (an ``OuterRef``).

    Raises:
        UnknownField: the relation cannot be followed back (``related_name="+"``).
    """
    if relation.attname is not None and relation.target_attname is not None:
        # A forward to-one relation: the outer row holds the key, no join needed.
        return rows.filter(**{relation.target_attname: OuterRef(relation.attname)})
    return rows.filter(**{_reverse_lookup(relation, dotted): OuterRef("pk")})
