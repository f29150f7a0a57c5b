"""Client side: client_backend against django-rest-models and raw httpx, over real HTTP.

`python benchmarks/client_bench.py [--quick]`: seeds the pizzeria API with 10,000 pizzas, serves
it with gunicorn (1 worker) on 127.0.0.1, runs one worker process per client (django-rest-models
in its own environment), then, unless `--quick`, iterates 100,000 pizzas for the memory check.
Prints the tables, writes `benchmarks/results/client.json`, then the docs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import report
from benchlib import (
    BENCH_DIR,
    Budget,
    child_env,
    installed_versions,
    machine,
    peer_python,
    save_results,
    timing_dict,
)
from workers import Worker, compare

# The pizzeria's runner starts and always stops gunicorn; our settings module must be importable.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(BENCH_DIR), os.environ.get("PYTHONPATH")])
)
from pizzeria_runner.processes import free_port  # noqa: E402
from pizzeria_runner.projects import ApiProject  # noqa: E402

TOKEN = "restbridge-token"
OPS = {
    "list": "list 1,000 rows",
    "filter": "filter + order + slice [20:40]",
    "get": "get(pk=)",
    "count": "count()",
    "select_related": "select_related('menu') over 100 rows",
    "prefetch_related": "prefetch_related('toppings') over 100 rows",
    "iterate": ".iterator() over 10,000 rows",
}
# The fewest requests each operation can take (docs/client.md's table); iteration: 1,000 a page.
MINIMUM = {"list": 1, "filter": 1, "get": 1, "count": 1, "select_related": 1,
           "prefetch_related": 2, "iterate": 10}  # fmt: skip
DISTS = ("django", "httpx", "django-rest-models", "requests", "gunicorn")
# A pass over 10,000 rows takes seconds: three timed passes, one call each.
ITERATE_BUDGET = Budget(repeats=3, run_seconds=0.0, warmup=1, quick=False)


def measure_ops(by_key: dict[str, Worker], budget: Budget, pizzas: int) -> list[Any]:
    """Each operation timed across its contenders in interleaved rounds."""
    rows = []
    facts = {key: worker.ask("describe", key) for key, worker in by_key.items()}
    for op in dict.fromkeys(key.split("|")[1] for key in by_key):
        group = {
            key: worker
            for key, worker in by_key.items()
            if key.endswith(f"|{op}") and "error" not in facts[key]
        }
        timings = compare(group, ITERATE_BUDGET if op == "iterate" else budget, max_inner=200)
        for key in (key for key in by_key if key.endswith(f"|{op}")):
            contender = key.split("|")[0]
            row: dict[str, Any] = {"contender": contender, "op": op, "pizzas": pizzas}
            row |= facts[key]
            if key in timings:
                row["time"] = timing_dict(timings[key])
                row["cpu"] = timings[key].cpu
                print(f"  {contender:20} {op:17} {timings[key].median * 1e3:9.2f} ms", flush=True)
            rows.append(row)
    return rows


Job = tuple[str, Path, str, dict[str, str]]  # contender, its python, operations, environment


def serve_and_run(pizzas: int, jobs: list[Job], budget: Budget) -> list[Any]:
    rows: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="restbridge-client-bench-") as tmp:
        project = ApiProject(Path(tmp), settings="bench_api_settings")
        print(f"[client] seeding {pizzas} pizzas", flush=True)
        project.prepare(pizzas)
        port = free_port()
        with project.server(port, workers=1):
            env = child_env(
                {
                    "BENCH_API_URL": project.url(port),
                    "BENCH_API_TOKEN": TOKEN,
                    "BENCH_API_LOG": str(Path(tmp) / f"api-{port}.log"),
                    "BENCH_DETAIL_PK": str(pizzas // 2),
                }
            )
            with ExitStack() as stack:
                by_key = {}
                for contender, python, ops, extra in jobs:
                    job_env = env | extra | {"BENCH_CLIENT": contender}
                    worker = Worker(python, "client_worker.py", [contender, ops], job_env)
                    stack.enter_context(worker)
                    by_key |= {key: worker for key in worker.keys}
                rows += measure_ops(by_key, budget, pizzas)
    return rows


def main() -> None:
    argv = sys.argv[1:]
    budget = Budget.from_argv(argv)
    started = time.monotonic()
    drm = peer_python("django-rest-models")
    here = Path(sys.executable)
    all_ops = ",".join(OPS)
    rows = serve_and_run(
        10_000,
        [
            ("client_backend", here, all_ops, {}),
            ("django-rest-models", drm, all_ops, {}),
            ("floor", here, all_ops, {}),
        ],  # fmt: skip
        budget,
    )
    notes = [
        "HTTP requests are counted in gunicorn's access log, after a first call (so connection "
        "set-up and any one-time OPTIONS discovery are not counted).",
        ".iterator() runs are 1 warm-up + 3 timed passes whatever the budget.",
    ]
    memory = {}
    for row in rows:
        if row["contender"] == "client_backend" and row["op"] == "iterate" and "peak_bytes" in row:
            memory["10000"] = row["peak_bytes"]
    if budget.quick:
        notes.append("`--quick`: the 100,000-row .iterator() memory check is skipped.")
    else:
        big = serve_and_run(100_000, [("client_backend", here, "iterate", {}),
                                      ("floor", here, "iterate", {})], budget)  # fmt: skip
        for row in big:
            if row["contender"] == "client_backend" and "peak_bytes" in row:
                memory["100000"] = row["peak_bytes"]
            notes.append(
                f"{row['contender']} .iterator() over 100,000 pizzas: "
                + (
                    f"{row['time']['median']:.1f} s, {row['requests']} requests, peak "
                    f"{row['peak_bytes'] / 1024:.0f} KiB"
                    if "time" in row
                    else row.get("error", "?")
                )
            )
        notes.append(
            "django-rest-models is not run over 100,000 rows: it pages by its server's default "
            "page size (20 rows), 5,000 requests."
        )
    data = {
        "budget": budget.__dict__,
        "machine": machine(),
        "versions": {
            "restbridge": installed_versions(here, DISTS),
            "django-rest-models": installed_versions(drm, DISTS),
        },
        "seconds": round(time.monotonic() - started, 1),
        "ops": OPS,
        "minimum_requests": MINIMUM,
        "iterator_memory": memory,
        "rows": rows,
        "notes": notes,
    }
    save_results("client", data)
    print(report.client_tables(data))
    report.write_docs()


if __name__ == "__main__":
    main()
