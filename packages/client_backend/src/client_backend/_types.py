"""The connection interface the rest of the backend is typed against.

:class:`~client_backend.base.DatabaseWrapper` implements it; reads, writes, through
tables and the contract check depend on this Protocol, never on ``base``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .features import ResourceDescription, ServerFeatures
from .options import ConnectionSettings
from .pending import PendingRemovals
from .resources import Resource
from .session import Session

__all__ = ["APIConnection"]


class APIConnection(Protocol):
    """One connection to one API, as its users see it."""

    alias: str
    in_atomic_block: bool
    #: Through-table deletes waiting for the end of their atomic block.
    pending_removals: PendingRemovals

    @property
    def api_settings(self) -> ConnectionSettings:
        """The parsed ``DATABASES`` entry."""

    @property
    def session(self) -> Session:
        """The open session, connecting first if needed."""

    def on_commit(self, func: Callable[[], object], robust: bool = False) -> None:
        """Run ``func`` when the current atomic block commits (Django's hook)."""

    def known_server_features(self, resource: Resource) -> ServerFeatures | None:
        """The features of ``resource`` if declared or already discovered (sends nothing)."""

    def server_features(self, resource: Resource) -> ServerFeatures:
        """The features ``resource`` advertises (discovered once)."""

    def describe(self, resource: Resource) -> ResourceDescription:
        """What ``resource``'s OPTIONS answer says (one request per resource)."""

    def reload_api_settings(self) -> None:
        """Parse ``settings_dict`` again on next use (after its ``NAME`` changed)."""
