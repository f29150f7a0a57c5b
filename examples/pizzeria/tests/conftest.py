"""The e2e suite's servers: the pizzeria API run by gunicorn on 127.0.0.1, seeded afresh.

The API uses SQLite in a temporary directory, or PostgreSQL when `DATABASE_URL` is set (see
`nox -s e2e_postgres`). Nothing here runs in a test transaction: the API is a separate process,
so every test that writes cleans up after itself through the API.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
import httpx
import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from pizzeria_runner import ApiProject, ServerProcess, free_port

SEEDED_PIZZAS = 45
TOKEN = "restbridge-token"
_CLIENT_WORKDIR = Path(tempfile.mkdtemp(prefix="pizzeria-e2e-client-"))


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "e2e_settings"
    os.environ["PIZZERIA_CLIENT_DB"] = str(_CLIENT_WORKDIR / "client.sqlite3")
    django.setup()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CLIENT_WORKDIR, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _live_databases(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every database here is live; lift pytest-django's blocker when the plugin is active."""
    if request.config.pluginmanager.hasplugin("django"):
        with request.getfixturevalue("django_db_blocker").unblock():
            yield
    else:
        yield


def point_connection(alias: str, url: str, **changes: str) -> None:
    """Aim an API connection at `url` (and change other keys), dropping its open connection."""
    settings.DATABASES[alias].update(NAME=url, **changes)
    connections[alias].close()
    del connections[alias]
    assert connections[alias].settings_dict["NAME"] == url


@pytest.fixture
def repoint() -> Callable[..., None]:
    """`point_connection` for a test; see there."""
    return point_connection


@dataclass(frozen=True)
class Dataset:
    """The API database as seeded, read with `dumpdata`: the oracle for expected results."""

    rows: dict[str, list[dict[str, Any]]]

    @classmethod
    def from_dump(cls, text: str) -> Dataset:
        rows: dict[str, list[dict[str, Any]]] = {}
        for entry in json.loads(text):
            row = {"id": entry["pk"], **entry["fields"]}
            if entry["model"] == "pizzeria_api.pizza":
                row["price"] = Decimal(row["price"])  # dumpdata writes decimals as text
            rows.setdefault(entry["model"], []).append(row)
        return cls(rows)

    @property
    def pizzas(self) -> list[dict[str, Any]]:
        return self.rows["pizzeria_api.pizza"]

    @property
    def menus(self) -> list[dict[str, Any]]:
        return self.rows["pizzeria_api.menu"]

    @property
    def toppings(self) -> list[dict[str, Any]]:
        return self.rows["pizzeria_api.topping"]

    @property
    def reviews(self) -> list[dict[str, Any]]:
        return self.rows["pizzeria_api.review"]

    @property
    def users(self) -> list[dict[str, Any]]:
        return self.rows["auth.user"]

    def by_id(self, kind: str) -> dict[int, dict[str, Any]]:
        return {row["id"]: row for row in getattr(self, kind)}


@dataclass(frozen=True)
class LiveApi:
    project: ApiProject
    url: str
    dataset: Dataset


@pytest.fixture(scope="session")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The pizzeria API, migrated, seeded and served by gunicorn for the whole session."""
    project = ApiProject(
        tmp_path_factory.mktemp("api"), database_url=os.environ.get("DATABASE_URL") or None
    )
    project.prepare(SEEDED_PIZZAS)
    dataset = Dataset.from_dump(project.manage("dumpdata", "pizzeria_api", "auth.user"))
    port = free_port()
    with project.server(port):
        url = project.url(port)
        for alias, entry in settings.DATABASES.items():
            if entry["ENGINE"] == "client_backend" and alias != "api_doomed":
                point_connection(alias, url)
        yield LiveApi(project, url, dataset)
        for alias in connections:
            connections[alias].close()


@pytest.fixture(scope="session")
def dataset(live_api: LiveApi) -> Dataset:
    return live_api.dataset


@pytest.fixture(scope="session")
def api_http(live_api: LiveApi) -> Iterator[httpx.Client]:
    """Plain httpx on the API with the writer's token: checks results independently of the ORM."""
    with httpx.Client(
        base_url=live_api.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    ) as client:
        yield client


@pytest.fixture(scope="session")
def client_db(live_api: LiveApi) -> None:
    """The client's local database (users, sessions, admin log), migrated once."""
    from django.core.management import call_command

    call_command("migrate", database="default", verbosity=0, interactive=False)


@pytest.fixture
def requests_on() -> Callable[[str], AbstractContextManager[CaptureQueriesContext]]:
    """`with requests_on("api") as sent:` records the HTTP requests a block makes."""

    def capture(alias: str = "api") -> AbstractContextManager[CaptureQueriesContext]:
        return CaptureQueriesContext(connections[alias])

    return capture


@pytest.fixture
def cleanup(api_http: httpx.Client) -> Iterator[list[str]]:
    """Paths (`pizzas/12/`) deleted through the API after the test, whatever happened."""
    paths: list[str] = []
    yield paths
    for path in reversed(paths):
        api_http.delete(path)


@pytest.fixture
def doomed_api(live_api: LiveApi) -> Iterator[ServerProcess]:
    """A second server on the same database, for a test to stop halfway."""
    port = free_port()
    with live_api.project.server(port, workers=1) as server:
        point_connection("api_doomed", live_api.project.url(port))
        yield server
    connections["api_doomed"].close()
