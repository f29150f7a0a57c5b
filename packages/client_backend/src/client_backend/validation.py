"""The contract check: the API's resources must have what the client models expect.

Run by ``manage.py check --database <alias>`` (and by Django's test runner for the
databases a test suite uses). Each API model costs one OPTIONS request, the one its
reads would send anyway (the connection keeps the answer); with ``OPTIONS["CONTRACT"]``
the answers come from the provider's contract file instead (:mod:`client_backend.contract`),
through the same comparison (:func:`shared_querylang.contract.breaks`). Skip it for a
database with ``OPTIONS["SKIP_CHECK"] = True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.apps import apps
from django.core import checks
from django.db import models
from django.db.backends.base.validation import BaseDatabaseValidation

from shared_querylang.contract import breaks

from ._types import APIConnection
from .exceptions import APIError, APIOperationalError
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
    "representation": (
        "client_backend.E010",
        "Render the relation as ids on the API (DynamicRelationField).",
    ),
    "type": ("client_backend.E011", "Make the model field's type match the API field's."),
    "target": (
        "client_backend.E012",
        "Point the model field at the model of that resource (or fix its APIMeta).",
    ),
}


def _hyperlinked_messages(model: type[models.Model]) -> list[checks.CheckMessage]:
    """``APIMeta.hyperlinked`` may name only foreign keys (a model's own mistake)."""
    foreign_keys = {field.name for field in model._meta.concrete_fields if field.many_to_one}
    return [
        checks.Error(
            f"{model._meta.label}: APIMeta.hyperlinked names {unknown!r}, which is not a"
            " ForeignKey.",
            hint="List the names of foreign keys the API renders as URLs.",
            obj=model,
            id="client_backend.E010",
        )
        for unknown in sorted(resource_for(model).hyperlinked - foreign_keys)
    ]


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
    try:
        description = connection.describe(resource)
    except APIError as error:
        return [_undescribed(model, resource.path, error)]
    if description.error is not None:
        return [_undescribed(model, resource.path, description.error)]
    expected = model_expectation(model, connection.api_settings.root_url)
    messages = [
        checks.Error(
            str(found),
            hint=found.hint or _CHECKS[found.code][1],
            obj=model,
            id=_CHECKS[found.code][0],
        )
        for found in breaks(expected, description.body)
    ]
    return [*_hyperlinked_messages(model), *messages]


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
