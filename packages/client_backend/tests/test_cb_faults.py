"""Failures mapped to Django exceptions, with an httpx mock transport."""

from __future__ import annotations

import logging
from contextlib import ExitStack

import httpx
import pytest
from cb_helpers import FULL, ROW
from cb_shop.models import Pizza
from django.db import (
    DatabaseError,
    IntegrityError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connections,
    transaction,
)
from django.test.utils import CaptureQueriesContext

from client_backend.exceptions import APIAuthError, APIError, APIProtocolError
from client_backend.testing import MockAPI

pytestmark = pytest.mark.django_db(databases=["api"])


class Scripted:
    """A transport answering each request with the next scripted outcome."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.requests = []

    def __call__(self, request):
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@pytest.fixture
def script():
    with ExitStack() as stack:

        def install(*outcomes):
            scripted = Scripted(*outcomes)
            stack.enter_context(
                connections["api"].override_api_settings(
                    transport=httpx.MockTransport(scripted), client_factory=None, features=FULL
                )
            )
            return scripted

        yield install


def json_response(status, body):
    return httpx.Response(status, json=body)


def test_refused_connection_is_retried_then_operational_error(script):
    scripted = script(httpx.ConnectError("Connection refused"))
    with (
        CaptureQueriesContext(connections["api"]) as captured,
        pytest.raises(OperationalError) as raised,
    ):
        list(Pizza.objects.all())
    assert len(scripted.requests) == 3  # RETRIES=2 in the test settings
    assert len(captured.captured_queries) == 3
    assert "GET http://localapi/api/pizzas" in str(raised.value)
    assert "Connection refused" in str(raised.value)


def test_recovers_when_a_retry_succeeds(script):
    script(
        httpx.ConnectTimeout("slow"),
        json_response(200, {"pizzas": [ROW], "meta": {"total_results": 1}}),
    )
    assert [p.name for p in Pizza.objects.all()] == ["regina"]


def test_timeout_on_post_is_not_retried(script):
    scripted = script(httpx.ReadTimeout("read timed out"))
    with pytest.raises(OperationalError, match="timed out"):
        Pizza.objects.create(name="x", price=1)
    assert [r.method for r in scripted.requests] == ["POST"]


def test_server_error_after_retries(script):
    scripted = script(json_response(500, {"detail": "database on fire"}))
    with pytest.raises(OperationalError) as raised:
        Pizza.objects.count()
    assert len(scripted.requests) == 3
    assert raised.value.status == 500
    assert "database on fire" in str(raised.value)


def test_html_error_page_is_operational(script):
    script(httpx.Response(502, text="<html>Bad gateway</html>"))
    with pytest.raises(OperationalError, match="Bad gateway"):
        list(Pizza.objects.all())


@pytest.mark.parametrize("content", [b"{not json", b'{"pizzas": [{"id": 1', b"<html></html>"])
def test_malformed_json_is_database_error(script, content):
    scripted = script(httpx.Response(200, content=content))
    with pytest.raises(DatabaseError) as raised:
        list(Pizza.objects.all())
    assert isinstance(raised.value, APIProtocolError)
    assert len(scripted.requests) == 3
    assert "not JSON" in str(raised.value)


def test_missing_envelope_key_is_protocol_error(script):
    script(json_response(200, {"things": []}))
    with pytest.raises(APIProtocolError, match="no 'pizzas' list"):
        list(Pizza.objects.all())


@pytest.mark.parametrize("related", [False, True], ids=["plain", "select_related"])
def test_object_missing_a_field_is_protocol_error(script, related):
    broken = {key: value for key, value in ROW.items() if key != "price"}
    script(json_response(200, {"pizzas": [ROW, broken], "meta": {"total_results": 2}}))
    queryset = Pizza.objects.select_related("menu") if related else Pizza.objects.all()
    with pytest.raises(APIProtocolError, match="field 'price' missing from an object"):
        list(queryset)


@pytest.mark.parametrize(("status", "words"), [(401, "rejected the credentials"), (403, "forbids")])
def test_auth_failures_name_user_and_url_not_password(script, status, words):
    script(json_response(status, {"detail": "Authentication credentials were not provided."}))
    with pytest.raises(APIAuthError) as raised:
        list(Pizza.objects.all())
    message = str(raised.value)
    assert isinstance(raised.value, DatabaseError)
    assert words in message and "'alice'" in message and "http://localapi/api/pizzas" in message
    assert "s3cret-password" not in message
    assert raised.value.status == status


def test_bad_write_is_integrity_error_with_field_errors(script):
    script(
        json_response(
            400,
            {
                "detail": "Invalid data",
                "errors": [
                    {"code": "invalid", "field": "price", "detail": "A number is required."}
                ],
            },
        )
    )
    with pytest.raises(IntegrityError) as raised:
        Pizza.objects.create(name="x", price=1)
    assert raised.value.errors == [
        {"code": "invalid", "field": "price", "detail": "A number is required."}
    ]
    assert "POST http://localapi/api/pizzas -> 400" in str(raised.value)


def test_drf_field_errors_shape(script):
    script(json_response(400, {"name": ["This field is required."]}))
    with pytest.raises(IntegrityError, match="name: This field is required."):
        Pizza.objects.create(name="x", price=1)


def test_bad_read_is_programming_error(script):
    script(json_response(400, {"detail": "Unknown field 'nope'"}))
    with pytest.raises(ProgrammingError, match="Unknown field 'nope'"):
        list(Pizza.objects.all())


def test_detail_404_is_does_not_exist(script):
    script(httpx.Response(404, json={"detail": "Not found."}))
    with pytest.raises(Pizza.DoesNotExist):
        Pizza.objects.get(pk=5)


def test_a_404_page_on_a_detail_read_is_not_an_empty_answer(script):
    # The API says "no such object" in JSON; an HTML page answers a route that does not
    # exist (a wrong NAME): every get() would be DoesNotExist, and save() would create.
    script(httpx.Response(404, text="<html><title>Page not found</title></html>"))
    with pytest.raises(ProgrammingError, match="check NAME") as raised:
        Pizza.objects.get(pk=5)
    assert not isinstance(raised.value, Pizza.DoesNotExist)
    assert "an HTML page ('Page not found')" in str(raised.value)


def test_errors_pickle(script):
    import pickle

    error = APIAuthError("API refused", method="GET", url="http://x/", status=401, detail="no")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.status, copy.url, str(copy)) == (401, "http://x/", str(error))


def test_debug_log_without_secrets(caplog):
    api = MockAPI(root="http://bob:topsecret@api.test/", features=FULL)
    api.add("GET", "pizzas", {"pizzas": [ROW], "meta": {"total_results": 1}})
    with api.serve(), caplog.at_level(logging.DEBUG, logger="client_backend"):
        list(Pizza.objects.all())
    assert "GET http://api.test/pizzas" in caplog.text
    assert "topsecret" not in caplog.text and "bob" not in caplog.text


def test_sql_through_the_cursor_refused_and_not_recorded():
    connection = connections["api"]
    with CaptureQueriesContext(connection) as captured, connection.cursor() as cursor:
        for run in (
            lambda: cursor.execute("SELECT 1"),
            lambda: cursor.execute("SELECT %s", [1]),
            lambda: cursor.executemany("SELECT %s", [[1]]),
            lambda: cursor.callproc("p"),
        ):
            with pytest.raises(NotSupportedError, match="has no SQL"):
                run()
    assert captured.captured_queries == []


def test_api_error_is_database_error():
    assert issubclass(APIError, DatabaseError)


def test_requests_follow_a_failed_write_inside_atomic():
    # update_or_create() does this on a race: its nested create fails, then it reads.
    api = MockAPI(features=FULL)
    api.add("POST", "pizzas", {"detail": "taken", "errors": []}, status=400)
    api.add("GET", "pizzas", {"pizzas": [ROW], "meta": {"total_results": 1}})
    with api.serve(), transaction.atomic(using="api"):
        with pytest.raises(IntegrityError), transaction.atomic(using="api"):
            Pizza.objects.create(name="regina", price=11)
        assert [p.name for p in Pizza.objects.all()] == ["regina"]
