"""Primary-key values from the wire: whole numbers (or the key's own type) the column can hold.

Every id a client sends (a filter on ``pk`` or a relation, a relation set on a write, the
ids of a bulk update or delete) goes through :func:`to_key`, so that ``1.5`` is not read as
``1`` (a write to the wrong row) and ``1e308`` is refused before SQLite raises
``OverflowError`` or PostgreSQL ``DataError`` as the query runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, models, router

__all__ = ["column_range", "key_reader", "out_of_range", "to_key"]


def column_range(model_field: Any) -> tuple[int | None, int | None]:
    """The integers ``model_field``'s column holds (``None``: unbounded or not an integer)."""
    if not isinstance(model_field, models.IntegerField):
        return None, None
    connection = connections[router.db_for_read(model_field.model)]
    low, high = connection.ops.integer_field_range(model_field.get_internal_type())
    return low, high


def out_of_range(number: Any, bounds: tuple[int | None, int | None]) -> bool:
    """Whether ``number`` is an integer outside ``bounds`` (see :func:`column_range`)."""
    if not isinstance(number, int) or isinstance(number, bool):
        return False
    low, high = bounds
    return (low is not None and number < low) or (high is not None and number > high)


def key_reader(model: type[models.Model]) -> Callable[[Any], Any]:
    """A function reading wire values as primary keys of ``model`` (see :func:`to_key`).

    The column's range is looked up once, not per value (an ``in`` of 1000 ids).
    """
    pk = model._meta.pk
    assert pk is not None
    bounds = column_range(pk)

    def read(raw: Any) -> Any:
        if isinstance(raw, float) and not (math.isfinite(raw) and raw.is_integer()):
            raise ValueError(f"{raw!r} is not a valid id of {model.__name__}.")
        try:
            key = pk.to_python(int(raw) if isinstance(raw, float) else raw)
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            raise ValueError(f"{raw!r} is not a valid id of {model.__name__}.") from None
        if out_of_range(key, bounds):
            low, high = bounds
            raise ValueError(f"{raw!r} is out of range: the column holds {low} to {high}.")
        return key

    return read


def to_key(model: type[models.Model], raw: Any) -> Any:
    """``raw`` as a primary-key value of ``model``.

    Raises:
        ValueError: not a valid key of ``model`` (a fraction, text that is no number for an
            integer key, ...), or an integer its column cannot hold; the message says which.
    """
    return key_reader(model)(raw)
