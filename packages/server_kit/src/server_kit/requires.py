"""What a computed field reads (``requires=``), as ``prefetch_related`` lookups.

dynamic-rest's syntax: dotted paths of attributes, ``*`` for "the whole object"
(``"location.cat_set.*"``), or a plain field name (``"fur_color"``). Relations along a
path are prefetched; a column needs no query (the row's columns are all loaded when a
computed field renders). A hop that a relation field of the serializer exposes loads only
the rows that field may show (its serializer's row hook, its ``queryset=``): a method
reading ``user.location`` sees no hidden location, as the rendered field would not.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import cache
from typing import Any

from django.db import models
from django.db.models import Prefetch

from ._types import SerializerClass
from .fields import DynamicRelationField
from .relations import ModelRelation, model_relation

__all__ = ["prefetch_lookups"]


def prefetch_lookups(
    serializer_class: SerializerClass,
    requires: Iterable[str],
    context: Mapping[str, Any],
    taken: Collection[str] = (),
) -> list[str | Prefetch[Any]]:
    """The ``prefetch_related`` lookups for ``requires`` read from rows of the serializer.

    Paths sharing hops share one nested ``Prefetch``; a first hop in ``taken`` (prefetched
    already by the plan) is walked with plain lookups, which reuse that prefetch.
    """
    model = serializer_class.model_class()
    lookups: list[str | Prefetch[Any]] = []
    tree: dict[ModelRelation, dict[Any, Any]] = {}
    for path in dict.fromkeys(requires):
        generic = _generic(model, path)
        if generic:
            lookups.append(generic)  # Django prefetches a generic key per content type
            continue
        hops = _hops(model, path)
        if hops and hops[0].accessor in taken:
            lookups.append("__".join(relation.accessor for relation in hops))
            continue
        node = tree
        for relation in hops:
            node = node.setdefault(relation, {})
    return [*dict.fromkeys(lookups), *_prefetches(serializer_class, tree, context)]


def _prefetches(
    serializer_class: SerializerClass | None,
    tree: Mapping[ModelRelation, Any],
    context: Mapping[str, Any],
) -> list[Prefetch[Any]]:
    """One ``Prefetch`` per hop of ``tree``, with the rows its exposing field may show."""
    prefetches: list[Prefetch[Any]] = []
    for relation, below in tree.items():
        field = _exposing(serializer_class, relation) if serializer_class else None
        if field is not None:
            rows = field.visible_queryset(context)
        else:
            rows = relation.related_model._default_manager.all()
        inner = _prefetches(field.serializer_class if field else None, below, context)
        if inner:
            rows = rows.prefetch_related(*inner)
        prefetches.append(Prefetch(relation.accessor, queryset=rows))
    return prefetches


def _generic(model: type[models.Model], path: str) -> str | None:
    first = path.replace("__", ".").split(".")[0]
    return first if first in {field.name for field in model._meta.private_fields} else None


@cache
def _hops(model: type[models.Model], path: str) -> tuple[ModelRelation, ...]:
    """The relations along the longest relation prefix of ``path``."""
    hops: list[ModelRelation] = []
    for attribute in path.replace("__", ".").split("."):
        relation = model_relation(model, attribute)
        if relation is None:
            break
        hops.append(relation)
        model = relation.related_model
    return tuple(hops)


def _exposing(
    serializer_class: SerializerClass, relation: ModelRelation
) -> DynamicRelationField | None:
    """The serializer's relation field over ``relation`` (one hop), if it has one."""
    for field in serializer_class.field_map().values():
        if isinstance(field, DynamicRelationField) and field.relation == relation:
            return field
    return None
