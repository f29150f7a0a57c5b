"""The ``DATABASES`` entry of an API connection, read once into a typed value.

``OPTIONS`` keys: ``TIMEOUT`` (seconds one request may take, connect to last byte, default
10), ``TOTAL_TIMEOUT`` (seconds one call may take, retries and backoff included, default
twice ``TIMEOUT``), ``RETRIES`` (extra attempts for reads, default 3), ``BACKOFF``
(seconds before the first retry, doubled each time, default 0.1),
``VERIFY`` (TLS verification, default on), ``HEADERS`` (extra headers), ``PAGE_SIZE`` (rows
per request when iterating, default 100), ``TRANSPORT`` / ``CLIENT`` (an ``httpx`` transport,
or a zero-argument callable returning an ``httpx.Client``: how tests serve an API in-process;
a ``NAME`` on host ``localapi`` is served in-process without either),
``OAUTH_URL`` (for :class:`~client_backend.auth.OAuthToken`), ``TOKEN`` (for
:class:`~client_backend.auth.BearerToken`), ``SKIP_CHECK`` (skip the contract system check),
``FEATURES`` (the server's feature names, to skip discovering them with OPTIONS),
``CONTRACT`` (the path of the provider's contract file: the contract check and the server
features come from it, not from OPTIONS requests; see :mod:`client_backend.contract`),
``MAX_URL_LENGTH`` (default 4000, under gunicorn's 4094-byte request line: an unsliced
read whose URL is longer is split on its largest ``__in`` list, one request per part).

django-rest-models' keys keep their meaning: ``SSL_VERIFY`` (an alias of ``VERIFY``),
``IGNORE_INTROSPECT`` (``inspectdb`` lists nothing and sends nothing), ``ENFORCE_POST``
(the OAuth token request carries ``grant_type`` in its form body, the default; ``False``
puts it in the query string as django-rest-models did), ``PREVENT_DISTINCT``
(``.distinct()`` raises ``NotSupportedError`` instead of removing duplicates on the client)
and ``MIDDLEWARES`` (dotted paths of :class:`~client_backend.middlewares.ApiMiddleware`
classes). ``PREVENT_DISTINCT`` and ``MIDDLEWARES`` are also read at the top level of the
``DATABASES`` entry, where django-rest-models reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.utils.module_loading import import_string

from .exceptions import APIConfigurationError
from .localapi import InProcessTransport, is_local_api

__all__ = ["ConnectionSettings"]

_KNOWN_OPTIONS = frozenset(
    {
        "TIMEOUT",
        "TOTAL_TIMEOUT",
        "RETRIES",
        "BACKOFF",
        "VERIFY",
        "HEADERS",
        "PAGE_SIZE",
        "TRANSPORT",
        "CLIENT",
        "OAUTH_URL",
        "SKIP_CHECK",
        "TOKEN",
        "FEATURES",
        "MAX_URL_LENGTH",
        "SSL_VERIFY",
        "IGNORE_INTROSPECT",
        "ENFORCE_POST",
        "PREVENT_DISTINCT",
        "MIDDLEWARES",
        "CONTRACT",
    }
)


def _number(options: Mapping[str, Any], key: str, default: float, minimum: float) -> float:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise APIConfigurationError(
            f"OPTIONS[{key!r}] must be a number >= {minimum}, not {value!r}."
        )
    return float(value)


def _either(settings_dict: Mapping[str, Any], key: str, default: Any) -> Any:
    """``OPTIONS[key]``, else the entry's own ``key`` (where django-rest-models reads it)."""
    options: Mapping[str, Any] = settings_dict.get("OPTIONS") or {}
    return options.get(key, settings_dict.get(key, default))


