"""Tables and targets from `benchmarks/results/*.json`, written to `docs/benchmarks.md`.

Run by each benchmark when it finishes (and on its own: `python benchmarks/report.py`), so the
page always shows the latest run of every side that has results.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from benchlib import (
    CLIENT_ORDER,
    DOCS_DIR,
    RESULTS_DIR,
    SERVER_ORDER,
    SERVER_REQUESTS,
    Row,
    fmt_bytes,
    fmt_time,
    index,
    present,
    table,
)
from plots import plot_client, plot_server


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def spread(row: Row | None) -> str:
    if row is None:
        return "n/a"
    if row.get("error"):
        return "fails"
    t = row["time"]
    return f"{fmt_time(t['median'])} ({fmt_time(t['min'])}–{fmt_time(t['max'])})"


def ratio(slow: Row | None, fast: Row | None, *, cpu: bool = False) -> float | None:
    """``slow ÷ fast`` of the median wall time (or of the client CPU time)."""
    if not slow or not fast or slow.get("error") or fast.get("error"):
        return None
    value: float = (
        slow["cpu"] / fast["cpu"] if cpu else slow["time"]["median"] / fast["time"]["median"]
    )
    return value


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def server_tables(data: dict[str, Any]) -> str:
    rows: list[Row] = data["rows"]
    by = index(rows, "contender", "request", "size")
    names = present(rows, SERVER_ORDER)
    sizes = sorted({row["size"] for row in rows})
    out = []
    for size in sizes:
        out.append(f"\n#### Time per request at {size:,} pizzas: median (min–max)\n")
        out.append(
            table(
                ["request", *names],
                [
                    [label, *(spread(by.get((n, r, size))) for n in names)]
                    for r, label in SERVER_REQUESTS.items()
                ],
            )
        )
    out.append("\n#### Ratios, same run: peer time ÷ restbridge time (> 1: restbridge is faster)\n")
    peers = [n for n in names if n not in ("restbridge", "restbridge (embedded)")]
    ratio_rows = []
    for size in sizes:
        for r, label in SERVER_REQUESTS.items():
            own = by.get(("restbridge", r, size))
            ratio_rows.append(
                [f"{size:,}", label, *(fmt_ratio(ratio(by.get((n, r, size)), own)) for n in peers)]
            )
    out.append(table(["pizzas", "request", *peers], ratio_rows))
    out.append("\n#### SQL queries per request at " + " / ".join(f"{s:,}" for s in sizes))
    out.append("pizzas\n")
    out.append(
        table(
            ["request", *names],
            [
                [
                    label,
                    *(
                        " / ".join(
                            str(by[(n, r, s)]["queries"]) if (n, r, s) in by else "-" for s in sizes
                        )  # fmt: skip
                        for n in names
                    ),
                ]
                for r, label in SERVER_REQUESTS.items()
            ],
        )
    )
    mid = 1_000 if 1_000 in sizes else sizes[-1]
    out.append(f"\n#### Peak Python memory per request (tracemalloc) and response size, {mid:,}")
    out.append("pizzas\n")
    out.append(
        table(
            ["request", *names],
            [
                [
                    label,
                    *(
                        f"{fmt_bytes(by[(n, r, mid)]['peak_bytes'])}, "
                        f"{fmt_bytes(by[(n, r, mid)]['response_bytes'])} sent"
                        if (n, r, mid) in by
                        else "-"
                        for n in names
                    ),
                ]
                for r, label in SERVER_REQUESTS.items()
            ],
        )
    )
    return "\n".join(out)


def server_targets(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    by = index(data["rows"], "contender", "request", "size")
    own = by.get(("restbridge", "included", 1_000))
    checks = []
    for peer, wanted in (("dynamic-rest", 3.0), ("drf-flex-fields", 1.5)):
        value = ratio(by.get((peer, "included", 1_000)), own)
        checks.append(
            (
                f"≥ {wanted}× faster than {peer} on the included page at 1,000 pizzas",
                fmt_ratio(value),
                value is not None and value >= wanted,
            )
        )
    worst = max(
        (
            (ratio(by[("restbridge", r, s)], by[("floor", r, s)]) or 0.0, r, s)
            for (n, r, s) in by
            if n == "restbridge" and ("floor", r, s) in by
        ),
        default=(0.0, "", 0),
    )
    checks.append(
        (
            "within 3× of the floor (every request, every size)",
            f"worst {worst[0]:.2f}× ({SERVER_REQUESTS.get(worst[1], '')}, {worst[2]:,} pizzas)",
            worst[0] <= 3.0,
        )
    )
    counts: dict[str, set[int]] = {}
    skipped = []
    for (n, r, s), row in by.items():
        if n == "restbridge":
            # A list page that is not full needs no COUNT: compare like with like.
            short = "per_page=100" in row.get("url", "") and row["rows"] < 100
            counts.setdefault(r, set()).add(row["queries"] + short)
            if short:
                skipped.append(f"{r} at {s:,} pizzas: {row['rows']} rows, no COUNT")
    checks.append(
        (
            "SQL queries constant in N",
            ", ".join(f"{r}: {sorted(v)}" for r, v in counts.items())
            + (f" (plus the COUNT not sent for {'; '.join(skipped)})" if skipped else ""),
            all(len(v) == 1 for v in counts.values()),
        )
    )
    return checks


def client_tables(data: dict[str, Any]) -> str:
    rows: list[Row] = data["rows"]
    by = index(rows, "contender", "op")
    names = present(rows, CLIENT_ORDER)
    ops: dict[str, str] = data["ops"]
    out = ["\n#### Wall time per operation: median (min–max)\n"]
    out.append(table(["operation", *names], [[label, *(spread(by.get((n, op))) for n in names)]
                                               for op, label in ops.items()]))  # fmt: skip

    def cell(row: Row | None, render: Callable[[Row], str]) -> str:
        if row is None:
            return "n/a"
        if row.get("error"):
            return "fails: " + row["error"][:60]
        return render(row)

    out.append("\n#### Client CPU per operation (median), HTTP requests, peak client memory\n")
    out.append(
        table(
            ["operation", *names],
            [
                [
                    label,
                    *(
                        cell(
                            by.get((n, op)),
                            lambda row: (
                                f"{fmt_time(row['cpu'])} cpu, {row['requests']} req, "
                                f"{fmt_bytes(row['peak_bytes'])}"
                            ),
                        )
                        for n in names
                    ),
                ]
                for op, label in ops.items()
            ],
        )
    )
    out.append("\n#### Ratios, same run: contender wall time ÷ client_backend wall time\n")
    others = [n for n in names if n != "client_backend"]
    out.append(
        table(
            ["operation", *others],
            [
                [
                    label,
                    *(
                        fmt_ratio(ratio(by.get((n, op)), by.get(("client_backend", op))))
                        for n in others
                    ),
                ]  # fmt: skip
                for op, label in ops.items()
            ],
        )
    )
    return "\n".join(out)


def client_targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    by = index(data["rows"], "contender", "op")
    own = by.get(("client_backend", "list"))
    floor = ratio(own, by.get(("floor", "list")))
    checks = [
        (
            "within 1.5× of the floor on the 1,000-row list",
            fmt_ratio(floor),
            floor is not None and floor <= 1.5,
        )
    ]
    slower = [
        (op, ratio(by.get(("django-rest-models", op)), by.get(("client_backend", op))))
        for op in data["ops"]
        if op in data.get("drm_ops", data["ops"])
    ]
    measured = [(op, r) for op, r in slower if r is not None]
    checks.append(
        (
            "≥ 2× faster than django-rest-models (every operation it supports)",
            ", ".join(f"{op} {r:.2f}×" for op, r in measured) or "n/a",
            bool(measured) and all(r >= 2.0 for _, r in measured),
        )
    )
    # No client beats a bare GET + json.loads of the same answer from the same server: on an
    # operation where django-rest-models sends the floor's request, this caps any ratio.
    ceiling = [
        (op, ratio(by.get(("django-rest-models", op)), by.get(("floor", op)))) for op, _ in measured
    ]
    checks.append(
        (
            "(bound) django-rest-models ÷ floor: no client can beat django-rest-models by more",
            ", ".join(f"{op} {r:.2f}×" for op, r in ceiling if r is not None) or "n/a",
            None,
        )
    )
    cpu = [
        (op, ratio(by.get(("django-rest-models", op)), by.get(("client_backend", op)), cpu=True))
        for op, _ in measured
    ]
    checks.append(
        (
            "(information) client CPU: django-rest-models ÷ client_backend",
            ", ".join(f"{op} {r:.2f}×" for op, r in cpu if r is not None) or "n/a",
            None,
        )
    )
    minimum: dict[str, int] = data["minimum_requests"]
    own_rows = {op: by.get(("client_backend", op)) for op in minimum}
    actual = {op: row["requests"] for op, row in own_rows.items() if row and "requests" in row}
    checks.append(
        (
            "HTTP requests equal to the minimum of docs/client.md",
            ", ".join(f"{op} {actual.get(op, '?')}/{want}" for op, want in minimum.items()),
            all(actual.get(op) == want for op, want in minimum.items()),
        )
    )
    flat = data.get("iterator_memory", {})
    if len(flat) >= 2:
        small, large = (flat[k] for k in sorted(flat, key=int)[:2])
        checks.append(
            (
                ".iterator() peak memory flat (10,000 → 100,000 rows)",
                f"{fmt_bytes(small)} → {fmt_bytes(large)}",
                large <= small * 1.25,
            )
        )
    return checks


def targets_table(checks: list[tuple[str, str, bool | None]]) -> str:
    """One line per target; ``None`` marks a line that informs rather than checks."""
    verdict = {True: "yes", False: "**no**", None: "—"}
    return table(["target", "measured", "met"], [[t, m, verdict[ok]] for t, m, ok in checks])


def versions_block(data: dict[str, Any]) -> str:
    lines = []
    for env, versions in data["versions"].items():
        pretty = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
        lines.append(f"- {env} environment: {pretty}")
    return "\n".join(lines)


def budget_line(data: dict[str, Any]) -> str:
    b = data["budget"]
    mode = "`--quick`" if b["quick"] else "full"
    return (
        f"Run: {mode}; {b['warmup']} warm-up call(s), then {b['repeats']} timed runs, each of "
        f"as many back-to-back calls as fit in ~{b['run_seconds']} s (at least one); figure = "
        f"median time per call, spread = min–max over the runs. Took {data['seconds']} s."
    )


HEADER = """# Benchmarks

