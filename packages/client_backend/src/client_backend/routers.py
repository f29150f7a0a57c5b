"""``APIRouter``: models with ``APIMeta`` live on their API database; none gets a local table."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from .resources import ENGINE, default_api_database, is_api_model, resource_for, through_owner

__all__ = ["APIRouter", "RestModelRouter"]


def _database(model: type[models.Model]) -> str | None:
    if not is_api_model(model):
        return None
    owner = through_owner(model)
    return resource_for(owner[0] if owner is not None else model).db_name


def _api_model(app_label: str, model_name: str | None) -> type[models.Model] | None:
    """The installed API model named so, if any.

    Looked up by name: migrations pass a historical model, which has no ``APIMeta``.
    """
    if model_name is None:
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model if is_api_model(model) else None


def _is_api_database(alias: str) -> bool:
    return bool(settings.DATABASES.get(alias, {}).get("ENGINE") == ENGINE)


class APIRouter:
    """Route API models (and their M2M tables) to ``APIMeta.db_name``; keep migrations off."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return _database(model)

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return _database(model)

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        first, second = _database(type(obj1)), _database(type(obj2))
        if first is None and second is None:
            return None
        if first != second:
            local, remote = (obj1, obj2) if first is None else (obj2, obj1)
            raise ValueError(
                f"{type(local)._meta.label} is a local model and {type(remote)._meta.label}"
                f" lives on the API database {_database(type(remote))!r}: relations between"
                " them cannot be stored. Store the related id in a plain field instead."
            )
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        """No migration touches an API model's table; dumpdata/loaddata find it on its API.

        Django asks this for three things: migrations (nothing is migrated: ``migrate`` on
        an API database is a no-op, and an API model gets no local table), and which
        models ``dumpdata`` / ``loaddata`` read and write on ``db`` (an API model, on its
        own API database, through the API).
        """
        model = _api_model(app_label, model_name)
        if _is_api_database(db):
            return model is not None and _database(model) == db
        return False if model is not None else None


class RestModelRouter(APIRouter):
    """django-rest-models' router name (``rest_models.router.RestModelRouter``)."""

    def __init__(self) -> None:
        #: The ``DATABASES`` this router reads (``settings.DATABASES`` unless replaced).
        self.databases: dict[str, Any] | None = None

    @property
    def api_database_name(self) -> str:
        """The only API database; ``ImproperlyConfigured`` when there are none or several."""
        return default_api_database(
            self.databases if self.databases is not None else settings.DATABASES
        )
