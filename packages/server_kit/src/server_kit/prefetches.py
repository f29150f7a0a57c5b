"""The ``prefetch_related`` lookups DRF's own relation fields read, so none queries per row.

``DynamicRelationField`` is loaded by :class:`~server_kit.loading.Loader` from the plan; any
other field that reads through a relation (``PrimaryKeyRelatedField``, ``SlugRelatedField``,
``HyperlinkedRelatedField``, ``StringRelatedField``, custom ``RelatedField`` subclasses,
``ManyRelatedField``, nested serializers, auto-built reverse fields, a generic foreign key or
a ``GenericRelation``) gets a plain lookup along its ``source``: Django then loads the related
rows of every parent row in one query per path (one per content type for a generic key).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import relations, serializers

from ._types import AnyField
from .fields import DynamicRelationField
from .relations import model_relation

__all__ = ["field_lookups"]


def _hops(model: type[models.Model], attrs: list[str]) -> tuple[list[str], Any]:
    """The accessors along ``attrs`` that are relations, and the model reached.

    The model is ``None`` past a generic foreign key (its rows are of any model). Stops at
    the first attribute that is not a relation (a column read on the last related row).
    """
    hops: list[str] = []
    current: Any = model
    for attr in attrs:
        if current is None:
            break
        relation = model_relation(current, attr)
        if relation is not None:
            hops.append(attr)
            current = relation.related_model
            continue
        try:
            generic = current._meta.get_field(attr)
        except FieldDoesNotExist:
            break
        # Django's documented mark of a generic foreign key (contenttypes may be absent).
        if not (generic.is_relation and generic.many_to_one and generic.related_model is None):
            break
        hops.append(attr)
        current = None
    return hops, current


def _reads_local_id(field: AnyField, model: type[models.Model], hops: list[str]) -> bool:
    """Whether DRF renders ``field`` from the foreign key column alone (its pk optimisation)."""
    if not isinstance(field, relations.RelatedField) or not field.use_pk_only_optimization():
        return False
    owner: Any = model
    for attr in hops[:-1]:
        relation = model_relation(owner, attr)
        owner = relation.related_model if relation is not None else None
    last = model_relation(owner, hops[-1]) if owner is not None else None
    return last is not None and last.attname is not None


def field_lookups(model: type[models.Model], field: AnyField) -> list[str]:
    """The lookups, relative to ``model``, that ``field`` reads through relations.

    ``DynamicRelationField`` is the loader's own (empty here unless nested in a plain
    serializer, where it reads what Django prefetched).
    """
    nested: Any = None  # the nested serializer, if any
    if isinstance(field, serializers.ListSerializer):
        nested = field.child
    elif isinstance(field, serializers.BaseSerializer):
        nested = field
    if field.source == "*":
        if nested is None:
            return []
        return [lookup for sub in _nested_fields(nested) for lookup in field_lookups(model, sub)]
    hops, target = _hops(model, list(field.source_attrs))
    if not hops:
        return []
    if _reads_local_id(field, model, hops):
        hops = hops[:-1]  # DRF reads the id from the column of the row before the last hop
        if not hops:
            return []
    lookup = "__".join(hops)
    lookups = [lookup]
    if nested is not None and isinstance(target, type):
        for sub in _nested_fields(nested):
            lookups.extend(f"{lookup}__{deeper}" for deeper in field_lookups(target, sub))
    return lookups


def _nested_fields(serializer: serializers.BaseSerializer[Any]) -> list[AnyField]:
    """The fields of a nested serializer that read what a plain lookup loads."""
    fields: dict[str, AnyField] = getattr(serializer, "fields", {})
    return [sub for sub in fields.values() if not sub.write_only and _served(sub)]


def _served(field: AnyField) -> bool:
    """Whether a plain lookup serves ``field`` (any DRF field).

    A ``DynamicRelationField`` inside a plain serializer reads what Django prefetched for a
    relation it does not narrow, except a foreign key (its id is the local column).
    """
    if not isinstance(field, DynamicRelationField):
        return True
    relation = field.relation
    return (
        relation is not None and relation.attname is None and not field.is_narrowed(field.context)
    )
