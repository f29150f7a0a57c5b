"""What a computed field reads (``requires=``), as ``prefetch_related`` lookups.

dynamic-rest's syntax: dotted paths of attributes, ``*`` for "the whole object"
(``"location.cat_set.*"``), or a plain field name (``"fur_color"``). Relations along a
path are prefetched; a column needs no query (the row's columns are all loaded when a
computed field renders).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import models

from .relations import model_relation

__all__ = ["prefetch_lookups"]


def prefetch_lookups(model: type[models.Model], requires: Iterable[str]) -> list[str]:
    """The ``prefetch_related`` lookups for ``requires`` read from rows of ``model``."""
    lookups = [_lookup(model, path) for path in requires]
    return [lookup for lookup in dict.fromkeys(lookups) if lookup]


@cache
def _lookup(model: type[models.Model], path: str) -> str:
    """The longest relation prefix of ``path`` as a lookup (``""``: no relation)."""
    hops: list[str] = []
    attributes = path.replace("__", ".").split(".")
    generic = {field.name for field in model._meta.private_fields}
    if attributes[0] in generic:
        return attributes[0]  # a generic foreign key: Django prefetches it per content type
    for attribute in attributes:
        relation = model_relation(model, attribute)
        if relation is None:
            break
        hops.append(relation.accessor)
        model = relation.related_model
    return "__".join(hops)
