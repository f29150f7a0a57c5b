"""The public surface: exported names, typing marker, no framework imports."""

import __future__

import inspect
import subprocess
import sys
from pathlib import Path

import shared_querylang


def test_all_is_exactly_the_public_api():
    # Every name the package binds is exported, and nothing else: a helper imported
    # into __init__ without being exported (or the reverse) fails here.
    bound = {
        name
        for name, value in vars(shared_querylang).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and value is not __future__.annotations
    }
    assert sorted(set(shared_querylang.__all__)) == sorted(bound)
    assert len(shared_querylang.__all__) == len(bound)


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
