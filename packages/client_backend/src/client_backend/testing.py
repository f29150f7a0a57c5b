"""Test helpers: serve a server_kit API in-process, or answer with canned responses.

* :class:`InProcessTransport` runs this Django project's own URLconf through
  ``httpx.WSGITransport``: no socket, the same (test) database, so an API app and its
  client models can be tested together. A ``NAME`` (or ``TEST["NAME"]``) on host
  ``localapi`` uses it (see :mod:`client_backend.localapi`).
* :func:`api_transport` (a context manager), the ``api_transport`` pytest fixture and
  :class:`APITestMixin` point an API connection at a transport for a test.
* :class:`MockAPI` answers from canned responses and asserts on the requests it saw.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

import httpx
from django.db import connections

from .base import DatabaseWrapper
from .fixtures import JsonFixtures, dict_contains
from .localapi import InProcessTransport
from .middlewares import FakeApiResponse, query_params

__all__ = ["APITestMixin", "InProcessTransport", "MockAPI", "api_transport", "inprocess_api"]


def _connection(alias: str) -> DatabaseWrapper:
    connection = connections[alias]
    if not isinstance(connection, DatabaseWrapper):
        raise TypeError(f"DATABASES[{alias!r}] is not a client_backend database.")
    return connection


@contextmanager
def api_transport(transport: httpx.BaseTransport, alias: str = "api") -> Iterator[DatabaseWrapper]:
    """Send the requests of database ``alias`` through ``transport`` inside the block."""
    connection = _connection(alias)
    with connection.override_api_settings(transport=transport, client_factory=None):
        yield connection


@dataclass
class MockAPI:
    """Canned answers keyed by method and path, and a record of every request.

    ``features`` declares the server's features (no OPTIONS request is then sent).

    Example::

        with MockAPI().serve() as api:
            api.add("GET", "pizzas", {"pizzas": [], "meta": {"total_results": 0}})
            assert list(Pizza.objects.all()) == []
            api.assert_requested("GET", "pizzas")
    """

    root: str = "http://api.test/"
    features: Sequence[str] | None = None
    requests: list[httpx.Request] = field(default_factory=list)
    # The same answers and matching as django-rest-models' fixtures (client_backend.test).
    _answers: JsonFixtures = field(default_factory=JsonFixtures)

    def add(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        status: int = 200,
        params: Mapping[str, str] | None = None,
    ) -> None:
        """Answer ``method path`` (relative to the root) with ``body``.

        With ``params``, only requests whose query has exactly these values for these names.
        A later answer for the same request wins.
        """
        expected: dict[str, Any] = {"method": method.lower()}
        if params is not None:
            expected["params"] = {name: [value] for name, value in params.items()}
        answer = {"filter": expected, "data": body, "status_code": status}
        self._answers.update(**{path.strip("/"): [answer]})

    @contextmanager
    def serve(self, alias: str = "api") -> Iterator[MockAPI]:
        """Install this mock on the database ``alias`` inside the block."""
        connection = _connection(alias)
        changes: dict[str, Any] = {
            "transport": httpx.MockTransport(self._handle),
            "client_factory": None,
            "root_url": self.root,
        }
        if self.features is not None:
            changes["features"] = tuple(self.features)
        with connection.override_api_settings(**changes):
            yield self

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix(urlsplit(self.root).path).strip("/")
        seen = {
            "method": request.method.lower(),
            "params": query_params(list(request.url.params.multi_items())),
        }
        try:
            answers = self._answers[path]
        except KeyError:
            answers = []
        for answer in answers:
            if dict_contains(answer["filter"], seen):
                return FakeApiResponse(answer["data"], answer["status_code"])
        return httpx.Response(
            404, json={"detail": f"MockAPI has no answer for {request.method} {path}"}
        )

    def calls(self) -> list[str]:
        """``"METHOD path?query"`` of every request, in order (query percent-decoded)."""
        lines = []
        for request in self.requests:
            path = request.url.path.removeprefix(urlsplit(self.root).path)
            query = "&".join(
                f"{k}={v}" for k, v in parse_qsl(request.url.query.decode(), keep_blank_values=True)
            )
            lines.append(f"{request.method} {path}" + (f"?{query}" if query else ""))
        return lines

    def assert_requested(
        self, method: str, path: str, params: Sequence[tuple[str, str]] | None = None
    ) -> httpx.Request:
        """Assert one request ``method path`` was sent (with exactly ``params`` if given)."""
        for request in self.requests:
            own = request.url.path.removeprefix(urlsplit(self.root).path).strip("/")
            if request.method == method and own == path.strip("/"):
                if params is None or list(request.url.params.multi_items()) == list(params):
                    return request
        raise AssertionError(f"no {method} {path} {params or ''} among {self.calls()}")


if TYPE_CHECKING:
    from unittest import TestCase as _TestCaseBase
else:  # a mixin: the test case it is mixed into brings setUp() and addCleanup()
    _TestCaseBase = object


class APITestMixin(_TestCaseBase):
    """For ``django.test.TestCase``: serve API databases in-process during each test.

    Set ``api_databases`` to the aliases to serve (default ``("api",)``) and list them in
    the test case's ``databases`` too.
    """

    api_databases: ClassVar[tuple[str, ...]] = ("api",)

    def setUp(self) -> None:
        super().setUp()
        stack = ExitStack()
        for alias in self.api_databases:
            stack.enter_context(api_transport(InProcessTransport(), alias))
        self.addCleanup(stack.close)


if find_spec("pytest") is not None:
    import pytest

    @pytest.fixture
    def inprocess_api() -> Iterator[DatabaseWrapper]:
        """The ``api`` database served in-process by this project's URLconf."""
        with api_transport(InProcessTransport()) as connection:
            yield connection
