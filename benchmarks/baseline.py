"""This tree against an earlier commit of restbridge, side by side in one interleaved run.

`python benchmarks/baseline.py REF [--quick]` (or `nox -s bench_baseline -- REF [--quick]`):
exports REF's packages with `git archive`, then times the same server requests (1,000 pizzas,
in-process WSGI) and client operations (10,000 pizzas, gunicorn on 127.0.0.1) twice, once
importing this tree's packages and once REF's, in the interleaved rounds of `workers.compare`.
Both halves use this environment and this tree's pizzeria; only the packages differ. Prints
the table of this ÷ REF per request and writes `benchmarks/results/baseline.json`: the figure
that says whether a change slowed the bench (the project allows 5 %).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import ExitStack
from io import BytesIO
from pathlib import Path
from typing import Any

from benchlib import ROOT, Budget, child_env, machine, save_results, table, timing_dict
from client_bench import OPS, serve_and_run
from server_bench import seed
from workers import Worker, compare

PACKAGES = ("shared_querylang", "server_kit", "client_backend")
SERVER_PIZZAS = 1_000
CONTROLS = ("plain DRF", "floor")


def export(ref: str, into: Path) -> dict[str, str]:
    """REF's packages unpacked under `into`; the environment that makes a worker import them."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "packages"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    sources = [str(into / "packages" / name / "src") for name in PACKAGES]
    # First on the path: ahead of this tree's editable install, behind nothing else we set.
    return {"PYTHONPATH": ":".join([*sources, child_env({})["PYTHONPATH"]])}


def server_rows(db: Path, before: dict[str, str], label: str, budget: Budget) -> list[Any]:
    rows = []
    base = {"BENCH_SET": "restbridge", "BENCH_DB": str(db)}
    with ExitStack() as stack:
        workers = [
            stack.enter_context(
                Worker(sys.executable, "server_worker.py", [], child_env(base | extra))
            )
            for extra in ({}, before | {"BENCH_LABEL": label})
        ]
        by_key = {key: worker for worker in workers for key in worker.keys}
        for key, worker in by_key.items():
            worker.ask("describe", key)  # fails loudly if a request does not answer 200
        for request in dict.fromkeys(key.split("|")[1] for key in by_key):
            group = {key: w for key, w in by_key.items() if key.endswith(f"|{request}")}
            for key, timing in compare(group, budget).items():
                rows.append({"side": "server", "key": key, "time": timing_dict(timing)})
    return rows


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    if len(args) != 1:
        raise SystemExit("usage: baseline.py REF [--quick]   (REF: a commit, tag or branch)")
    ref, budget, started = args[0], Budget.from_argv(sys.argv[1:]), time.monotonic()
    label = f" @{ref}"
    with tempfile.TemporaryDirectory(prefix="restbridge-baseline-") as tmp:
        before = export(ref, Path(tmp))
        db = Path(tmp) / "pizzeria.sqlite3"
        seed(db, SERVER_PIZZAS)
        rows = server_rows(db, before, label, budget)
    here = Path(sys.executable)
    ops = ",".join(op for op in OPS if op != "iterate")
    jobs = [
        ("client_backend", here, ops, {}),
        ("client_backend", here, ops, before | {"BENCH_LABEL": label}),
    ]
    for row in serve_and_run(10_000, jobs, budget):
        key = f"{row['contender']}|{row['op']}"  # the worker's contender carries its label
        rows.append({"side": "client", "key": key, "time": row["time"]})
    data = {
        "ref": ref,
        "budget": budget.__dict__,
        "machine": machine(),
        "seconds": round(time.monotonic() - started, 1),
        "rows": rows,
    }
    save_results("baseline", data)
    print(ratio_table(data))


def ratio_table(data: dict[str, Any]) -> str:
    """One line per request: this tree's median, REF's, and this ÷ REF (above 1: slower).

    plain DRF and the floor import no restbridge package: their ratio is the run's noise.
    """
    label = f" @{data['ref']}"
    times = {row["key"]: row["time"]["median"] for row in data["rows"]}
    lines, ours, control = [], [], []
    for key, now in times.items():
        name, request = key.split("|")
        then = times.get(f"{name}{label}|{request}")
        if name.endswith(label) or not then:
            continue
        (control if name in CONTROLS else ours).append(now / then)
        lines.append([name, request, f"{now * 1e3:.2f}", f"{then * 1e3:.2f}", f"{now / then:.3f}"])
    headers = ["contender", "request", "this tree (ms)", f"{data['ref']} (ms)", "this ÷ ref"]
    summary = (
        f"geometric mean this ÷ {data['ref']}: restbridge {statistics.geometric_mean(ours):.3f}, "
        f"controls (same code on both sides) {statistics.geometric_mean(control):.3f}"
    )
    return table(headers, lines) + "\n\n" + summary


if __name__ == "__main__":
    main()
