"""``RestApiStorage``: files of API models live on the API (django-rest-models' storage).

A ``FileField`` / ``ImageField`` of an API model with ``storage=RestApiStorage()``:

* on ``save()``, a new file is not written anywhere by the storage: it travels in the
  model's own create / update request, sent as ``multipart/form-data``
  (:mod:`~client_backend.writes`); a file the save does not change is not sent, so the
  API keeps it;
* on read, the API's value (the file's URL) becomes a name (the URL's last segment,
  as django-rest-models names it) that remembers the URL: ``.url`` is that URL, and
  ``.open()`` / ``.size`` / ImageField dimensions fetch it through the connection that read
  it (its auth and transport).
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from typing import Any, cast
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import connections
from django.utils.deconstruct import deconstructible

from ._types import APIConnection
from .exceptions import APIOperationalError
from .resources import default_api_database

__all__ = ["PendingUpload", "RemoteName", "RestApiStorage"]


class RemoteName(str):
    """A file name read from the API, carrying the URL it came from and the database."""

    url: str
    alias: str

    def __new__(cls, url: str, alias: str) -> RemoteName:
        name = super().__new__(cls, unquote(posixpath.basename(urlsplit(url).path)))
        name.url = url
        name.alias = alias
        return name

    def __reduce__(self) -> tuple[type[RemoteName], tuple[str, str]]:
        # Pickled instances (cached querysets) rebuild it from its URL, not its text.
        return (RemoteName, (self.url, self.alias))


class PendingUpload(str):
    """The name of a file waiting to be uploaded with its model's next write."""

    content: File[Any]

    def __new__(cls, name: str, content: File[Any]) -> PendingUpload:
        pending = super().__new__(cls, name)
        pending.content = content
        return pending


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _ascii(name: str) -> str:
    """``name`` with accents folded to ASCII (django-rest-models cleaned names this way)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


@deconstructible
class RestApiStorage(Storage):
    """Files stored by the API, read from the URLs it answers (see the module docstring)."""

    def remote(self, value: Any, alias: str) -> Any:
        """The name for an API value (a URL, or ``None`` / ``""`` for no file)."""
        if not value or not isinstance(value, str):
            return value
        return RemoteName(value, alias)

    def url(self, name: str | None) -> str:
        """The URL the API gave for ``name`` (``name`` itself when it came from elsewhere)."""
        if isinstance(name, RemoteName):
            return name.url
        return str(name or "")

    def _fetch(self, name: str, method: str = "GET") -> httpx.Response:
        url = self.url(name)
        alias = (
            name.alias if isinstance(name, RemoteName) else default_api_database(settings.DATABASES)
        )
        session = cast("APIConnection", connections[alias]).session
        absolute = urljoin(session.url, url)
        if _origin(absolute) == _origin(session.url):
            response = session.client.request(method, absolute)
        else:
            # Another host (a CDN, say) never receives the API credentials or headers.
            options = session.settings
            with httpx.Client(transport=options.transport, timeout=options.timeout) as client:
                response = client.request(method, absolute)
        if response.status_code >= 400:
            raise APIOperationalError(
                "The API did not serve the file",
                method=method,
                url=absolute,
                status=response.status_code,
            )
        return response

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if "w" in mode or "a" in mode or "+" in mode:
            raise NotImplementedError("RestApiStorage files are read-only: save the model instead.")
        return ContentFile(self._fetch(name).content, name=str(name))

    def size(self, name: str) -> int:
        response = self._fetch(name, "HEAD")
        length = response.headers.get("Content-Length")
        return int(length) if length is not None else len(self._fetch(name).content)

    def exists(self, name: str) -> bool:
        """The API picks the final name of an upload: no name is ever taken here."""
        return False

    def get_valid_name(self, name: str) -> str:
        return _ascii(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return _ascii(name)

    def _save(self, name: str, content: File[Any]) -> str:
        # Nothing is written now: the model's create / update request uploads it.
        return PendingUpload(name, content)

    def delete(self, name: str) -> None:
        """Files go with their API object (or with a save that clears the field)."""

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        return _ascii(posixpath.basename(os.fspath(filename)))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        raise NotImplementedError("The API does not list its files.")

    def path(self, name: str) -> str:
        raise NotImplementedError("RestApiStorage files have URLs, not local paths.")
