"""Authentication for API connections, named by dotted path in ``DATABASES[...]["AUTH"]``.

Any ``httpx.Auth`` class can be named. A class with a ``from_settings(settings)``
classmethod is built from the connection's settings; any other is instantiated without
arguments. A django-rest-models auth class (a ``requests`` auth built as
``Auth(databasewrapper, settings_dict)``) is refused with how to port it.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Generator
from urllib.parse import urljoin

import httpx
from django.utils.module_loading import import_string

from .exceptions import APIAuthError, APIConfigurationError
from .options import ConnectionSettings

__all__ = ["ApiAuthBase", "BasicAuth", "BearerToken", "OAuthToken", "auth_class", "build_auth"]

#: Seconds before expiry at which a cached OAuth token is renewed.
_EXPIRY_MARGIN = 10.0


def _basic_header(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


class ApiAuthBase:
    """django-rest-models' auth base class, kept so that its subclasses import.

    They cannot run here (they are ``requests`` auth objects): naming one in ``AUTH``
    fails at startup with how to port it (see :func:`auth_class`).
    """

    def __init__(self, databasewrapper: object, settings_dict: dict[str, object]) -> None:
        self.databasewrapper = databasewrapper
        self.settings_dict = settings_dict


def _port_hint(path: str) -> str:
    return (
        f"AUTH {path!r} is a django-rest-models auth class (a requests auth built as"
        " Auth(databasewrapper, settings_dict)); client_backend sends requests with httpx."
        " Port it to httpx.Auth: subclass httpx.Auth, set the headers in"
        " auth_flow(self, request) and `yield request`, and build it from the connection's"
        " settings with a classmethod from_settings(cls, settings) (settings.user,"
        " settings.password, settings.token, settings.root_url). BasicAuth, OAuthToken and"
        " BearerToken in client_backend.auth are ready-made."
    )


class BasicAuth(httpx.Auth):
    """HTTP Basic with ``USER`` / ``PASSWORD``."""

    def __init__(self, user: str, password: str) -> None:
        self._header = _basic_header(user, password)

    @classmethod
    def from_settings(cls, settings: ConnectionSettings) -> BasicAuth:
        return cls(settings.user, settings.password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class BearerToken(httpx.Auth):
    """``Authorization: Bearer <token>``; the token is ``OPTIONS["TOKEN"]``, else ``PASSWORD``."""

    def __init__(self, token: str) -> None:
        if not token:
            raise APIConfigurationError(
                "BearerToken needs a token: set OPTIONS['TOKEN'] or PASSWORD."
            )
        self._header = f"Bearer {token}"

    @classmethod
    def from_settings(cls, settings: ConnectionSettings) -> BearerToken:
        return cls(settings.token or settings.password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class OAuthToken(httpx.Auth):
    """OAuth2 client-credentials: ``USER`` / ``PASSWORD`` are the client id and secret.

    The token is fetched from ``OPTIONS["OAUTH_URL"]`` (resolved against the API root),
    cached until shortly before it expires and fetched again once when the API answers 401.
    One instance serves one connection; a lock keeps concurrent refreshes out.
    """

    def __init__(
        self, token_url: str, client_id: str, client_secret: str, *, enforce_post: bool = True
    ) -> None:
        self.token_url = token_url
        #: ``grant_type`` in the form body (``OPTIONS["ENFORCE_POST"]``, default), else in
        #: the query string.
        self.enforce_post = enforce_post
        self._client_header = _basic_header(client_id, client_secret)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    @classmethod
    def from_settings(cls, settings: ConnectionSettings) -> OAuthToken:
        url = urljoin(settings.root_url, settings.oauth_url)
        return cls(url, settings.user, settings.password, enforce_post=settings.enforce_post)

    def _token_request(self) -> httpx.Request:
        grant = {"grant_type": "client_credentials"}
        if not self.enforce_post:
            # django-rest-models' default without ENFORCE_POST: in the query string.
            return httpx.Request(
                "POST", self.token_url, params=grant, headers={"Authorization": self._client_header}
            )
        return httpx.Request(
            "POST", self.token_url, data=grant, headers={"Authorization": self._client_header}
        )

    def _store(self, response: httpx.Response) -> None:
        if response.status_code != 200:
            raise APIAuthError(
                "OAuth token request refused (check USER / PASSWORD, the client id and"
                " secret, and OPTIONS['OAUTH_URL'])",
                method="POST",
                url=self.token_url,
                status=response.status_code,
                detail=response.text[:200],
            )
        try:
            body = response.json()
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as error:
            raise APIAuthError(
                "OAuth token response has no access_token",
                method="POST",
                url=self.token_url,
                status=response.status_code,
            ) from error
        self._token = token
        self._expires_at = time.monotonic() + lifetime - _EXPIRY_MARGIN

    def _valid_token(self) -> str | None:
        if self._token is not None and time.monotonic() < self._expires_at:
            return self._token
        return None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # The lock is held across the yield only for the token request itself.
        with self._lock:
            token = self._valid_token()
            if token is None:
                token_response = yield self._token_request()
                token_response.read()
                self._store(token_response)
                token = self._valid_token() or self._token
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        with self._lock:
            self._token = None
            token_response = yield self._token_request()
            token_response.read()
            self._store(token_response)
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def auth_class(path: str) -> type[httpx.Auth]:
    """The class ``AUTH`` names.

    Raises:
        APIConfigurationError: it cannot be imported, or is not an ``httpx.Auth``.
    """
    try:
        found = import_string(path)
    except ImportError as error:
        raise APIConfigurationError(f"AUTH {path!r} cannot be imported: {error}") from error
    if isinstance(found, type) and issubclass(found, httpx.Auth):
        return found
    # A requests auth is an object called with each request.
    if isinstance(found, type) and (
        issubclass(found, ApiAuthBase) or any("__call__" in vars(k) for k in found.__mro__[:-1])
    ):
        raise APIConfigurationError(_port_hint(path))
    raise APIConfigurationError(f"AUTH {path!r} must name an httpx.Auth class, not {found!r}.")


def build_auth(settings: ConnectionSettings) -> httpx.Auth | None:
    """The auth named by ``AUTH``, or ``None`` when none is configured."""
    if not settings.auth_path:
        return None
    found = auth_class(settings.auth_path)
    from_settings = getattr(found, "from_settings", None)
    auth = from_settings(settings) if callable(from_settings) else found()
    if not isinstance(auth, httpx.Auth):
        raise APIConfigurationError(
            f"AUTH {settings.auth_path!r}.from_settings() must return an httpx.Auth, not {auth!r}."
        )
    return auth