def _paths(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(path, str) for path in value):
        raise APIConfigurationError(
            f"MIDDLEWARES must be a list of dotted paths to ApiMiddleware classes, not {value!r}."
        )
    return tuple(value)


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Everything a connection needs from its ``DATABASES`` entry."""

    root_url: str
    user: str = ""
    password: str = field(default="", repr=False)
    auth_path: str = ""
    timeout: float = 10.0
    total_timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.1
    verify: bool = True
    headers: tuple[tuple[str, str], ...] = ()
    page_size: int = 100
    transport: httpx.BaseTransport | None = None
    client_factory: Callable[[], httpx.Client] | None = None
    oauth_url: str = "/oauth2/token/"
    token: str = field(default="", repr=False)
    skip_check: bool = False
    features: tuple[str, ...] | None = None
    max_url_length: int = 4000
    ignore_introspect: bool = False
    enforce_post: bool = True
    prevent_distinct: bool = False
    middlewares: tuple[str, ...] = ()
    contract: str | None = None

    @classmethod
    def from_settings_dict(cls, settings_dict: Mapping[str, Any]) -> ConnectionSettings:
        """Read and check a ``DATABASES`` entry."""
        name = settings_dict.get("NAME") or ""
        if not isinstance(name, str) or not name.startswith(("http://", "https://")):
            raise APIConfigurationError(
                f"NAME must be the API root URL (http:// or https://), not {name!r}."
                " Please supply the NAME value."
            )
        options: Mapping[str, Any] = settings_dict.get("OPTIONS") or {}
        unknown = sorted(set(options) - _KNOWN_OPTIONS)
        if unknown:
            raise APIConfigurationError(
                f"Unknown OPTIONS {unknown!r}; expected some of {sorted(_KNOWN_OPTIONS)!r}."
            )
        transport, client = _transport_and_client(name, options)
        page_size = options.get("PAGE_SIZE", 100)
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise APIConfigurationError(
                f"OPTIONS['PAGE_SIZE'] must be an int >= 1, not {page_size!r}."
            )
        headers = options.get("HEADERS") or {}
        features = options.get("FEATURES")
        timeout = _number(options, "TIMEOUT", 10.0, 0.001)
        return cls(
            root_url=name if name.endswith("/") else name + "/",
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            auth_path=str(settings_dict.get("AUTH") or ""),
            timeout=timeout,
            total_timeout=_number(options, "TOTAL_TIMEOUT", 2 * timeout, 0.001),
            retries=int(_number(options, "RETRIES", 3, 0)),
            backoff=_number(options, "BACKOFF", 0.1, 0),
            verify=bool(options.get("VERIFY", options.get("SSL_VERIFY", True))),
            headers=tuple((str(k), str(v)) for k, v in dict(headers).items()),
            page_size=page_size,
            transport=transport,
            client_factory=client,
            oauth_url=str(options.get("OAUTH_URL", "/oauth2/token/")),
            token=str(options.get("TOKEN") or ""),
            skip_check=bool(options.get("SKIP_CHECK", False)),
            features=None if features is None else tuple(map(str, features)),
            max_url_length=int(_number(options, "MAX_URL_LENGTH", 4000, 200)),
            ignore_introspect=bool(options.get("IGNORE_INTROSPECT", False)),
            enforce_post=bool(options.get("ENFORCE_POST", True)),
            prevent_distinct=bool(_either(settings_dict, "PREVENT_DISTINCT", False)),
            middlewares=_paths(_either(settings_dict, "MIDDLEWARES", ())),
            contract=str(options["CONTRACT"]) if options.get("CONTRACT") else None,
        )


def _transport_and_client(
    name: str, options: Mapping[str, Any]
) -> tuple[httpx.BaseTransport | None, Callable[[], httpx.Client] | None]:
    """``TRANSPORT`` and ``CLIENT``, checked (an in-process transport for a local ``NAME``)."""
    transport = options.get("TRANSPORT")
    if transport is not None and not isinstance(transport, httpx.BaseTransport):
        raise APIConfigurationError(
            f"OPTIONS['TRANSPORT'] must be an httpx.BaseTransport, not {transport!r}."
        )
    client = options.get("CLIENT")
    if isinstance(client, str):
        client = import_string(client)
    if client is not None and not callable(client):
        raise APIConfigurationError(
            "OPTIONS['CLIENT'] must be a callable returning an httpx.Client."
        )
    if transport is None and client is None and is_local_api(name):
        transport = InProcessTransport()
    return transport, client
