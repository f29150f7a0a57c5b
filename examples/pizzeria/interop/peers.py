"""The peer pairs under test and how their results are compared with the oracle's."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import dr_client.models
import drm_client.models
import oracle.models
import sk_client.models
from django.db import connections, models
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Peer:
    """One client talking to one server: its models module and its `DATABASES` alias."""

    key: str
    title: str
    models: ModuleType
    alias: str
    # Whether this client records each HTTP request in `connection.queries`.
    logs_requests: bool


PEERS = {
    peer.key: peer
    for peer in (
        Peer("drm", "django-rest-models → server_kit", drm_client.models, "drm", False),
        Peer("sk", "client_backend → server_kit", sk_client.models, "api", True),
        Peer("dr", "client_backend → dynamic-rest", dr_client.models, "dr", True),
    )
}
ORACLE: ModuleType = oracle.models

Operation = Callable[[ModuleType], Any]


@dataclass(frozen=True)
class Case:
    """An ORM expression run on every peer and on the oracle.

    `unsupported`: peers that must raise `NotSupportedError` (and, for client_backend, send no
    request). `defects`: peers with a known defect of their own, mapped to its description; the
    test is then an expected failure (strict: it reports when the defect goes away).
    `may_be_empty`: an empty answer is the point of the case.
    """

    id: str
    run: Operation
    unsupported: frozenset[str] = frozenset()
    defects: Mapping[str, str] = field(default_factory=dict)
    may_be_empty: bool = False


def plain(value: Any) -> Any:
    """`value` with model instances as (model name, field values): comparable across apps."""
    if isinstance(value, models.Model):
        fields = {f.attname: plain(getattr(value, f.attname)) for f in value._meta.concrete_fields}
        return (type(value).__name__, fields)
    if isinstance(value, QuerySet | list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC) if value.tzinfo else value
    return value


@contextmanager
def recorded(alias: str) -> Iterator[CaptureQueriesContext]:
    """The HTTP requests (`connection.queries`) made on `alias` inside the block."""
    with CaptureQueriesContext(connections[alias]) as sent:
        yield sent
