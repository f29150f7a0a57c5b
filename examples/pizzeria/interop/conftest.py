"""Interop servers: one seeded SQLite pizzeria served twice, by server_kit and by dynamic-rest.

Both APIs are real gunicorn processes on free 127.0.0.1 ports over the same database file, so
every client (client_backend, django-rest-models) and the oracle (Django's SQLite backend on that
file) read the same rows. Tests that write create their own rows and remove them afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.db import NotSupportedError, connections
from django.db.models import Q
from pizzeria_runner import ApiProject, ServerProcess, free_port

INTEROP_DIR = Path(__file__).resolve().parent
SEEDED_PIZZAS = 45
# Measured outcome per (operation, peer), for `--compat-report`.
_OUTCOMES: dict[str, dict[str, str]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--compat-report",
        metavar="PATH",
        help="write the measured operation x peer table (Markdown) to PATH",
    )


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "interop_settings"
    # The API processes import `dr_api` and the check subprocess `drm_client` from here.
    paths = [str(INTEROP_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    if str(INTEROP_DIR) not in sys.path:
        sys.path.insert(0, str(INTEROP_DIR))
    django.setup()


@pytest.fixture(scope="session", autouse=True)
def _live_databases(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every database here is live; lift pytest-django's blocker when the plugin is active."""
    if request.config.pluginmanager.hasplugin("django"):
        with request.getfixturevalue("django_db_blocker").unblock():
            yield
    else:
        yield


def point_connection(alias: str, name: str) -> None:
    """Aim connection `alias` at `name` (an API URL or a file), dropping its open connection."""
    settings.DATABASES[alias]["NAME"] = name
    connections[alias].close()
    del connections[alias]


@dataclass(frozen=True)
class Servers:
    """The two live APIs over one database file."""

    database: Path
    server_kit_url: str
    dynamic_rest_url: str
    server_kit: ServerProcess
    dynamic_rest: ServerProcess


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    workdir = tmp_path_factory.mktemp("interop")
    # Same workdir, so the same SQLite file (`PIZZERIA_API_DB`) for both servers.
    server_kit = ApiProject(workdir)
    dynamic_rest = ApiProject(workdir, settings="dr_api.settings")
    server_kit.prepare(SEEDED_PIZZAS)
    sk_port, dr_port = free_port(), free_port()
    with ExitStack() as stack:
        sk_process = stack.enter_context(server_kit.server(sk_port))
        dr_process = stack.enter_context(dynamic_rest.server(dr_port))
        live = Servers(
            database=workdir / "api.sqlite3",
            server_kit_url=server_kit.url(sk_port),
            dynamic_rest_url=dynamic_rest.url(dr_port),
            server_kit=sk_process,
            dynamic_rest=dr_process,
        )
        point_connection("api", live.server_kit_url)
        point_connection("drm", live.server_kit_url)
        point_connection("dr", live.dynamic_rest_url)
        point_connection("oracle", str(live.database))
        yield live
        for alias in connections:
            connections[alias].close()


@pytest.fixture(scope="session")
def discovered(servers: Servers) -> None:
    """Reads on every resource of each peer, so that each client has done its one-off handshake
    (client_backend's OPTIONS feature discovery) before a test counts requests."""
    from peers import PEERS

    for peer in PEERS.values():
        for model in ("Creator", "Menu", "Topping", "Pizza", "Review"):
            list(getattr(peer.models, model).objects.filter(id__gte=1)[:1])
            if peer.key != "drm":
                # A NOT over a group makes client_backend read the server's features.
                with suppress(NotSupportedError):
                    list(getattr(peer.models, model).objects.filter(~(Q(id=1) & Q(id__gt=0))))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    properties = dict(report.user_properties)
    if "compat" not in properties or (report.when != "call" and report.passed):
        return
    operation, key, expectation = properties["compat"]
    if hasattr(report, "wasxfail"):
        cell = "no: peer defect"
    elif report.failed:
        cell = "**FAILS** (interop-findings)"
    elif expectation == "unsupported":
        # client_backend is also asserted to send nothing; django-rest-models is not.
        cell = "NotSupportedError" if key == "drm" else "NotSupportedError, 0 requests"
    else:
        cell = "yes"
    _OUTCOMES.setdefault(operation, {})[key] = cell


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("--compat-report")
    if not path or not _OUTCOMES:
        return
    from peers import PEERS

    lines = [
        "| operation | " + " | ".join(p.title for p in PEERS.values()) + " |",
        "|---|" + "---|" * len(PEERS),
    ]
    for operation, cells in _OUTCOMES.items():
        row = [cells.get(key, "not run") for key in PEERS]
        lines.append(f"| {operation} | " + " | ".join(row) + " |")
    Path(path).write_text("\n".join(lines) + "\n")
