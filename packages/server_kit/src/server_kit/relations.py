"""What the ORM knows about one relation of a model, looked up by attribute name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.db.models.fields.related import ForeignObjectRel, RelatedField

__all__ = ["ModelRelation", "is_loaded", "model_relation", "model_relations", "relation_chain"]


@dataclass(frozen=True, slots=True)
class ModelRelation:
    """One relation seen from ``model``.

    Attributes:
        accessor: the instance attribute and ``prefetch_related`` lookup (``pizza_set``).
        query_name: the lookup segment in ``filter()`` (``pizza``).
        to_many: whether the attribute is a manager.
        related_model: the model at the other end.
        attname: for a forward to-one relation, the local column attribute (``menu_id``).
        target_attname: for a forward to-one relation, the column of ``related_model`` that
            ``attname`` holds (its primary key unless the foreign key names a ``to_field``).
        remote_attname: for a reverse to-one/to-many relation, the column on the related
            model pointing back here (needed when the related rows are loaded with ``only()``).
        reverse_query_name: the lookup from ``related_model`` back to ``model`` (for a
            symmetrical many-to-many, the relation itself), or ``None`` when the relation is
            hidden on that side (``related_name="+"``).
        reverse_accessor: the attribute on ``related_model`` for the other direction, or
            ``None`` when hidden (``related_name="+"``, symmetrical many-to-many).
        key: identifies the underlying model field; both directions share it.
        forward: whether ``model`` holds the field (rather than the reverse side).
    """

    accessor: str
    query_name: str
    to_many: bool
    related_model: type[models.Model]
    attname: str | None
    target_attname: str | None
    remote_attname: str | None
    reverse_query_name: str | None
    reverse_accessor: str | None
    key: str
    forward: bool


def _key(field: RelatedField[object, object]) -> str:
    return f"{field.model._meta.label}.{field.name}"


def _describe(field: RelatedField[object, object] | ForeignObjectRel) -> ModelRelation | None:
    related: Any = field.related_model
    if not isinstance(related, type):  # generic relations, unresolved models
        return None
    to_many = bool(field.many_to_many or field.one_to_many)
    if isinstance(field, ForeignObjectRel):
        return ModelRelation(
            accessor=field.get_accessor_name() or field.name,
            query_name=field.name,
            to_many=to_many,
            related_model=related,
            attname=None,
            target_attname=None,
            remote_attname=None if field.many_to_many else field.field.attname,
            reverse_query_name=field.field.name,
            reverse_accessor=field.field.name,
            key=_key(field.field),
            forward=False,
        )
    symmetrical = bool(getattr(field.remote_field, "symmetrical", False))
    hidden = field.remote_field.hidden or symmetrical
    # A symmetrical many-to-many relates both ways through the field itself.
    reverse = field.name if symmetrical else None if hidden else field.related_query_name()
    return ModelRelation(
        accessor=field.name,
        query_name=field.name,
        to_many=to_many,
        related_model=related,
        attname=None if to_many else field.attname,
        target_attname=None if to_many else field.target_field.attname,
        remote_attname=None,
        reverse_query_name=reverse,
        reverse_accessor=None if hidden else field.remote_field.get_accessor_name(),
        key=_key(field),
        forward=True,
    )


@cache
def _relations(model: type[models.Model]) -> dict[str, ModelRelation]:
    found: dict[str, ModelRelation] = {}
    for field in model._meta.get_fields():
        if isinstance(field, RelatedField | ForeignObjectRel):
            described = _describe(field)
            if described is not None:
                found[described.accessor] = described
    return found


def model_relations(model: type[models.Model]) -> dict[str, ModelRelation]:
    """Every forward and reverse relation of ``model``, by accessor."""
    return dict(_relations(model))


def model_relation(model: type[models.Model], attribute: str) -> ModelRelation | None:
    """The relation behind ``model.<attribute>``, or ``None`` when it is not a relation."""
    return _relations(model).get(attribute)


@cache
def relation_chain(model: type[models.Model], source: str) -> tuple[ModelRelation, ...] | None:
    """The relations along a dotted ``source`` (``"review.book"``), or ``None``.

    ``None`` unless every segment is a relation and every one but the last is to-one
    (a to-many hop in the middle has no single object to read on from).
    """
    chain: list[ModelRelation] = []
    for attribute in source.split("."):
        if chain and chain[-1].to_many:
            return None
        relation = model_relation(model, attribute)
        if relation is None:
            return None
        chain.append(relation)
        model = relation.related_model
    return tuple(chain)


def is_loaded(instance: models.Model, relation: ModelRelation) -> bool:
    """Whether ``instance.<relation>`` is already loaded (selected or prefetched)."""
    if relation.to_many:
        return relation.accessor in getattr(instance, "_prefetched_objects_cache", {})
    return relation.accessor in instance._state.fields_cache
