"""Send :class:`~client_backend.request.APIRequest` s over one ``httpx.Client``.

One session belongs to one ``DatabaseWrapper`` (Django keeps one per thread), so each
thread has its own client, closed with the connection. A request ends within ``TIMEOUT``
seconds and a call, retries and backoff included, within ``TOTAL_TIMEOUT`` (see
:mod:`~client_backend.deadline`). Every HTTP attempt goes through
the connection's cursor (:mod:`~client_backend.cursor`), so Django records it in
``connection.queries``, and is logged on the ``client_backend`` logger. Reads are
retried on transport errors, 5xx and malformed bodies; writes never are, so nothing is
created twice.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urljoin

import httpx
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError
from django.utils.module_loading import import_string

from .auth import build_auth
from .deadline import Deadline, DeadlineTransport
from .exceptions import (
    APIAuthError,
    APIConfigurationError,
    APIError,
    APIIntegrityError,
    APIOperationalError,
    APIProgrammingError,
    APIProtocolError,
)
from .middlewares import ApiMiddleware, Params, as_response, query_params, send_params
from .options import ConnectionSettings
from .request import APIRequest

__all__ = ["APIResponse", "Session"]

logger = logging.getLogger("client_backend")

_RETRYABLE_TRANSPORT = (httpx.TransportError,)


@dataclass(frozen=True, slots=True)
class APIResponse:
    """A decoded answer: the status and the JSON body (``None`` when empty)."""

    status: int
    body: Any
    url: str
    method: str = "GET"

    @property
    def where(self) -> str:
        """``"METHOD url"`` (without credentials), for error messages."""
        return f"{self.method} {self.url}"


def _public_url(url: httpx.URL) -> str:
    """The URL without user info, safe for messages and logs."""
    return str(url.copy_with(username=None, password=None)) if url.userinfo else str(url)


def _server_message(body: Any) -> tuple[str, list[Mapping[str, object]]]:
    """The human message and the structured errors of an error body."""
    if isinstance(body, Mapping):
        errors_value = body.get("errors")
        errors: list[Mapping[str, object]] = []
        if isinstance(errors_value, list):
            errors = [e if isinstance(e, Mapping) else {"detail": str(e)} for e in errors_value]
        detail = body.get("detail")
        if detail is None:
            # DRF's plain ValidationError shape: {"field": ["message", ...]}.
            errors = errors or [
                {"field": key, "detail": "; ".join(map(str, v)) if isinstance(v, list) else str(v)}
                for key, v in body.items()
            ]
            detail = "; ".join(f"{e.get('field', '')}: {e.get('detail', '')}" for e in errors)
        return str(detail), errors
    if isinstance(body, list):
        return "; ".join(map(str, body)), []
    return ("" if body is None else str(body)[:500]), []


class _Page(str):
    """The description of an error body that is not JSON (see :func:`_describe_page`)."""


def _describe_page(raw: bytes) -> str:
    """A body that is not JSON, in a few words: an HTML page's title, else its start."""
    text = raw[:2000].decode("utf-8", errors="replace")
    if "<html" in text.lower() or "<!doctype" in text.lower():
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        words = title.group(1) if title else re.sub(r"<[^>]*>", " ", text)
        summary = " ".join(words.split())[:80]
        return f"an HTML page{f' ({summary!r})' if summary else ''}, not the API's JSON"
    return f"a body that is not JSON, starting {text[:80]!r}"


def _redirected(request: APIRequest, url: str, status: int, location: str) -> APIProtocolError:
    return APIProtocolError(
        "API redirected the request",
        method=request.method,
        url=url,
        status=status,
        detail=(
            f"to {location or 'nowhere'}. Redirects are not followed (credentials and writes"
            " must not go elsewhere): set NAME to the URL the API answers at (a missing"
            " trailing slash or http instead of https is the usual cause)"
        ),
    )


def _refusal(settings: ConnectionSettings, status: int) -> str:
    """Who was refused: the user, the configured credentials, or anonymous requests."""
    if settings.user:
        who = f"the credentials of user {settings.user!r}"
    elif settings.auth_path:
        who = f"the {settings.auth_path.rsplit('.', 1)[-1]} credentials"
    elif status == 401:
        return "API requires credentials: this database sends none (set AUTH)"
    else:
        return "API forbids this to anonymous requests (set AUTH)"
    if status == 401:
        return f"API rejected {who} (check USER / PASSWORD / OPTIONS['TOKEN'])"
    return f"API forbids this to {who}: they are valid but lack the permission"


def _timed_out(request: APIRequest, waited: float) -> str:
    if request.idempotent:
        return f"API request timed out after {waited:.1f}s"
    return (
        f"API write timed out after {waited:.1f}s: it may have been applied (it is not"
        " retried); check the API before repeating it"
    )