Produced by `nox -s bench` (about 6 minutes on 2 cores; `nox -s bench -- --quick` for a
~2-minute run with fewer repetitions). Every number on this page comes from one run of that
command on the machine below: every comparison is a ratio of figures measured in the same run, on
the same data. Re-running it rewrites this page and its plots from `benchmarks/results/*.json`.

Each figure is the **median** of repeated timed runs after a warm-up, with the **min–max** spread
of those runs in parentheses. The contenders of one comparison run in long-lived worker processes
(one per environment) and are timed in **interleaved rounds**, one run of each per round in a
rotating order (`benchmarks/workers.py`): when the machine slows down for a while, every
contender is slowed alike and the ratios hold. Memory is the peak of Python allocations
(tracemalloc) during one call on a warm process, so it excludes the interpreter and the C-level
SQLite/socket buffers.
"""

SERVER_METHOD = """## Server side

The pizzeria models (`examples/pizzeria/api`), seeded by its `seed --pizzas N` command into one
SQLite file per size (100, 1,000, 10,000 pizzas; each with 3 toppings, a menu, a creator and
2 reviews). Every contender reads the same file. Requests are bare WSGI calls into Django's
`WSGIHandler` in-process (no test client, no middleware, no authentication, DEBUG off, JSON
renderer only) — identical for everyone. Each environment runs in its own worker process
(`benchmarks/server_worker.py`): restbridge, plain DRF and the floor in the restbridge one,
dynamic-rest and drf-flex-fields each in their own (`benchmarks/benchlib.py: PEERS`).

