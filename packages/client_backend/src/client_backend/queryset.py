"""Show the request behind a queryset.

``str(queryset.query)`` always compiles with the ``default`` database (Django's
``Query.__str__`` names it), so for API models it shows SQLite's SQL. Give a model
``objects = APIManager()`` to make ``str(queryset.query)`` show the request line, or call
:func:`request_line` on any queryset.
"""

from __future__ import annotations

from typing import Any

from django.db import models, router
from django.db.models.sql.query import Query

from .resources import model_of

__all__ = ["APIManager", "APIQuery", "APIQuerySet", "request_line"]


def request_line(queryset: models.QuerySet[Any]) -> str:
    """``"GET pizzas?filter%7Bprice.gte%7D=10..."`` for ``queryset``, sending nothing."""
    sql, _ = queryset.query.get_compiler(using=queryset.db).as_sql()
    return str(sql)


class APIQuery(Query):
    """A ``Query`` whose ``str()`` compiles on the database its model is routed to."""

    def sql_with_params(self) -> tuple[str, tuple[Any, ...]]:
        sql, params = self.get_compiler(router.db_for_read(model_of(self))).as_sql()
        # Query.__str__ applies "sql % params": keep the URL's percent-escapes literal.
        return str(sql).replace("%", "%%"), tuple(params)


class APIQuerySet(models.QuerySet[Any]):
    """A ``QuerySet`` built on :class:`APIQuery`."""

    def __init__(
        self,
        model: type[models.Model] | None = None,
        query: Query | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(model, query or APIQuery(model), using, hints)


class APIManager(models.Manager.from_queryset(APIQuerySet)):  # type: ignore[misc]
    """The default manager for API models whose ``str(queryset.query)`` shows the URL."""
