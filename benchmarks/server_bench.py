"""Server side: restbridge against dynamic-rest, drf-flex-fields, plain DRF and the floor.

`python benchmarks/server_bench.py [--quick]`: seeds the pizzeria at each size into one SQLite
file, starts one worker process per environment on it (peers in their own environments, see
`benchlib.PEERS`), times every contender of each request in interleaved rounds
(`workers.compare`), prints the tables and writes `benchmarks/results/server.json`, then the docs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import report
from benchlib import (
    Budget,
    child_env,
    installed_versions,
    machine,
    peer_python,
    save_results,
    timing_dict,
)
from workers import Worker, compare

SIZES = (100, 1_000, 10_000)
SETS = ("restbridge", "dynamic-rest", "drf-flex-fields")
DISTS = ("django", "djangorestframework", "dynamic-rest", "drf-flex-fields")


def seed(db: Path, pizzas: int) -> None:
    env = child_env({"PIZZERIA_API_DB": str(db)})
    for args in (("migrate", "--noinput"), ("seed", "--pizzas", str(pizzas), "--flush")):
        subprocess.run(
            [sys.executable, "-m", "django", *args, "--settings=pizzeria_api.settings"],
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )


def measure_size(
    db: Path, size: int, pythons: dict[str, Path], budget: Budget
) -> list[dict[str, Any]]:
    """Every contender's figures at one size: one worker per environment, kept running."""
    with ExitStack() as stack:
        workers = {
            name: stack.enter_context(
                Worker(
                    python,
                    "server_worker.py",
                    [],
                    child_env({"BENCH_SET": name, "BENCH_DB": str(db)}),
                )
            )
            for name, python in pythons.items()
        }
        by_key = {key: worker for worker in workers.values() for key in worker.keys}
        facts = {key: worker.ask("describe", key) for key, worker in by_key.items()}
        rows = []
        for request in dict.fromkeys(key.split("|")[1] for key in by_key):
            print(f"[server] {request} at {size} pizzas", flush=True)
            group = {key: w for key, w in by_key.items() if key.endswith(f"|{request}")}
            for key, timing in compare(group, budget).items():
                contender = key.split("|")[0]
                rows.append(
                    {
                        "contender": contender,
                        "request": request,
                        "size": size,
                        "time": timing_dict(timing),
                        **facts[key],
                    }
                )
                print(f"  {contender:22} {request:9} {timing.median * 1e3:8.2f} ms", flush=True)
        return rows


def main() -> None:
    budget = Budget.from_argv(sys.argv[1:])
    started = time.monotonic()
    pythons = {"restbridge": Path(sys.executable)}
    for name in SETS[1:]:
        pythons[name] = peer_python(name)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="restbridge-bench-") as tmp:
        for size in SIZES:
            db = Path(tmp) / f"pizzeria-{size}.sqlite3"
            print(f"[server] seeding {size} pizzas", flush=True)
            seed(db, size)
            rows += measure_size(db, size, pythons, budget)
    data = {
        "budget": budget.__dict__,
        "machine": machine(),
        "versions": {name: installed_versions(py, DISTS) for name, py in pythons.items()},
        "seconds": round(time.monotonic() - started, 1),
        "rows": rows,
    }
    save_results("server", data)
    print(report.server_tables(data))
    report.write_docs()


if __name__ == "__main__":
    main()
