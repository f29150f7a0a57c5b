"""``.iterator()`` holds one page at a time, however many pages it reads."""

from __future__ import annotations

import gc
import json
import tracemalloc

import httpx
import pytest
from cb_helpers import FULL
from cb_shop.models import Pizza
from django.db import connections

pytestmark = pytest.mark.django_db(databases=["api"])

PER_PAGE = 40
#: ~80 KiB of JSON per page: large enough to dwarf per-request bookkeeping.
NAME = "x" * 2000
PAGE_BYTES = PER_PAGE * len(NAME)


class _Body(httpx.SyncByteStream):
    """A body read from the wire, as a real transport gives it (not pre-read like JSON=)."""

    def __init__(self, data):
        self.data = data

    def __iter__(self):
        # Like a socket, a consumed body keeps nothing.
        data, self.data = self.data, b""
        yield data


class _Pages(httpx.BaseTransport):
    """Serve ``total_pages`` pages of ``PER_PAGE`` pizzas, by page number."""

    def __init__(self, total_pages):
        self.total = total_pages * PER_PAGE

    def handle_request(self, request):
        page = int(request.url.params.get("page", "1"))
        size = int(request.url.params["per_page"])
        start = (page - 1) * size
        rows = [{"id": i, "name": NAME} for i in range(start, min(start + size, self.total))]
        meta = {"per_page": size, "total_results": self.total, "page": page}
        data = json.dumps({"pizzas": rows, "meta": meta}).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        return httpx.Response(200, headers=headers, stream=_Body(data))


def _peak(total_pages):
    """Peak bytes allocated while iterating ``total_pages`` pages, with the cyclic GC off.

    With the GC off, anything a page leaves in a reference cycle (httpx responses are in
    one) stays allocated, so a leak shows in the peak deterministically.
    """
    connection = connections["api"]
    with connection.override_api_settings(
        transport=_Pages(total_pages), client_factory=None, features=FULL
    ):
        queryset = Pizza.objects.values_list("id", "name").iterator(chunk_size=PER_PAGE)
        gc.collect()
        gc.disable()
        tracemalloc.start()
        try:
            count = sum(1 for _ in queryset)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            gc.enable()
    assert count == total_pages * PER_PAGE
    return peak


def test_iterator_memory_is_flat():
    _peak(2)  # warm up: one-time allocations (imports, caches) are not per page
    one, three, twenty, forty = _peak(1), _peak(3), _peak(20), _peak(40)
    # Nothing of a page outlives it: a response body kept in a reference cycle would add
    # a page's bytes per page, the bare httpx objects of a cycle ~3 KiB per page...
    assert (forty - twenty) / 20 < 1024, (twenty, forty)
    # ...and the previous page is let go before the next one is read.
    assert three - one < PAGE_BYTES / 2, (one, three)
