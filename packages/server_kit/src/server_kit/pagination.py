"""``page`` / ``per_page`` / ``offset`` / ``exclude_count`` paging with dynamic-rest's ``meta``."""

from __future__ import annotations

import math
from typing import Any

from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_querylang import Page, parse

from .exceptions import InvalidPage, InvalidQuery, LimitExceeded
from .settings import api_settings

__all__ = ["DynamicPageNumberPagination", "DynamicPageNumberPaginator"]

#: The largest OFFSET / LIMIT a database takes (a signed 64-bit integer: past it SQLite raises
#: OverflowError and PostgreSQL DataError). No row lies beyond it.
_LARGEST_OFFSET = 2**63 - 1


def _rows(queryset: Any, start: int, stop: int) -> list[Any]:
    """``queryset[start:stop]``, empty without a query when it lies past the largest offset."""
    return list(queryset[start:stop]) if stop <= _LARGEST_OFFSET else []


class DynamicPageNumberPaginator(BasePagination):
    """Pages of ``per_page`` rows (default ``PAGE_SIZE``, at most ``MAX_PER_PAGE``).

    ``page=N`` (or ``last``) gives ``meta = {page, per_page, total_results, total_pages}``;
    ``offset=N`` gives ``{offset, per_page, total_results}``; ``exclude_count`` skips the
    COUNT and answers ``more_pages`` instead of the totals. A page that comes back neither
    full nor empty is the last one, so its totals need no COUNT either.
    """

    def __init__(self) -> None:
        self.meta: dict[str, Any] = {}

    def _page_spec(self, request: Request, view: APIView | None) -> Page:
        get_query = getattr(view, "get_query", None)
        if get_query is not None:
            page: Page = get_query().page
            return page
        try:
            return parse(request.query_params).page
        except ValueError as error:  # QuerySyntaxError
            raise InvalidQuery(str(error)) from None

    def page_size(self, spec: Page) -> int:
        """The rows per page for ``spec``, clamped or refused past ``MAX_PER_PAGE``."""
        size = spec.size or api_settings.PAGE_SIZE
        limit = api_settings.MAX_PER_PAGE
        if size > limit:
            if api_settings.PER_PAGE_OVERFLOW == "reject":
                raise LimitExceeded(
                    f"per_page={size} is above the limit MAX_PER_PAGE={limit}.",
                    limit="MAX_PER_PAGE",
                    value=size,
                    parameter="per_page",
                )
            size = limit
        return int(size)

    def paginate_queryset(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[Any]:
        spec = self._page_spec(request, view)
        size = self.page_size(spec)
        last = spec.number == "last"
        if spec.offset is not None:
            start, meta = spec.offset, {"offset": spec.offset, "per_page": size}
        else:
            number = spec.number if isinstance(spec.number, int) else 1
            start, meta = (number - 1) * size, {"page": number, "per_page": size}
        if spec.exclude_count:
            if last:
                raise InvalidPage(
                    "page=last needs the count; drop exclude_count.", parameter="page"
                )
            ahead = _rows(queryset, start, start + size + 1)
            self.meta = {**meta, "more_pages": len(ahead) > size}
            return ahead[:size]
        rows = None if last else _rows(queryset, start, start + size)
        # A page that comes back neither full nor empty is the last one: no COUNT needed.
        total = start + len(rows) if rows and len(rows) < size else queryset.count()
        if spec.offset is None:
            pages = max(1, math.ceil(total / size))
            if last:
                meta["page"], start = pages, (pages - 1) * size
            elif meta["page"] > pages:
                raise InvalidPage(
                    f"Invalid page: page {meta['page']} is past the last page ({pages}).",
                    parameter="page",
                )
            meta |= {"total_results": total, "total_pages": pages}
        else:
            meta["total_results"] = total
        self.meta = meta
        if rows is None:
            rows = _rows(queryset, start, start + size) if total else []
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response({**data, "meta": self.meta})


#: dynamic-rest's name for the paginator (``DEFAULT_PAGINATION_CLASS`` dotted paths).
DynamicPageNumberPagination = DynamicPageNumberPaginator
