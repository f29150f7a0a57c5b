"""``QueryParams``: the request's query string, mutable in viewset hooks (as dynamic-rest)."""

from __future__ import annotations

from django.http import QueryDict

__all__ = ["QueryParams"]


class QueryParams(QueryDict):
    """A mutable ``QueryDict`` with dynamic-rest's ``add(key, value)`` (appends a value)."""

    @classmethod
    def of(cls, params: QueryDict) -> QueryParams:
        """A mutable copy of ``params``."""
        return cls(params.urlencode(), mutable=True, encoding=params.encoding)

    def add(self, key: str, value: str) -> None:
        """Append ``value`` to the values of ``key``."""
        self.appendlist(key, value)
