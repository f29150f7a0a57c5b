"""The PNG plots of `docs/benchmarks.md` (matplotlib), drawn from the results documents."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from benchlib import CLIENT_ORDER, DOCS_DIR, SERVER_ORDER, SERVER_REQUESTS, Row, index, present


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _bars(
    ax: Any,
    names: Sequence[str],
    labels: Mapping[str, str],
    row: Callable[[str, str], Row | None],
) -> None:
    """One group of bars per key of `labels`, one bar (median, min–max) per contender."""
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        xs, ys, lo, hi = [], [], [], []
        for j, key in enumerate(labels):
            found = row(name, key)
            if found is None or found.get("error"):
                continue
            t = found["time"]
            xs.append(j + i * width)
            ys.append(t["median"] * 1e3)
            lo.append((t["median"] - t["min"]) * 1e3)
            hi.append((t["max"] - t["median"]) * 1e3)
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=name)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(labels))])
    ax.legend(fontsize=8)


def _save(plt: Any, fig: Any, name: str) -> str:
    fig.tight_layout()
    fig.savefig(DOCS_DIR / name, dpi=110)
    plt.close(fig)
    return name


def plot_server(data: dict[str, Any]) -> list[str]:
    plt = _pyplot()
    by = index(data["rows"], "contender", "request", "size")
    names = present(data["rows"], SERVER_ORDER)
    sizes = sorted({row["size"] for row in data["rows"]})
    mid = 1_000 if 1_000 in sizes else sizes[-1]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    _bars(ax, names, SERVER_REQUESTS, lambda name, request: by.get((name, request, mid)))
    ax.set_xticklabels([label.replace(" + ", "\n+ ") for label in SERVER_REQUESTS.values()],
                       fontsize=8)  # fmt: skip
    ax.set_ylabel("ms per request (median, min–max)")
    ax.set_title(f"Server: time per request at {mid:,} pizzas (in-process WSGI, SQLite)")
    pages = _save(plt, fig, "benchmarks-server.png")

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name in names:
        pts = [by[(name, "included", s)]["time"] for s in sizes if (name, "included", s) in by]
        ax.errorbar(
            sizes[: len(pts)],
            [p["median"] * 1e3 for p in pts],
            yerr=[[(p["median"] - p["min"]) * 1e3 for p in pts],
                  [(p["max"] - p["median"]) * 1e3 for p in pts]],
            marker="o", capsize=3, label=name,
        )  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("pizzas in the database")
    ax.set_ylabel("ms per request")
    ax.set_title("Server: 100-row page including toppings, menu, creator")
    ax.legend(fontsize=8)
    return [pages, _save(plt, fig, "benchmarks-server-scaling.png")]


def plot_client(data: dict[str, Any]) -> list[str]:
    plt = _pyplot()
    by = index(data["rows"], "contender", "op")
    ops: dict[str, str] = data["ops"]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    _bars(ax, present(data["rows"], CLIENT_ORDER), ops, lambda name, op: by.get((name, op)))
    # "prefetch_related('toppings') over 100 rows": the call on one line, the rest below.
    labels = [label.replace(" ", "\n", 1).replace("(", "\n(", 1) if "_" in label.split(" ")[0]
              else label.replace(" ", "\n", 1) for label in ops.values()]  # fmt: skip
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("ms per operation (median, min–max; log)")
    ax.set_title("Client: ORM operation against the pizzeria API on gunicorn (127.0.0.1)")
    return [_save(plt, fig, "benchmarks-client.png")]
