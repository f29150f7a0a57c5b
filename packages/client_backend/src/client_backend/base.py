"""``DatabaseWrapper`` for ``ENGINE = "client_backend"``: an ORM connection to a REST API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, cast

from django.db.backends.base.base import BaseDatabaseWrapper

from . import exceptions as Database
from ._types import APIConnection
from .client import DatabaseClient
from .contract import ContractFile
from .creation import DatabaseCreation
from .cursor import Cursor, CursorDebugWrapper, CursorWrapper
from .features import DatabaseFeatures, ResourceDescription, ServerFeatureCache, ServerFeatures
from .introspection import DatabaseIntrospection
from .operations import DatabaseOperations
from .options import ConnectionSettings
from .pending import PendingRemovals
from .resources import Resource
from .schema import DatabaseSchemaEditor
from .session import Session
from .validation import DatabaseValidation

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(BaseDatabaseWrapper):
    """One connection to one API; Django keeps one per thread (and per async context)."""

    vendor = "restbridge"
    display_name = "REST API (restbridge)"
    Database = Database
    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation
    SchemaEditorClass = DatabaseSchemaEditor
    data_types: dict[str, str] = {}
    operators: dict[str, str] = {}

    def __init__(self, settings_dict: dict[str, Any], alias: str = "api") -> None:
        super().__init__(settings_dict, alias)
        # Nothing is created for an API "test database", so it waits for no other one.
        settings_dict.setdefault("TEST", {}).setdefault("DEPENDENCIES", [])
        self._settings: ConnectionSettings | None = None
        self._feature_cache = ServerFeatureCache()
        #: Through-table deletes waiting for the end of their atomic block.
        self.pending_removals = PendingRemovals()

    @property
    def api_settings(self) -> ConnectionSettings:
        """The parsed ``DATABASES`` entry (read on first use, never at import)."""
        if self._settings is None:
            self._settings = ConnectionSettings.from_settings_dict(self.settings_dict)
        return self._settings

    # Connection life cycle -------------------------------------------------------------

    def get_connection_params(self) -> dict[str, Any]:
        return {"settings": self.api_settings}

    def get_new_connection(self, conn_params: dict[str, Any]) -> Session:
        # Looked up on each request: debug tools replace connection.cursor after connecting.
        return Session(conn_params["settings"], cursor=lambda: self.cursor())

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def _commit(self) -> None:
        """Writes are committed by the API as they are sent."""

    def _rollback(self) -> None:
        """Nothing to roll back: writes are already on the server."""

    def _set_autocommit(self, autocommit: bool) -> None:
        """Autocommit is the API's only mode."""

    def _start_transaction_under_autocommit(self) -> None:
        """Enter ``atomic()`` without a transaction (and without logging a BEGIN query).

        Django calls this hook instead of ``_set_autocommit(False)`` when it exists, so
        ``connection.queries`` holds HTTP requests only.
        """

    def is_usable(self) -> bool:
        return True

    def create_cursor(self, name: str | None = None) -> Cursor:
        return Cursor(cast(Session, self.connection))

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        return CursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> CursorDebugWrapper:
        return CursorDebugWrapper(cursor, self)

    def validate_no_broken_transaction(self) -> None:
        """Requests may follow a failed one inside ``atomic()``.

        Each write is final when its request returns (``supports_transactions = False``):
        there is no transaction to roll back, so nothing blocks the next request.
        """

    @contextmanager
    def override_api_settings(self, **changes: Any) -> Iterator[ConnectionSettings]:
        """Use changed settings (a test transport, say) inside the block, on a fresh client."""
        previous = self.api_settings
        self._switch(replace(previous, **changes))
        try:
            yield self.api_settings
        finally:
            self._switch(previous)

    def reload_api_settings(self) -> None:
        """Parse ``settings_dict`` again on next use (after its ``NAME`` changed)."""
        self._switch(None)

    def _switch(self, settings: ConnectionSettings | None) -> None:
        self.close()
        self._settings = settings
        self._feature_cache.clear()

    # API access -----------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The open :class:`Session`, connecting first if needed."""
        self.ensure_connection()
        return cast(Session, self.connection)

    def known_server_features(self, resource: Resource) -> ServerFeatures | None:
        """The features of ``resource`` if declared or already discovered (sends nothing)."""
        declared = self.api_settings.features
        if declared is not None:
            return ServerFeatures.declared(declared)
        if self.api_settings.contract is not None:
            return self.describe(resource).features
        found = self._feature_cache.known(resource)
        return None if found is None else found.features

    def server_features(self, resource: Resource) -> ServerFeatures:
        """The features ``resource`` advertises (OPTIONS once per connection)."""
        found = self.known_server_features(resource)
        return found if found is not None else self.describe(resource).features

    def describe(self, resource: Resource) -> ResourceDescription:
        """What ``resource``'s OPTIONS answer says (the same request as for its features).

        With ``OPTIONS["CONTRACT"]``, what the contract file says instead (no request).
        """
        contract = self.api_settings.contract
        if contract is not None:
            return ContractFile.load(contract).describe(self.api_settings.root_url, resource)
        return self._feature_cache.describe(resource, self.session)


# Checked here, where both are known: the wrapper is what the rest is typed against.
_IS_AN_API_CONNECTION: type[APIConnection] = DatabaseWrapper
