"""Django's compiler hooks for the API backend.

Each compiler turns its query into requests through the translation modules
(:mod:`~client_backend.reads`, :mod:`~client_backend.where`) and runs them through
:mod:`~client_backend.reader`, :mod:`~client_backend.writes` or
:mod:`~client_backend.through`. ``as_sql()`` returns the request line instead of SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError
from django.db.models import Count
from django.db.models.expressions import Star
from django.db.models.sql import compiler
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI, SINGLE

from shared_querylang import Node

from ._types import APIConnection
from .reader import Reader
from .reads import check_query, count_conditions, plan_filter, plan_read
from .resources import api_name, model_of
from .through import ThroughTable
from .writes import delete_rows, insert_rows, update_rows

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]


def _result(rows: Iterator[list[list[Any]]], result_type: str | None, col_count: int) -> Any:
    if result_type == MULTI:
        return rows
    if result_type == SINGLE:
        for chunk in rows:
            if chunk:
                return chunk[0][:col_count]
        return None
    raise NotSupportedError(f"Result type {result_type!r} is not supported by the API backend.")


def _pk_name(query: Any) -> str:
    return api_name(model_of(query)._meta.pk)


class SQLCompiler(compiler.SQLCompiler):
    """Reads: ``SELECT`` becomes GET requests on list or detail routes."""

    @property
    def api(self) -> APIConnection:
        return cast("APIConnection", self.connection)

    def as_sql(
        self, with_limits: bool = True, with_col_aliases: bool = False
    ) -> tuple[str, tuple[()]]:
        plan = plan_read(self)
        return Reader(self.api).request_line(plan), ()

    def execute_sql(
        self,
        result_type: str | None = MULTI,
        chunked_fetch: bool = False,
        chunk_size: int = GET_ITERATOR_CHUNK_SIZE,
    ) -> Any:
        if ThroughTable.applies(model_of(self.query)):
            self.setup_query()
            return _result(ThroughTable(self).select_rows(), result_type, self.col_count or 0)
        counts = count_conditions(self.query, self.connection)
        if counts is not None:
            check_query(self.query, count=True)
            try:
                totals = self._counts(counts)
            except EmptyResultSet:
                return None if result_type == SINGLE else iter([])
            return _result(iter([[totals]]), result_type, len(totals))
        if self.query.distinct and self.api.api_settings.prevent_distinct:
            raise NotSupportedError(
                "QuerySet.distinct() is refused on this API database (PREVENT_DISTINCT is set)."
            )
        try:
            plan = plan_read(self)
        except EmptyResultSet:
            return None if result_type == SINGLE else iter([])
        # .iterator(chunk_size=N) asks for N rows per round trip (Django's own meaning).
        rows = Reader(self.api).rows(plan, page_size=chunk_size if chunked_fetch else None)
        return _result(rows, result_type, self.col_count or 0)

    def _counts(self, counts: list[tuple[Node, ...] | None]) -> list[int]:
        """One count request per distinct condition (none for one that matches nothing)."""
        totals: dict[tuple[Node, ...], int] = {}
        for conditions in counts:
            if conditions is not None and conditions not in totals:
                resource, flt = plan_filter(self, *conditions)
                totals[conditions] = Reader(self.api).count(resource, _pk_name(self.query), flt)
        return [0 if conditions is None else totals[conditions] for conditions in counts]


class SQLInsertCompiler(compiler.SQLInsertCompiler, SQLCompiler):
    """``INSERT`` becomes POST (one list POST per batch with bulk routes)."""

    def as_sql(self) -> list[tuple[str, tuple[()]]]:  # type: ignore[override]
        return [(f"POST {model_of(self.query)._meta.label}", ())]

    def execute_sql(self, returning_fields: Any = None) -> list[tuple[Any, ...]]:  # type: ignore[override]
        if ThroughTable.applies(model_of(self.query)):
            ThroughTable(self).insert(list(self.query.objs))
            return [(None,) for _ in self.query.objs] if returning_fields else []
        return insert_rows(self, returning_fields)


class SQLDeleteCompiler(compiler.SQLDeleteCompiler, SQLCompiler):
    """``DELETE`` becomes DELETE of detail routes (one list DELETE with bulk routes)."""

    def as_sql(self) -> tuple[str, tuple[()]]:  # type: ignore[override]
        return f"DELETE {model_of(self.query)._meta.label}", ()

    def execute_sql(  # type: ignore[override]
        self, result_type: str | None = MULTI, *args: Any, **kwargs: Any
    ) -> int:
        if ThroughTable.applies(model_of(self.query)):
            return ThroughTable(self).delete()
        return delete_rows(self)


class SQLUpdateCompiler(compiler.SQLUpdateCompiler, SQLCompiler):
    """``UPDATE`` becomes PATCH (one ``patch-all`` or list PATCH with bulk routes)."""

    def as_sql(self) -> tuple[str, tuple[()]]:  # type: ignore[override]
        return f"PATCH {model_of(self.query)._meta.label}", ()

    def execute_sql(  # type: ignore[override]
        self, result_type: str | None = MULTI, *args: Any, **kwargs: Any
    ) -> int:
        return update_rows(self)


class SQLAggregateCompiler(compiler.SQLAggregateCompiler, SQLCompiler):
    """Aggregates over a subquery: only a count of a sliced or distinct query."""

    def as_sql(self, *args: Any, **kwargs: Any) -> tuple[str, tuple[()]]:
        return "COUNT", ()

    def execute_sql(self, result_type: str | None = MULTI, *args: Any, **kwargs: Any) -> Any:
        annotations = list(self.query.annotation_select.values())
        if not all(isinstance(a, Count) for a in annotations):
            raise NotSupportedError(
                "QuerySet.aggregate() is not supported by the API backend: only Count is."
            )
        inner = self.query.inner_query
        check_query(inner, count=True)
        if inner.annotation_select or any(
            (not isinstance(a.get_source_expressions()[0], Star) and a.distinct)
            or a.filter is not None
            for a in annotations
        ):
            raise NotSupportedError(
                "QuerySet.aggregate() over annotations, distinct counts or conditional counts"
                " of a sliced or distinct() query is not supported."
            )
        inner_compiler = inner.get_compiler(connection=self.connection)
        try:
            resource, flt = plan_filter(inner_compiler)
        except EmptyResultSet:
            return [0 for _ in annotations] if result_type == SINGLE else iter([])
        total = Reader(self.api).count(resource, _pk_name(inner), flt)
        low, high = inner.low_mark, inner.high_mark
        total = max(0, (total if high is None else min(total, high)) - low)
        return [total for _ in annotations]