- **restbridge**: the pizzeria's own `server_kit` serializers and router (sideloading, the
  dynamic-rest default). **restbridge (embedded)**: the same with `sideloading=false`, the shape
  drf-flex-fields and nested DRF serializers produce.
- **dynamic-rest** 2.3.0: the same serializers written for dynamic-rest
  (`contender_dynamic_rest.py`), installed `--no-deps` (plus inflection, six, hashids) on
  Django 5.2; the very same URLs.
- **drf-flex-fields** 1.0.2 on DRF 3.16.1 (its filter backend imports
  `rest_framework.compat.coreapi`, removed in DRF 3.17): `FlexFieldsModelSerializer`s with
  `expandable_fields`, its `FlexFieldsFilterBackend` (the library's own select/prefetch
  optimizer), DRF page-number pagination, hand-written filters and `OrderingFilter`
  (`contender_flex.py`).
- **plain DRF**: nested `ModelSerializer`s, one view per shape, hand-written
  `select_related`/`prefetch_related` (`contender_drf.py`).
- **floor**: `values()` and `json.dumps`, building the same sideloaded JSON as restbridge,
  count query included (`contender_floor.py`).

Requests (100 rows per page): the page; the page including toppings, menu and creator; a
reviews page including each review's pizza and the pizza's toppings (two levels); one pizza;
pizzas with `price >= 10` on the "Spicy" menu sorted by `-price, name`.
"""

CLIENT_METHOD = """## Client side

