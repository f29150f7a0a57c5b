"""Server side: restbridge against dynamic-rest, drf-flex-fields, plain DRF and the floor.

`python benchmarks/server_bench.py [--quick]`: seeds the pizzeria at each size into one SQLite
file, runs one worker process per environment on it (peers in their own environments, see
`benchlib.PEERS`), prints the tables and writes `benchmarks/results/server.json`, then the docs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import report
from benchlib import (
    Budget,
    child_env,
    installed_versions,
    machine,
    peer_python,
    run_worker,
    save_results,
)

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
            for name in SETS:
                print(f"[server] {name} at {size} pizzas", flush=True)
                env = child_env({"BENCH_SET": name, "BENCH_DB": str(db), "BENCH_SIZE": str(size)})
                rows += run_worker(pythons[name], "server_worker.py", sys.argv[1:], env)
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
