"""Client errors of the server kit and the handler that gives every 4xx one JSON shape.

Hierarchy::

    rest_framework.exceptions.APIException
     └── RestbridgeError            400 invalid_request
          ├── InvalidQuery          400 invalid_query    unparsable query parameter (a ParseError)
          ├── UnknownField          400 unknown_field    name not exposed by the serializer
          ├── InvalidValue          400 invalid_value    filter value the field cannot take
          ├── LimitExceeded         400 limit_exceeded   a bound on what one request may cost
          ├── InvalidBody           400 invalid_body     write body of the wrong shape
          └── InvalidPage           404 invalid_page     page number past the end

Every body is ``{"detail": "<message>", "errors": [{"code", "detail", ...}]}``; error
items may carry ``parameter``, ``position``, ``field`` and ``index``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .settings import api_settings

__all__ = [
    "InvalidBody",
    "InvalidPage",
    "InvalidQuery",
    "InvalidValue",
    "LimitExceeded",
    "RestbridgeError",
    "UnknownField",
    "error_body",
    "exception_handler",
]

ErrorItem = dict[str, Any]


class RestbridgeError(exceptions.APIException):
    """A request the server understood but refuses; carries structured error items."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid request."
    default_code = "invalid_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        legacy: str | None = None,
        **where: Any,
    ) -> None:
        super().__init__(detail, code)
        self.code = code or self.default_code
        #: The message dynamic-rest gives for the same error (``ERROR_FORMAT="dynamic-rest"``).
        self.legacy = legacy
        self.where = {key: value for key, value in where.items() if value is not None}

    def located(self, parameter: str) -> RestbridgeError:
        """Name the query ``parameter`` the error came from (unless it names one already)."""
        self.where.setdefault("parameter", parameter)
        return self

    def dynamic_rest_body(self) -> Any:
        """The body dynamic-rest answers: ``{"detail": ...}`` (a ``ParseError``'s shape)."""
        return {"detail": self.legacy or str(self.detail)}

    def items(self) -> list[ErrorItem]:
        """The structured ``errors`` list for this exception."""
        return [{"code": self.code, "detail": str(self.detail), **self.where}]


class InvalidQuery(RestbridgeError, exceptions.ParseError):
    default_detail = "A query parameter could not be parsed."
    default_code = "invalid_query"


class UnknownField(RestbridgeError):
    default_detail = "Unknown field."
    default_code = "unknown_field"


class InvalidValue(RestbridgeError):
    default_detail = "Invalid value."
    default_code = "invalid_value"

    def dynamic_rest_body(self) -> Any:
        """dynamic-rest refuses a filter value with a ``ValidationError``: a list of messages."""
        return [self.legacy or str(self.detail)]


class LimitExceeded(RestbridgeError):
    default_detail = "A query limit was exceeded."
    default_code = "limit_exceeded"


class InvalidBody(RestbridgeError):
    default_detail = "The request body has the wrong shape."
    default_code = "invalid_body"

    def dynamic_rest_body(self) -> Any:
        """dynamic-rest's refused bulk writes carry an ``errors`` list."""
        return {"detail": str(self.detail), "errors": self.items()}


class InvalidPage(RestbridgeError):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "Invalid page."
    default_code = "invalid_page"


def _flatten(detail: Any, *, field: str | None, index: int | None) -> list[ErrorItem]:
    """Turn DRF's nested ``ValidationError`` detail into flat error items with pointers."""
    if isinstance(detail, Mapping):
        items: list[ErrorItem] = []
        for key, value in detail.items():
            if key in ("non_field_errors", "detail") and field is None:
                items += _flatten(value, field=None, index=index)
            else:
                name = str(key) if field is None else f"{field}.{key}"
                items += _flatten(value, field=name, index=index)
        return items
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        items = []
        for position, value in enumerate(detail):
            # A list of dicts is a per-item list (bulk or many=True); keep the item index.
            nested_index = position if isinstance(value, Mapping) and index is None else index
            items += _flatten(value, field=field, index=nested_index)
        return items
    code = getattr(detail, "code", None) or "invalid"
    item: ErrorItem = {"code": str(code), "detail": str(detail) or "Invalid value."}
    if field is not None:
        item["field"] = field
    if index is not None:
        item["index"] = index
    return [item]


def _summary(items: list[ErrorItem]) -> str:
    first = items[0]
    where = ""
    if "index" in first:
        where += f"item {first['index']}: "
    if "field" in first:
        where += f"{first['field']}: "
    more = f" (and {len(items) - 1} more errors)" if len(items) > 1 else ""
    return f"{where}{first['detail']}{more}"


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    """The JSON body for ``exc``: a human ``detail`` and the structured ``errors`` list."""
    if isinstance(exc, RestbridgeError):
        # Our messages already name the field, parameter and limit.
        return {"detail": str(exc.detail), "errors": exc.items()}
    items = _flatten(exc.detail, field=None, index=None)
    if not items:
        items = [{"code": exc.default_code, "detail": str(exc.default_detail)}]
    detail = items[0]["detail"] if len(items) == 1 and "field" not in items[0] else _summary(items)
    return {"detail": detail, "errors": items}


#: Django's own request-size limits, raised as ``SuspiciousOperation`` (an HTML 400 when
#: left to Django): the setting each one names.
_DJANGO_LIMITS: tuple[tuple[type[SuspiciousOperation], str], ...] = (
    (RequestDataTooBig, "DATA_UPLOAD_MAX_MEMORY_SIZE"),
    (TooManyFieldsSent, "DATA_UPLOAD_MAX_NUMBER_FIELDS"),
    (TooManyFilesSent, "DATA_UPLOAD_MAX_NUMBER_FILES"),
)


def _django_limit(exc: SuspiciousOperation) -> LimitExceeded | None:
    for kind, setting in _DJANGO_LIMITS:
        if isinstance(exc, kind):
            limit = getattr(settings, setting)
            return LimitExceeded(f"{exc} The limit {setting} is {limit}.", limit=setting)
    return None


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: DRF's handling, with the restbridge error body."""
    if isinstance(exc, SuspiciousOperation):
        exc = _django_limit(exc) or exc
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, dict(context))
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if api_settings.ERROR_FORMAT == "dynamic-rest":
        # DRF's own bodies, as dynamic-rest answers them, for clients that parse those.
        if isinstance(exc, RestbridgeError):
            response.data = exc.dynamic_rest_body()
        elif isinstance(response.data, list) and any(isinstance(i, dict) for i in response.data):
            response.data = {"errors": response.data}  # a bulk write's per-item errors
        return response
    response.data = error_body(exc)
    return response
