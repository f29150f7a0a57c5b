"""The API's OpenAPI schema (drf-spectacular + server_kit.openapi) against the live API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import TOKEN, LiveApi
from openapi_spec_validator import validate

# Bounded so that the run stays near 10 s: every GET route, a few examples each, fixed seed.
EXAMPLES_PER_OPERATION = 5


@pytest.fixture(scope="session")
def schema(live_api: LiveApi, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema as the API serves it, in a file."""
    import httpx

    body = httpx.get(f"{live_api.url}schema/", params={"format": "json"}, timeout=30).json()
    path = tmp_path_factory.mktemp("openapi") / "schema.json"
    path.write_text(json.dumps(body))
    return path


def test_the_schema_is_valid_openapi(schema):
    document = json.loads(schema.read_text())
    validate(document)
    pizzas = document["paths"]["/api/pizzas/"]["get"]
    names = {parameter["name"] for parameter in pizzas["parameters"]}
    assert {"filter{price}", "include[]", "exclude[]", "sort[]", "page", "per_page"} <= names
    assert {"offset", "where", "fields", "omit", "expand"} <= names
    envelope = pizzas["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = document["components"]["schemas"][envelope.rsplit("/", 1)[1]]
    assert {"pizzas", "meta", "menus", "toppings", "+pizzas"} <= set(envelope["properties"])
    menu = document["components"]["schemas"]["Pizza"]["properties"]["menu"]
    assert menu["oneOf"] == [{"type": "integer"}, {"$ref": "#/components/schemas/Menu"}]
    # The view's own docstring, not DRF's or server_kit's; none from server_kit's serializer.
    assert "description" not in pizzas
    assert "description" not in document["components"]["schemas"]["Pizza"]
    assert document["paths"]["/api/users/"]["get"]["description"].startswith("Pizza creators")
    # The relation route is documented where it serves a relation (chefs have none).
    assert "/api/pizzas/{id}/{field_name}/" in document["paths"]
    assert "/api/chefs/{id}/{field_name}/" not in document["paths"]


def test_schemathesis_finds_every_answer_conforming_and_no_5xx(live_api, schema):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(live_api.url))
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "run", str(schema), "--url", origin,
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
        "response_schema_conformance",
        # Reads only: the e2e suite shares this API's data.
        "--include-method", "GET", "--exclude-path-regex", "/schema/",
        "-H", f"Authorization: Bearer {TOKEN}",
        "--mode", "positive", "--phases", "coverage,fuzzing",
        "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", "0",
        "--generation-database", "none", "--workers", "1", "--no-color",
        # Every warning but missing_test_data (random ids of a relation route answering 404:
        # a test-data note, not an answer off the schema).
        "--warnings", "missing_auth,base_url_mismatch,validation_mismatch,missing_deserializer,"
        "unused_openapi_auth,unsupported_regex,method_not_allowed,unmatched_filter,"
        "unresolvable_reference,low_valid_rate,rate_limited,timeout_units",
    ]  # fmt: skip
    # Run in the schema's folder: schemathesis keeps its files where it runs.
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, cwd=schema.parent
    )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout
