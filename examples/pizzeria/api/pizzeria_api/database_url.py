"""`DATABASE_URL` to a Django `DATABASES` entry (the few URL forms the example needs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


def parse_database_url(url: str) -> dict[str, Any]:
    """Translate `postgres://user:password@host:port/name?opt=v` or `sqlite:///path`.

    Query parameters become `OPTIONS` (for example `sslmode`); a `host` parameter names a
    Unix-socket directory, as libpq accepts.

    Raises:
        ValueError: the scheme is not one the example supports, or the URL has no database name.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as dj-database-url reads them.
        name = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not name:
            raise ValueError(f"DATABASE_URL {url!r} names no SQLite file.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(name))}
    if parts.scheme not in POSTGRES_SCHEMES:
        raise ValueError(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported. "
            "Use postgres://user:password@host:port/name or sqlite:///path."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError(f"DATABASE_URL {url!r} names no database.")
    options = dict(parse_qsl(parts.query))
    host = options.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
    }
