"""A throwaway PostgreSQL cluster on 127.0.0.1 for the e2e suite.

`python -m pizzeria_runner.postgres -- pytest ...` creates a cluster with `initdb` in a temporary
directory, starts it with `pg_ctl` on a free loopback port, runs the command with `DATABASE_URL`
pointing at a fresh database, and always stops the cluster afterwards. As root, the cluster is
owned and run by the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from types import FrameType

from pizzeria_runner.processes import Service, free_port, log_tail

SERVICE_USER = "postgres"
DATABASE = "pizzeria"
PG_CTL_TIMEOUT = 60


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_bin_dir() -> Path:
    """The newest PostgreSQL server's bin directory (Debian layout first, then PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresMissing(
        "PostgreSQL is not installed: run `apt-get install -y postgresql` "
        "(nox -s e2e_postgres does it for you)."
    )


class TemporaryCluster(Service):
    """A PostgreSQL cluster living in a temporary directory, for one `with` block."""

    def __init__(self) -> None:
        self.bin_dir = server_bin_dir()
        self.as_service_user = os.geteuid() == 0
        self.workdir = Path(tempfile.mkdtemp(prefix="pizzeria-pg-"))
        self.data_dir = self.workdir / "data"
        self.log_path = self.workdir / "postgres.log"
        self.port = 0
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://{SERVICE_USER}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.as_service_user:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=PG_CTL_TIMEOUT + 30, check=False
        )
        if result.returncode:
            raise RuntimeError(
                f"{program} failed ({result.returncode}):\n{result.stdout}{result.stderr}\n"
                + log_tail(self.log_path)
            )

    def start(self) -> None:
        if self.as_service_user:
            account = pwd.getpwnam(SERVICE_USER)
            os.chown(self.workdir, account.pw_uid, account.pw_gid)
        # Trust authentication is safe here: the cluster listens on loopback only, its socket
        # sits in a private directory, and it lives as long as one test run.
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", SERVICE_USER, "-A", "trust", "-E", "UTF8"
        )
        self.port = free_port()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.workdir} -F"
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-o", options,
                  "-w", "-t", str(PG_CTL_TIMEOUT), "start")  # fmt: skip
        self.started = True
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SERVICE_USER, DATABASE)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove the directory. Idempotent."""
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w",
                          "-t", str(PG_CTL_TIMEOUT), "stop")  # fmt: skip
            except (RuntimeError, subprocess.TimeoutExpired):
                self._kill_postmaster()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)
            except (ProcessLookupError, ValueError):
                pass


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    """Run `argv` (after an optional `--`) with DATABASE_URL on a temporary cluster."""
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        print("usage: python -m pizzeria_runner.postgres -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    with TemporaryCluster() as cluster:
        print(f"==> PostgreSQL {cluster.bin_dir.parent.name} at {cluster.url}", flush=True)
        env = os.environ | {"DATABASE_URL": cluster.url}
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
