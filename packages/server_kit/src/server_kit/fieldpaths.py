"""Dotted serializer field names → ORM lookups, allowing only what the serializer exposes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils import timezone
from django.utils.dateparse import parse_date
from rest_framework import serializers

from shared_querylang import Path, Value

from ._types import AnyField, SerializerClass
from .exceptions import InvalidValue, UnknownField
from .fields import DynamicRelationField
from .keys import column_range, key_reader, out_of_range
from .relations import ModelRelation, model_relation

__all__ = ["FALSE_WORDS", "FieldPath", "PathSegment", "is_truthy", "resolve_path"]

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
        key: for a path ending on a relation, the related column its values name: what
            the field renders (``pk``, a ``SlugRelatedField``'s ``slug_field``, a
            ``HyperlinkedRelatedField``'s ``lookup_field``).
    """

    name: str
    lookup: str
    field: AnyField | None
    relation: ModelRelation | None
    key: str = "pk"


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


#: The words dynamic-rest reads as false in boolean and ``isnull`` filters (any case).
FALSE_WORDS = frozenset({"", "0", "false"})


def is_truthy(value: Value) -> bool:
    """dynamic-rest's reading of a filter value as a boolean."""
    if isinstance(value, str):
        return value.strip().lower() not in FALSE_WORDS
    return bool(value)


def _in_range(number: Any, bounds: tuple[int | None, int | None], dotted: str, value: Value) -> Any:
    """``number``, or a 400 when it is an integer the column cannot hold.

    Past the range SQLite raises ``OverflowError`` and PostgreSQL ``DataError`` as the
    query runs: the request must be refused before.
    """
    if out_of_range(number, bounds):
        low, high = bounds
        raise InvalidValue(
            f"{dotted!r}: {value!r} is out of range: the column holds {low} to {high}.",
            field=dotted,
        )
    return number


def _pk_coercer(model: type[models.Model], dotted: str) -> Callable[[Value], Any]:
    read = key_reader(model)

    def coerce(value: Value) -> Any:
        try:
            return read(value)
        except ValueError as error:
            raise InvalidValue(f"{dotted!r}: {error}", field=dotted) from None

    return coerce


def _field_coercer(field: AnyField, dotted: str, model_field: Any) -> Callable[[Value], Any]:
    bounds = column_range(model_field)

    def attempt(value: Any) -> Any:
        if isinstance(field, serializers.BooleanField) and isinstance(value, str):
            value = is_truthy(value)  # dynamic-rest: any word but 0/false/'' is true
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
                f"{dotted!r}: {value!r} is not valid: {reason}",
                field=dotted,
                legacy=_model_message(model_field, value) or reason,
            ) from None
        except (TypeError, ValueError, DjangoValidationError) as error:
            raise InvalidValue(
                f"{dotted!r}: {value!r} is not valid: {error}", field=dotted
            ) from None

    return coerce


def _model_message(model_field: Any, value: Value) -> str | None:
    """What the model field says of ``value`` (dynamic-rest's message), if it refuses it."""
    try:
        if model_field is not None:
            model_field.to_python(value)
    except DjangoValidationError as error:
        return str(error.messages[0])
    except (TypeError, ValueError):
        return None
    return None


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
    current = _Level(
        serializer_class.model_class(),
        serializer_class.field_map(),
        serializer_class.resource_name(),
    )
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
        after = _next_level(segment)
        if after is None:
            raise UnknownField(
                f"Invalid {purpose} field {'.'.join(path)!r}: {dotted!r} is not a relation"
                " to objects with fields (a dynamic relation or a nested serializer).",
                field=".".join(path),
            )
        current = after
    raise UnknownField(f"Invalid {purpose} field: empty path.")


@dataclass(frozen=True, slots=True)
class _Level:
    """The fields a path segment is looked up in: a serializer's, or a nested one's."""

    model: type[models.Model]
    fields: Mapping[str, AnyField]
    name: str


def _next_level(segment: PathSegment) -> _Level | None:
    """Where a path continues past ``segment``: the related serializer's fields."""
    field, relation = segment.field, segment.relation
    if isinstance(field, DynamicRelationField):
        related = field.serializer_class
        return _Level(related.model_class(), related.field_map(), related.resource_name())
    nested = field.child if isinstance(field, serializers.ListSerializer) else field
    if relation is None or not isinstance(nested, serializers.BaseSerializer):
        return None
    fields: Mapping[str, AnyField] = getattr(nested, "fields", {})
    return _Level(relation.related_model, fields, segment.name)


