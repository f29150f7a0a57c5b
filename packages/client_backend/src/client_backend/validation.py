"""The contract check: the API's resources must have what the client models expect.

Run by ``manage.py check --database <alias>`` (and by Django's test runner for the
databases a test suite uses). Each API model costs one OPTIONS request, the one its
reads would send anyway (the connection keeps the answer). Skip it for a database with
``OPTIONS["SKIP_CHECK"] = True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.apps import apps
from django.core import checks
from django.db import models
from django.db.backends.base.validation import BaseDatabaseValidation

from ._types import APIConnection
from .exceptions import APIError, APIOperationalError
from .features import ServerFeatures
from .resources import api_name, is_api_model, resource_for

__all__ = ["DatabaseValidation", "contract_messages"]

_BASELINE = ServerFeatures.baseline().names


def _relation_messages(
    model: type[models.Model], properties: Mapping[str, Any]
) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    label = model._meta.label
    for field in model._meta.get_fields():
        related = field.related_model
        if not field.is_relation or not isinstance(related, type) or not is_api_model(related):
            continue
        if related._meta.auto_created:
            continue
        name = api_name(field)
        expected = "many" if (field.many_to_many or field.one_to_many) else "one"
        prop = properties.get(name)
        if not isinstance(prop, Mapping):
            backward = field.auto_created and not field.concrete
            messages.append(
                checks.Error(
                    f"{label}: the API has no {'backward ' if backward else ''}relation {name!r}.",
                    hint=(
                        f"Expose {name!r} as a DynamicRelationField(many=True) on the API"
                        " serializer (the client filters through it)."
                        if backward
                        else f"Add the relation {name!r} to the API serializer."
                    ),
                    obj=model,
                    id="client_backend.E004" if backward else "client_backend.E003",
                )
            )
            continue
        kind = prop.get("type")
        if kind in ("one", "many") and kind != expected:
            messages.append(
                checks.Error(
                    f"{label}.{name}: the API relation is {kind!r}, the model expects"
                    f" {expected!r}.",
                    hint="Make the model field's cardinality match the API"
                    " (ForeignKey / ManyToMany).",
                    obj=model,
                    id="client_backend.E005",
                )
            )
    return messages


def _undescribed(model: type[models.Model], path: str, error: APIError) -> checks.CheckMessage:
    if error.status == 404:
        what = f"was not found: {error.method} {error.url} answered 404"
        hint = (
            "Check the database's NAME (the API root URL, ending where the API's resources"
            " start) and APIMeta.resource_path (relative to NAME)."
        )
    else:
        what = f"cannot be described: {error}"
        hint = "Check that the API is running at NAME and answers in time (TIMEOUT)."
    return checks.Error(
        f"{model._meta.label}: the API resource {path!r} {what}",
        hint=hint,
        obj=model,
        id="client_backend.E001",
    )


def _model_messages(
    connection: APIConnection, model: type[models.Model]
) -> list[checks.CheckMessage]:
    resource = resource_for(model)
    label = model._meta.label
    try:
        description = connection.describe(resource)
    except APIError as error:
        return [_undescribed(model, resource.path, error)]
    if description.error is not None:
        return [_undescribed(model, resource.path, description.error)]
    body = description.body
    messages: list[checks.CheckMessage] = []
    missing_features = sorted(_BASELINE - description.features.names)
    if missing_features:
        messages.append(
            checks.Error(
                f"{label}: the API resource {resource.path!r} lacks the features"
                f" {missing_features}.",
                hint="Serve it with server_kit's DynamicModelViewSet (or dynamic-rest).",
                obj=model,
                id="client_backend.E002",
            )
        )
    properties = body.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for field in model._meta.concrete_fields:
        if field.is_relation:
            continue
        if api_name(field) not in properties:
            messages.append(
                checks.Error(
                    f"{label}.{field.name}: the API resource {resource.path!r} has no field"
                    f" {api_name(field)!r}.",
                    hint="Add it to the serializer's fields, or set db_column to the API name.",
                    obj=model,
                    id="client_backend.E006",
                )
            )
    messages.extend(_relation_messages(model, properties))
    return messages


def contract_messages(
    connection: APIConnection, models: Iterable[type[models.Model]] | None = None
) -> list[checks.CheckMessage]:
    """Check every API model (of ``models``, default all) stored on ``connection``'s database."""
    if connection.api_settings.skip_check:
        return []
    messages: list[checks.CheckMessage] = []
    # One timeout is enough to know the API is not answering: the other models would
    # each wait as long again.
    silent: APIOperationalError | None = None
    for model in apps.get_models() if models is None else models:
        if not hasattr(model, "APIMeta") or resource_for(model).db_name != connection.alias:
            continue
        if silent is not None:
            messages.append(
                checks.Error(
                    f"{model._meta.label}: not checked: the API did not answer ({silent})",
                    obj=model,
                    id="client_backend.E001",
                )
            )
            continue
        resource = resource_for(model)
        try:
            connection.describe(resource)  # kept: _model_messages reads it again for free
        except APIOperationalError as error:
            silent = error
            messages.append(_undescribed(model, resource.path, error))
            continue
        messages.extend(_model_messages(connection, model))
    return messages


class DatabaseValidation(BaseDatabaseValidation):
    """Database checks of an API connection: the contract check."""

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            *super().check(**kwargs),
            *contract_messages(cast("APIConnection", self.connection)),
        ]
