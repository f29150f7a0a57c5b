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
from .hyperlinks import is_hyperlinked
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
        relation = prop.get("relation")
        represented = _representation_message(model, field, name, relation)
        if represented is not None:
            messages.append(represented)
            continue
        kind = prop.get("type")
        if kind not in ("one", "many") and isinstance(relation, Mapping):
            kind = "many" if relation.get("many") else "one"  # a plain DRF relation field
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


def _representation_message(
    model: type[models.Model], field: Any, name: str, relation: Any
) -> checks.CheckMessage | None:
    """An error when the API renders relation ``name`` as something the field cannot key on.

    Read from server_kit's ``relation`` entry (other servers give none). Ids always fit. A
    slug fits a ``ForeignKey`` whose ``to_field`` is the slug field (its column then holds
    the slug), a URL a ``ForeignKey`` in ``APIMeta.hyperlinked``. Text, nested objects and
    generic or custom renderings name no row the client can key on: a relation field would
    read them as ids.
    """
    if not isinstance(relation, Mapping):
        return None
    renders = relation.get("renders")
    declared = is_hyperlinked(field)
    if declared or (renders == "url" and field.many_to_one and field.concrete):
        return _hyperlink_message(model, field, name, relation, declared)
    if renders == "pk":
        return None
    slug_field = relation.get("slug_field")
    target = getattr(field, "target_field", None)
    if (
        renders == "slug"
        and field.many_to_one
        and field.concrete
        and target is not None
        and target.name == slug_field
    ):
        return None
    label = f"{model._meta.label}.{field.name}"
    if renders == "slug" and field.many_to_one and field.concrete:
        fix = (
            f"Declare ForeignKey(..., to_field={slug_field!r}) (unique on the target) so"
            f" that {field.name!r} holds the slug, or render the relation as ids on the API."
        )
    else:
        fix = (
            "Render the relation as ids on the API (DynamicRelationField or"
            f" PrimaryKeyRelatedField), or map {name!r} on the client as a plain field"
            " (CharField, JSONField) instead of a relation: the API ignores writes to it."
        )
    detail = "".join(
        f", {key} {relation[key]!r}" for key in ("slug_field", "lookup_field") if key in relation
    )
    return checks.Error(
        f"{label}: the API renders {name!r} as {renders!r}{detail}, not as ids: the client"
        " would read it as a key of the related row.",
        hint=fix,
        obj=model,
        id="client_backend.E010",
    )


def _hyperlink_message(
    model: type[models.Model], field: Any, name: str, relation: Mapping[str, Any], declared: bool
) -> checks.CheckMessage | None:
    """A foreign key in ``APIMeta.hyperlinked`` must be a URL keyed on the FK's target field."""
    label = f"{model._meta.label}.{field.name}"
    target = getattr(field, "target_field", None)
    lookup = relation.get("lookup_field")
    keyed = target is not None and (
        lookup == target.name or (lookup == "pk" and target.primary_key)
    )
    if relation.get("renders") != "url":
        problem = (
            f"is declared in APIMeta.hyperlinked, but the API renders {name!r} as"
            f" {relation.get('renders')!r}"
        )
        fix = f"Remove {field.name!r} from APIMeta.hyperlinked."
    elif not declared:
        problem = f"the API renders {name!r} as a URL (lookup_field {lookup!r}), not as ids"
        fix = (
            f"Add {field.name!r} to APIMeta.hyperlinked (the column then holds the key the URL"
            " ends with), or map it as a plain URLField."
        )
    elif not keyed or relation.get("many"):
        problem = f"the API's URLs of {name!r} end with {lookup!r}, not with the key it holds"
        fix = f"Declare ForeignKey(..., to_field={lookup!r}), or map it as a plain URLField."
    else:
        return None
    return checks.Error(f"{label}: {problem}.", hint=fix, obj=model, id="client_backend.E010")


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
    foreign_keys = {field.name for field in model._meta.concrete_fields if field.many_to_one}
    for unknown in sorted(resource.hyperlinked - foreign_keys):
        messages.append(
            checks.Error(
                f"{label}: APIMeta.hyperlinked names {unknown!r}, which is not a ForeignKey.",
                hint="List the names of foreign keys the API renders as URLs.",
                obj=model,
                id="client_backend.E010",
            )
        )
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
