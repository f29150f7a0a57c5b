"""Test databases: ``TEST["NAME"]`` is the API a test run uses; never the production one.

The API owns its data, so nothing is created or destroyed: a test run swaps ``NAME`` for
``TEST["NAME"]`` (``http://localapi/...`` serves the project's own API in-process, in the
test's transaction) and swaps it back afterwards. An alias without ``TEST["NAME"]`` would
send the tests' writes to the production API: that is an error unless the project says
``TEST: {"ALLOW_PRODUCTION": True}``.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db.backends.base.creation import BaseDatabaseCreation

from ._types import APIConnection
from .exceptions import APIConfigurationError

__all__ = ["DatabaseCreation"]


class DatabaseCreation(BaseDatabaseCreation):
    """Point the connection at its test API for the run, and back after it."""

    def _get_test_db_name(self) -> str:
        entry = self.connection.settings_dict
        test = entry.get("TEST") or {}
        if test.get("NAME"):
            return str(test["NAME"])
        if test.get("ALLOW_PRODUCTION"):
            return str(entry["NAME"])
        alias = self.connection.alias
        raise APIConfigurationError(
            f"DATABASES[{alias!r}] has no TEST NAME: a test run would read and write the API"
            f" at {entry['NAME']!r}. Set DATABASES[{alias!r}]['TEST'] = {{'NAME':"
            " 'http://localapi/<api root path>/'}} to serve this project's API in-process (in"
            " each test's transaction), or the URL of a test API; or, to run tests against"
            f" {entry['NAME']!r} itself, {{'ALLOW_PRODUCTION': True}}."
        )

    def _point_at(self, name: str) -> None:
        # What Django's SQL backends do around a test database, plus the parsed settings.
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        cast(APIConnection, self.connection).reload_api_settings()

    def create_test_db(
        self,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool | None = True,
        keepdb: bool = False,
    ) -> str:
        name = self._get_test_db_name()
        if verbosity >= 1:
            self.log(f"Using the API {name!r} for alias {self.connection.alias!r}...")
        self._point_at(name)
        return name

    def destroy_test_db(
        self,
        old_database_name: str | None = None,
        verbosity: int = 1,
        keepdb: bool = False,
        suffix: str | None = None,
    ) -> None:
        """Nothing was created: point the connection back at its own NAME."""
        if old_database_name is not None:
            self._point_at(old_database_name)

    def serialize_db_to_string(self) -> str:
        return "[]"

    def deserialize_db_from_string(self, data: str) -> None:
        """Nothing to restore."""

    def test_db_signature(self) -> tuple[Any, ...]:
        return (self._get_test_db_name(), self.connection.alias)