The pizzeria API (`server_kit`) served by one real gunicorn (1 sync worker) on 127.0.0.1 with
`benchmarks/bench_api_settings.py` (the pizzeria's settings, pages up to 1,000 rows), seeded
with 10,000 pizzas. Each client runs in its own process (`benchmarks/client_worker.py`) with a
fresh connection pool, authenticating with the same bearer token:

- **client_backend**: the pizzeria client's models (`examples/pizzeria/client`) on `client_backend`.
- **django-rest-models** 3.1.1 on Django 5.2 in its own environment, the same models
  (a bearer-token auth class of 10 lines, `benchmarks/drm_auth.py`, so both send the same header).
- **floor**: `httpx.Client.get` plus `json.loads`, turning the answer into plain dicts
  (joining sideloaded objects where the operation needs them).

Wall time includes the server's work, which is the same for everyone given the same requests;
client CPU (`time.process_time` of the client process) isolates what the client library costs.
"""


FINDINGS = """
## Profiles: what was fixed, what is left

The first full run (cProfile, 20 warm requests, 1,000 pizzas) found these hot spots of ours, and
each was fixed. The before → after figures are the fixers' own measurements on the shared
development machine, not one side-by-side run: read them as indicative; the tables above are
this run's.

- **server_kit, a related object serialized once per reference** (500 renders for 35 objects,
  ~35 % of an included page): each object is rendered once per field and reused. Included page
  at 1,000 pizzas: ~40 ms → 11.8 ms.
- **server_kit, to-many id lists through Django's prefetch** (an instance per link, a manager and
  a queryset clone per row, ~40 % of a plain page): one query of link rows per field, ids
  rendered from the pairs. Plain page: 20.8 ms → 7.9 ms (with the next fix).
- **server_kit, `_links` walking every field of every object** (~9 %): the link-able names are
  computed once per serializer.
- **client_backend, M2M `prefetch_related` asking for each topping's full reverse id list**
  (payload grows with the table): link ids are read from the owners' side (payload grows with
  the page). 96.5 ms → ~40 ms; client memory 1.4 MiB → 0.36 MiB.
- **client_backend, `.iterator()` memory growing with the row count** (httpx responses held in
  reference cycles, two pages alive at once): the cycle is broken after reading and each page
  is dropped before the next. 3.1 → 1.3 MiB at 10,000 rows; 5.2 → 1.4 MiB at 100,000.

Second round (profiles of the same requests after the fixes above). Before → after for the
server, 1,000 pizzas, the same script alternating the two trees twice on a quiet machine
(`git worktree` of the earlier commit; median of 5 runs of 30 requests): page 7.5 → 5.6 ms,
included 10.5 → 8.0 ms, reviews + pizza.toppings 13.6 → 8.9 ms, filtered 8.8 → 6.7 ms. For the
client (10,000 pizzas, client CPU per operation, minimum of 5 runs, A/B): count 1.22 → 1.00 ms,
get 1.50 → 1.20 ms, list 1,000 rows 15.0 → 12.3 ms, select_related 3.9 → 3.1 ms,
prefetch_related 15.2 → 11.5 ms, `.iterator()` 134 → 107 ms.

