"""Messages that say what to do: redirects, HTML pages, refused OAuth tokens.

The first two against real servers on 127.0.0.1 (what a proxy or a wrong NAME answers).
"""

from __future__ import annotations

import httpx
import pytest
from cb_helpers import FULL
from cb_servers import serve
from cb_shop.models import Pizza
from django.db import connections

from client_backend.exceptions import APIAuthError, APIProtocolError

pytestmark = pytest.mark.django_db(databases=["api"])


def _answer(raw: bytes):
    def handle(conn):
        conn.sendall(raw)

    return handle


def _read_through(server, retries=0):
    with connections["api"].override_api_settings(
        root_url=server.url, transport=None, client_factory=None, features=FULL, retries=retries
    ):
        list(Pizza.objects.all())


def test_a_redirect_is_reported_with_where_it_points_and_what_to_change():
    moved = (
        b"HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.test/api/pizzas\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    with serve(_answer(moved)) as server, pytest.raises(APIProtocolError) as raised:
        _read_through(server, retries=2)
    message = str(raised.value)
    assert "redirected the request" in message and "-> 301" in message
    assert "to https://elsewhere.test/api/pizzas" in message and "set NAME" in message
    assert "NoneType" not in message
    assert len(server.requests) == 1  # a redirect is not retried


def test_an_html_page_is_named_as_such():
    page = (
        b"<!doctype html><html><head><title>Sign in - Corporate SSO</title></head>"
        b"<body>...</body></html>"
    )
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(page)
        + page
    )
    with serve(_answer(answer)) as server, pytest.raises(APIProtocolError) as raised:
        _read_through(server)
    message = str(raised.value)
    assert "an HTML page ('Sign in - Corporate SSO'), not the API's JSON" in message
    assert "Is NAME the API root?" in message


def test_a_refused_oauth_token_is_the_documented_api_auth_error():
    def refuse(request):
        return httpx.Response(401, json={"error": "invalid_client"})

    with (
        connections["api"].override_api_settings(
            transport=httpx.MockTransport(refuse),
            client_factory=None,
            auth_path="client_backend.auth.OAuthToken",
            root_url="http://api.test/v1/",
            features=FULL,
        ),
        pytest.raises(APIAuthError) as raised,
    ):
        list(Pizza.objects.all())
    assert raised.value.status == 401
    assert raised.value.url == "http://api.test/oauth2/token/"
    assert "invalid_client" in str(raised.value) and "OAUTH_URL" in str(raised.value)
