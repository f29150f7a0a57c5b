"""The time bound of a call, against real trickling servers on 127.0.0.1 (not mocks).

``TIMEOUT`` bounds one request from connect to last byte, ``TOTAL_TIMEOUT`` one call with
its retries and backoff. Before, httpx applied ``TIMEOUT`` between reads only, so a
server sending a byte every 0.25 s held any call for as long as it kept sending.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from cb_helpers import FULL
from cb_servers import endless_body, endless_headers, json_answer, serve
from cb_shop.models import Pizza
from django.db import OperationalError, connections

from client_backend.exceptions import APIOperationalError
from client_backend.validation import contract_messages

pytestmark = pytest.mark.django_db(databases=["api"])


@contextmanager
def aimed_at(server, **changes):
    """The ``api`` connection on ``server`` over real sockets, with ``changes`` to its settings."""
    changes = {"timeout": 1.0, "total_timeout": 1.0, "retries": 0, "features": FULL} | changes
    with connections["api"].override_api_settings(
        root_url=server.url, transport=None, client_factory=None, **changes
    ):
        yield


@contextmanager
def within(seconds):
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.1f}s"


@pytest.mark.parametrize("trickle", [endless_headers, endless_body], ids=["headers", "body"])
def test_a_trickling_server_cannot_hold_a_read_past_timeout(trickle):
    with serve(trickle(0.25)) as server, aimed_at(server), within(2.0):
        with pytest.raises(OperationalError, match=r"API request timed out after 1\.\d+s"):
            list(Pizza.objects.all())


def test_a_whole_call_with_its_retries_ends_within_total_timeout():
    with (
        serve(endless_headers(0.25)) as server,
        aimed_at(server, timeout=1.0, total_timeout=1.5, retries=3, backoff=0.1),
        within(2.5),
    ):
        with pytest.raises(OperationalError, match="timed out"):
            Pizza.objects.count()
    # One full attempt, then a retry cut short by what was left of the call.
    assert len(server.requests) == 2


def test_a_write_past_its_deadline_may_have_been_applied_and_is_not_retried():
    with (
        serve(endless_headers(0.25)) as server,
        aimed_at(server, retries=3, total_timeout=10.0),
        within(2.0),
    ):
        with pytest.raises(APIOperationalError, match="it may have been applied") as raised:
            Pizza.objects.create(name="slow", price=1.0)
    assert raised.value.method == "POST"
    assert len(server.requests) == 1


def test_a_quick_answer_is_unaffected_and_the_connection_is_reused():
    def answer(conn):
        conn.sendall(json_answer(200, {"meta": {"total_results": 3}, "pizzas": []}))

    with serve(answer) as server, aimed_at(server):
        assert Pizza.objects.count() == 3
        assert Pizza.objects.count() == 3


def test_check_names_the_resource_it_waited_for_and_waits_once():
    with serve(endless_headers(0.25)) as server, aimed_at(server, features=None), within(2.5):
        messages = contract_messages(connections["api"])
    first, *rest = messages
    assert "cb_shop.Menu: the API resource 'menus'" in first.msg
    assert "timed out after 1." in first.msg and server.url in first.msg
    assert rest and all("not checked: the API did not answer" in m.msg for m in rest), [
        m.msg for m in rest
    ]
    assert len(server.requests) == 1
