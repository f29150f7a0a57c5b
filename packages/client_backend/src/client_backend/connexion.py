"""``ApiConnexion``: an API connection outside the ORM (django-rest-models' name).

For raw calls to an API (``cnx.get("pizza/1/")``) with the same middlewares as database
connections. It sends through :class:`~client_backend.session.Session` without retries
and returns the ``httpx.Response`` as it is, whatever its status.
"""

from __future__ import annotations

from typing import Any

import httpx

from .cursor import Cursor
from .middlewares import ApiMiddleware
from .options import ConnectionSettings
from .session import Session

__all__ = ["ApiConnexion"]


class ApiConnexion(Cursor):
    """A connection to the API at ``url``: ``get``/``post``/... and middlewares.

    ``auth`` is an ``httpx.Auth``; ``middlewares`` are instances, run with priority 8.
    """

    def __init__(
        self,
        url: str,
        auth: httpx.Auth | None = None,
        timeout: float = 10.0,
        middlewares: tuple[ApiMiddleware, ...] = (),
        ssl_verify: bool = True,
    ) -> None:
        def client() -> httpx.Client:
            return httpx.Client(auth=auth, timeout=timeout, verify=ssl_verify)

        options = {"TIMEOUT": timeout, "VERIFY": ssl_verify, "CLIENT": client}
        settings = ConnectionSettings.from_settings_dict({"NAME": url, "OPTIONS": options})
        super().__init__(Session(settings, cursor=lambda: self))
        for middleware in middlewares:
            self.push_middleware(middleware, priority=8)

    @property
    def url(self) -> str:
        """The API root URL (with a trailing ``/``)."""
        return self.session.url

    def absolute(self, url: str) -> str:
        """``url`` resolved against the API root."""
        return self.session.absolute(url)

    def __enter__(self) -> ApiConnexion:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        super().close()
        self.session.close()
