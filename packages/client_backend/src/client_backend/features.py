"""What the backend can do (Django's flags) and what one API server advertises."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.features import BaseDatabaseFeatures

from shared_querylang import Dialect, Feature, filter_form

__all__ = ["DatabaseFeatures", "ServerFeatures"]

_BASELINE = (
    Feature.INCLUDE,
    Feature.EXCLUDE,
    Feature.FILTER,
    Feature.PAGE,
    Feature.PER_PAGE,
    Feature.SORT,
)


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
        return cls(frozenset(feature.value for feature in _BASELINE))

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
