"""The demo runner fails fast, with the reason shown, when it cannot serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from pizzeria_runner.__main__ import watch
from pizzeria_runner.processes import ServerProcess, StartupError
from pizzeria_runner.projects import child_environment


def test_a_taken_api_port_fails_at_once_naming_the_port():
    # Before: gunicorn's own retries hid the clash, the server already on the port answered
    # the readiness probe, the demo said it was serving, then "stopped unexpectedly".
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pizzeria_runner", "--serve", "--api-port", str(port)],
            env=child_environment({}),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in run.stdout
    assert "API served" not in run.stdout and "Serving" not in run.stdout
    assert time.monotonic() - started < 30


def test_a_server_that_stops_is_reported_with_its_log(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        "import threading, time\n"
        "from http.server import HTTPServer, SimpleHTTPRequestHandler\n"
        f"server = HTTPServer(('127.0.0.1', {port}), SimpleHTTPRequestHandler)\n"
        "threading.Thread(target=server.serve_forever, daemon=True).start()\n"
        "time.sleep(1.5)\n"
        "print('out of pizza dough', flush=True)\n"
    )
    server = ServerProcess(
        name="baker",
        command=[sys.executable, "-c", script],
        ready_url=f"http://127.0.0.1:{port}/",
        log_path=tmp_path / "baker.log",
        env=child_environment({}),
        cwd=tmp_path,
    )
    with server:
        try:
            watch(server)
        except StartupError as error:
            message = str(error)
    assert "baker stopped unexpectedly" in message
    assert "out of pizza dough" in message
