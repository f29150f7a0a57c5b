"""Pytest plugin: run drf-flex-fields' own test suite against ``server_kit.flex``.

The migration rule is "replace the module name ``rest_flex_fields`` by ``server_kit.flex``",
applied as an import alias only (see :mod:`import_alias`). The tests in :data:`SKIPS` call
private drf-flex-fields helpers (leading underscore) that server_kit.flex does not reimplement.
Prints ``N passed of 64``. Used by ``nox -s compat``.
"""

from __future__ import annotations

import sys

import pytest
from import_alias import AliasFinder, add_floor_option, apply_floor, mark_skips, write_summary

_CASE = "tests/test_flex_fields_model_serializer.py::TestFlexFieldModelSerializer"

# Test name -> the private drf-flex-fields name it calls.
_PRIVATE_CALLS = {
    "test_field_should_not_exist_if_omitted": "_should_field_exist",
    "test_field_should_not_exist_if_not_in_sparse": "_should_field_exist",
    "test_field_should_exist_if_ommitted_but_is_parent_of_omit": "_should_field_exist",
    "test_clean_fields": "_get_fields_names_to_remove",
    "test_get_expanded_field_names_if_all": "_get_expanded_field_names",
    "test_get_expanded_names_but_not_omitted": "_get_expanded_field_names",
    "test_get_expanded_names_but_only_sparse": "_get_expanded_field_names",
    "test_get_expanded_names_including_omitted_when_defer_to_next_level": (
        "_get_expanded_field_names"
    ),
    "test_get_query_param_value_should_return_empty_if_not_root_serializer": (
        "_get_query_param_value"
    ),
    "test_parse_request_list_value": "_get_query_param_value",
    "test_parse_request_list_value_empty_if_cannot_access_request": "_get_query_param_value",
    "test_get_omit_input_from_explicit_settings": "_flex_options_all",
    "test_set_omit_input_from_query_param": "_flex_options_all",
    "test_set_fields_input_from_explicit_settings": "_flex_options_all",
    "test_set_fields_input_from_query_param": "_flex_options_all",
    "test_set_expand_input_from_explicit_setting": "_flex_options_all",
    "test_set_expand_input_from_query_param": "_flex_options_all",
    "test_get_expand_input_from_query_param_limit_to_list_permitted": "_flex_options_all",
    "test_expansion_depth": "_flex_options_all",
    "test_expansion_depth_serializer_level": "_flex_options_all",
}

# Test node id (relative to the sdist root) -> the private name it calls.
SKIPS: dict[str, str] = {
    f"{_CASE}::{test}": f"FlexFieldsModelSerializer.{name}" for test, name in _PRIVATE_CALLS.items()
}

sys.meta_path.insert(0, AliasFinder("rest_flex_fields", "server_kit.flex"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_skips(config, items, SKIPS)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_floor_option(parser)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    apply_floor(session, exitstatus)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    write_summary(terminalreporter, "drf-flex-fields 1.0.2")
