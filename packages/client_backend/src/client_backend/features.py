"""What the backend can do (Django's flags) and what one API server advertises.

A resource's OPTIONS answer is asked once per connection and kept in its
:class:`ServerFeatureCache`: reads, writes and the contract check share it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.backends.base.features import BaseDatabaseFeatures

from shared_querylang import Dialect, Feature, filter_form
from shared_querylang.contract import BASELINE_FEATURES

from .exceptions import APIProgrammingError
from .request import APIRequest
from .resources import Resource
from .session import Session

__all__ = ["DatabaseFeatures", "ResourceDescription", "ServerFeatureCache", "ServerFeatures"]


class DatabaseFeatures(BaseDatabaseFeatures):
    """Django capability flags of an API connection."""

    # Writes are single HTTP requests; there is nothing to roll back.
    supports_transactions = False
    uses_savepoints = False
    can_release_savepoints = False
    atomic_transactions = False
    can_rollback_ddl = False
    supports_foreign_keys = False
    # Left False on purpose: Django's deletion collector then nulls nullable CASCADE
    # foreign keys before deleting, which keeps the children deletable whatever order it
    # picks (the server may cascade the parent's delete first).
    can_defer_constraint_checks = False
    # bulk_create sends one list POST when the server has bulk routes, else one POST per row;
    # both return every created row, so Django receives the primary keys.
    has_bulk_insert = True
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    supports_ignore_conflicts = False
    supports_update_conflicts = False
    supports_update_conflicts_with_target = False
    # Values travel as JSON: UUIDs, durations and JSON documents stay native.
    has_native_uuid_field = True
    has_native_duration_field = True
    supports_json_field = True
    supports_timezones = False
    # Query features the API cannot express: Django itself refuses them early.
    supports_over_clause = False
    supports_select_union = False
    supports_select_intersection = False
    supports_select_difference = False
    supports_slicing_ordering_in_compound = False
    has_select_for_update = False
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False
    can_distinct_on_fields = False
    supports_subqueries_in_group_by = False
    supports_comments = False
    supports_expression_defaults = False
    can_use_chunked_reads = True
    supports_sequence_reset = False
    supports_column_check_constraints = False
    supports_table_check_constraints = False
    can_introspect_foreign_keys = False
    supports_partial_indexes = False
    supports_covering_indexes = False
    supports_expression_indexes = False
    supports_index_on_text_field = False


@dataclass(frozen=True, slots=True)
class ServerFeatures:
    """The ``features`` an API resource advertises in its OPTIONS answer.

    An answer without a list (or no answer) is read as dynamic-rest 2.1.7+: filter
    leaves and ``filter{}`` JSON trees, ``page`` / ``per_page`` paging.
    """

    names: frozenset[str]
    version: str | None = None

    @classmethod
    def from_options(cls, body: Any) -> ServerFeatures:
        """Read an OPTIONS body."""
        if not isinstance(body, Mapping):
            return cls.baseline()
        names = body.get("features")
        version = body.get("restbridge")
        if not isinstance(names, list):
            return cls.baseline()
        return cls(frozenset(str(n) for n in names), str(version) if version else None)

    @classmethod
    def declared(cls, names: Iterable[str]) -> ServerFeatures:
        """Features given in settings instead of discovered."""
        return cls(frozenset(names))

    @classmethod
    def baseline(cls) -> ServerFeatures:
        """What every dynamic-rest server understands."""
        return cls(BASELINE_FEATURES)

    def filter_form(self, needed: Dialect) -> Dialect | None:
        """The form to send a filter that needs ``needed`` in, ``None`` if the server has none.

        JSON trees are preferred to ``where=`` when the server reads both (see
        :func:`shared_querylang.filter_form`).
        """
        return filter_form(self.names, needed)

    @property
    def offset(self) -> bool:
        """Whether ``offset=N&per_page=M`` windows are available."""
        return Feature.OFFSET in self.names

    @property
    def distinct(self) -> bool:
        """Whether lists answer ``distinct=true`` with the selected fields' distinct values."""
        return Feature.DISTINCT in self.names

    @property
    def bulk(self) -> bool:
        """Whether list routes take bulk POST / PATCH / DELETE and ``patch-all=query``."""
        return Feature.BULK in self.names


@dataclass(frozen=True, slots=True)
class ResourceDescription:
    """What one resource's OPTIONS answer said.

    A 4xx answer (an old server without OPTIONS, say) reads as the baseline features;
    ``error`` keeps it for the contract check to report.
    """

    features: ServerFeatures
    body: Mapping[str, Any] = field(default_factory=dict)
    error: APIProgrammingError | None = None


class ServerFeatureCache:
    """The OPTIONS answer of each resource of one connection, asked once."""

    def __init__(self) -> None:
        self._found: dict[str, ResourceDescription] = {}
        self._lock = threading.Lock()

    def known(self, resource: Resource) -> ResourceDescription | None:
        """The description of ``resource`` if already asked (sends nothing)."""
        with self._lock:
            return self._found.get(resource.path)

    def describe(self, resource: Resource, session: Session) -> ResourceDescription:
        """The description of ``resource``: an OPTIONS request the first time only.

        Raises:
            APIError: no answer (a transport error or a 5xx); nothing is kept.
        """
        found = self.known(resource)
        if found is not None:
            return found
        try:
            response = session.send(APIRequest("OPTIONS", resource.list_path()))
        except APIProgrammingError as error:
            found = ResourceDescription(ServerFeatures.baseline(), error=error)
        else:
            body = response.body if isinstance(response.body, Mapping) else {}
            found = ResourceDescription(ServerFeatures.from_options(response.body), body)
        with self._lock:
            self._found[resource.path] = found
        return found

    def clear(self) -> None:
        """Forget every answer (the connection now talks to another server)."""
        with self._lock:
            self._found.clear()
