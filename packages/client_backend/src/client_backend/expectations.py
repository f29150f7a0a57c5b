"""What a consumer's API models rely on, as :mod:`shared_querylang.contract` expectations.

The contract check compares these with the API's answers (or its contract file); the
``api_expectations`` command writes them to a file the API team verifies in its own CI.
:class:`FeatureRecorder` notes the features the consumer's requests actually use (a NOT
over a group needs ``filter{}.not`` or ``where``), so that the file can say so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models

from shared_querylang import Dialect, Feature
from shared_querylang.contract import BASELINE_FEATURES, FORMAT_VERSION

from .contract import resource_url_path
from .hyperlinks import is_hyperlinked
from .request import APIRequest
from .resources import api_name, is_api_model, resource_for

__all__ = ["FeatureRecorder", "consumer_expectations", "model_expectation", "needed_features"]

#: Django internal type -> the OPTIONS type labels a model field of that type reads.
_STRINGS = ("email", "regex", "slug", "string", "url")
_TYPES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField", "URLField"), _STRINGS),
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        ("integer",),
    ),
    "FloatField": ("float", "decimal", "integer"),
    "DecimalField": ("decimal", "float", "integer"),
    "BooleanField": ("boolean",),
    "DateField": ("date",),
    "DateTimeField": ("datetime",),
    "TimeField": ("time",),
    "DurationField": ("duration",),
}


def _relations(model: type[models.Model]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for field in model._meta.get_fields():
        related = field.related_model
        if not field.is_relation or not isinstance(related, type) or not is_api_model(related):
            continue
        if related._meta.auto_created:
            continue
        # The related field the column holds (a to_field's slug, say): what a slug or a
        # URL must name for the backend to key on it; ids always fit.
        target = getattr(field, "target_field", None)
        key = target if field.many_to_one and field.concrete and target is not None else None
        found[api_name(field)] = {
            "model_field": field.name,
            "kind": "many" if (field.many_to_many or field.one_to_many) else "one",
            "related_to": resource_for(related).plural,
            "backward": bool(field.auto_created and not field.concrete),
            "hyperlinked": is_hyperlinked(field),
            "key": None if key is None else key.name,
            "key_is_pk": bool(key is not None and key.primary_key),
        }
    return found


def model_expectation(
    model: type[models.Model], root_url: str, features: frozenset[str] = BASELINE_FEATURES
) -> dict[str, Any]:
    """What ``model`` relies on in its API resource (behind ``root_url``)."""
    fields: dict[str, dict[str, Any]] = {
        api_name(field): {
            "model_field": field.name,
            "kind": "value",
            "types": list(_TYPES.get(field.get_internal_type(), ())),
        }
        for field in model._meta.concrete_fields
        if not field.is_relation
    }
    fields.update(_relations(model))
    return {
        "model": model._meta.label,
        "path": resource_url_path(root_url, resource_for(model)),
        "features": sorted(features),
        "fields": fields,
    }


def consumer_expectations(
    alias: str, root_url: str, consumer: str, features: frozenset[str] = BASELINE_FEATURES
) -> dict[str, Any]:
    """The expectation file of every API model stored on the database ``alias``."""
    models_here = sorted(
        (
            m
            for m in apps.get_models()
            if hasattr(m, "APIMeta") and resource_for(m).db_name == alias
        ),
        key=lambda m: m._meta.label,
    )
    return {
        "restbridge_contract": FORMAT_VERSION,
        "consumer": consumer,
        "expectations": [model_expectation(m, root_url, features) for m in models_here],
    }


def needed_features(request: APIRequest) -> frozenset[str]:
    """The features beyond dynamic-rest's that ``request``'s filter form relies on.

    Only filter forms count: without ``offset`` or ``bulk`` the backend sends pages and
    single writes instead, but a filter the server cannot read has no other form.
    """
    query = request.query
    if request.where:
        return frozenset({Feature.WHERE.value})
    if query is not None and query.dialect() is Dialect.JSON_NOT:
        return frozenset({Feature.FILTER_NOT.value})
    return frozenset()


class FeatureRecorder:
    """A ``connection.execute_wrapper`` noting the features of every request it sees.

    ``with connections["api"].execute_wrapper(recorder): ...`` then ``recorder.features``
    (``{"filter{}.not"}``, say); ``api_expectations --record COMMAND`` does this.
    """

    def __init__(self) -> None:
        self.features: set[str] = set()

    def __call__(
        self, execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: Any
    ) -> Any:
        if isinstance(sql, APIRequest):
            self.features |= needed_features(sql)
        return execute(sql, params, many, context)