- **server_kit, DRF's per-field loop** (`Field.get_attribute` walking `source_attrs` with callable
  checks, then a `to_representation` call per value; a context-local time-zone lookup per
  datetime): rows now render through a loop compiled once per serializer
  (`server_kit/representation.py`): stored columns are read from the instance, values already
  of the field's output type are used as they are, any other field (and any subclass) takes
  DRF's own path; tested against DRF's loop on the same serializer.
- **server_kit, Django's prefetch of included to-one objects** (a descriptor call and a tuple
  lookup per row): a page's to-one objects load in one query per field keyed on the local
  column, one instance per distinct row, like its to-many objects; relation fields render
  through a reader decided once per response.
- **server_kit, a COUNT for a page that already tells the total**: a page that comes back
  neither full nor empty is the last one, so its totals need no COUNT (one query fewer for most
  small filtered reads; this benchmark's pages are full, except the filtered one at 100 pizzas).
- **client_backend, per-row decoding** (dicts keyed by relation hops, a checked read per column,
  Django's ISO 8601 parsers through regular expressions, the query string rendered and the URL
  parsed several times per request): one row decoder per read with item getters by column,
  `fromisoformat` first, one render and one parse per request.

What is left:

- **≥ 2× faster than django-rest-models on single small requests** (count, get, filter, list,
  select_related): both clients send one request to the same server, and no client can be
  faster than a bare `httpx` GET plus `json.loads` of the same answer (the floor). The bound
  line of the client targets (django-rest-models ÷ floor, same run) is below 2× (about
  1.1–1.7×) for count, get, filter and select_related, so no client can meet the target there
  against this server.
  On the 1,000-row list the bound is about 2×: client_backend's remaining client time there is
  Django's (building 1,000 model instances, about 5 ms, and its converters), not ours (row
  decoding is 0.3 ms of it). The client CPU line shows the library's own cost side by side. The
  2× holds where the request pattern differs: `prefetch_related` and `.iterator()`.
- **Server**: what remains of a page's time is Django's (building querysets and compiling SQL,
  about 0.5 ms per query; model instances) and the COUNT every dynamic-rest-style API sends;
  the included-page ratio to dynamic-rest sits at about 3× (3.0–3.2× over the last runs).

## Commands

```sh
nox -s bench                 # everything: server, client, querylang; rewrites this page
nox -s bench -- --quick      # ~2-3 minutes, fewer repetitions, no 100,000-row check
python benchmarks/report.py  # rebuild this page and the plots from benchmarks/results/*.json
```

The peers' environments are built on first use under `.nox/bench-peers/` (uv, Python 3.11).
"""


def write_docs() -> None:
    parts = [HEADER]
    server = load("server")
    client = load("client")
    plots: list[str] = []
    for data in (server, client):
        if data:
            m = data["machine"]
            parts.append(
                f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}.\n"
            )
            break
    if server:
        parts.append(SERVER_METHOD)
        parts.append(budget_line(server) + "\n")
        parts.append(versions_block(server) + "\n")
        parts.append("### Targets\n")
        parts.append(targets_table(server_targets(server)))
        new = plot_server(server)
        plots += new
        parts.append("\n" + "\n".join(f"![{p}]({p})" for p in new) + "\n")
        parts.append(server_tables(server))
    if client:
        parts.append("\n" + CLIENT_METHOD)
        parts.append(budget_line(client) + "\n")
        parts.append(versions_block(client) + "\n")
        parts.append("### Targets\n")
        parts.append(targets_table(client_targets(client)))
        new = plot_client(client)
        plots += new
        parts.append("\n" + "\n".join(f"![{p}]({p})" for p in new) + "\n")
        parts.append(client_tables(client))
        if client.get("notes"):
            parts.append("\n" + "\n".join(f"- {n}" for n in client["notes"]))
    parts.append(FINDINGS)
    (DOCS_DIR / "benchmarks.md").write_text("\n".join(parts).rstrip() + "\n")
    print(f"[bench] wrote docs/benchmarks.md and {', '.join(plots)}")


if __name__ == "__main__":
    write_docs()
