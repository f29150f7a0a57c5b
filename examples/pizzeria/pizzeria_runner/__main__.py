"""`python -m pizzeria_runner [--serve]`: the one-command pizzeria demo.

Migrates and seeds the API in a temporary directory, serves it with gunicorn on 127.0.0.1, then
either runs the client's guided tour against it and exits, or (`--serve`) also serves the client
admin and keeps both running until Ctrl-C. Everything started is stopped on the way out.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from pizzeria_runner.processes import (
    ServerProcess,
    StartupError,
    ensure_free,
    free_port,
    log_tail,
)
from pizzeria_runner.projects import ApiProject, ClientProject, CommandFailed

ADMIN_USERNAME = "admin"
WATCH_INTERVAL = 0.5


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pizzeria_runner", description=__doc__)
    parser.add_argument(
        "--serve", action="store_true", help="Keep the API and the admin running until Ctrl-C."
    )
    parser.add_argument("--pizzas", type=int, default=60, help="Pizzas to seed (default 60).")
    parser.add_argument("--api-port", type=int, default=0, help="API port (default: a free one).")
    parser.add_argument(
        "--admin-port", type=int, default=0, help="Admin port (default: a free one)."
    )
    parser.add_argument(
        "--admin-password", default="pizzeria", help="Password of the admin user (--serve)."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or None,
        help="The API's database (default $DATABASE_URL, else SQLite in a temporary directory).",
    )
    return parser.parse_args(argv)


def interrupt(signum: int, frame: FrameType | None) -> None:
    """Treat SIGTERM like Ctrl-C: an exception, so the `with` blocks stop the servers."""
    raise KeyboardInterrupt


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def watch(*servers: ServerProcess) -> None:
    """Return when one of the servers exits (Ctrl-C interrupts the wait)."""
    while all(server.running for server in servers):
        time.sleep(WATCH_INTERVAL)
    # The logs live in a temporary directory removed on the way out: show them now.
    raise StartupError(
        "\n".join(
            f"{server.name} stopped unexpectedly:\n{log_tail(server.log_path)}"
            for server in servers
            if not server.running
        )
    )


def demo(args: argparse.Namespace, workdir: Path) -> int:
    # Before migrating and seeding: a taken port fails in a second, not after a minute.
    for port in (args.api_port, args.admin_port if args.serve else 0):
        if port:
            ensure_free(port)
    api = ApiProject(workdir, database_url=args.database_url)
    started = time.monotonic()
    where = "PostgreSQL" if args.database_url else f"SQLite in {workdir}"
    say(f"Migrating and seeding the API ({where})")
    print(api.prepare(args.pizzas), end="", flush=True)
    port = args.api_port or free_port()
    with api.server(port) as api_server:
        api_url = api.url(port)
        say(f"API served by gunicorn at {api_url} ({time.monotonic() - started:.1f}s)")
        client = ClientProject(workdir, api_url)
        if not args.serve:
            say("Running the client's guided tour against it")
            status = client.tour()
            say(f"Tour {'finished' if status == 0 else 'FAILED'}; stopping the API")
            return status
        client.create_admin(ADMIN_USERNAME, args.admin_password)
        admin_port = args.admin_port or free_port()
        with client.server(admin_port) as admin_server:
            say("Serving. Press Ctrl-C to stop.")
            print(f"    API root:             {api_url}")
            print(f"    API OPTIONS example:  curl -X OPTIONS {api_url}pizzas")
            print(f"    Client admin:         http://127.0.0.1:{admin_port}/admin/")
            print(f"    Admin login:          {ADMIN_USERNAME} / {args.admin_password}")
            print(f"    Logs:                 {workdir}", flush=True)
            watch(api_server, admin_server)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Also when started with SIGINT ignored (a background job of a script): Ctrl-C must stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    with tempfile.TemporaryDirectory(prefix="pizzeria-") as tmp:
        try:
            return demo(args, Path(tmp))
        except KeyboardInterrupt:
            say("Interrupted; servers stopped")
            return 130
        except (StartupError, CommandFailed) as exc:
            say(f"Failed: {exc}")
            return 1


if __name__ == "__main__":
    sys.exit(main())
