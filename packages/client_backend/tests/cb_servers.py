"""Small real HTTP servers on 127.0.0.1 for the tests that need a socket (not a mock).

Each runs in a daemon thread for the duration of a ``with`` block; every loop is bounded.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: No handler runs longer than this, whatever the client does.
HANDLER_LIMIT = 30.0


def _read_request(conn: socket.socket) -> bytes:
    """The request head and whatever body arrived with it (enough for these tests)."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
    return head


def json_answer(status: int, body: object) -> bytes:
    content = json.dumps(body).encode()
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n"
    ).encode() + content


def trickle(payload: bytes, every: float) -> Callable[[socket.socket], None]:
    """A handler sending ``payload`` one byte every ``every`` seconds (bounded in time)."""

    def handle(conn: socket.socket) -> None:
        stop = time.monotonic() + HANDLER_LIMIT
        for byte in payload:
            if time.monotonic() > stop:
                return
            conn.sendall(bytes([byte]))
            time.sleep(every)

    return handle


def endless_headers(every: float) -> Callable[[socket.socket], None]:
    """A status line, then one header byte every ``every`` seconds (never a full head)."""
    return trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, every)


def endless_body(every: float) -> Callable[[socket.socket], None]:
    """A complete head promising a long JSON body, then one byte every ``every`` seconds."""
    body = b'{"pizzas": [' + b" " * 10_000 + b"]}"
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return trickle(head.encode() + body, every)


class Server:
    """Requests seen (their head lines) and the base URL of a running test server."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.requests: list[str] = []


@contextmanager
def serve(handler: Callable[[socket.socket], None]) -> Iterator[Server]:
    """Accept connections on 127.0.0.1 and answer each with ``handler`` in its own thread."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    server = Server(f"http://127.0.0.1:{listener.getsockname()[1]}/api/")
    stopping = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn:
            try:
                server.requests.append(_read_request(conn).split(b"\r\n")[0].decode())
                handler(conn)
            except OSError:
                pass  # the client gave up: what the time-bound tests want

    def accept() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        stopping.set()
        acceptor.join(timeout=5)
        listener.close()
