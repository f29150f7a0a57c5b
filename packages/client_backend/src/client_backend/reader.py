"""Run read plans: pick the dialect, send the pages, decode rows, counts and ids."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db import NotSupportedError

from shared_querylang import Dialect, Node, Page, Query, Selection

from .exceptions import APIProtocolError
from .paging import Objects, first_page, read_window
from .reads import ReadPlan
from .request import APIRequest
from .resources import Resource
from .response import Envelope, rows_from

if TYPE_CHECKING:
    from .base import DatabaseWrapper

__all__ = ["Reader"]

_DIALECT_NEEDS = {
    Dialect.JSON_NOT: "NOT over a group of conditions",
    Dialect.WHERE: "any()/all() quantifiers",
}


class Reader:
    """Reads of one connection."""

    def __init__(self, connection: DatabaseWrapper) -> None:
        self.connection = connection

    def list_request(
        self, resource: Resource, query: Query, *, offset_needed: bool = False
    ) -> APIRequest:
        """A GET of the list route, in the dialect the server understands.

        Raises:
            NotSupportedError: the server cannot express the filter; nothing was sent.
        """
        needed = query.dialect()
        if needed <= Dialect.JSON:
            return APIRequest("GET", resource.list_path(), query)
        features = self.connection.server_features(resource)
        if needed == Dialect.JSON_NOT and "filter{}.not" in features.names:
            return APIRequest("GET", resource.list_path(), query)
        if "where" in features.names:
            return APIRequest("GET", resource.list_path(), query, where=True)
        raise NotSupportedError(
            f"QuerySet.filter()/exclude() needs {_DIALECT_NEEDS[needed]}, which the API at"
            f" {self.connection.api_settings.root_url}{resource.list_path()} does not support"
            f" (it advertises {sorted(features.names)}). Rewrite the Q tree or upgrade the"
            " server to restbridge."
        )

    def request_line(self, plan: ReadPlan) -> str:
        """The first request ``plan`` sends, as ``"GET path?query"`` (sends nothing itself)."""
        if plan.detail_pk is not None:
            return str(self._detail_request(plan, plan.detail_pk))
        request = self.list_request(plan.resource, plan.query)
        known = self.connection.known_server_features(plan.resource)
        offset = plan.low > 0 and known is not None and known.offset
        page_size = self.connection.api_settings.page_size
        page = first_page(low=plan.low, high=plan.high, page_size=page_size, offset=offset)
        return str(request.with_page(page))

    def _detail_request(self, plan: ReadPlan, pk: str) -> APIRequest:
        return APIRequest(
            "GET", plan.resource.detail_path(pk), Query(selection=plan.query.selection)
        )

    def rows(self, plan: ReadPlan) -> Iterator[list[list[Any]]]:
        """The rows of ``plan``, one list per response page."""
        if plan.detail_pk is not None:
            yield from self._detail_rows(plan, plan.detail_pk)
            return
        request = self.list_request(plan.resource, plan.query)
        seen: set[str] | None = set() if plan.distinct else None
        for objects, sideloads in self.objects(request, plan.resource, plan.low, plan.high):
            rows = rows_from(objects, plan.columns, sideloads, str(request))
            if seen is not None:
                rows = [row for row in rows if _first_time(seen, row)]
            yield rows

    def _detail_rows(self, plan: ReadPlan, pk: str) -> Iterator[list[list[Any]]]:
        request = self._detail_request(plan, pk)
        response = self.connection.session.send(request, allow=(404,))
        if response.status == 404:
            return
        envelope = Envelope.parse(
            response.body, key=plan.resource.name, detail=True, where=str(request)
        )
        rows = rows_from(envelope.objects, plan.columns, envelope.sideloads, str(request))
        yield rows[plan.low : plan.high]

    def objects(
        self, request: APIRequest, resource: Resource, low: int, high: int | None
    ) -> Iterator[tuple[Objects, Mapping[str, Any]]]:
        sideloads: dict[int, Mapping[str, Any]] = {}

        def fetch(page: Page) -> tuple[Objects, Mapping[str, Any]]:
            paged = request.with_page(page)
            body = self.connection.session.send(paged).body
            envelope = Envelope.parse(body, key=resource.plural, detail=False, where=str(paged))
            sideloads.clear()
            sideloads[0] = envelope.sideloads
            return envelope.objects, envelope.meta

        offset = low > 0 and self.connection.server_features(resource).offset
        page_size = self.connection.api_settings.page_size
        for chunk in read_window(fetch, low=low, high=high, page_size=page_size, offset=offset):
            yield chunk, sideloads[0]

    def count(self, resource: Resource, flt: Node | None) -> int:
        """How many objects match ``flt``: one request reading ``meta.total_results``."""
        query = Query(filter=flt, selection=Selection(exclude=(("*",),)), page=Page(size=1))
        request = self.list_request(resource, query)
        body = self.connection.session.send(request).body
        envelope = Envelope.parse(body, key=resource.plural, detail=False, where=str(request))
        if not envelope.meta:
            return len(envelope.objects)
        total = envelope.meta.get("total_results")
        if not isinstance(total, int):
            raise APIProtocolError(
                "API answered a count without meta.total_results",
                method="GET",
                url=self.connection.session.url(request),
                detail=repr(dict(envelope.meta)),
            )
        return total

    def ids(self, resource: Resource, pk_name: str, flt: Node | None) -> list[str]:
        """The primary keys of every object matching ``flt``, as text."""
        selection = Selection(include=((pk_name,),), exclude=(("*",),))
        request = self.list_request(resource, Query(filter=flt, selection=selection))
        return [
            str(obj[pk_name])
            for objects, _ in self.objects(request, resource, 0, None)
            for obj in objects
        ]


def _first_time(seen: set[str], row: list[Any]) -> bool:
    key = repr(row)
    if key in seen:
        return False
    seen.add(key)
    return True
