"""Pytest plugin: run dynamic-rest's own test suite against server_kit.

The migration rule is "replace the module name ``dynamic_rest`` by ``server_kit``". This plugin
applies exactly that rule, as an import alias and nothing else: every ``import dynamic_rest.x``
(in the suite's code, its settings' dotted paths and ``INSTALLED_APPS``) yields the module
``server_kit.x`` itself. It also skips the tests listed in :data:`SKIPS` (each one exercises a
private dynamic-rest name that server_kit deliberately does not reimplement) and prints the
figure ``N passed of TOTAL``. Used by ``nox -s compat``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence

import pytest

OLD, NEW = "dynamic_rest", "server_kit"

_UTILS = "dynamic_rest.utils"
_META = "dynamic_rest.meta"
_FAST = "dynamic_rest.prefetch.FastQuery / FastPrefetch"
_CACHE = "DynamicRelationField.serializer instance caching (serializer cache)"


def _each(prefix: str, names: str, reason: str) -> dict[str, str]:
    return {f"{prefix}::{name}": reason for name in names.split()}


# Test node id (relative to the sdist root) -> the private dynamic-rest name it exercises.
SKIPS: dict[str, str] = {
    **_each(
        "tests/test_utils.py::UtilsTestCase",
        "test_is_truthy test_unpack_empty_value test_unpack_non_empty_value "
        "test_unpack_meta_first_key test_unpack_meta_not_first_key "
        "test_int_id_from_model_ext_id_obj_does_not_exits test_model_from_definition",
        _UTILS,
    ),
    **_each(
        "tests/test_meta.py::TestMeta",
        "test_get_remote_model test_model_field_and_type test_reverse_m2m_field_name",
        _META,
    ),
    **_each(
        "tests/test_prefetch2.py::TestFastQuery",
        "test_fk_prefetch test_m2m_prefetch test_o2o_prefetch test_reverse_o2o_prefetch "
        "test_m2o_prefetch test_pagination test_nested_prefetch_by_string "
        "test_get_with_prefetch test_first_with_prefetch",
        _FAST,
    ),
    **_each(
        "tests/test_fields.py::FieldsTestCase",
        "test_dynamic_hash_id_field_with_model_parameter "
        "test_dynamic_hash_id_field_without_model_parameter",
        f"{_UTILS}.external_id_from_model_and_internal_id",
    ),
    "tests/test_router.py::TestDynamicRouter::test_get_canonical_serializer": (
        f"{_META}.get_model_table"
    ),
    **_each(
        "tests/test_viewsets.py::TestUserViewSet",
        "test_filter_extraction test_is_null_casting",
        "DynamicFilterBackend._get_requested_filters",
    ),
    "tests/test_viewsets.py::TestUserViewSet::test_nested_filter_rewrite": (
        "dynamic_rest.filters.FilterNode.generate_query_key"
    ),
    **_each(
        "tests/test_serializers.py::TestSerializerCaching",
        "test_get_all_fields test_recursive_serializer",
        _CACHE,
    ),
}

# dynamic-rest's internal modules, which server_kit does not mirror: their names import as
# placeholders that fail when used (only the tests on SKIPS use them).
PRIVATE_MODULES = frozenset({"dynamic_rest.utils", "dynamic_rest.meta", "dynamic_rest.prefetch"})

# Private names the suite imports from public modules server_kit mirrors: importing them
# succeeds (so that the file's other tests run), using them fails unless skip-listed.
PRIVATE_NAMES: dict[str, frozenset[str]] = {
    "dynamic_rest.filters": frozenset({"FilterNode"}),
}


def _private(qualified: str) -> object:
    def private(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"{qualified} is private to dynamic-rest; skip-list the test")

    return private


class _PrivateModule(types.ModuleType):
    """A dynamic-rest internal module server_kit does not mirror (``utils``, ``meta``, ...).

    Importing its names succeeds so that a test file's other tests still run; calling one fails
    loudly, so a test that needs it fails unless it is on the skip list.
    """

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        return _private(f"{self.__name__}.{name}")


class _MirrorWithPrivates(types.ModuleType):
    """A server_kit module plus placeholders for the private names listed for it."""

    def __init__(self, name: str, real: types.ModuleType) -> None:
        super().__init__(name)
        self._real = real

    def __getattr__(self, name: str) -> object:
        if name in PRIVATE_NAMES[self.__name__]:
            return _private(f"{self.__name__}.{name}")
        return getattr(self._real, name)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        real = importlib.import_module(self.target)
        if spec.name in PRIVATE_NAMES:
            return _MirrorWithPrivates(spec.name, real)
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


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``dynamic_rest[.x]`` as the already importable ``server_kit[.x]``."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != OLD and not fullname.startswith(OLD + "."):
            return None
        if fullname in PRIVATE_MODULES:
            return importlib.machinery.ModuleSpec(fullname, _PrivateLoader())
        real = NEW + fullname[len(OLD) :]
        if importlib.util.find_spec(real) is None:
            return None  # a public module server_kit does not mirror: the import fails
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real))


sys.meta_path.insert(0, _AliasFinder())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_TOTAL] = len(items)
    collected = {item.nodeid for item in items}
    files = {nodeid.split("::")[0] for nodeid in collected}
    stale = sorted(n for n in SKIPS if n.split("::")[0] in files and n not in collected)
    if stale and not config.option.keyword:  # -k deselects: then a listed test may be missing
        raise pytest.UsageError(f"the skip list names tests the suite does not have: {stale}")
    for item in items:
        reason = SKIPS.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=f"touches private {reason}"))


_TOTAL = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--min-passed",
        type=int,
        default=None,
        help="succeed when at least this many tests pass (the CI floor), whatever fails",
    )


def _passed(session: pytest.Session) -> int:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    return len(reporter.stats.get("passed", [])) if reporter is not None else 0


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    floor = session.config.getoption("--min-passed")
    if floor is None or exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return
    passed = _passed(session)
    session.exitstatus = pytest.ExitCode.OK if passed >= floor else pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    skipped = len(stats.get("skipped", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    total = terminalreporter.config.stash.get(_TOTAL, 0)
    terminalreporter.write_line(
        f"dynamic-rest 2.3.0 suite on server_kit: {passed} passed of {total} "
        f"({skipped} skipped, {failed} failed)",
        bold=True,
    )
    floor = terminalreporter.config.getoption("--min-passed")
    if floor is not None and passed < floor:
        terminalreporter.write_line(f"below the floor: at least {floor} must pass", red=True)
