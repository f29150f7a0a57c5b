"""Errors raised by the client backend, each a subclass of the Django error a caller catches.

Hierarchy::

    django.db.Error
     └── django.db.DatabaseError
          └── APIError                      a request failed; .method .url .status .detail
               ├── APIAuthError             401 / 403: names the user and the URL
               ├── APIProtocolError         body is not the JSON envelope expected
               ├── APIProgrammingError      (+ ProgrammingError) other 4xx on a read
               ├── APIIntegrityError        (+ IntegrityError, ProgrammingError) 400 / 409 on
               │                            a write; .errors
               └── APIOperationalError      (+ OperationalError) 5xx, timeout, refused

    django.db.NotSupportedError             a QuerySet feature the API cannot express
    django.core.exceptions.ImproperlyConfigured
     └── APIConfigurationError              bad DATABASES entry or APIMeta

Model ``DoesNotExist`` is raised by Django itself when a detail request answers 404.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db.utils import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)

__all__ = [
    "APIAuthError",
    "APIConfigurationError",
    "APIError",
    "APIIntegrityError",
    "APIOperationalError",
    "APIProgrammingError",
    "APIProtocolError",
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
]


class APIError(DatabaseError):
    """An HTTP request to the API failed.

    Attributes:
        method: the HTTP method.
        url: the full URL, without credentials.
        status: the HTTP status, or ``None`` when no response arrived.
        detail: the server's message, or the transport error.
        errors: the structured ``errors`` list of the response body, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status: int | None = None,
        detail: str = "",
        errors: Sequence[Mapping[str, object]] = (),
    ) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        status_text = f" -> {status}" if status is not None else ""
        suffix = f": {detail}" if detail else ""
        super().__init__(f"{message} ({method} {url}{status_text}){suffix}")

    def __reduce__(self) -> tuple[object, ...]:  # keyword-only arguments need explicit pickling
        return (_rebuild, (type(self), self.args[0], self.__dict__))


def _rebuild(cls: type[APIError], message: str, state: dict[str, object]) -> APIError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class APIAuthError(APIError):
    """The API refused the credentials (401) or the permission (403)."""


class APIProtocolError(APIError):
    """The response is not the JSON document the protocol defines."""


class APIProgrammingError(APIError, ProgrammingError):
    """The API rejected a read as invalid (a 4xx other than 401, 403 and 404)."""


class APIIntegrityError(APIError, IntegrityError, ProgrammingError):
    """The API rejected a write (400 / 409); ``errors`` holds the field errors.

    Also a ``ProgrammingError``: django-rest-models raised that for a refused write, and
    code written for it catches it.
    """


class APIOperationalError(APIError, OperationalError):
    """The API is unreachable, too slow, or failed (5xx)."""


class APIConfigurationError(ImproperlyConfigured):
    """A ``DATABASES`` entry, an auth class or an ``APIMeta`` is wrong."""
