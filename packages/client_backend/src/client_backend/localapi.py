"""The local API: a server_kit API served in-process, by this project's own URLconf.

A ``DATABASES`` entry (or its ``TEST`` entry) whose ``NAME`` is on host ``localapi``
(django-rest-models' convention, e.g. ``http://localapi/api/``) sends its requests through
:class:`InProcessTransport`: no socket, the calling thread, and so the same database
connection as the caller, inside a test's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

__all__ = ["LOCAL_API_HOST", "InProcessTransport", "is_local_api"]

#: The host name that means "serve this API in-process".
LOCAL_API_HOST = "localapi"
# Django's test runner allows this host; "localapi" is not in a project's ALLOWED_HOSTS.
_SERVED_AS = "testserver"


def is_local_api(url: str) -> bool:
    """Whether ``url`` names the local API (host ``localapi``)."""
    return urlsplit(url).hostname == LOCAL_API_HOST


class _Application:
    """Django's WSGI handler, built on first use, without closing test connections."""

    def __init__(self) -> None:
        self._handler: WSGIHandler | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if self._handler is None:
            self._handler = WSGIHandler()
        # Like django.test.Client: a request must not close the caller's connections
        # (the in-memory test database, or the API connection that is sending it).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self._handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


class InProcessTransport(httpx.WSGITransport):
    """Serve requests with this process's Django URLconf, in the calling thread."""

    def __init__(self) -> None:
        super().__init__(app=_Application())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == LOCAL_API_HOST:
            request.headers["Host"] = _SERVED_AS
        return super().handle_request(request)
