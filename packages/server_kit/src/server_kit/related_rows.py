"""The related rows a request may see through one relation, tied to the row that holds it.

Filters and sorts that cross a relation compile to subqueries over these rows, so the
related serializer's row hook (``filter_queryset``) and the field's ``queryset`` hold there
exactly as they do for includes: a hidden row matches nothing and sorts like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import OuterRef
from rest_framework.fields import Field

from .exceptions import UnknownField
from .fields import DynamicRelationField
from .relations import ModelRelation

__all__ = ["correlated", "visible_rows"]


def visible_rows(
    field: Field | None,  # type: ignore[type-arg]
    relation: ModelRelation,
    context: Mapping[str, Any],
) -> models.QuerySet[Any]:
    """The rows behind ``field`` the request may see (every row for a plain DRF field)."""
    if isinstance(field, DynamicRelationField):
        return field.visible_queryset(context)
    return relation.related_model._default_manager.all()


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
    if relation.reverse_query_name is None:
        raise UnknownField(
            f"{dotted!r} cannot be filtered or sorted through: the relation has no reverse "
            "lookup (related_name='+').",
            field=dotted,
        )
    # "__pk" keeps it right for foreign keys to a non-primary to_field (Django trims the join
    # otherwise).
    return rows.filter(**{f"{relation.reverse_query_name}__pk": OuterRef("pk")})
