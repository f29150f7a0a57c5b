"""The two Django projects as commands: manage them, serve them (always on 127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pizzeria_runner.processes import ServerProcess

EXAMPLE_DIR = Path(__file__).resolve().parent.parent
# Where `pizzeria_api`, `pizzeria_client` and `pizzeria_runner` live in a checkout.
SOURCE_DIRS = (EXAMPLE_DIR / "api", EXAMPLE_DIR / "client", EXAMPLE_DIR)
HOST = "127.0.0.1"


class CommandFailed(RuntimeError):
    """A management command exited non-zero; the message holds its output."""


def child_environment(variables: dict[str, str], drop: tuple[str, ...] = ()) -> dict[str, str]:
    """This process's environment, the example's sources first on PYTHONPATH, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if k not in drop}
    paths = [str(p) for p in SOURCE_DIRS]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(variables)
    return env


def run_django(settings: str, env: dict[str, str], *args: str) -> str:
    """Run `django-admin <args>` with `settings`; its output, or CommandFailed with it."""
    command = [sys.executable, "-m", "django", *args, f"--settings={settings}"]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode:
        raise CommandFailed(
            f"{' '.join(args)!r} failed with status {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


@dataclass(frozen=True)
class ApiProject:
    """The pizzeria API: SQLite in `workdir`, or PostgreSQL when `database_url` is given."""

    workdir: Path
    database_url: str | None = None
    settings: str = "pizzeria_api.settings"

    @property
    def env(self) -> dict[str, str]:
        media = {"PIZZERIA_MEDIA_ROOT": str(self.workdir / "media")}
        if self.database_url:
            return child_environment({"DATABASE_URL": self.database_url, **media})
        return child_environment(
            {"PIZZERIA_API_DB": str(self.workdir / "api.sqlite3"), **media},
            drop=("DATABASE_URL",),
        )

    def manage(self, *args: str) -> str:
        return run_django(self.settings, self.env, *args)

    def prepare(self, pizzas: int) -> str:
        """Migrate, then replace the data with `pizzas` seeded pizzas (and the API accounts)."""
        self.manage("migrate", "--noinput")
        return self.manage("seed", "--pizzas", str(pizzas), "--flush")

    def server(self, port: int, *, workers: int = 2) -> ServerProcess:
        """Gunicorn serving the API on 127.0.0.1:`port` (not started yet)."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "pizzeria_api.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={workers}",
            "--timeout=60",
            # gunicorn's longest request line (its default is 4094): past 4094 bytes, the API's
            # own MAX_QUERY_LENGTH (8000) answers, with its JSON error, not an HTML 414.
            "--limit-request-line=8190",
            "--graceful-timeout=5",
            "--access-logfile=-",
        ]
        env = self.env | {"DJANGO_SETTINGS_MODULE": self.settings}
        return ServerProcess(
            name=f"pizzeria API (gunicorn, port {port})",
            command=command,
            ready_url=self.url(port),
            log_path=self.workdir / f"api-{port}.log",
            env=env,
        )

    @staticmethod
    def url(port: int) -> str:
        return f"http://{HOST}:{port}/api/"


@dataclass(frozen=True)
class ClientProject:
    """The pizzeria client: local SQLite in `workdir`, the pizzeria behind `api_url`."""

    workdir: Path
    api_url: str
    settings: str = "pizzeria_client.settings"

    @property
    def env(self) -> dict[str, str]:
        return child_environment(
            {
                "PIZZERIA_API_URL": self.api_url,
                "PIZZERIA_CLIENT_DB": str(self.workdir / "client.sqlite3"),
            }
        )

    def manage(self, *args: str) -> str:
        return run_django(self.settings, self.env, *args)

    def tour(self) -> int:
        """Run the tour with its output on this terminal; its exit status."""
        command = [sys.executable, "-m", "django", "tour", f"--settings={self.settings}"]
        return subprocess.run(command, env=self.env, timeout=600, check=False).returncode

    def create_admin(self, username: str, password: str) -> None:
        """Migrate the local database and create an admin superuser."""
        self.manage("migrate", "--noinput")
        run_django(
            self.settings,
            self.env | {"DJANGO_SUPERUSER_PASSWORD": password},
            "createsuperuser",
            "--noinput",
            f"--username={username}",
            f"--email={username}@example.com",
        )

    def server(self, port: int) -> ServerProcess:
        """Django's development server on 127.0.0.1:`port`, DEBUG on so it serves the admin's
        static files (not started yet)."""
        command = [
            sys.executable,
            "-m",
            "django",
            "runserver",
            f"{HOST}:{port}",
            "--noreload",
            f"--settings={self.settings}",
        ]
        return ServerProcess(
            name=f"pizzeria client admin (runserver, port {port})",
            command=command,
            ready_url=f"http://{HOST}:{port}/admin/login/",
            log_path=self.workdir / f"client-{port}.log",
            env=self.env | {"PIZZERIA_DEBUG": "1"},
        )
