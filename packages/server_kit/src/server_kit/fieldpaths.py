"""Dotted serializer field names → ORM lookups, allowing only what the serializer exposes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, models, router
from django.utils import timezone
from django.utils.dateparse import parse_date
from rest_framework import serializers

from shared_querylang import Path, Value

from ._types import AnyField, SerializerClass
from .exceptions import InvalidValue, UnknownField
from .fields import DynamicRelationField
from .relations import ModelRelation, model_relation

__all__ = ["FieldPath", "PathSegment", "resolve_path"]

# A datetime whose "+HH:MM" offset arrived as " HH:MM" ('+' decoded to a space).
_SPACED_OFFSET = re.compile(r"^(.*\d) (\d\d:?\d\d)$")


@dataclass(frozen=True, slots=True)
class PathSegment:
    """One segment of a resolved path.

    Attributes:
        name: the serializer field name.
        lookup: the ORM lookup segment.
        field: the serializer field (``None`` for ``pk``).
        relation: the ORM relation when the segment crosses one.
    """

    name: str
    lookup: str
    field: AnyField | None
    relation: ModelRelation | None


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A serializer path resolved to an ORM lookup plus a value coercer."""

    hops: tuple[PathSegment, ...]
    coerce: Callable[[Value], Any]

    @property
    def dotted(self) -> str:
        return ".".join(hop.name for hop in self.hops)

    @property
    def is_temporal(self) -> bool:
        """Whether the path ends on a date or datetime field (for year/month/... filters)."""
        field = self.hops[-1].field
        return isinstance(field, serializers.DateField | serializers.DateTimeField)


def _column_range(model_field: Any) -> tuple[int | None, int | None]:
    """The integers ``model_field``'s column holds (``None``: unbounded or not an integer)."""
    if not isinstance(model_field, models.IntegerField):
        return None, None
    connection = connections[router.db_for_read(model_field.model)]
    low, high = connection.ops.integer_field_range(model_field.get_internal_type())
    return low, high


def _in_range(number: Any, bounds: tuple[int | None, int | None], dotted: str, value: Value) -> Any:
    """``number``, or a 400 when it is an integer the column cannot hold.

    Past the range SQLite raises ``OverflowError`` and PostgreSQL ``DataError`` as the
    query runs: the request must be refused before.
    """
    low, high = bounds
    if isinstance(number, int) and not isinstance(number, bool):
        if (low is not None and number < low) or (high is not None and number > high):
            raise InvalidValue(
                f"{dotted!r}: {value!r} is out of range: the column holds {low} to {high}.",
                field=dotted,
            )
    return number


def _pk_coercer(model: type[models.Model], dotted: str) -> Callable[[Value], Any]:
    pk = model._meta.pk
    assert pk is not None
    bounds = _column_range(pk)

    def coerce(value: Value) -> Any:
        if isinstance(value, bool | float) and not float(value).is_integer():
            raise InvalidValue(f"{dotted!r}: {value!r} is not a valid id.", field=dotted)
        try:
            number = pk.to_python(int(value) if isinstance(value, float) else value)
        except (DjangoValidationError, TypeError, ValueError):
            raise InvalidValue(
                f"{dotted!r}: {value!r} is not a valid id of {model.__name__}.", field=dotted
            ) from None
        return _in_range(number, bounds, dotted, value)

    return coerce


