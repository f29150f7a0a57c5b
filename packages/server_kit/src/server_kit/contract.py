"""The provider's side of contract tests: its contract file and its consumers' expectations.

:func:`api_contract` describes every dynamic resource of the URLconf with
:meth:`DynamicMetadata.resource` -- the same description its OPTIONS answers carry -- as a
stable, sorted document. :func:`verify_expectations` checks consumers' expectation files
(written by client_backend's ``api_expectations``) against it, and :func:`compare_contracts`
lists what changed between a committed contract and the live one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rest_framework.schemas.generators import EndpointEnumerator

from shared_querylang import Dialect, filter_form
from shared_querylang.contract import (
    FORMAT_VERSION,
    additions,
    breaks,
    expectation_of,
    offered_features,
)

from .metadata import DynamicMetadata
from .viewsets import WithDynamicViewSetMixin

__all__ = [
    "ContractChanges",
    "api_contract",
    "assert_expectations_met",
    "compare_contracts",
    "dumps",
    "verify_expectations",
]


def _list_views(urlconf: str | None) -> Iterator[tuple[str, WithDynamicViewSetMixin]]:
    """``(path, view)`` of every dynamic list route, each resource once."""
    seen: set[str] = set()
    for path, _method, callback in EndpointEnumerator(urlconf=urlconf).get_api_endpoints():
        cls = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if not (isinstance(cls, type) and issubclass(cls, WithDynamicViewSetMixin)):
            continue
        path = "/" + path.strip("/?")
        if actions.get("get") != "list" or "{" in path or path in seen:
            continue
        seen.add(path)
        view = cls(**getattr(callback, "initkwargs", {}))
        view.action = "list"
        view.format_kwarg = None
        view.kwargs = {}
        yield path, view


def filter_forms(features: frozenset[str]) -> list[str]:
    """The filter dialects a server with ``features`` reads (``leaves``, ``json`` ...)."""
    return [d.name.lower() for d in Dialect if filter_form(features, d) is d]


def api_contract(urlconf: str | None = None) -> dict[str, Any]:
    """The contract of every dynamic resource served by ``urlconf`` (default the root one)."""
    metadata = DynamicMetadata()
    resources: dict[str, Any] = {}
    for path, view in _list_views(urlconf):
        entry = metadata.resource(view)
        entry["path"] = path
        entry["features"] = sorted(entry["features"])
        entry["filter_forms"] = filter_forms(offered_features(entry))
        resources[path.lstrip("/")] = entry
    return {"restbridge_contract": FORMAT_VERSION, "resources": resources}


def dumps(document: Mapping[str, Any]) -> str:
    """Sorted, indented JSON with a final newline: a file that diffs line by line."""
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"


def _by_path(contract: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {entry["path"]: entry for entry in contract["resources"].values()}


def verify_expectations(folder: str | Path, contract: Mapping[str, Any]) -> list[str]:
    """One line per expectation of a consumer file in ``folder`` that ``contract`` breaks."""
    offers = _by_path(contract)
    lines: list[str] = []
    for path in sorted(Path(folder).glob("*.json")):
        document = _expectations_file(path)
        consumer = document.get("consumer") or path.stem
        for expected in document["expectations"]:
            offer = offers.get(expected["path"].rstrip("/"))
            lines.extend(f"{consumer}: {found}" for found in breaks(expected, offer))
    return lines


def _expectations_file(path: Path) -> dict[str, Any]:
    """One consumer's file; a ValueError naming it when it is not one."""
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{path} is not JSON: {error}") from None
    expectations = document.get("expectations") if isinstance(document, dict) else None
    if not isinstance(expectations, list) or not all(
        isinstance(e, dict) and {"model", "path"} <= set(e) for e in expectations
    ):
        raise ValueError(
            f"{path} is not an expectations file: write it with client_backend's"
            " `manage.py api_expectations`."
        )
    return document


def assert_expectations_met(folder: str | Path, urlconf: str | None = None) -> None:
    """A pytest helper: fail with one line per broken consumer expectation in ``folder``."""
    broken = verify_expectations(folder, api_contract(urlconf))
    if broken:
        raise AssertionError("Consumer expectations broken:\n" + "\n".join(broken))


@dataclass(frozen=True, slots=True)
class ContractChanges:
    """What changed between two contracts, for a changelog."""

    breaking: list[str] = field(default_factory=list)
    additive: list[str] = field(default_factory=list)


def _limit_changes(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[str]:
    old_limits, new_limits = old.get("limits") or {}, new.get("limits") or {}
    for limit, value in sorted(old_limits.items()):
        if limit in new_limits and new_limits[limit] < value:
            yield f"{name}: limit {limit!r} lowered from {value} to {new_limits[limit]}."


def compare_contracts(old: Mapping[str, Any], new: Mapping[str, Any]) -> ContractChanges:
    """Breaking changes (what ``old`` promised and ``new`` does not) and additive ones."""
    changes = ContractChanges()
    new_offers = _by_path(new)
    for path, offer in sorted(_by_path(old).items()):
        expected = expectation_of(offer, path, path)
        found = new_offers.get(path)
        changes.breaking.extend(str(found_break) for found_break in breaks(expected, found))
        if found is not None:
            changes.breaking.extend(_limit_changes(path, offer, found))
            changes.additive.extend(additions(offer, found, path))
    old_paths = _by_path(old)
    changes.additive.extend(
        f"{path}: new resource." for path in sorted(new_offers) if path not in old_paths
    )
    return changes
