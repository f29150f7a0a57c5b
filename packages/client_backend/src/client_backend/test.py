"""django-rest-models' test helpers (``rest_models.test``) under the migration rule.

:class:`RestModelTestCase` / :class:`RestModelTestMixin` answer API requests from
``rest_fixtures`` (or ``database_rest_fixtures`` per database) in the
:mod:`~client_backend.fixtures` format; ``mock_api()`` answers one URL for a block and
``track_query()`` records requests. Both work through API middlewares
(:mod:`~client_backend.middlewares`), so they see every request a connection sends, OPTIONS
included. For transport-level doubles see :mod:`client_backend.testing`.
"""

from __future__ import annotations

import json
import pprint
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, ClassVar
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.test import TestCase

from .fixtures import JsonFixtures, dict_contains
from .middlewares import ApiMiddleware, Connection, FakeApiResponse, Params
from .resources import default_api_database

__all__ = [
    "MockDataApiMiddleware",
    "PrintQueryMiddleware",
    "RestModelTestCase",
    "RestModelTestMixin",
    "TrackRequestMiddleware",
    "not_found_continue",
    "not_found_raise",
]

NotFound = Callable[[str, "MockDataApiMiddleware", str], httpx.Response | None]


def not_found_raise(url: str, middleware: MockDataApiMiddleware, extra: str = "") -> None:
    """Fail the request: nothing was provided for ``url``."""
    raise AssertionError(f"the query {url!r} was not provided as mocked data: {extra}")


def not_found_continue(
    url: str, middleware: MockDataApiMiddleware, extra: str = ""
) -> httpx.Response | None:
    """Let the request go on to the next middleware (or the API)."""
    return None


def _relative(url: str, root: str) -> str:
    return url[len(root) :] if url.startswith(root) else url


class MockDataApiMiddleware(ApiMiddleware):
    """Answer requests from fixtures; an unknown URL goes to ``not_found``."""

    def __init__(
        self,
        data_for_url: JsonFixtures | Mapping[str, Any] | None = None,
        not_found: NotFound = not_found_raise,
    ) -> None:
        self.data_for_url = (
            data_for_url
            if isinstance(data_for_url, JsonFixtures)
            else JsonFixtures(data_for_url or {})
        )
        self.not_found = not_found

    def _answers(self, params: Params, connection: Connection) -> tuple[str, list[Any]] | None:
        for url, answers in self.data_for_url.items():
            if url.startswith("/"):
                if urlsplit(params["url"]).path == url:
                    return url, answers
            elif connection.absolute(url) == params["url"]:
                return url, answers
        return None

    def process_request(
        self, params: Params, requestid: int, connection: Connection
    ) -> httpx.Response | None:
        found = self._answers(params, connection)
        if found is None:
            urls = sorted(url for url, _ in self.data_for_url.items())
            return self.not_found(
                _relative(params["url"], connection.url), self, f"urls was {urls!r}"
            )
        url, answers = found
        for answer in answers:
            filters = answer.get("filter", [{}]) if isinstance(answer, Mapping) else [{}]
            filters = filters if isinstance(filters, list) else [filters]
            if any(dict_contains(flt, params) for flt in filters):
                return self._response(answer)
        return self.not_found(
            url,
            self,
            f"{len(answers)} fixture for this url, but filter did not match. got {params}",
        )

    def _response(self, answer: Mapping[str, Any]) -> FakeApiResponse:
        data = answer.get("data")
        status = answer.get("status_code")
        if data is None:
            return self.make_response(None, status or 204)
        if not isinstance(data, dict | list):
            raise TypeError(f"Mocked data must be a dict, a list or None, not {type(data)}.")
        return self.data_response(data, status)


class TrackRequestMiddleware(ApiMiddleware):
    """Record each request (``params``) and its ``response`` by request id."""

    def __init__(self) -> None:
        self.queries: dict[int, dict[str, Any]] = {}

    def process_request(
        self, params: Params, requestid: int, connection: Connection
    ) -> httpx.Response | None:
        self.queries[requestid] = {"params": params}
        return None

    def process_response(
        self, params: Params, response: httpx.Response, requestid: int
    ) -> httpx.Response:
        self.queries[requestid]["response"] = response
        return response

    def get_for_url(self, url: str) -> list[dict[str, Any]]:
        """The recorded requests whose URL ends with ``url``."""
        return [q for q in self.queries.values() if q["params"]["url"].endswith(url)]


class _FixtureEncoder(DjangoJSONEncoder):
    """JSON of a fixture entry: sets as sorted lists; anything else unknown is an error."""

    def default(self, o: Any) -> Any:
        if isinstance(o, set | frozenset):
            return sorted(o)
        return super().default(o)


