"""The provider's contract: one description with OPTIONS, and schema generators that run."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework import serializers

from server_kit.contract import api_contract, compare_contracts, dumps
from server_kit.metadata import DynamicMetadata


def test_the_contract_says_what_options_says(api, library):
    contract = api_contract()
    resources = {entry["path"]: entry for entry in contract["resources"].values()}
    assert {"/authors", "/books", "/tags", "/reviews", "/comments"} <= set(resources)
    # Same-serializer viewsets under other prefixes are resources of their own.
    assert {"/selected", "/inprint", "/locked", "/throttled"} <= set(resources)
    for path in ("/books", "/authors", "/inprint"):
        body = api.options(f"{path}/").json()
        entry = resources[path]
        for key in ("properties", "resource_name", "resource_name_plural", "limits"):
            assert entry[key] == body[key], (path, key)
        assert entry["features"] == sorted(body["features"])
    assert resources["/books"]["filter_forms"] == ["leaves", "json", "json_not", "where"]
    assert resources["/books"]["limits"]["max_per_page"] == 300
    assert resources["/books"]["properties"]["author"]["renders"] == "ids"


def test_the_contract_file_is_stable_sorted_json():
    out = io.StringIO()
    call_command("api_contract", stdout=out)
    assert out.getvalue() == dumps(api_contract()) == dumps(json.loads(out.getvalue()))
    assert compare_contracts(api_contract(), api_contract()).breaking == []


@pytest.mark.parametrize(
    ("field", "kind", "renders"),
    [
        (serializers.PrimaryKeyRelatedField(queryset=User.objects.all()), "one", "ids"),
        (serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True), "many", "ids"),
        (serializers.SlugRelatedField("username", queryset=User.objects.all()), "one",
         "slug:username"),
        (serializers.HyperlinkedRelatedField("user-detail", read_only=True), "one", "urls"),
    ],
)  # fmt: skip
def test_plain_drf_relations_say_how_they_render(field, kind, renders):
    described = DynamicMetadata().describe(field)
    assert (described["type"], described["renders"], described["related_to"]) == (
        kind,
        renders,
        None,
    )


# The test app serves one serializer under several prefixes: DRF names their lists alike.
@pytest.mark.filterwarnings("ignore:You have a duplicated operationId")
def test_drf_s_own_schema_generator_runs_on_dynamic_viewsets(library):
    out = io.StringIO()
    call_command("generateschema", "--format", "openapi-json", stdout=out)
    paths = json.loads(out.getvalue())["paths"]
    assert "get" in paths["/books/"] and "get" in paths["/books/{id}/"]


@pytest.mark.parametrize(
    ("text", "error"),
    [("{", "is not JSON"), ("[]", "is not an expectations file"),
     ('{"expectations": [{"path": "/books"}]}', "is not an expectations file")],
)  # fmt: skip
def test_a_file_that_is_not_an_expectations_file_is_named(tmp_path, text, error):
    (tmp_path / "shop.json").write_text(text)
    with pytest.raises(CommandError, match=f"shop.json {error}"):
        call_command("api_verify", str(tmp_path))


def test_verify_names_the_consumer_of_each_broken_expectation(tmp_path):
    expectation = {
        "model": "shop.Book", "path": "/books", "features": ["filter{}"],
        "fields": {"title": {"model_field": "title", "kind": "value", "types": ["integer"]}},
    }  # fmt: skip
    (tmp_path / "shop.json").write_text(
        json.dumps({"consumer": "shop", "expectations": [expectation]})
    )
    (tmp_path / "other.json").write_text(
        json.dumps({"expectations": [{**expectation, "path": "/gone"}]})
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"2 consumer expectation\(s\) broken"):
        call_command("api_verify", str(tmp_path), stderr=err)
    assert err.getvalue().splitlines() == [
        "other: shop.Book: the API has no resource '/gone'.",
        "shop: shop.Book.title: the API field 'title' is 'string', expected ['integer'].",
    ]