def _field_coercer(field: AnyField, dotted: str, model_field: Any) -> Callable[[Value], Any]:
    bounds = _column_range(model_field)

    def attempt(value: Any) -> Any:
        if isinstance(field, serializers.DateTimeField) and isinstance(value, str):
            spaced = _SPACED_OFFSET.match(value)
            if spaced and parse_date(value) is None:
                value = f"{spaced.group(1)}+{spaced.group(2)}"
            day = parse_date(value) if len(value) == 10 else None
            if day is not None:
                value = dt.datetime.combine(day, dt.time())
        if isinstance(field, serializers.DateTimeField) and type(value) is dt.date:
            value = dt.datetime.combine(value, dt.time())
        if (
            isinstance(value, dt.datetime)
            and timezone.is_naive(value)
            and timezone.is_aware(timezone.now())
        ):
            value = timezone.make_aware(value)
        return field.to_internal_value(value)

    def coerce(value: Value) -> Any:
        try:
            return _in_range(attempt(value), bounds, dotted, value)
        except serializers.ValidationError as error:
            messages = error.detail if isinstance(error.detail, list) else [error.detail]
            reason = " ".join(str(message) for message in messages) or "invalid value."
            raise InvalidValue(
                f"{dotted!r}: {value!r} is not valid: {reason}", field=dotted
            ) from None
        except (TypeError, ValueError, DjangoValidationError) as error:
            raise InvalidValue(
                f"{dotted!r}: {value!r} is not valid: {error}", field=dotted
            ) from None

    return coerce


def _model_attribute_ok(model: type[models.Model], source: str) -> bool:
    try:
        field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "concrete", False))


def resolve_path(serializer_class: SerializerClass, path: Path, *, purpose: str) -> FieldPath:
    """Resolve ``path`` of serializer field names on ``serializer_class``.

    Args:
        serializer_class: where the path starts.
        path: field names; ``pk`` is accepted at any level.
        purpose: ``"filter"`` or ``"sort"``, for the messages.

    Raises:
        UnknownField: a name the serializer does not expose, a computed field, or a
            path that continues past a field that is not a relation.
    """
    hops: list[PathSegment] = []
    current = serializer_class
    for position, name in enumerate(path):
        dotted = ".".join(path[: position + 1])
        last = position == len(path) - 1
        segment, coerce = _segment(current, name, dotted, purpose)
        hops.append(segment)
        field = segment.field
        if last:
            return FieldPath(tuple(hops), coerce)
        if name == "pk" and field is None:
            raise UnknownField(f"Invalid {purpose} field {dotted!r}: 'pk' has no fields.")
        if not isinstance(field, DynamicRelationField):
            raise UnknownField(
                f"Invalid {purpose} field {'.'.join(path)!r}: {dotted!r} is not a relation.",
                field=".".join(path),
            )
        current = field.serializer_class
    raise UnknownField(f"Invalid {purpose} field: empty path.")


def _segment(
    current: SerializerClass, name: str, dotted: str, purpose: str
) -> tuple[PathSegment, Callable[[Value], Any]]:
    """Field ``name`` of ``current`` as a path segment, and the coercer of its values."""
    model = current.model_class()
    fields = current.field_map()
    if name == "pk" and name not in fields:
        return PathSegment(name, "pk", None, None), _pk_coercer(model, dotted)
    field = fields.get(name)
    if field is None:
        raise UnknownField(
            f"Invalid {purpose} field {dotted!r}: {current.resource_name()!r} has no field "
            f"{name!r}; valid names: {', '.join(sorted(fields))}.",
            field=dotted,
        )
    if isinstance(field, DynamicRelationField):
        relation = field.relation
        if relation is None:
            raise UnknownField(
                f"Invalid {purpose} field {dotted!r}: its source is not a model relation.",
                field=dotted,
            )
        segment = PathSegment(name, relation.query_name, field, relation)
        return segment, _pk_coercer(relation.related_model, dotted)
    source = field.source or name
    if not _model_attribute_ok(model, source) or isinstance(
        field, serializers.SerializerMethodField
    ):
        raise UnknownField(
            f"Invalid {purpose} field {dotted!r}: it is computed, not stored, so it "
            f"cannot be used to {purpose}.",
            field=dotted,
        )
    model_field = model._meta.get_field(source)
    if model_field.is_relation:  # a plain DRF relation field: compare ids
        related = model_field.related_model
        assert isinstance(related, type)
        segment = PathSegment(name, source, field, model_relation(model, source))
        return segment, _pk_coercer(related, dotted)
    return PathSegment(name, source, field, None), _field_coercer(field, dotted, model_field)
