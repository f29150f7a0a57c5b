"""One server-side worker: serves its environment's contenders in-process through WSGI.

Started by `server_bench.py` with `BENCH_SET` and `BENCH_DB` in the environment; answers the
driver over stdin/stdout (`workers.py`). Keys are `"<contender><BENCH_LABEL>|<request>"` (the
label tells an earlier tree's worker from this one's in `baseline_bench.py`).
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "server_settings")

import django  # noqa: E402

django.setup()

from benchlib import peak_memory  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from pizzeria_api.models import Pizza  # noqa: E402
from workers import serve  # noqa: E402

Params = list[tuple[str, str]]
REQUESTS = ("page", "included", "deep", "detail", "filtered")
DYNAMIC_INCLUDED = [
    ("include[]", "toppings.*"),
    ("include[]", "menu.*"),
    ("include[]", "creator.*"),
]
DYNAMIC_DEEP = [("include[]", "pizza.*"), ("include[]", "pizza.toppings.*")]
DYNAMIC_FILTERED = [
    ("filter{price.gte}", "10"),
    ("filter{menu.name}", "Spicy"),
    ("sort[]", "-price"),
    ("sort[]", "name"),
]
HAND_FILTERED = [("price__gte", "10"), ("menu__name", "Spicy"), ("ordering", "-price,name,id")]


def dynamic(prefix: str, pk: int, extra: Params) -> dict[str, tuple[str, Params]]:
    """restbridge and dynamic-rest: one wire format, so the very same URLs."""
    page = [("per_page", "100")]
    return {
        "page": (f"/{prefix}/pizzas/", page + extra),
        "included": (f"/{prefix}/pizzas/", page + DYNAMIC_INCLUDED + extra),
        "deep": (f"/{prefix}/reviews/", page + DYNAMIC_DEEP + extra),
        "detail": (f"/{prefix}/pizzas/{pk}/", extra),
        "filtered": (f"/{prefix}/pizzas/", page + DYNAMIC_FILTERED + extra),
    }


def hand_written(prefix: str, pk: int, size_param: str) -> dict[str, tuple[str, Params]]:
    """Plain DRF and the floor: one route per response shape."""
    page = [(size_param, "100")]
    return {
        "page": (f"/{prefix}/pizzas/", page),
        "included": (f"/{prefix}/pizzas-included/", page),
        "deep": (f"/{prefix}/reviews-deep/", page),
        "detail": (f"/{prefix}/pizzas/{pk}/", []),
        "filtered": (f"/{prefix}/pizzas/", page + HAND_FILTERED),
    }


def flex(pk: int) -> dict[str, tuple[str, Params]]:
    page = [("page_size", "100")]
    return {
        "page": ("/flex/pizzas/", page),
        "included": ("/flex/pizzas/", page + [("expand", "toppings,menu,creator")]),
        "deep": ("/flex/reviews/", page + [("expand", "pizza.toppings")]),
        "detail": (f"/flex/pizzas/{pk}/", []),
        "filtered": ("/flex/pizzas/", page + HAND_FILTERED),
    }


def contenders(bench_set: str, pk: int) -> dict[str, dict[str, tuple[str, Params]]]:
    if bench_set == "restbridge":
        return {
            "restbridge": dynamic("sk", pk, []),
            "restbridge (embedded)": dynamic("sk", pk, [("sideloading", "false")]),
            "plain DRF": hand_written("drf", pk, "page_size"),
            "floor": hand_written("floor", pk, "per_page"),
        }
    if bench_set == "dynamic-rest":
        return {"dynamic-rest": dynamic("dr", pk, [])}
    return {"drf-flex-fields": flex(pk)}


class Wsgi:
    """A bare WSGI call: no test client, no signals, the same for every contender."""

    def __init__(self) -> None:
        self.app = WSGIHandler()

    def get(self, path: str, params: Params) -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urlencode(params),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(line: str, headers: Any, exc_info: Any = None) -> None:
            status.append(line)

        response = self.app(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            getattr(response, "close", lambda: None)()
        return int(status[0].split()[0]), body


class QueryCounter:
    """An execute wrapper counting every SQL statement sent (DEBUG stays off)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def primary_rows(path: str, body: bytes) -> int:
    """Rows of the requested resource (not of its sideloads); 1 for a detail."""
    data = json.loads(body)
    resource = path.strip("/").split("/")[1].split("-")[0]  # /sk/reviews/, /floor/reviews-deep/
    for key in ("results", resource):
        if isinstance(data.get(key), list):
            return len(data[key])
    return 1


def main() -> None:
    wsgi = Wsgi()
    pizza_ids = list(Pizza.objects.order_by("id").values_list("id", flat=True))
    pk = pizza_ids[len(pizza_ids) // 2]
    label = os.environ.get("BENCH_LABEL", "")
    urls = {
        f"{name}{label}|{request}": requests[request]
        for name, requests in contenders(os.environ["BENCH_SET"], pk).items()
        for request in REQUESTS
    }

    def describe(key: str) -> dict[str, Any]:
        path, params = urls[key]
        status, body = wsgi.get(path, params)
        if status != 200:
            raise SystemExit(f"{key}: {path}?{urlencode(params)} -> {status}\n{body!r}")
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            wsgi.get(path, params)
        return {
            "url": f"{path}?{urlencode(params)}" if params else path,
            "queries": counter.count,
            "peak_bytes": peak_memory(lambda: wsgi.get(path, params)),
            "response_bytes": len(body),
            "rows": primary_rows(path, body),
        }

    serve({key: _caller(wsgi, path, params) for key, (path, params) in urls.items()}, describe)


def _caller(wsgi: Wsgi, path: str, params: Params) -> Any:
    return lambda: wsgi.get(path, params)


if __name__ == "__main__":
    main()
