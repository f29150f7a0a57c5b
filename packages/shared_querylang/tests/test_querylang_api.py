"""The public surface: exported names, typing marker, no framework imports."""

import inspect
import subprocess
import sys
from pathlib import Path

import shared_querylang


def test_all_is_exactly_the_public_api():
    assert shared_querylang.__all__ == [
        "OPERATORS",
        "And",
        "Dialect",
        "Feature",
        "Leaf",
        "Limits",
        "Node",
        "Not",
        "Or",
        "Page",
        "Path",
        "Quantified",
        "Query",
        "QuerySyntaxError",
        "RelationFilter",
        "Selection",
        "SortKey",
        "Value",
        "all_in",
        "all_of",
        "any_in",
        "any_of",
        "filter_form",
        "leaf",
        "negate",
        "parse",
        "parse_path",
    ]
    for name in shared_querylang.__all__:
        assert hasattr(shared_querylang, name), name


def test_exported_callables_live_in_the_package():
    for name in shared_querylang.__all__:
        obj = getattr(shared_querylang, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert obj.__module__.startswith("shared_querylang."), name


def test_ships_py_typed():
    assert (Path(shared_querylang.__file__).parent / "py.typed").is_file()


def test_imports_no_django():
    code = (
        "import sys, shared_querylang\n"
        "shared_querylang.parse('filter{a}=1&where=b.eq(1)').to_querystring()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('django', 'rest_framework', 'httpx'))\n"
        "assert not bad, bad\n"
    )
    src = str(Path(shared_querylang.__file__).parents[1])
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
