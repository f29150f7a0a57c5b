"""Every package: no import circle (type-only and local imports too), no long function."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tools.structure import MAX_FUNCTION_LINES, Package, circles, packages

ROOT = Path(__file__).parents[1]
PACKAGES = {package.name: package for package in packages(ROOT)}


def test_every_package_is_checked():
    assert sorted(PACKAGES) == sorted(path.name for path in (ROOT / "packages").iterdir())


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_no_import_circle(name):
    assert circles(PACKAGES[name].import_graph()) == []


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_no_function_over_the_limit(name):
    assert PACKAGES[name].long_functions() == []


def _write(src: Path, files: dict[str, str]) -> Package:
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(textwrap.dedent(text))
    return Package(src)


def test_type_only_and_local_imports_close_a_circle(tmp_path):
    package = _write(
        tmp_path / "pkg",
        {
            "__init__.py": "from .a import A\nfrom .c import C\n",
            "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
            "b.py": "def f():\n    from pkg import a\n",
            "c.py": "import pkg.sub.d\n",
            "sub/__init__.py": "",
            "sub/d.py": "from ..a import A\n",
        },
    )
    assert package.import_graph() == {
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.a"},
        "pkg.c": {"pkg.sub.d"},
        "pkg.sub": set(),
        "pkg.sub.d": {"pkg.a"},
    }
    assert circles(package.import_graph()) == [["pkg.a", "pkg.b"]]


def test_a_function_one_line_over_the_limit_is_reported(tmp_path):
    limit = MAX_FUNCTION_LINES
    fits = "def fits():\n" + "".join(f"    x = {i}\n" for i in range(limit - 1))
    over = "class K:\n    def over(self):\n" + "".join(f"        x = {i}\n" for i in range(limit))
    package = _write(tmp_path / "pkg", {"__init__.py": "", "m.py": fits + over})
    found = package.long_functions()
    assert [(f.name, f.line, f.length) for f in found] == [("over", limit + 2, limit + 1)]
