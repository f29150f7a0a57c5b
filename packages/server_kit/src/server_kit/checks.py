"""System checks on serializer relations.

django-rest-models clients filter through reverse relations, so a serializer exposing
``Pizza.menu`` needs ``Menu.pizzas`` on the menu serializer (``restbridge.E001``). A
relation field must be prefetchable: its source is a relation or a dotted chain of to-one
relations, with matching ``many`` (``restbridge.E003``). A routed dynamic viewset whose
``filter_backends`` lost the dynamic filter or sort backend is ``restbridge.W001``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core import checks
from django.urls import URLResolver, get_resolver

from .fields import DynamicRelationField
from .relations import model_relation
from .serializers import DynamicModelSerializer

__all__ = ["check_filter_backends", "check_reverse_relations", "concrete_serializers"]


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
            if field.counterpart() is not None:
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
                        f"Add `{relation.reverse_accessor} = DynamicRelationField({args},"
                        f" read_only=True)` to {target.__qualname__} and to its Meta.fields"
                        " (read_only: it is written through"
                        f" {serializer_class.__qualname__}.{name}), or pass"
                        f" reverse_optional='<why>' to {serializer_class.__qualname__}.{name}."
                    ),
                    obj=serializer_class,
                    id="restbridge.E001",
                )
            )
    return errors


def _routed_views(patterns: list[Any]) -> Iterator[type]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routed_views(pattern.url_patterns)
        elif isinstance(cls := getattr(pattern.callback, "cls", None), type):
            yield cls


def check_filter_backends(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``restbridge.W001`` for each routed dynamic viewset lacking a dynamic backend."""
    from .viewsets import BACKEND_FEATURES, WithDynamicViewSetMixin

    warnings: list[checks.CheckMessage] = []
    seen: set[type] = set()
    for view in _routed_views(get_resolver().url_patterns):
        if view in seen or not issubclass(view, WithDynamicViewSetMixin):
            continue
        seen.add(view)
        lost = sorted(
            {
                backend.__name__
                for backend in BACKEND_FEATURES.values()
                if not any(issubclass(b, backend) for b in view.filter_backends)
            }
        )
        if lost:
            warnings.append(
                checks.Warning(
                    f"{view.__qualname__}.filter_backends lacks {', '.join(lost)}: its filter{{}}"
                    " / where= / sort[] are refused (400) and not advertised in OPTIONS.",
                    hint=(
                        "Add backends beside the dynamic ones: filter_backends = "
                        "(*WithDynamicViewSetMixin.filter_backends, DjangoFilterBackend)."
                    ),
                    obj=view,
                    id="restbridge.W001",
                )
            )
    return warnings
