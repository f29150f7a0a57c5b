"""``APIRequest``: one HTTP request, described as plain data before anything is sent.

The compilers build these from Django queries (pure translation); the
:class:`~client_backend.session.Session` sends them. ``str()`` gives the request line
shown by ``str(queryset.query)`` and recorded in ``connection.queries``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import quote_plus

from django.core.serializers.json import DjangoJSONEncoder

from shared_querylang import Page, Query

__all__ = ["APIRequest", "Method", "form_fields"]

Method = Literal["GET", "HEAD", "OPTIONS", "POST", "PATCH", "PUT", "DELETE"]

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
#: The characters ``quote_plus`` leaves as they are.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def _urlencode(pairs: list[tuple[str, str]]) -> str:
    """``urllib.parse.urlencode(pairs)``, in a fraction of its calls for long filters.

    A long ``__in`` list repeats one name per value (``filter{id.in}=1&filter{id.in}=2``):
    each name is quoted once, and values needing no escape (ids, field names) are kept.
    """
    names = {name: quote_plus(name) for name in {name for name, _ in pairs}}
    return "&".join(
        f"{names[name]}={value if _UNRESERVED.fullmatch(value) else quote_plus(value)}"
        for name, value in pairs
    )


def _form_value(value: object) -> str:
    if value is None:
        # DRF reads an empty form value of a nullable field as None.
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        # A JSON document (a JSONField): DRF parses a form value of one as JSON.
        return json.dumps(value, cls=DjangoJSONEncoder)
    if isinstance(value, str):
        return value
    encoded = json.dumps(value, cls=DjangoJSONEncoder)
    return encoded[1:-1] if encoded.startswith('"') else encoded


def form_fields(body: Mapping[str, object]) -> dict[str, str]:
    """A JSON body as ``multipart/form-data`` fields, each value as DRF reads it."""
    return {name: _form_value(value) for name, value in body.items()}


@dataclass(frozen=True, slots=True)
class APIRequest:
    """A request relative to the API root.

    Attributes:
        method: the HTTP method.
        path: the route relative to the API root (``pizzas``, ``pizzas/1/``).
        query: the querylang query rendered into the query string, if any.
        where: render filters that leaves cannot express as ``where=`` (restbridge servers)
            instead of ``filter{}`` JSON.
        params: further ``(name, value)`` pairs appended after the query's.
        body: the JSON body, if any; with ``files``, the multipart form fields.
        files: ``(field, (file name, content, content type))`` uploads: the request is
            sent as ``multipart/form-data``.
    """

    method: Method
    path: str
    query: Query | None = None
    where: bool = False
    params: tuple[tuple[str, str], ...] = ()
    body: object = field(default=None, compare=False)
    files: tuple[tuple[str, tuple[str, object, str | None]], ...] = field(default=(), compare=False)
    # target() is asked for when measuring, sending and recording one request: render the
    # query string once (a long ``__in`` list is most of a prefetch's cost otherwise).
    _target: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def idempotent(self) -> bool:
        """Whether the request may be sent again after a failure (reads only)."""
        return self.method in _IDEMPOTENT

    def query_params(self) -> list[tuple[str, str]]:
        """Every query-string pair, in a stable order."""
        pairs = self.query.to_params(where=self.where) if self.query is not None else []
        return [*pairs, *self.params]

    def target(self) -> str:
        """Path and percent-encoded query string, relative to the API root."""
        target = self._target
        if target is None:
            encoded = _urlencode(self.query_params())
            target = f"{self.path}?{encoded}" if encoded else self.path
            # Frozen: the cache is the one attribute set after construction.
            object.__setattr__(self, "_target", target)
        return target

    def with_page(self, page: Page) -> APIRequest:
        """The same request for another page."""
        query = self.query if self.query is not None else Query()
        return replace(self, query=replace(query, page=page))

    def __str__(self) -> str:
        return f"{self.method} {self.target()}"