def _segment(
    current: _Level, name: str, dotted: str, purpose: str
) -> tuple[PathSegment, Callable[[Value], Any]]:
    """Field ``name`` of ``current`` as a path segment, and the coercer of its values."""
    model = current.model
    fields = current.fields
    if name == "pk" and name not in fields:
        return PathSegment(name, "pk", None, None), _pk_coercer(model, dotted)
    field = fields.get(name)
    if field is None:
        raise UnknownField(
            f"Invalid {purpose} field {dotted!r}: {current.name!r} has no field "
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
    relation = model_relation(model, source)
    if relation is not None and not isinstance(field, serializers.SerializerMethodField):
        # Any DRF relation field, reverse and generic relations included.
        return _shown_relation(name, field, relation, dotted, purpose)
    if not _model_attribute_ok(model, source) or isinstance(
        field, serializers.SerializerMethodField
    ):
        raise UnknownField(
            f"Invalid {purpose} field {dotted!r}: it is computed, not stored, so it "
            f"cannot be used to {purpose}.",
            field=dotted,
        )
    model_field = model._meta.get_field(source)
    return PathSegment(name, source, field, None), _field_coercer(field, dotted, model_field)


def _shown_relation(
    name: str, field: AnyField, relation: ModelRelation, dotted: str, purpose: str
) -> tuple[PathSegment, Callable[[Value], Any]]:
    """A plain DRF relation field: its values name what it renders of the related row.

    A slug for ``SlugRelatedField``, the lookup field (or the whole URL) for
    ``HyperlinkedRelatedField``, the primary key for the others (``PrimaryKeyRelatedField``,
    nested serializers, custom fields). ``StringRelatedField`` renders ``str()``, which no
    column holds: it is refused.
    """
    shown = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
    related = relation.related_model
    if isinstance(shown, serializers.StringRelatedField):
        raise UnknownField(
            f"Invalid {purpose} field {dotted!r}: it renders each related row as text (str()),"
            f" which is not stored, so it cannot be used to {purpose}; use a field that "
            "renders the related id or slug.",
            field=dotted,
        )
    key = "pk"
    if isinstance(shown, serializers.SlugRelatedField):
        key = shown.slug_field
    elif isinstance(shown, serializers.HyperlinkedRelatedField):
        key = shown.lookup_field
    coerce = _pk_coercer(related, dotted) if key == "pk" else _key_coercer(related, key, dotted)
    if isinstance(shown, serializers.HyperlinkedRelatedField):
        coerce = _url_reader(shown, coerce, dotted)
    return PathSegment(name, relation.query_name, field, relation, key), coerce


def _key_coercer(related: type[models.Model], key: str, dotted: str) -> Callable[[Value], Any]:
    """Values of the related column ``key`` (a slug or lookup field), as the column reads."""
    try:
        model_field = related._meta.get_field(key)
    except FieldDoesNotExist:
        model_field = None
    if not isinstance(model_field, models.Field):
        return lambda value: value  # a lookup through relations: Django converts
    bounds = column_range(model_field)

    def coerce(value: Value) -> Any:
        try:
            return _in_range(model_field.to_python(value), bounds, dotted, value)
        except (DjangoValidationError, TypeError, ValueError):
            raise InvalidValue(
                f"{dotted!r}: {value!r} is not a valid {key} of {related.__name__}.",
                field=dotted,
            ) from None

    return coerce


def _url_reader(
    field: serializers.HyperlinkedRelatedField[Any], coerce: Callable[[Value], Any], dotted: str
) -> Callable[[Value], Any]:
    """Accepts the lookup value itself or the whole URL the field renders."""

    def read(value: Value) -> Any:
        if isinstance(value, str) and "/" in value:
            path = urlparse(value).path
            prefix = get_script_prefix()
            if path.startswith(prefix):
                path = "/" + path[len(prefix) :]
            try:
                match = resolve(path)
            except Resolver404:
                match = None
            if match is None or match.view_name != field.view_name:
                raise InvalidValue(
                    f"{dotted!r}: {value!r} is not a URL of {field.view_name!r}.", field=dotted
                )
            value = match.kwargs.get(field.lookup_url_kwarg)
        return coerce(value)

    return read
