"""Run read plans: pick the dialect, send the pages, decode rows, counts and ids."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from django.db import NotSupportedError

from shared_querylang import (
    Dialect,
    Leaf,
    Node,
    Page,
    Query,
    Selection,
    Value,
    all_of,
    conjuncts,
    leaf,
)

from ._types import APIConnection
from .exceptions import APIProtocolError
from .paging import Objects, first_page, read_window
from .reads import ReadPlan
from .request import APIRequest
from .resources import Resource
from .response import Envelope, RowDecoder

__all__ = ["Reader"]

_DIALECT_NEEDS = {
    Dialect.JSON_NOT: "NOT over a group of conditions",
    Dialect.WHERE: "any()/all() quantifiers",
}


class Reader:
    """Reads of one connection."""

    def __init__(self, connection: APIConnection) -> None:
        self.connection = connection

    def list_request(
        self,
        resource: Resource,
        query: Query,
        *,
        offset_needed: bool = False,
        params: tuple[tuple[str, str], ...] = (),
    ) -> APIRequest:
        """A GET of the list route, in the dialect the server understands.

        Raises:
            NotSupportedError: the server cannot express the filter; nothing was sent.
        """
        if query.distinct and not self._distinct_on_server(resource):
            query = replace(query, distinct=False)  # distinct here, as the rows come
        needed = query.dialect()
        if needed <= Dialect.JSON:
            return APIRequest("GET", resource.list_path(), query, params=params)
        features = self.connection.server_features(resource)
        form = features.filter_form(needed)
        if form is not None:
            where = form == Dialect.WHERE
            return APIRequest("GET", resource.list_path(), query, where=where, params=params)
        raise NotSupportedError(
            f"QuerySet.filter()/exclude() needs {_DIALECT_NEEDS[needed]}, which the API at"
            f" {self.connection.api_settings.root_url}{resource.list_path()} does not support"
            f" (it advertises {sorted(features.names)}). Rewrite the Q tree or upgrade the"
            " server to restbridge."
        )

    def _distinct_on_server(self, resource: Resource) -> bool:
        return self.connection.server_features(resource).distinct

    def request_line(self, plan: ReadPlan) -> str:
        """The first request ``plan`` sends, as ``"GET path?query"`` (sends nothing itself)."""
        if plan.detail_pk is not None:
            return str(self._detail_request(plan, plan.detail_pk))
        request = self.list_request(plan.resource, plan.query, params=plan.params)
        known = self.connection.known_server_features(plan.resource)
        offset = plan.low > 0 and known is not None and known.offset
        page_size = self.connection.api_settings.page_size
        page = first_page(low=plan.low, high=plan.high, page_size=page_size, offset=offset)
        return str(request.with_page(page))

    def _detail_request(self, plan: ReadPlan, pk: str) -> APIRequest:
        return APIRequest(
            "GET", plan.resource.detail_path(pk), Query(selection=plan.query.selection)
        )

    def rows(self, plan: ReadPlan, *, page_size: int | None = None) -> Iterator[list[list[Any]]]:
        """The rows of ``plan``, one list per response page.

        Args:
            plan: what to read.
            page_size: rows per request (``.iterator(chunk_size=...)``); default
                ``PAGE_SIZE``. A server with a lower maximum is followed.
        """
        decoder = RowDecoder(plan.columns)
        windowed = plan.low > 0 or plan.high is not None
        if plan.query.distinct and windowed and not self._distinct_on_server(plan.resource):
            raise NotSupportedError(
                "A slice of QuerySet.distinct() values needs a server advertising `distinct`:"
                f" the API at {self.connection.api_settings.root_url}"
                f"{plan.resource.list_path()} does not, and values made distinct here would"
                " fill the slice short."
            )
        if plan.detail_pk is not None:
            yield from self._detail_rows(plan, plan.detail_pk, decoder)
            return
        if plan.low == 0 and plan.high is None:
            parts, _ = self.within_url_limit(plan.resource, plan.query)
            requests = [
                self.list_request(plan.resource, part, params=plan.params) for part in parts
            ]
        else:
            requests = [self.list_request(plan.resource, plan.query, params=plan.params)]
        seen: set[str] | None = set() if plan.distinct else None

        def page_rows(page: tuple[Objects, Mapping[str, Any], str]) -> list[list[Any]]:
            rows = decoder.decode(*page)
            return rows if seen is None else [row for row in rows if _first_time(seen, row)]

        for request in requests:
            # map() keeps no reference to a page once it is handed on, so only the page
            # being read is alive while the next one is fetched.
            pages = self.objects(request, plan.resource, plan.low, plan.high, page_size)
            yield from map(page_rows, pages)

    def within_url_limit(self, resource: Resource, query: Query) -> tuple[list[Query], Leaf | None]:
        """``query`` in parts whose URLs fit ``MAX_URL_LENGTH``, and the leaf split.

        A long URL is nearly always a long ``__in`` list (``prefetch_related`` over many
        parents, a collector's ``pk__in``): the list is split in parts, each in the
        requested order. Other long URLs are sent as they are (``None``: not split).
        """
        settings = self.connection.api_settings
        page = Page(size=settings.page_size)

        def fits(candidate: Query) -> bool:
            request = self.list_request(resource, candidate).with_page(page)
            return len(self.connection.session.public_url(request)) <= settings.max_url_length

        longest = _longest_in(query.filter)
        if longest is None or fits(query):
            return [query], None
        values = longest.values
        low, high = 1, len(values)  # the largest part that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if fits(_with_leaf(query, longest, values[:middle])):
                low = middle
            else:
                high = middle - 1
        size = low
        parts = [
            _with_leaf(query, longest, values[start : start + size])
            for start in range(0, len(values), size)
        ]
        return parts, longest

    def _detail_rows(
        self, plan: ReadPlan, pk: str, decoder: RowDecoder
    ) -> Iterator[list[list[Any]]]:
        request = self._detail_request(plan, pk)
        response = self.connection.session.send(request, allow=(404,))
        if response.status == 404:
            return
        where = response.where
        envelope = Envelope.parse(response.body, key=plan.resource.name, detail=True, where=where)
        rows = decoder.decode(envelope.objects, envelope.sideloads, where)
        yield rows[plan.low : plan.high]

    def objects(
        self,
        request: APIRequest,
        resource: Resource,
        low: int,
        high: int | None,
        page_size: int | None = None,
    ) -> Iterator[tuple[Objects, Mapping[str, Any], str]]:
        """The objects of ``request`` in ``[low:high]``, a page at a time.

        Yields:
            The page's objects, its sideloads and ``"GET url"`` (for error messages).
        """
        latest: list[tuple[Mapping[str, Any], str]] = []

        def fetch(page: Page) -> tuple[Objects, Mapping[str, Any]]:
            latest.clear()  # free the previous page's sideloads before reading the next
            # Paging past the last page answers 404 (dynamic-rest): the window is empty.
            past = (404,) if page.number is not None else ()
            response = self.connection.session.send(request.with_page(page), allow=past)
            if response.status == 404:
                return [], {"per_page": page.size}
            where = response.where
            envelope = Envelope.parse(response.body, key=resource.plural, detail=False, where=where)
            latest[:] = [(envelope.sideloads, where)]
            return envelope.objects, envelope.meta

        offset = low > 0 and self.connection.server_features(resource).offset
        size = page_size or self.connection.api_settings.page_size
        chunks = read_window(fetch, low=low, high=high, page_size=size, offset=offset)
        yield from map(lambda chunk: (chunk, *latest[0]), chunks)

    def count(self, resource: Resource, pk_name: str, flt: Node | None) -> int:
        """How many objects match ``flt``: one request per part reading ``meta.total_results``.

        A filter split on its primary key list counts disjoint parts, which add up; split
        on another list (one object may match several parts) the ids are counted instead.
        """
        query = Query(filter=flt, selection=Selection(exclude=(("*",),)), page=Page(size=1))
        parts, split = self.within_url_limit(resource, query)
        if split is not None and split.path != (pk_name,):
            return len(self.ids(resource, pk_name, flt))
        return sum(self._count(resource, part) for part in parts)

    def _count(self, resource: Resource, query: Query) -> int:
        response = self.connection.session.send(self.list_request(resource, query))
        envelope = Envelope.parse(
            response.body, key=resource.plural, detail=False, where=response.where
        )
        if not envelope.meta:
            return len(envelope.objects)
        total = envelope.meta.get("total_results")
        if not isinstance(total, int):
            raise APIProtocolError(
                "API answered a count without meta.total_results",
                method="GET",
                url=response.url,
                detail=repr(dict(envelope.meta)),
            )
        return total

    def fits(self, resource: Resource, flt: Node | None) -> bool:
        """Whether a read filtered by ``flt`` is sent in one request (no long list to split)."""
        parts, _ = self.within_url_limit(resource, Query(filter=flt))
        return len(parts) == 1

    def ids(self, resource: Resource, pk_name: str, flt: Node | None) -> list[str]:
        """The primary keys of every object matching ``flt``, as text, each once."""
        selection = Selection(include=((pk_name,),), exclude=(("*",),))
        parts, _ = self.within_url_limit(resource, Query(filter=flt, selection=selection))
        found: dict[str, None] = {}
        for part in parts:
            request = self.list_request(resource, part)
            for objects, _, _ in self.objects(request, resource, 0, None):
                found.update((str(obj[pk_name]), None) for obj in objects)
        return list(found)


def _longest_in(flt: Node | None) -> Leaf | None:
    """The top-level ``in`` leaf with the most values, if any."""
    ins = [node for node in conjuncts(flt) if isinstance(node, Leaf) and node.op == "in"]
    return max(ins, key=lambda node: len(node.values), default=None)


def _with_leaf(query: Query, old: Leaf, values: tuple[Value, ...]) -> Query:
    new = leaf(old.path, "in", *values)
    nodes = conjuncts(query.filter)
    return replace(query, filter=all_of(*(new if node is old else node for node in nodes)))


def _first_time(seen: set[str], row: list[Any]) -> bool:
    key = repr(row)
    if key in seen:
        return False
    seen.add(key)
    return True
