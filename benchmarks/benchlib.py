"""What every benchmark shares: timing statistics, peer environments, paths and result files.

A figure is the median of `repeats` timed runs taken after a warm-up; each run times `inner`
back-to-back calls (calibrated so that one run lasts about `run_seconds`) and reports the time
per call. The min and max of the runs are the spread. `workers.py` takes the runs of the
contenders of one comparison in interleaved rounds.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
DOCS_DIR = ROOT / "docs"
PIZZERIA = ROOT / "examples" / "pizzeria"
PEERS_DIR = ROOT / ".nox" / "bench-peers"
PYTHON = "3.11"
DJANGO = "django>=5.2,<5.3"

# Each peer runs in its own environment, built once with uv (or venv + pip), pinned here.
PEERS: dict[str, dict[str, list[str]]] = {
    # dynamic-rest pins Django < 4; installed without its pins it runs on Django 5.2.
    "dynamic-rest": {
        "deps": [DJANGO, "djangorestframework==3.18.*", "inflection", "six", "hashids"],
        "no_deps": ["dynamic-rest==2.3.0"],
    },
    # drf-flex-fields' filter backend imports `rest_framework.compat.coreapi`, gone in DRF 3.17.
    "drf-flex-fields": {
        "deps": [DJANGO, "djangorestframework==3.16.1", "drf-flex-fields==1.0.2"],
        "no_deps": [],
    },
    "django-rest-models": {
        "deps": [DJANGO, "django-rest-models==3.1.1"],
        "no_deps": [],
    },
}


@dataclass(frozen=True)
class Timing:
    """Seconds per call: median of the runs, and their min and max."""

    median: float
    min: float
    max: float
    repeats: int
    inner: int
    cpu: float


@dataclass(frozen=True)
class Budget:
    """How hard to measure: `--quick` trades precision for a run of a couple of minutes."""

    repeats: int
    run_seconds: float
    warmup: int
    quick: bool

    @classmethod
    def from_argv(cls, argv: Sequence[str]) -> Budget:
        if "--quick" in argv:
            return cls(repeats=3, run_seconds=0.05, warmup=1, quick=True)
        return cls(repeats=7, run_seconds=0.2, warmup=2, quick=False)


def peak_memory(call: Callable[[], object]) -> int:
    """Peak bytes allocated by Python during one `call` (tracemalloc, on a warm process)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        call()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def timing_dict(timing: Timing) -> dict[str, Any]:
    return asdict(timing)


def peer_python(name: str) -> Path:
    """The interpreter of the peer environment `name`, created and filled on first use."""
    spec = PEERS[name]
    env_dir = PEERS_DIR / name.replace("-", "_")
    python = env_dir / "bin" / "python"
    stamp = env_dir / "bench-spec.json"
    wanted = json.dumps(spec, sort_keys=True)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    shutil.rmtree(env_dir, ignore_errors=True)
    uv = shutil.which("uv")
    print(f"[bench] building the {name} environment in {env_dir}", flush=True)
    if uv:
        subprocess.run([uv, "venv", "-q", "-p", PYTHON, str(env_dir)], check=True)
        install = [uv, "pip", "install", "-q", "-p", str(python)]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        install = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*install, *spec["deps"]], check=True, timeout=600)
    if spec["no_deps"]:
        subprocess.run([*install, "--no-deps", *spec["no_deps"]], check=True, timeout=600)
    stamp.write_text(wanted)
    return python


def installed_versions(python: Path | str, dists: Sequence[str]) -> dict[str, str]:
    """Versions of `dists` as seen by `python` (a peer environment or this one)."""
    code = (
        "import json, sys\n"
        "from importlib.metadata import version, PackageNotFoundError\n"
        "out = {}\n"
        "for d in sys.argv[1:]:\n"
        "    try: out[d] = version(d)\n"
        "    except PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [str(python), "-c", code, *dists], capture_output=True, text=True, check=True, timeout=60
    )
    versions: dict[str, str] = json.loads(result.stdout)
    return versions


def machine() -> dict[str, str]:
    """The machine the numbers come from."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """This environment with the example and benchmark sources first on PYTHONPATH."""
    paths = [str(BENCH_DIR), str(PIZZERIA / "api"), str(PIZZERIA / "client"), str(PIZZERIA)]
    env = dict(os.environ)
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra)
    return env


def save_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    return path


# The results vocabulary shared by the report and the plots: contenders in display order,
# the server requests by label, and rows looked up by key.
SERVER_ORDER = (
    "restbridge",
    "restbridge (embedded)",
    "dynamic-rest",
    "drf-flex-fields",
    "plain DRF",
    "floor",
)
SERVER_REQUESTS = {
    "page": "100-row page",
    "included": "page + toppings, menu, creator",
    "deep": "reviews page + pizza.toppings (2 levels)",
    "detail": "detail",
    "filtered": "filtered, sorted page",
}
CLIENT_ORDER = ("client_backend", "django-rest-models", "floor")
Row = dict[str, Any]


def index(rows: list[Row], *keys: str) -> dict[tuple[Any, ...], Row]:
    return {tuple(row[k] for k in keys): row for row in rows}


def present(rows: list[Row], order: tuple[str, ...]) -> list[str]:
    names = {row["contender"] for row in rows}
    return [name for name in order if name in names]


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_bytes(count: int) -> str:
    if count >= 1 << 20:
        return f"{count / (1 << 20):.1f} MiB"
    return f"{count / 1024:.0f} KiB"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (also readable as plain text in a terminal)."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join([line, rule, *body])
