"""The provider's contract: one description with OPTIONS, and schema generators that run."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.schemas.openapi import SchemaGenerator
from sk_testapp.urls import router

from server_kit.contract import api_contract, compare_contracts, dumps


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
    assert resources["/books"]["properties"]["author"]["relation"] == {
        "renders": "pk",
        "many": False,
    }


def test_the_contract_file_is_stable_sorted_json():
    out = io.StringIO()
    call_command("api_contract", stdout=out)
    assert out.getvalue() == dumps(api_contract()) == dumps(json.loads(out.getvalue()))
    assert compare_contracts(api_contract(), api_contract()).breaking == []


# The test app serves one serializer under several prefixes: DRF names their lists alike.
@pytest.mark.filterwarnings("ignore:You have a duplicated operationId")
def test_drf_s_own_schema_generator_runs_on_dynamic_viewsets(library):
    # django-filter 25+ dropped DRF's schema hooks: its views crash DRF's generator anyway.
    patterns = [
        route
        for route in router.urls
        if DjangoFilterBackend not in getattr(route.callback.cls, "filter_backends", ())
    ]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    paths = schema["paths"]
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
