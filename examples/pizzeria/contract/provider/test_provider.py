"""The API's CI: its committed contract is current, and every consumer's expectations hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from server_kit.contract import (
    api_contract,
    assert_expectations_met,
    compare_contracts,
    dumps,
    verify_expectations,
)

from . import changed_api

PIZZERIA = Path(__file__).resolve().parents[2]
CONTRACT = PIZZERIA / "api" / "contract.json"
CONSUMERS = PIZZERIA / "client" / "expectations"


def test_the_committed_contract_is_the_api_s(capsys):
    call_command("api_contract", check=str(CONTRACT))
    assert "No breaking change (0 additive)." in capsys.readouterr().out
    assert CONTRACT.read_text() == dumps(api_contract())


def test_every_consumer_expectation_is_met(capsys):
    assert_expectations_met(CONSUMERS)
    call_command("api_verify", str(CONSUMERS))
    assert capsys.readouterr().out == "Every consumer expectation is met.\n"


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            changed_api.REMOVED,
            "pizzeria_client: pizzeria_client.Pizza.to_date: the API resource '/api/pizzas'"
            " has no field 'to_date'.",
        ),
        (
            changed_api.RETYPED,
            "pizzeria_client: pizzeria_client.Pizza.price: the API field 'price' is 'string',"
            " expected ['decimal', 'float', 'integer'].",
        ),
        (
            changed_api.SLUGS,
            "pizzeria_client: pizzeria_client.Pizza.menu: the API renders 'menu' as 'slug',"
            " slug_field 'code', not as ids: the client would read it as a key of the related"
            " row.",
        ),
        (
            changed_api.NO_NOT,
            "pizzeria_client: pizzeria_client.Pizza: the API resource '/api/pizzas' lacks the"
            " features ['filter{}.not'].",
        ),
    ],
    ids=["field-removed", "type-changed", "relation-as-slugs", "feature-dropped"],
)
def test_a_change_the_consumer_relies_on_fails_with_one_line_naming_it(change, line):
    assert verify_expectations(CONSUMERS, api_contract(change)) == [line]
    with pytest.raises(AssertionError, match="Consumer expectations broken:\n") as failure:
        assert_expectations_met(CONSUMERS, change)
    assert str(failure.value).splitlines()[1:] == [line]


def test_an_additive_change_passes_and_is_listed_for_the_changelog():
    assert verify_expectations(CONSUMERS, api_contract(changed_api.ADDED)) == []
    committed = json.loads(CONTRACT.read_text())
    changes = compare_contracts(committed, api_contract(changed_api.ADDED))
    assert changes.breaking == []
    assert changes.additive == ["/api/pizzas: new field 'rating'."]


def test_compare_lists_breaking_changes_and_fails(tmp_path, capsys):
    committed = json.loads(CONTRACT.read_text())
    changes = compare_contracts(committed, api_contract(changed_api.SLUGS))
    assert changes.breaking == [
        "/api/pizzas.menu: the API renders 'menu' as 'slug', slug_field 'code', not as ids:"
        " the client would read it as a key of the related row."
    ]
    # The command compares the live API with a committed file: an older one with a field
    # the API no longer has is a breaking change.
    older = json.loads(CONTRACT.read_text())
    older["resources"]["api/menus"]["properties"]["chef"] = {"type": "string"}
    stale = tmp_path / "contract.json"
    stale.write_text(dumps(older))
    with pytest.raises(CommandError, match=r"1 breaking change\(s\) since the contract"):
        call_command("api_contract", compare=str(stale))
    assert "breaking: /api/menus.chef: the API resource '/api/menus' has no field 'chef'." in (
        capsys.readouterr().out
    )


def test_a_stale_contract_file_fails_the_check(tmp_path):
    smaller = json.loads(CONTRACT.read_text())
    del smaller["resources"]["api/menus"]["properties"]["code"]
    stale = tmp_path / "contract.json"
    stale.write_text(dumps(smaller))
    call_command("api_contract", compare=str(stale))  # additive only: passes
    with pytest.raises(CommandError, match="is not the current contract: run"):
        call_command("api_contract", check=str(stale))
