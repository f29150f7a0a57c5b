"""System checks on serializer relations.

django-rest-models clients filter through reverse relations, so a serializer exposing
``Pizza.menu`` needs ``Menu.pizzas`` on the menu serializer (``restbridge.E001``). A
relation field must be prefetchable: its source is a relation or a dotted chain of to-one
relations, with matching ``many`` (``restbridge.E003``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core import checks

from ._types import SerializerClass
from .fields import DynamicRelationField
from .relations import model_relation
from .serializers import DynamicModelSerializer

__all__ = ["check_reverse_relations", "concrete_serializers"]


def concrete_serializers() -> Iterator[type[DynamicModelSerializer]]:
    """Every defined ``DynamicModelSerializer`` subclass with a ``Meta.model``."""
    seen: set[type[DynamicModelSerializer]] = set()
    pending = list(DynamicModelSerializer.__subclasses__())
    while pending:
        serializer_class = pending.pop()
        if serializer_class in seen:
            continue
        seen.add(serializer_class)
        pending.extend(serializer_class.__subclasses__())
        if getattr(getattr(serializer_class, "Meta", None), "model", None) is not None:
            yield serializer_class


def _exposes(serializer_class: SerializerClass, key: str, forward: bool) -> bool:
    for field in serializer_class.field_map().values():
        if isinstance(field, DynamicRelationField):
            relation = field.relation
            if relation is not None and relation.key == key and relation.forward == forward:
                return True
    return False


def _check_source(
    serializer_class: type[DynamicModelSerializer], name: str, field: DynamicRelationField
) -> list[checks.CheckMessage]:
    """``restbridge.E003`` when a relation field's source cannot be prefetched (N+1)."""
    chain = field.chain
    where = f"{serializer_class.__qualname__}.{name}"
    if chain is None:
        problem = (
            f"{where}: source {field.source!r} is not a model relation nor a dotted chain of "
            "to-one relations, so its objects cannot be prefetched (one query per row)."
        )
    elif chain[-1].to_many != field.many:
        kind = "to-many" if chain[-1].to_many else "to-one"
        problem = f"{where}: source {field.source!r} is {kind} but the field has many={field.many}."
    else:
        return []
    hint = (
        "Point source at a relation (or 'a.b' through to-one relations), fix many=, or use a "
        "DynamicMethodField(requires=[...]) for computed values."
    )
    return [checks.Error(problem, hint=hint, obj=serializer_class, id="restbridge.E003")]


def check_reverse_relations(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``restbridge.E001`` for each relation whose reverse the related serializer hides."""
    errors: list[checks.CheckMessage] = []
    for serializer_class in sorted(concrete_serializers(), key=lambda c: c.__qualname__):
        try:
            fields = serializer_class.field_map()
            for field in fields.values():
                if isinstance(field, DynamicRelationField):
                    field.serializer_class.field_map()
        except Exception as error:  # noqa: BLE001 - report a broken serializer, do not crash
            errors.append(
                checks.Error(
                    f"{serializer_class.__qualname__} cannot build its fields: {error}",
                    obj=serializer_class,
                    id="restbridge.E002",
                )
            )
            continue
        for name, field in fields.items():
            if isinstance(field, DynamicRelationField):
                errors.extend(_check_source(serializer_class, name, field))
            if not isinstance(field, DynamicRelationField) or field.reverse_optional:
                continue
            relation = field.relation
            if relation is None or relation.reverse_accessor is None:
                continue
            target = field.serializer_class
            if _exposes(target, relation.key, not relation.forward):
                continue
            back = model_relation(relation.related_model, relation.reverse_accessor)
            many = "many=True" if back is not None and back.to_many else ""
            args = ", ".join(a for a in (repr(serializer_class.__name__), many) if a)
            errors.append(
                checks.Error(
                    f"{serializer_class.__qualname__}.{name} exposes a relation to "
                    f"{target.__qualname__}, which does not expose the reverse relation "
                    f"{relation.reverse_accessor!r}.",
                    hint=(
                        f"Add `{relation.reverse_accessor} = DynamicRelationField({args})` to "
                        f"{target.__qualname__} and to its Meta.fields, or pass "
                        f"reverse_optional='<why>' to {serializer_class.__qualname__}.{name}."
                    ),
                    obj=serializer_class,
                    id="restbridge.E001",
                )
            )
    return errors
