"""The contract check fed by a contract file gives the live check's messages, and no request."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from cb_shop.models import Pizza, PlainPizza
from django.db import connections, models
from django.test.utils import isolate_apps

from client_backend.contract import resource_url_path
from client_backend.expectations import model_expectation
from client_backend.resources import resource_for
from client_backend.testing import InProcessTransport, api_transport
from client_backend.validation import _model_messages, contract_messages
from server_kit.contract import api_contract, dumps


def _refuse(request):
    raise AssertionError(f"sent {request.method} {request.url}")


@pytest.fixture
def contract_file(tmp_path):
    path = tmp_path / "contract.json"
    path.write_text(dumps(api_contract()))  # the in-process API's contract
    return str(path)


@pytest.mark.parametrize(
    ("root", "model", "expected"),
    [
        ("http://h/api/", Pizza, "/api/pizzas"),
        ("http://h/api/", PlainPizza, "/plain/pizzas"),  # host-relative resource_path
        ("http://h", Pizza, "/pizzas"),
    ],
)
def test_resources_are_named_by_their_url_path(root, model, expected):
    assert resource_url_path(root, resource_for(model)) == expected


def test_an_expectation_names_fields_relations_and_features():
    expected = model_expectation(Pizza, "http://testserver/api/")
    assert expected["model"] == "cb_shop.Pizza" and expected["path"] == "/api/pizzas"
    assert expected["fields"]["price"]["kind"] == "value"
    menu = expected["fields"]["menu"]
    assert (menu["kind"], menu["related_to"], menu["key"], menu["hyperlinked"]) == (
        "one",
        "menus",
        "id",
        False,
    )
    assert "filter{}" in expected["features"]


@pytest.mark.django_db(databases=["default", "api"])
def test_offline_and_live_checks_agree_and_offline_sends_nothing(contract_file):
    with api_transport(InProcessTransport()) as connection:
        live = contract_messages(connection)
    connection = connections["api"]
    with connection.override_api_settings(
        contract=contract_file, transport=httpx.MockTransport(_refuse)
    ):
        assert contract_messages(connection) == live == []


@pytest.mark.django_db(databases=["default", "api"])
@isolate_apps("cb_shop")
def test_a_broken_model_gets_the_same_messages_from_both_sources(contract_file):
    class Broken(models.Model):
        name = models.IntegerField()  # a string on the API
        stars = models.IntegerField()  # not on the API

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "menus"

    with api_transport(InProcessTransport()) as connection:
        live = [(m.id, m.msg) for m in _model_messages(connection, Broken)]
    connection = connections["api"]
    with connection.override_api_settings(
        contract=contract_file, transport=httpx.MockTransport(_refuse)
    ):
        offline = [(m.id, m.msg) for m in _model_messages(connection, Broken)]
    assert offline == live == [
        ("client_backend.E011", "cb_shop.Broken.name: the API field 'name' is 'string',"
         " expected ['integer']."),
        ("client_backend.E006", "cb_shop.Broken.stars: the API resource '/api/menus' has no"
         " field 'stars'."),
    ]  # fmt: skip


@pytest.mark.django_db(databases=["default", "api"])
def test_features_come_from_the_contract(contract_file):
    document = json.loads(Path(contract_file).read_text())
    entry = next(e for e in document["resources"].values() if e["path"] == "/api/pizzas")
    connection = connections["api"]
    with connection.override_api_settings(
        contract=contract_file, transport=httpx.MockTransport(_refuse)
    ):
        assert connection.known_server_features(resource_for(Pizza)).names == set(entry["features"])