def _middleware(path: str) -> ApiMiddleware:
    """An instance of the middleware class named in ``MIDDLEWARES``."""
    try:
        middleware_class = import_string(path)
    except ImportError as error:
        raise APIConfigurationError(f"MIDDLEWARES: {path!r} cannot be imported: {error}") from error
    return cast(ApiMiddleware, middleware_class())


class Session:
    """The HTTP side of one database connection."""

    def __init__(
        self,
        settings: ConnectionSettings,
        *,
        cursor: Callable[[], Any],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._cursor = cursor
        self._sleep = sleep
        self._client: httpx.Client | None = None
        self._deadline = Deadline()
        #: The last target parsed and its URL (see :meth:`_absolute_url`).
        self._parsed: tuple[str, httpx.URL] | None = None
        #: (priority, push order, middleware); see :mod:`~client_backend.middlewares`.
        self._middlewares: list[tuple[int, int, ApiMiddleware]] = []
        self._pushed = 0
        self._request_id = 0
        # Pushed last first: the first one listed sees each request first.
        for path in reversed(settings.middlewares):
            self.push_middleware(_middleware(path), priority=8)

    @property
    def url(self) -> str:
        """The API root URL (what middlewares call ``connection.url``)."""
        return self.settings.root_url

    @property
    def middlewares(self) -> list[ApiMiddleware]:
        """The middlewares in the order ``process_request`` runs them."""
        return [m for _, _, m in sorted(self._middlewares, key=lambda e: (e[0], -e[1]))]

    def push_middleware(self, middleware: ApiMiddleware, priority: int = 5) -> None:
        """Run ``middleware`` on every request (before those of higher ``priority``)."""
        self._pushed += 1
        self._middlewares.append((priority, self._pushed, middleware))

    def pop_middleware(self, middleware: ApiMiddleware) -> None:
        """Stop running ``middleware``."""
        self._middlewares = [e for e in self._middlewares if e[2] is not middleware]

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client``, created on first use."""
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def _make_client(self) -> httpx.Client:
        settings = self.settings
        if settings.client_factory is not None:
            return settings.client_factory()
        return httpx.Client(
            transport=settings.transport
            or DeadlineTransport(self._deadline, verify=settings.verify),
            timeout=settings.timeout,
            verify=settings.verify,
            headers=dict(settings.headers),
            auth=build_auth(settings),
            follow_redirects=False,
        )

    def close(self) -> None:
        """Close the client; a later request opens a new one."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def public_url(self, request: APIRequest) -> str:
        """The absolute URL of ``request``, without credentials."""
        return _public_url(self._absolute_url(request))

    def _absolute_url(self, request: APIRequest) -> httpx.URL:
        # One request's URL is asked for several times (measured by
        # Reader.within_url_limit for a long filter, named in messages, sent, shown by
        # debug cursors) and httpx parses URLs character by character: parse it once.
        target = request.target()
        parsed = self._parsed
        if parsed is None or parsed[0] != target:
            parsed = self._parsed = (target, httpx.URL(urljoin(self.settings.root_url, target)))
        return parsed[1]

    def send(self, request: APIRequest, *, allow: Sequence[int] = ()) -> APIResponse:
        """Send ``request`` and decode the answer.

        Args:
            request: what to send.
            allow: error statuses returned to the caller instead of raised (e.g. 404).

        Raises:
            APIError: a subclass matching the failure, after the retries reads get.
        """
        attempts = 1 + (self.settings.retries if request.idempotent else 0)
        call_ends = time.monotonic() + self.settings.total_timeout
        for attempt in range(attempts):
            self._deadline.at = min(time.monotonic() + self.settings.timeout, call_ends)
            try:
                return self._attempt(request, allow)
            except APIError as error:
                # A redirect answers the same way every time: no retry.
                redirect = error.status is not None and 300 <= error.status < 400
                retryable = (
                    isinstance(error, APIOperationalError | APIProtocolError) and not redirect
                )
                delay = self.settings.backoff * 2**attempt
                out_of_time = time.monotonic() + delay >= call_ends
                if not retryable or attempt == attempts - 1 or out_of_time:
                    raise
                logger.debug("retrying %s %s in %.2fs: %s", request.method, error.url, delay, error)
                self._sleep(delay)
            finally:
                self._deadline.at = None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def transmit(self, request: APIRequest) -> httpx.Response:
        """One HTTP exchange for ``request``, undecoded (the cursor's ``execute()``)."""
        url = self._absolute_url(request)
        if self._middlewares or request.files:
            return self.exchange(self._params(request, url))
        content = None
        headers = {"Accept": "application/json"}
        if request.body is not None:
            content = json.dumps(request.body, cls=DjangoJSONEncoder).encode()
            headers["Content-Type"] = "application/json"
        return self.client.request(request.method, url, content=content, headers=headers)

    def _params(self, request: APIRequest, url: httpx.URL) -> Params:
        params: Params = {
            "method": request.method.lower(),
            "url": str(url.copy_with(query=None)),
            "params": query_params(request.query_params()),
            "json": None if request.files else request.body,
        }
        if request.files:
            params["data"] = request.body
            params["files"] = {name: upload for name, upload in request.files}
        return params

    def absolute(self, url: str) -> str:
        """``url`` resolved against the API root (a leading ``/`` against its host)."""
        return urljoin(self.settings.root_url, url)

    def exchange(self, params: Params) -> httpx.Response:
        """Send ``params`` through the middlewares (see :mod:`~client_backend.middlewares`)."""
        self._request_id += 1
        requestid = self._request_id
        middlewares = self.middlewares
        answer: httpx.Response | None = None
        passed = len(middlewares)
        for index, middleware in enumerate(middlewares):
            found = middleware.process_request(params, requestid, self)
            if found is not None:
                answer, passed = as_response(found), index + 1
                break
        if answer is None:
            answer = send_params(self.client, params)
        for middleware in reversed(middlewares[:passed]):
            answer = as_response(middleware.process_response(params, answer, requestid) or answer)
        return answer

    def _attempt(self, request: APIRequest, allow: Sequence[int]) -> APIResponse:
        public = self.public_url(request)
        started = time.perf_counter()
        try:
            # Through connection.cursor(), so what wraps cursors sees the request.
            with self._cursor() as cursor:
                cursor.execute(request)
                response = cursor.fetchone()
        except httpx.TimeoutException as error:
            self._done(request, public, None, started)
            raise APIOperationalError(
                _timed_out(request, time.perf_counter() - started),
                method=request.method,
                url=public,
                detail=str(error),
            ) from error
        except _RETRYABLE_TRANSPORT as error:
            self._done(request, public, None, started)
            raise APIOperationalError(
                "API unreachable", method=request.method, url=public, detail=str(error)
            ) from error
        except DatabaseError as error:
            # An auth flow's APIAuthError, raised inside the cursor: Django's error
            # wrapper replaced it with a bare DatabaseError without request or status.
            if isinstance(error.__cause__, APIError):
                raise error.__cause__ from None
            raise
        status = response.status_code
        raw = response.content
        # httpx keeps a response and its stream in a reference cycle, which only the cyclic
        # GC frees: with its cached body, every page .iterator() read stayed in memory
        # until a full collection. The body is read; an empty stream breaks the cycle.
        response.stream = httpx.ByteStream(b"")
        self._done(request, public, status, started)
        if 300 <= status < 400:
            raise _redirected(request, public, status, response.headers.get("Location", ""))
        body = self._decode(request, public, status, raw)
        # The API's own "not found" is JSON; a page (another server's, or a wrong NAME's
        # route) answering 404 is not an empty result: get() must not say DoesNotExist.
        if status < 400 or (status in allow and not isinstance(body, _Page)):
            return APIResponse(status, body, public, request.method)
        raise self._error(request, public, status, body)

    def _done(self, request: APIRequest, url: str, status: int | None, started: float) -> None:
        elapsed = time.perf_counter() - started
        logger.debug("%s %s -> %s (%.1f ms)", request.method, url, status, elapsed * 1000)

    def _decode(self, request: APIRequest, url: str, status: int, raw: bytes) -> Any:
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError as error:
            page = _describe_page(raw)
            if status >= 400:
                # An error page: report the status and what the page is, not the parse failure.
                return _Page(page)
            raise APIProtocolError(
                "API answered with a body that is not JSON",
                method=request.method,
                url=url,
                status=status,
                detail=f"{page}. Is NAME the API root? ({error})",
            ) from error

    def _error(self, request: APIRequest, url: str, status: int, body: Any) -> APIError:
        detail, errors = _server_message(body)
        kwargs: dict[str, Any] = {
            "method": request.method,
            "url": url,
            "status": status,
            "detail": detail,
            "errors": errors,
        }
        if status in (401, 403):
            return APIAuthError(_refusal(self.settings, status), **kwargs)
        if status >= 500:
            return APIOperationalError("API failed", **kwargs)
        if not request.idempotent and status in (400, 409, 422):
            return APIIntegrityError("API rejected the write", **kwargs)
        if status == 404:
            return APIProgrammingError(
                f"API has no such resource: check NAME (the API root, {self.settings.root_url!r})"
                " and APIMeta.resource_path",
                **kwargs,
            )
        return APIProgrammingError("API rejected the request", **kwargs)
