"""Emit conforming serializers, viewsets and router registrations for a list of models.

>>> api = emit_api([Menu, Pizza, Topping], router=router)   # doctest: +SKIP
>>> api.serializers[Pizza]                                  # doctest: +SKIP
<class 'server_kit.emitter.PizzaSerializer'>
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .fields import DynamicRelationField
from .relations import ModelRelation, model_relations
from .routers import DynamicRouter
from .serializers import DynamicModelSerializer
from .viewsets import DynamicModelViewSet

__all__ = ["EmittedAPI", "emit_api"]

Model = type[models.Model]


@dataclass(frozen=True, slots=True)
class EmittedAPI:
    """What :func:`emit_api` made: serializers and viewsets by model, and the router."""

    serializers: Mapping[Model, type[DynamicModelSerializer]]
    viewsets: Mapping[Model, type[DynamicModelViewSet]]
    router: DynamicRouter = field(default_factory=DynamicRouter)


def _relation_field(
    relation: ModelRelation, model: Model, resolve: Mapping[Model, Any]
) -> DynamicRelationField:
    target = relation.related_model
    options: dict[str, Any] = {"many": relation.to_many}
    if relation.forward:
        model_field: Any = model._meta.get_field(relation.accessor)
        nullable = bool(getattr(model_field, "null", False))
        options["required"] = not (nullable or relation.to_many or model_field.has_default())
        options["allow_null"] = nullable
    else:
        # Re-pointing rows of the other side is a write on that side, not here.
        options["read_only"] = True
    return DynamicRelationField(lambda: resolve[target], **options)


def _serializer_for(
    model: Model, exposed: set[Model], resolve: Mapping[Model, Any], hidden: Iterable[str]
) -> type[DynamicModelSerializer]:
    hidden_names = set(hidden)
    names = [
        f.name
        for f in model._meta.concrete_fields
        if not f.is_relation and f.name not in hidden_names
    ]
    attrs: dict[str, Any] = {"__module__": __name__}
    for accessor, relation in model_relations(model).items():
        if relation.related_model in exposed and accessor not in hidden_names:
            attrs[accessor] = _relation_field(relation, model, resolve)
            names.append(accessor)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": tuple(names)})
    return type(f"{model.__name__}Serializer", (DynamicModelSerializer,), attrs)


def emit_api(
    models_: Iterable[Model],
    *,
    router: DynamicRouter | None = None,
    serializers: Mapping[Model, type[DynamicModelSerializer]] | None = None,
    hidden_fields: Mapping[Model, Iterable[str]] | None = None,
) -> EmittedAPI:
    """Serializers, viewsets and routes exposing ``models_`` and every relation between them.

    Args:
        models_: the models to expose.
        router: where to register the viewsets (a new :class:`DynamicRouter` by default).
        serializers: hand-written serializers to use for some models; generated ones
            link to them, and they are registered like the generated ones.
        hidden_fields: field names never to expose, by model (password hashes ...).

    Returns:
        The serializers and viewsets by model, and the router.
    """
    wanted = list(models_)
    made: dict[Model, type[DynamicModelSerializer]] = dict(serializers or {})
    exposed = set(wanted) | set(made)
    hidden = hidden_fields or {}
    for model in wanted:
        if model not in made:
            made[model] = _serializer_for(model, exposed, made, hidden.get(model, ()))
    router = router if router is not None else DynamicRouter()
    viewsets: dict[Model, type[DynamicModelViewSet]] = {}
    for model in wanted:
        serializer_class = made[model]
        viewset = type(
            f"{model.__name__}ViewSet",
            (DynamicModelViewSet,),
            {"__module__": __name__, "serializer_class": serializer_class, "queryset": None},
        )
        router.register_resource(viewset)
        viewsets[model] = viewset
    return EmittedAPI(serializers=made, viewsets=viewsets, router=router)
