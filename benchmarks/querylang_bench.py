"""shared_querylang parse / serialize speed, side by side with urllib.parse.parse_qsl.

Run: PYTHONPATH=packages/shared_querylang/src python benchmarks/querylang_bench.py
Stdlib only. Each figure is the median over --repeat runs of --number calls, after a
warm-up; the ratio divides by parse_qsl on the same string, timed in the same runs
(the three functions take turns, so machine load affects them alike). Times are
thread CPU time, so waiting for a busy CPU does not count.
Target: parse ratio <= 5 for the 15-parameter query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from urllib.parse import parse_qsl

from shared_querylang import parse

QUERIES = {
    # A list page: one filter, a sort, a page.
    5: "filter{menu.name.icontains}=marg&include[]=menu.*&sort[]=-price&page=2&per_page=20",
    # What django-rest-models sends for a filtered, paged list with joined relations.
    15: (
        "exclude[]=*&exclude[]=menu.*&include[]=id&include[]=name&include[]=price"
        "&include[]=menu.id&include[]=menu.name&filter{price.gte}=10"
        "&filter{-name.icontains}=pineapple&filter{menu.isnull}=False"
        "&filter{id.in}=1&filter{id.in}=2&filter{id.in}=3&sort[]=-price&per_page=20"
    ),
    # A prefetch: a long `in` list plus selection, sort and paging.
    40: "&".join(
        [f"filter{{menu.in}}={i}" for i in range(30)]
        + [
            "filter{cost.range}=1.5",
            "filter{cost.range}=30",
            "filter{created.gte}=2030-01-01%2000:00:00%2B00:00",
            "exclude[]=*",
            "include[]=id",
            "include[]=menu.id",
            "include[]=toppings",
            "sort[]=-created",
            "sort[]=id",
            "per_page=100",
        ]
    ),
}


def per_call(funcs: list[Callable[[], object]], number: int, repeat: int) -> list[float]:
    """Median seconds per call of each of ``funcs``, over ``repeat`` runs of ``number`` calls.

    The functions take turns inside every run, so a busy machine slows them alike and
    the ratios stay meaningful.
    """
    for func in funcs:  # warm-up
        for _ in range(number):
            func()
    runs: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeat):
        for func, times in zip(funcs, runs, strict=True):
            start = time.thread_time()
            for _ in range(number):
                func()
            times.append((time.thread_time() - start) / number)
    return [statistics.median(times) for times in runs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=2000, help="calls per run")
    parser.add_argument("--repeat", type=int, default=15, help="runs; the median is kept")
    parser.add_argument("--quick", action="store_true", help="200 calls x 5 runs (a smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        args.number, args.repeat = 200, 5

    print(f"Python {sys.version.split()[0]}; median of {args.repeat} runs x {args.number} calls")
    header = (
        f"{'params':>6} {'parse_qsl':>10} {'parse':>10} {'ratio':>6}"
        f" {'parse+serialize':>16} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    ratios = {}
    for count, text in QUERIES.items():
        assert len(parse_qsl(text, keep_blank_values=True)) == count, count
        assert parse(parse(text).to_querystring()) == parse(text)  # same query both ways

        def baseline(text: str = text) -> object:
            return parse_qsl(text, keep_blank_values=True)

        def parsed(text: str = text) -> object:
            return parse(text)

        def round_trip(text: str = text) -> object:
            return parse(text).to_querystring()

        qsl, ours, both = per_call([baseline, parsed, round_trip], args.number, args.repeat)
        ratios[count] = ours / qsl
        print(
            f"{count:>6} {qsl * 1e6:>8.1f}us {ours * 1e6:>8.1f}us {ours / qsl:>6.2f}"
            f" {both * 1e6:>14.1f}us {both / qsl:>6.2f}"
        )
    verdict = "meets" if ratios[15] <= 5 else "MISSES"
    print(f"15-parameter parse ratio {ratios[15]:.2f}: {verdict} the target of <= 5")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
