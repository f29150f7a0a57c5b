"""The README's query-language examples are executed, so they cannot drift from the code."""

import doctest
import re
import tomllib
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_examples_run():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3
    assert result.failed == 0


def test_readme_has_no_relative_links():
    """The package index shows the README alone: a relative link there leads nowhere."""
    targets = re.findall(r"\]\(([^)\s]+)\)", README.read_text(encoding="utf-8"))
    assert [t for t in targets if not t.startswith(("https://", "http://", "#"))] == []


def test_license_file_matches_the_metadata():
    root = README.parent
    metadata = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert metadata["license"] == "BSD-3-Clause"
    text = (root / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License")
    assert "the restbridge developers" in text
