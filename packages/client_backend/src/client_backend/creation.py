"""Test databases: the API owns its data, so there is nothing to create or destroy."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["DatabaseCreation"]


class DatabaseCreation(BaseDatabaseCreation):
    """Use the configured API as it is for tests (serve a test API in-process instead)."""

    def create_test_db(
        self,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool | None = True,
        keepdb: bool = False,
    ) -> str:
        return str(self.connection.settings_dict["NAME"])

    def destroy_test_db(
        self,
        old_database_name: str | None = None,
        verbosity: int = 1,
        keepdb: bool = False,
        suffix: str | None = None,
    ) -> None:
        """Nothing was created."""

    def serialize_db_to_string(self) -> str:
        return "[]"

    def deserialize_db_from_string(self, data: str) -> None:
        """Nothing to restore."""

    def test_db_signature(self) -> tuple[Any, ...]:
        return (self.connection.settings_dict["NAME"], self.connection.alias)
