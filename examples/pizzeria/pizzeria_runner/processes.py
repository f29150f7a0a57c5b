"""A server started as its own process group, awaited until it answers, always stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
POLL_INTERVAL = 0.1


class StartupError(RuntimeError):
    """A server exited or did not answer in time; the message ends with its log."""


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_free(port: int) -> None:
    """Fail now if `port` is taken on 127.0.0.1: the server there would answer in place of ours."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Like gunicorn: a port in TIME_WAIT is free, only a listening socket holds it.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise StartupError(
                f"port {port} on 127.0.0.1 is already in use ({error.strerror}): choose another"
                " port, or leave the option out to use a free one."
            ) from error


def log_tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, or a note that there is none."""
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class Service:
    """Something started and stopped around a ``with`` block; a failed start cleans up."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class ServerProcess(Service):
    """`command` run in its own session, its output in `log_path`, ready once `ready_url` answers.

    Use it as a context manager: the process (and its workers: the whole process group) is
    stopped on exit, whatever happened, SIGTERM first, then SIGKILL after `STOP_TIMEOUT`.
    """

    def __init__(
        self,
        *,
        name: str,
        command: Sequence[str],
        ready_url: str,
        log_path: Path,
        env: Mapping[str, str],
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.ready_url = ready_url
        self.log_path = log_path
        self.env = dict(env)
        self.cwd = cwd
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Start the process and wait, at most `timeout`, until `ready_url` answers below 500."""
        port = httpx.URL(self.ready_url).port
        if port is not None:
            ensure_free(port)
        with self.log_path.open("ab") as log:
            # A session of its own: Ctrl-C in the terminal reaches us, and we stop the server
            # ourselves, in order, instead of every process racing to exit.
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StartupError(
                    f"{self.name} exited with status {self.process.returncode} during startup:\n"
                    + log_tail(self.log_path)
                )
            try:
                status = httpx.get(self.ready_url, timeout=2.0).status_code
            except httpx.TransportError:
                time.sleep(POLL_INTERVAL)
                continue
            if status < 500:
                return
            # It answers, but fails: waiting longer will not help.
            self.stop()
            raise StartupError(
                f"{self.name} answers {self.ready_url} with {status}:\n" + log_tail(self.log_path)
            )
        self.stop()
        raise StartupError(
            f"{self.name} did not answer {self.ready_url} within {timeout:.0f}s:\n"
            + log_tail(self.log_path)
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL if it lingers. Idempotent."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            self._signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                # Still unreaped, so the group id is still ours to signal.
                self._signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)
        self.process = None

    @staticmethod
    def _signal_group(pgid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
