"""The contract check: the API's resources must have what the client models expect.

Run by ``manage.py check --database <alias>`` (and by Django's test runner for the
databases a test suite uses). Each API model costs one OPTIONS request, the one its
reads would send anyway (the connection keeps the answer); with ``OPTIONS["CONTRACT"]``
the answers come from the provider's contract file instead (:mod:`client_backend.contract`),
through the same comparison (:func:`shared_querylang.contract.breaks`). Skip it for a
database with ``OPTIONS["SKIP_CHECK"] = True``.
"""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.core import checks
from django.db import models
from django.db.backends.base.validation import BaseDatabaseValidation

from shared_querylang.contract import breaks

from ._types import APIConnection
from .exceptions import APIError
from .expectations import model_expectation
from .resources import resource_for

__all__ = ["DatabaseValidation", "contract_messages"]

#: Check id and hint of each kind of broken expectation (see shared_querylang.contract).
_CHECKS: dict[str, tuple[str, str]] = {
    "features": (
        "client_backend.E002",
        "Serve it with server_kit's DynamicModelViewSet (or dynamic-rest).",
    ),
    "relation": ("client_backend.E003", "Add the relation to the API serializer."),
    "backward": (
        "client_backend.E004",
        "Expose it as a DynamicRelationField(many=True) on the API serializer"
        " (the client filters through it).",
    ),
    "cardinality": (
        "client_backend.E005",
        "Make the model field's cardinality match the API (ForeignKey / ManyToMany).",
    ),
    "field": (
        "client_backend.E006",
        "Add it to the serializer's fields, or set db_column to the API name.",
    ),
    "type": ("client_backend.E007", "Make the model field's type match the API field's."),
    "renders": (
        "client_backend.E008",
        "The backend reads relations as ids: render it with a DynamicRelationField.",
    ),
    "target": (
        "client_backend.E009",
        "Point the model field at the model of that resource (or fix its APIMeta).",
    ),
}


def _undescribed(model: type[models.Model], path: str, error: APIError) -> checks.CheckMessage:
    return checks.Error(
        f"{model._meta.label}: the API resource {path!r} cannot be described: {error}",
        hint="Check APIMeta.resource_path and that the API is running.",
        obj=model,
        id="client_backend.E001",
    )


def _model_messages(
    connection: APIConnection, model: type[models.Model]
) -> list[checks.CheckMessage]:
    resource = resource_for(model)
    try:
        description = connection.describe(resource)
    except APIError as error:
        return [_undescribed(model, resource.path, error)]
    if description.error is not None:
        return [_undescribed(model, resource.path, description.error)]
    expected = model_expectation(model, connection.api_settings.root_url)
    return [
        checks.Error(str(found), hint=_CHECKS[found.code][1], obj=model, id=_CHECKS[found.code][0])
        for found in breaks(expected, description.body)
    ]


def contract_messages(connection: APIConnection) -> list[checks.CheckMessage]:
    """Check every API model stored on ``connection``'s database."""
    if connection.api_settings.skip_check:
        return []
    messages: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if hasattr(model, "APIMeta") and resource_for(model).db_name == connection.alias:
            messages.extend(_model_messages(connection, model))
    return messages


class DatabaseValidation(BaseDatabaseValidation):
    """Database checks of an API connection: the contract check."""

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            *super().check(**kwargs),
            *contract_messages(cast("APIConnection", self.connection)),
        ]
