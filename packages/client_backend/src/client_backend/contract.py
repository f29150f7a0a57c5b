"""A provider's contract file read as the API's OPTIONS answers: checks and features offline.

With ``OPTIONS["CONTRACT"] = "<path>"`` a connection describes its resources from that file
(written by the server's ``manage.py api_contract``) instead of asking the API: the contract
check (``manage.py check --database api``) then runs in a consumer's CI without the API,
and reads take the server's features from it without a discovery request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .exceptions import APIConfigurationError, APIProgrammingError
from .features import ResourceDescription, ServerFeatures
from .resources import Resource

__all__ = ["ContractFile", "resource_url_path"]


def resource_url_path(root_url: str, resource: Resource) -> str:
    """The URL path of ``resource``'s list route, ``/api/pizzas`` (how contracts name it)."""
    if resource.path.startswith("/"):
        return "/" + resource.path.strip("/")
    root = urlsplit(root_url).path.strip("/")
    return "/" + "/".join(part for part in (root, resource.path.strip("/")) if part)


class ContractFile:
    """The resources of one contract file, by URL path."""

    def __init__(self, location: str, resources: Mapping[str, Mapping[str, Any]]) -> None:
        self.location = location
        self._by_path = {
            str(entry.get("path", "")).rstrip("/"): entry for entry in resources.values()
        }
        # Reads ask for a resource's features on every query: answer from a dict.
        self._described: dict[str, ResourceDescription] = {}

    @classmethod
    def load(cls, location: str) -> ContractFile:
        """Read ``location`` (once per process and path; the file is part of the build)."""
        return _load(location)

    def describe(self, root_url: str, resource: Resource) -> ResourceDescription:
        """The description of ``resource`` as the contract gives it.

        A resource missing from the contract reads as an answer the API refused, so the
        contract check reports it as E001, as it would a 404 from the live API.
        """
        path = resource_url_path(root_url, resource)
        found = self._described.get(path)
        if found is None:
            found = self._described[path] = self._description(path)
        return found

    def _description(self, path: str) -> ResourceDescription:
        entry = self._by_path.get(path)
        if entry is None:
            error = APIProgrammingError(
                f"the contract {self.location} has no resource {path!r}", method="OPTIONS", url=path
            )
            return ResourceDescription(ServerFeatures.baseline(), error=error)
        return ResourceDescription(ServerFeatures.from_options(entry), entry)


@cache
def _load(location: str) -> ContractFile:
    location = str(Path(location).resolve())
    try:
        document = json.loads(Path(location).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise APIConfigurationError(
            f"OPTIONS['CONTRACT']: cannot read {location}: {error}"
        ) from None
    resources = document.get("resources") if isinstance(document, Mapping) else None
    if not isinstance(resources, Mapping):
        raise APIConfigurationError(
            f"OPTIONS['CONTRACT']: {location} is not a contract (no 'resources'); write it with"
            " the server's `manage.py api_contract`."
        )
    return ContractFile(location, resources)
