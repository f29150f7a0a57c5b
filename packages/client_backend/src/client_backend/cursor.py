"""The driver cursor: ``execute()`` sends one :class:`~client_backend.request.APIRequest`.

Every HTTP request goes through ``connection.cursor()``, like SQL on other backends, so
what wraps cursors sees it: Django's ``CursorDebugWrapper`` records it in
``connection.queries`` (``assertNumQueries``, ``CaptureQueriesContext``),
``connection.execute_wrapper()`` wrappers receive the request, and
django-debug-toolbar's SQL panel lists it. A SQL string is refused, so ``raw()`` and
hand-written SQL fail clearly.

The wrappers refuse SQL before Django's debug wrapper records it: ``connection.queries``
lists requests sent, never SQL refused. The cursor keeps the answer as it is
(``fetchone()``): the session decodes it and maps failures to exceptions outside the
cursor, where Django's error wrapper would replace them with bare ``DatabaseError`` s
and lose their request and response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import NotSupportedError
from django.db.backends import utils

from .request import APIRequest

if TYPE_CHECKING:
    import httpx

    from .middlewares import ApiMiddleware
    from .session import Session

__all__ = ["NO_SQL", "Cursor", "CursorDebugWrapper", "CursorWrapper"]

NO_SQL = (
    "The API backend has no SQL: QuerySet.raw(), QuerySet.extra() and SQL sent through"
    " connection.cursor() are not supported."
)


class Cursor:
    """A DB-API-shaped cursor whose statements are API requests."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._request: APIRequest | None = None
        self._response: httpx.Response | None = None

    @property
    def line(self) -> str:
        """``"METHOD url"`` of the last request (no credentials): what debug tools show."""
        # Rendered when asked: only debug wrappers read it, after every request.
        request = self._request
        return "" if request is None else f"{request.method} {self.session.public_url(request)}"

    def execute(self, request: APIRequest) -> None:
        """Send ``request``; its answer waits for :meth:`fetchone`.

        Raises:
            httpx.TransportError: the request did not get an answer.
        """
        self._response = None
        self._request = request
        self._response = self.session.transmit(request)

    def fetchone(self) -> httpx.Response | None:
        """The answer to the last request."""
        response, self._response = self._response, None
        return response

    def close(self) -> None:
        self._response = None

    # django-rest-models' connection API, used by its test helpers and middlewares.

    def push_middleware(self, middleware: ApiMiddleware, priority: int = 5) -> None:
        """Run ``middleware`` on this connection's requests (see :mod:`.middlewares`)."""
        self.session.push_middleware(middleware, priority)

    def pop_middleware(self, middleware: ApiMiddleware) -> None:
        """Stop running ``middleware``."""
        self.session.pop_middleware(middleware)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send ``method url`` (relative to the API root) through the middlewares.

        ``kwargs`` are the ``params`` keys (``params``, ``json``, ``data``, ``files``,
        ``headers``). Nothing is retried and no status raises: the raw answer is returned.
        """
        params = {"method": method.lower(), "url": self.session.absolute(url), **kwargs}
        return self.session.exchange(params)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("get", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("post", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("put", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("patch", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("delete", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("options", url, **kwargs)


def _refuse_sql(statement: object, params: object) -> None:
    if not isinstance(statement, APIRequest) or params is not None:
        raise NotSupportedError(NO_SQL)


class CursorWrapper(utils.CursorWrapper):
    """Django's cursor wrapper, taking API requests only."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        _refuse_sql(sql, params)
        return super().execute(sql, params)

    def executemany(self, sql: Any, param_list: Any) -> Any:
        raise NotSupportedError(NO_SQL)

    def callproc(self, procname: Any, params: Any = None, kparams: Any = None) -> Any:
        raise NotSupportedError(NO_SQL)


class CursorDebugWrapper(CursorWrapper, utils.CursorDebugWrapper):
    """Django's debug wrapper (``connection.queries``), taking API requests only."""