class PrintQueryMiddleware(ApiMiddleware):
    """Print each request and answer as a fixture entry, to copy into ``rest_fixtures``.

    ``format_`` (else ``settings.REST_API_OUTPUT_FORMAT``): ``"json"``, ``"pprint"`` or
    ``"null"`` (the answer left out).
    """

    #: Requests whose answer has not come yet, at most: a middleware never answered
    #: (a failed request) must not make the map grow for ever.
    max_pending = 500

    def __init__(self, stream: IO[str] = sys.stdout, format_: str | None = None) -> None:
        self.stream = stream
        self.format = format_ or getattr(settings, "REST_API_OUTPUT_FORMAT", "null")
        #: request id -> the API root, to print URLs relative to it.
        self.reqid_to_url: dict[int, str] = {}

    def process_request(
        self, params: Params, requestid: int, connection: Connection
    ) -> httpx.Response | None:
        if len(self.reqid_to_url) > self.max_pending:
            self.reqid_to_url.clear()
        self.reqid_to_url[requestid] = connection.url
        return None

    def format_result(self, result: Mapping[str, Any], max_lines: int = 255) -> str:
        """``result`` in the chosen format (on one line when longer than ``max_lines``)."""
        if self.format == "json":
            text = json.dumps(result, indent=4, cls=_FixtureEncoder)
            return json.dumps(text) if text.count("\n") > max_lines else text
        if self.format == "pprint":
            text = pprint.pformat(dict(result), width=120)
            return repr(text) if text.count("\n") > max_lines else text
        if hasattr(settings, "REST_API_OUTPUT_FORMAT"):
            return '<truncated by settings.REST_API_OUTPUT_FORMAT="null">'
        return "<truncated by missing settings.REST_API_OUTPUT_FORMAT>"

    def process_response(
        self, params: Params, response: httpx.Response, requestid: int
    ) -> httpx.Response:
        url = _relative(params["url"], self.reqid_to_url.pop(requestid, ""))
        try:
            data = response.json() if response.content else {}
            result = self.format_result(
                {
                    "filter": {
                        "params": params.get("params"),
                        "method": params["method"],
                        "json": params.get("json"),
                    },
                    "data": data,
                    "status_code": response.status_code,
                }
            )
        except (ValueError, TypeError) as error:
            result = repr({"text": response.text, "exception": error})
        method = str(params["method"]).upper()
        print(f"## BEGIN {method} {url} =>", file=self.stream)
        print(result, file=self.stream)
        print(f"## END {method} {url} <=", file=self.stream)
        return response


class RestModelTestMixin:
    """For ``TestCase``: answer API requests from fixtures (see the module docstring)."""

    #: URL -> answers for the only API database.
    rest_fixtures: ClassVar[Mapping[str, Any]] = {}
    #: alias -> (URL -> answers); defaults to ``{<the API database>: rest_fixtures}``.
    database_rest_fixtures: ClassVar[Mapping[str, Mapping[str, Any]] | None] = None

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()  # type: ignore[misc]
        if cls.database_rest_fixtures is None:
            cls.database_rest_fixtures = {
                default_api_database(settings.DATABASES): cls.rest_fixtures
            }

    def setUp(self) -> None:
        #: Variables for ``%(name)s`` in fixture URLs; tests fill it.
        self.rest_fixtures_variables: dict[str, Any] = {}
        self._mock_data_middleware: dict[str, MockDataApiMiddleware] = {}
        for alias, fixtures in (self.database_rest_fixtures or {}).items():
            data = JsonFixtures(fixtures).set_variable(self.rest_fixtures_variables)
            middleware = MockDataApiMiddleware(data)
            self._mock_data_middleware[alias] = middleware
            connections[alias].cursor().push_middleware(middleware, priority=9)
        super().setUp()  # type: ignore[misc]

    def tearDown(self) -> None:
        for alias, middleware in self._mock_data_middleware.items():
            connections[alias].cursor().pop_middleware(middleware)
        super().tearDown()  # type: ignore[misc]

    @contextmanager
    def track_query(self, using: str | None = None) -> Iterator[TrackRequestMiddleware]:
        """Record the requests sent inside the block."""
        cursor = connections[using or default_api_database(settings.DATABASES)].cursor()
        middleware = TrackRequestMiddleware()
        cursor.push_middleware(middleware, priority=6)
        try:
            yield middleware
        finally:
            cursor.pop_middleware(middleware)

    @contextmanager
    def mock_api(
        self,
        url: str,
        result: Any,
        params: Mapping[str, Any] | None = None,
        using: str | None = None,
        status_code: int = 200,
    ) -> Iterator[None]:
        """Answer ``url`` (when its ``params`` filter matches) with ``result`` in the block."""
        answers = {url: [{"filter": params or {}, "data": result, "status_code": status_code}]}
        middleware = MockDataApiMiddleware(answers, not_found=not_found_continue)
        cursor = connections[using or default_api_database(settings.DATABASES)].cursor()
        cursor.push_middleware(middleware, priority=7)
        try:
            yield
        finally:
            cursor.pop_middleware(middleware)


class RestModelTestCase(RestModelTestMixin, TestCase):
    """``django.test.TestCase`` with :class:`RestModelTestMixin`."""
