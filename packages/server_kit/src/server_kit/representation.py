"""``RowRenderer``: a serializer's readable fields compiled once into a tight per-row loop.

DRF renders a row by asking every field to find its attribute (a generic walk over
``source_attrs`` with callable checks) and then to convert it. For a stored column whose
field converts a value of the column's own type to itself, both steps are reduced to a
dictionary read; every other field takes DRF's own path, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings as drf_settings

from ._types import AnyField
from .fields import DynamicRelationField

__all__ = ["RowRenderer"]

Reader = Callable[[Any], Any]

# Field classes whose ``to_representation`` returns a value of this type unchanged (they
# call ``int(value)``, ``str(value)`` ...). Exact classes only: a subclass may convert.
_IDENTITY: dict[type[AnyField], type] = {
    serializers.IntegerField: int,
    serializers.FloatField: float,
    serializers.BooleanField: bool,
    serializers.CharField: str,
    serializers.EmailField: str,
    serializers.SlugField: str,
    serializers.URLField: str,
    serializers.RegexField: str,
}


class RowRenderer:
    """Renders model instances of ``model`` with ``fields``, as DRF's loop would.

    Args:
        model: the serializer's model; other objects (validated data) take DRF's path.
        fields: the serializer's readable fields, bound.
    """

    def __init__(self, model: type[models.Model], fields: Iterable[AnyField]) -> None:
        self.model = model
        columns = _columns(model)
        # (name, column or None, field, type a value of which renders as itself, or None,
        # the relation's row reader or None)
        self.steps: list[tuple[str, str | None, AnyField, type | None, Reader | None]] = []
        for field in fields:
            attrs = field.source_attrs
            column = attrs[0] if len(attrs) == 1 and attrs[0] in columns else None
            reader = field.row_reader() if isinstance(field, DynamicRelationField) else None
            self.steps.append((field.field_name, column, field, _same_type(field), reader))  # type: ignore[arg-type]
            if type(field) is serializers.DateTimeField and not hasattr(field, "timezone"):
                # DRF looks the current time zone up for every value (a context-local
                # read); it cannot change while one response renders, so read it once.
                field.timezone = field.default_timezone()  # type: ignore[assignment]

    def render(self, instance: Any) -> dict[str, Any]:
        """The primitive representation of ``instance``."""
        row: dict[str, Any] = {}
        stored = instance.__dict__ if isinstance(instance, self.model) else {}
        for name, column, field, same, reader in self.steps:
            if reader is not None:
                try:
                    row[name] = reader(instance)
                except SkipField:
                    pass
                continue
            if column is not None and column in stored:
                value = stored[column]
                if value is None:
                    row[name] = None
                elif type(value) is same:
                    row[name] = value
                else:
                    row[name] = field.to_representation(value)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            missing = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            row[name] = None if missing is None else field.to_representation(attribute)
        return row


@cache
def _columns(model: type[models.Model]) -> frozenset[str]:
    """The attributes of ``model`` that hold a stored column's value as loaded."""
    return frozenset(
        field.attname
        for field in model._meta.concrete_fields
        if not field.is_relation and field.attname == field.name
    )


def _same_type(field: AnyField) -> type | None:
    """The type whose values ``field`` renders unchanged, if any."""
    kind = type(field)
    # DRF 3.16+ maps big integer columns (BigAutoField ids) to it; it renders integers as
    # they are unless told to coerce them to strings.
    if kind is getattr(serializers, "BigIntegerField", None):
        coerce = getattr(field, "coerce_to_string", drf_settings.COERCE_BIGINT_TO_STRING)
        return None if coerce else int
    return _IDENTITY.get(kind)
