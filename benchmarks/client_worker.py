"""One client worker: runs the ORM operations (or their raw-HTTP floor) against a live API.

Started by `client_bench.py` as `client_worker.py CONTENDER OPS` with `BENCH_API_URL`,
`BENCH_API_TOKEN` and `BENCH_API_LOG` (the server's access log, where HTTP requests are
counted) in the environment; answers the driver over stdin/stdout (`workers.py`). Keys are
`"<contender>|<operation>"`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import peak_memory
from workers import serve

Op = Callable[[], object]


def django_ops() -> dict[str, Op]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "client_settings")
    import django

    django.setup()
    from pizzeria_client.models import Pizza

    pk = int(os.environ["BENCH_DETAIL_PK"])

    def select_related() -> object:
        return [(p.name, p.menu.name) for p in Pizza.objects.select_related("menu")[:100]]

    def prefetch_related() -> object:
        pizzas = Pizza.objects.prefetch_related("toppings")[:100]
        return [(p.name, [t.name for t in p.toppings.all()]) for p in pizzas]

    def iterate() -> object:
        return sum(1 for _ in Pizza.objects.iterator(chunk_size=1000))

    return {
        "list": lambda: list(Pizza.objects.all()[:1000]),
        "filter": lambda: list(
            Pizza.objects.filter(price__gte=10, menu__name="Spicy").order_by("-price", "name")[
                20:40
            ]
        ),
        "get": lambda: Pizza.objects.get(pk=pk),
        "count": lambda: Pizza.objects.count(),
        "select_related": select_related,
        "prefetch_related": prefetch_related,
        "iterate": iterate,
    }


def floor_ops() -> dict[str, Op]:
    import httpx

    url = os.environ["BENCH_API_URL"].rstrip("/")
    pk = int(os.environ["BENCH_DETAIL_PK"])
    client = httpx.Client(headers={"Authorization": f"Bearer {os.environ['BENCH_API_TOKEN']}"})

    def get(path: str, params: list[tuple[str, str]]) -> Any:
        response = client.get(f"{url}/{path}", params=params)
        response.raise_for_status()
        return json.loads(response.content)

    # The projection both ORM clients ask for: the model's own columns, no to-many id lists.
    fields = [("exclude[]", "*")] + [
        ("include[]", f) for f in ("id", "name", "price", "from_date", "to_date", "creator", "menu")
    ]

    def rows(body: Any, key: str) -> list[dict[str, Any]]:
        return [dict(row) for row in body[key]]

    def joined(include: str) -> object:
        body = get("pizzas/", [*fields, ("per_page", "100"), ("include[]", f"{include}.*")])
        related = {row["id"]: dict(row) for row in body[include if include != "menu" else "menus"]}
        pizzas = rows(body, "pizzas")
        for pizza in pizzas:
            value = pizza[include]
            pizza[include] = (
                [related[i] for i in value] if isinstance(value, list) else related.get(value)
            )
        return pizzas

    def iterate() -> object:
        seen, offset = 0, 0
        for _ in range(100_000):  # bounded: 100M rows at most
            batch = rows(
                get("pizzas/", [*fields, ("offset", str(offset)), ("per_page", "1000")]), "pizzas"
            )
            seen += len(batch)
            offset += len(batch)
            if len(batch) < 1000:
                break
        return seen

    return {
        "list": lambda: rows(get("pizzas/", [*fields, ("per_page", "1000")]), "pizzas"),
        "filter": lambda: rows(
            get(
                "pizzas/",
                [
                    ("filter{price.gte}", "10"),
                    ("filter{menu.name}", "Spicy"),
                    ("sort[]", "-price"),
                    ("sort[]", "name"),
                    ("offset", "20"),
                    ("per_page", "20"),
                ],  # fmt: skip
            ),
            "pizzas",
        ),
        "get": lambda: dict(get(f"pizzas/{pk}/", fields)["pizza"]),
        "count": lambda: get("pizzas/", [("per_page", "1"), ("exclude[]", "*")])["meta"][
            "total_results"
        ],
        "select_related": lambda: joined("menu"),
        "prefetch_related": lambda: joined("toppings"),
        "iterate": iterate,
    }


class RequestCounter:
    """HTTP requests as the server logged them: the same yardstick for every client."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def lines(self) -> int:
        return self.log.read_bytes().count(b" HTTP/1.")

    def settled(self) -> int:
        # Gunicorn logs a request just after answering it: wait until the count stops moving.
        count = self.lines()
        for _ in range(50):
            time.sleep(0.05)
            now = self.lines()
            if now == count:
                return count
            count = now
        return count

    def count(self, op: Op) -> int:
        before = self.settled()
        op()
        return self.settled() - before


def main() -> None:
    contender, wanted = sys.argv[1], sys.argv[2].split(",")
    ops = floor_ops() if contender == "floor" else django_ops()
    counter = RequestCounter(Path(os.environ["BENCH_API_LOG"]))
    label = os.environ.get("BENCH_LABEL", "")  # see server_worker.py
    calls = {f"{contender}{label}|{name}": ops[name] for name in wanted}

    def describe(key: str) -> dict[str, Any]:
        op = calls[key]
        op()  # first call: connection set-up, OPTIONS discovery, imports
        return {"requests": counter.count(op), "peak_bytes": peak_memory(op)}

    serve(calls, describe)


if __name__ == "__main__":
    main()
