"""Send the oracle's models to the `oracle` database and never migrate them."""

from __future__ import annotations

from typing import Any

from django.db import models

ALIAS = "oracle"


class OracleRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return ALIAS if model._meta.app_label == ALIAS else None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return ALIAS if model._meta.app_label == ALIAS else None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return False if ALIAS in (db, app_label) else None
