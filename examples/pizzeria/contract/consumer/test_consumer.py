"""The client's CI: its models against the API's committed contract, with no API running."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connections
from pizzeria_client.models import Pizza

from client_backend.resources import resource_for

PIZZERIA = Path(__file__).resolve().parents[2]
CONTRACT = PIZZERIA / "api" / "contract.json"
EXPECTATIONS = PIZZERIA / "client" / "expectations" / "pizzeria_client.json"


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request may be sent, not {request.method} {request.url}")


@pytest.fixture
def offline():
    """The `api` connection reading the committed contract; any request fails the test."""
    with connections["api"].override_api_settings(
        contract=str(CONTRACT), transport=httpx.MockTransport(_refuse)
    ) as settings:
        yield settings


def changed_contract(tmp_path: Path, change) -> str:
    contract = json.loads(CONTRACT.read_text())
    change(contract["resources"]["api/pizzas"])
    path = tmp_path / "contract.json"
    path.write_text(json.dumps(contract))
    return str(path)


def test_the_models_pass_the_offline_check(capsys):
    call_command("api_check", contract=str(CONTRACT))
    assert "System check identified no issues" in capsys.readouterr().out


def test_the_contract_setting_gives_the_server_features_without_a_request(offline):
    committed = json.loads(CONTRACT.read_text())["resources"]["api/pizzas"]["features"]
    features = connections["api"].server_features(resource_for(Pizza))
    assert features.names == frozenset(committed)
    assert features.bulk and features.offset


def test_the_committed_expectations_are_current(capsys):
    call_command("api_expectations", consumer="pizzeria_client", check=str(EXPECTATIONS),
                 require_feature=["filter{}.not"])  # fmt: skip
    assert "is up to date" in capsys.readouterr().out


def test_stale_expectations_fail_with_the_command_to_run(tmp_path):
    stale = tmp_path / "pizzeria_client.json"
    stale.write_text("{}")
    with pytest.raises(CommandError, match="is not up to date: run `manage.py api_expectations"):
        call_command("api_expectations", consumer="pizzeria_client", check=str(stale))


def _remove_to_date(resource):
    del resource["properties"]["to_date"]


def _price_as_text(resource):
    resource["properties"]["price"]["type"] = "string"


def _menu_as_slugs(resource):
    relation = {"renders": "slug", "many": False, "slug_field": "code"}
    resource["properties"]["menu"].update(type="field", related_to=None, relation=relation)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _remove_to_date,
            "pizzeria_client.Pizza: (client_backend.E006) pizzeria_client.Pizza.to_date: the API"
            " resource '/api/pizzas' has no field 'to_date'.",
        ),
        (
            _price_as_text,
            "pizzeria_client.Pizza: (client_backend.E011) pizzeria_client.Pizza.price: the API"
            " field 'price' is 'string', expected ['decimal', 'float', 'integer'].",
        ),
        (
            _menu_as_slugs,
            "pizzeria_client.Pizza: (client_backend.E010) pizzeria_client.Pizza.menu: the API"
            " renders 'menu' as 'slug', slug_field 'code', not as ids: the client would read it"
            " as a key of the related row.",
        ),
    ],
    ids=["field-removed", "type-changed", "relation-as-slugs"],
)
def test_a_contract_change_fails_the_check_with_its_message(tmp_path, change, message):
    with pytest.raises(SystemCheckError) as failure:
        call_command("api_check", contract=changed_contract(tmp_path, change))
    assert message in str(failure.value)
    assert str(failure.value).count("(client_backend.E") == 1


def test_the_setting_and_the_option_give_the_same_messages(tmp_path, offline):
    changed = changed_contract(tmp_path, _remove_to_date)
    with pytest.raises(SystemCheckError) as by_option:
        call_command("api_check", contract=changed)
    with connections["api"].override_api_settings(contract=changed):
        with pytest.raises(SystemCheckError) as by_setting:
            call_command("check", databases=["api"])
    assert str(by_option.value) == str(by_setting.value)


def test_a_resource_missing_from_the_contract_is_e001(tmp_path):
    contract = json.loads(CONTRACT.read_text())
    del contract["resources"]["api/menus"]
    path = tmp_path / "contract.json"
    path.write_text(json.dumps(contract))
    with pytest.raises(SystemCheckError, match=r"client_backend.E001\) pizzeria_client.Menu: the"
                       r" API resource 'menus' cannot be described: the contract .* has no"
                       r" resource '/api/menus'"):  # fmt: skip
        call_command("api_check", contract=str(path))


@pytest.mark.parametrize(
    ("text", "error"),
    [(None, "cannot read"), ("[]", "is not a contract"), ("{", "cannot read")],
)
def test_an_unusable_contract_file_is_a_configuration_error(tmp_path, text, error):
    from client_backend.exceptions import APIConfigurationError

    path = tmp_path / "contract.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(APIConfigurationError, match=f"OPTIONS\\['CONTRACT'\\]: .*{error}"):
        call_command("api_check", contract=str(path))
