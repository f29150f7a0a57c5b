"""API middlewares: hooks around every request a connection sends (django-rest-models' API).

Name classes in ``DATABASES[alias]["MIDDLEWARES"]`` (or ``OPTIONS["MIDDLEWARES"]``), or push
instances on a connection with ``connection.cursor().push_middleware(m, priority)``. Each
request goes through ``process_request`` in priority order (1 first; a middleware pushed
later runs before earlier ones of its priority; settings middlewares have priority 8 and
run in the order listed): the first one returning a response answers it and no HTTP
request is sent. Then
``process_response`` runs on the middlewares already passed, in reverse order.

``params`` describes the request as django-rest-models did: ``method`` (lower case),
``url`` (absolute, without query string), ``params`` (query parameters: a list of values
per name, a set for ``include[]`` / ``exclude[]``), ``json`` (the JSON body or ``None``),
``data`` / ``files`` (a multipart upload). A middleware may change it in place; the
request sent is built from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

import httpx
from django.core.serializers.json import DjangoJSONEncoder

__all__ = ["ApiMiddleware", "Connection", "FakeApiResponse", "Params"]


class Connection(Protocol):
    """What a middleware is given as ``connection`` (a session, an ``ApiConnexion``)."""

    @property
    def url(self) -> str:
        """The API root URL."""
        ...

    def absolute(self, url: str) -> str:
        """``url`` resolved against the API root."""
        ...


#: A request as middlewares see it (see the module docstring).
Params = dict[str, Any]


class _SetEncoder(DjangoJSONEncoder):
    """JSON for canned data, where fixtures may hold sets (``include[]``)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, set | frozenset):
            return sorted(o)
        return super().default(o)


class FakeApiResponse(httpx.Response):
    """A response made up by a middleware: ``data`` as JSON with ``status_code``.

    ``json()`` returns ``data`` itself; ``text`` is its JSON, or its ``repr()`` when it is
    not serializable.
    """

    def __init__(self, data: Any, status_code: int) -> None:
        try:
            text = "" if data is None else json.dumps(data, cls=_SetEncoder)
        except TypeError:
            text = repr(data)
        headers = {"Content-Type": "application/json"}
        super().__init__(status_code, content=text.encode(), headers=headers)
        self.data = data

    def json(self, **kwargs: Any) -> Any:
        return self.data


class ApiMiddleware:
    """Base class: override either hook."""

    def process_request(
        self, params: Params, requestid: int, connection: Connection
    ) -> httpx.Response | None:
        """Return a response to answer the request without sending it, else ``None``."""
        return None

    def process_response(
        self, params: Params, response: httpx.Response, requestid: int
    ) -> httpx.Response:
        """Return the response (this one or another)."""
        return response

    @staticmethod
    def make_response(data: Any, status_code: int) -> FakeApiResponse:
        """A response carrying ``data`` as JSON."""
        return FakeApiResponse(data, status_code)

    def empty_response(self) -> FakeApiResponse:
        """A 204 without body."""
        return self.make_response(None, 204)

    def data_response(self, data: Any, status_code: int | None = None) -> FakeApiResponse:
        """``data`` with status 200 (or ``status_code``)."""
        return self.make_response(data, status_code or 200)


def as_response(answer: Any) -> httpx.Response:
    """A middleware's answer as an ``httpx.Response`` (objects with ``json()`` too)."""
    if isinstance(answer, httpx.Response):
        return answer
    return FakeApiResponse(answer.json(), int(answer.status_code))


def query_params(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Query pairs as django-rest-models' ``params``: values per name, sets for field lists."""
    params: dict[str, Any] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    for name in ("include[]", "exclude[]"):
        if name in params:
            params[name] = set(params[name])
    return params


def send_params(client: httpx.Client, params: Mapping[str, Any]) -> httpx.Response:
    """Send the request ``params`` describes."""
    query = {
        name: sorted(value) if isinstance(value, set | frozenset) else value
        for name, value in (params.get("params") or {}).items()
    }
    body = params.get("json")
    content = None
    headers = {"Accept": "application/json", **(params.get("headers") or {})}
    if body is not None:
        content = json.dumps(body, cls=DjangoJSONEncoder).encode()
        headers["Content-Type"] = "application/json"
    return client.request(
        str(params["method"]).upper(),
        str(params["url"]),
        params=query,
        content=content,
        data=params.get("data"),
        files=params.get("files"),
        headers=headers,
    )
