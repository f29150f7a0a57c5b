"""django-debug-toolbar's SQL panel lists every HTTP request, with its URL and time.

The panel wraps ``connection.cursor()`` on every connection; each request of this backend
goes through that cursor, so the panel's own recording sees it.
"""

from __future__ import annotations

import pytest
from cb_helpers import FULL, ROW
from cb_shop.models import Pizza
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from client_backend.testing import MockAPI

toolbar = pytest.importorskip("debug_toolbar.toolbar")

pytestmark = pytest.mark.django_db(databases=["api"])


def test_sql_panel_records_each_request():
    api = MockAPI(features=FULL)
    api.add("GET", "pizzas", {"pizzas": [ROW], "meta": {"total_results": 1}})
    api.add("GET", "pizzas/1/", {"pizza": ROW})
    request = RequestFactory().get("/")
    panel = toolbar.DebugToolbar(request, lambda r: HttpResponse()).get_panel_by_id("SQLPanel")
    with api.serve(), CaptureQueriesContext(connections["api"]) as captured:
        panel.enable_instrumentation()
        try:
            assert [p.name for p in Pizza.objects.filter(name="regina")] == ["regina"]
            assert Pizza.objects.get(pk=1).name == "regina"
        finally:
            panel.disable_instrumentation()
    panel.generate_stats(request, HttpResponse())
    queries = panel.get_stats()["queries"]
    assert [(q["alias"], q["vendor"]) for q in queries] == [("api", "restbridge")] * 2
    # The same lines as connection.queries: one mechanism records both.
    assert [q["sql"] for q in queries] == [q["sql"] for q in captured.captured_queries]
    assert queries[0]["sql"].startswith("GET http://api.test/pizzas?filter%7Bname%7D=")
    assert queries[1]["sql"].startswith("GET http://api.test/pizzas/1/?include%5B%5D=")
    assert all(q["duration"] >= 0 for q in queries)
    assert panel.nav_subtitle.startswith("2 queries")
