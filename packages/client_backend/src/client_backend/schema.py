"""Schema editor: the API owns its schema, so migrations change nothing here."""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

__all__ = ["DatabaseSchemaEditor"]


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """Every DDL operation is a no-op; ``APIRouter`` keeps migrations off API databases."""

    def execute(self, sql: Any, params: Any = ()) -> None:
        if sql:
            raise NotSupportedError("The API backend cannot run schema SQL.")

    def __enter__(self) -> DatabaseSchemaEditor:
        self.deferred_sql = []  # read by Django's migration executor
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        """No transaction, no deferred SQL."""

    def create_model(self, model: Any) -> None:
        """The API already serves the model."""

    def delete_model(self, model: Any) -> None:
        """The API owns the model."""

    def add_field(self, model: Any, field: Any) -> None:
        """The API owns the schema."""

    def remove_field(self, model: Any, field: Any) -> None:
        """The API owns the schema."""

    def alter_field(self, model: Any, old_field: Any, new_field: Any, strict: bool = False) -> None:
        """The API owns the schema."""
