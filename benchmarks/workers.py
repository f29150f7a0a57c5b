"""Contenders measured side by side: long-lived worker processes timed in interleaved rounds.

Each environment (restbridge, a peer's own virtualenv) runs one worker process that sets up its
contenders once and then answers the driver, one JSON object per line on stdin/stdout. The
driver times every contender of one comparison in rounds: each round runs one timed batch per
contender, in an order rotated from round to round. A machine that slows down for a while (a
shared host, frequency scaling) then slows every contender alike, instead of whichever one was
being measured at the time, and the ratios stay honest.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from benchlib import BENCH_DIR, Budget, Timing

Call = Callable[[], object]


def serve(calls: Mapping[str, Call], describe: Callable[[str], dict[str, Any]]) -> None:
    """The worker's side: announce `calls` by key, then answer the driver until told to stop.

    `describe(key)` runs once per key before any timing (checks, counts, memory); whatever it
    raises is reported as that key's error and the key is not timed.
    """
    protocol = sys.stdout
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol
    _send(protocol, {"keys": list(calls)})
    for line in sys.stdin:
        message = json.loads(line)
        if message["op"] == "quit":
            break
        key = message["key"]
        try:
            if message["op"] == "describe":
                reply = describe(key)
            else:
                reply = _batch(calls[key], message["inner"])
        except Exception as exc:  # a peer that cannot do an operation: say so, go on
            print(f"  {key}: FAILS\n{traceback.format_exc()}", file=sys.stderr)
            reply = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0][:200]}
        _send(protocol, reply)


def _batch(call: Call, inner: int) -> dict[str, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(inner):
        call()
    return {
        "seconds": (time.perf_counter() - start) / inner,
        "cpu": (time.process_time() - start_cpu) / inner,
    }


def _send(stream: IO[str], message: dict[str, Any]) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


class Worker:
    """The driver's handle on one worker process (`script` run by `python` with `env`)."""

    def __init__(
        self, python: Path | str, script: str, args: Sequence[str], env: dict[str, str]
    ) -> None:
        self.command = [str(python), str(BENCH_DIR / script), *args]
        self.process = subprocess.Popen(
            self.command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.keys: list[str] = self._receive()["keys"]

    def ask(self, op: str, key: str, **extra: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        _send(self.process.stdin, {"op": op, "key": key, **extra})
        return self._receive()

    def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait(timeout=60)
            raise RuntimeError(f"{' '.join(self.command)} exited ({code}); see its output above")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                assert self.process.stdin is not None
                _send(self.process.stdin, {"op": "quit"})
                self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=60)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def compare(
    contenders: Mapping[str, Worker], budget: Budget, max_inner: int = 1000
) -> dict[str, Timing]:
    """Time each key of `contenders` (a key and the worker that runs it), interleaved.

    Each key gets `budget.warmup` warm-up calls and a calibrated batch size (one batch lasts
    about `budget.run_seconds`), then `budget.repeats` rounds of one batch per key.
    """
    keys = list(contenders)
    if not keys:
        return {}
    inner: dict[str, int] = {}
    for key in keys:
        worker = contenders[key]
        for _ in range(budget.warmup):
            worker.ask("time", key, inner=1)
        once = worker.ask("time", key, inner=1)["seconds"]
        inner[key] = max(1, min(max_inner, int(budget.run_seconds / max(once, 1e-6))))
    samples: dict[str, list[float]] = {key: [] for key in keys}
    cpu: dict[str, list[float]] = {key: [] for key in keys}
    for round_ in range(budget.repeats):
        shift = round_ % len(keys)
        for key in keys[shift:] + keys[:shift]:
            batch = contenders[key].ask("time", key, inner=inner[key])
            samples[key].append(batch["seconds"])
            cpu[key].append(batch["cpu"])
    return {
        key: Timing(
            statistics.median(samples[key]),
            min(samples[key]),
            max(samples[key]),
            budget.repeats,
            inner[key],
            statistics.median(cpu[key]),
        )
        for key in keys
    }
