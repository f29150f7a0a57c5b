"""The README's query-language examples are executed, so they cannot drift from the code."""

import doctest
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_examples_run():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3
    assert result.failed == 0
