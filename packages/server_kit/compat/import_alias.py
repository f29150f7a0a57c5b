"""The machinery shared by the compat plugins: an import alias, the skip list and the figure.

A peer's suite runs on server_kit by one rule, "replace the module name OLD by NEW", applied as
an import alias and nothing else: every ``import OLD.x`` yields the module ``NEW.x`` itself.
Private peer modules import as placeholders that fail when used (only skip-listed tests use
them). :func:`mark_skips`, :func:`apply_floor` and :func:`write_summary` are the plugins' hooks.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import types
from collections.abc import Mapping, Sequence

import pytest


def _private(qualified: str) -> object:
    def private(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"{qualified} is private to the peer; skip-list the test")

    return private


class _PrivateModule(types.ModuleType):
    """A peer's internal module server_kit does not mirror.

    Importing its names succeeds so that a test file's other tests still run; calling one fails
    loudly, so a test that needs it fails unless it is on the skip list.
    """

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        return _private(f"{self.__name__}.{name}")


class _MirrorWithPrivates(types.ModuleType):
    """A server_kit module plus placeholders for the private names listed for it."""

    def __init__(self, name: str, real: types.ModuleType, private: frozenset[str]) -> None:
        super().__init__(name)
        self._real = real
        self._private_names = private

    def __getattr__(self, name: str) -> object:
        if name in self._private_names:
            return _private(f"{self.__name__}.{name}")
        return getattr(self._real, name)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str, private: frozenset[str] | None) -> None:
        self.target = target
        self.private = private

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        real = importlib.import_module(self.target)
        if self.private is not None:
            return _MirrorWithPrivates(spec.name, real, self.private)
        return real

    def exec_module(self, module: types.ModuleType) -> None:
        if isinstance(module, _MirrorWithPrivates):
            return
        # The import system stamped the alias's spec on the real module: give it its own back.
        module.__spec__ = importlib.util.find_spec(self.target)


class _PrivateLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _PrivateModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``old[.x]`` as the already importable ``new[.x]``."""

    def __init__(
        self,
        old: str,
        new: str,
        private_modules: frozenset[str] = frozenset(),
        private_names: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.old, self.new = old, new
        self.private_modules = private_modules
        self.private_names = dict(private_names or {})

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.old and not fullname.startswith(self.old + "."):
            return None
        if fullname in self.private_modules:
            return importlib.machinery.ModuleSpec(fullname, _PrivateLoader())
        real = self.new + fullname[len(self.old) :]
        if importlib.util.find_spec(real) is None:
            return None  # a public module server_kit does not mirror: the import fails
        loader = _AliasLoader(real, self.private_names.get(fullname))
        return importlib.machinery.ModuleSpec(fullname, loader)


_TOTAL = pytest.StashKey[int]()


def mark_skips(config: pytest.Config, items: list[pytest.Item], skips: Mapping[str, str]) -> None:
    """Skip the listed tests (node id -> private name) and count the collected ones."""
    config.stash[_TOTAL] = len(items)
    collected = {item.nodeid for item in items}
    files = {nodeid.split("::")[0] for nodeid in collected}
    stale = sorted(n for n in skips if n.split("::")[0] in files and n not in collected)
    if stale and not config.option.keyword:  # -k deselects: then a listed test may be missing
        raise pytest.UsageError(f"the skip list names tests the suite does not have: {stale}")
    for item in items:
        reason = skips.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=f"touches private {reason}"))


def add_floor_option(parser: pytest.Parser) -> None:
    parser.addoption(
        "--min-passed",
        type=int,
        default=None,
        help="succeed when at least this many tests pass (the CI floor), whatever fails",
    )


def _passed(session: pytest.Session) -> int:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    return len(reporter.stats.get("passed", [])) if reporter is not None else 0


def apply_floor(session: pytest.Session, exitstatus: int) -> None:
    """The session succeeds when at least ``--min-passed`` tests passed."""
    floor = session.config.getoption("--min-passed")
    if floor is None or exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return
    passed = _passed(session)
    session.exitstatus = pytest.ExitCode.OK if passed >= floor else pytest.ExitCode.TESTS_FAILED


def write_summary(terminalreporter: pytest.TerminalReporter, suite: str) -> None:
    """Prints ``<suite> suite on server_kit: N passed of TOTAL``."""
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    skipped = len(stats.get("skipped", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    total = terminalreporter.config.stash.get(_TOTAL, 0)
    terminalreporter.write_line(
        f"{suite} suite on server_kit: {passed} passed of {total} "
        f"({skipped} skipped, {failed} failed)",
        bold=True,
    )
    floor = terminalreporter.config.getoption("--min-passed")
    if floor is not None and passed < floor:
        terminalreporter.write_line(f"below the floor: at least {floor} must pass", red=True)
