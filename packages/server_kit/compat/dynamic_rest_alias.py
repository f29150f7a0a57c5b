"""Pytest plugin: run dynamic-rest's own test suite against server_kit.

The migration rule is "replace the module name ``dynamic_rest`` by ``server_kit``". This plugin
applies exactly that rule, as an import alias and nothing else: every ``import dynamic_rest.x``
(in the suite's code, its settings' dotted paths and ``INSTALLED_APPS``) yields the module
``server_kit.x`` itself. It also skips the tests listed in :data:`SKIPS` (each one exercises a
private dynamic-rest name that server_kit deliberately does not reimplement) and prints the
figure ``N passed of TOTAL``. Used by ``nox -s compat``.
"""

from __future__ import annotations

import sys

import pytest
from import_alias import AliasFinder, add_floor_option, apply_floor, mark_skips, write_summary

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


sys.meta_path.insert(0, AliasFinder(OLD, NEW, PRIVATE_MODULES, PRIVATE_NAMES))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_skips(config, items, SKIPS)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_floor_option(parser)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    apply_floor(session, exitstatus)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    write_summary(terminalreporter, "dynamic-rest 2.3.0")
