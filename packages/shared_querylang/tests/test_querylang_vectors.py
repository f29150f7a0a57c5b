"""Conformance vectors: input query string → AST, canonical forms and dialect, or error."""

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from querylang_describe import describe

from shared_querylang import OPERATORS, QuerySyntaxError, parse

VECTORS = json.loads((Path(__file__).parent / "querylang_vectors.json").read_text("utf-8"))
VALID = [v for v in VECTORS if "error" not in v]
INVALID = [v for v in VECTORS if "error" in v]


def grouped(pairs):
    out = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def as_mapping(text):
    return grouped(parse_qsl(text, keep_blank_values=True))


@pytest.mark.parametrize("vector", VALID, ids=[v["name"] for v in VALID])
def test_valid_vector(vector):
    query = parse(vector["input"])
    assert describe(query) == vector["ast"]
    assert query.to_querystring() == vector["canonical"]
    assert query.to_querystring(where=True) == vector.get("canonical_where", vector["canonical"])
    assert query.dialect().name == vector["dialect"]
    # The canonical forms, and the same parameters given as a mapping, mean the same query.
    assert parse(vector["canonical"]) == query
    assert parse(query.to_querystring(where=True)) == query
    assert parse(as_mapping(vector["input"])) == query
    assert parse(grouped(query.to_params())) == query


@pytest.mark.parametrize("vector", INVALID, ids=[v["name"] for v in INVALID])
def test_invalid_vector(vector):
    expected = vector["error"]
    for source in (vector["input"], as_mapping(vector["input"])):
        with pytest.raises(QuerySyntaxError) as info:
            parse(source)
        error = info.value
        assert (error.param, error.position, error.reason) == (
            expected["param"],
            expected["position"],
            expected["message"],
        )
        where = "" if error.position is None else f" at position {error.position}"
        assert str(error) == f"{error.param}{where}: {error.reason}"


def test_vectors_cover_every_operator():
    seen = set()

    def walk(node):
        if node[0] == "leaf":
            seen.add(node[2])
        else:
            for child in node[1:]:
                if isinstance(child, list):
                    walk(child)

    for vector in VALID:
        if "filter" in vector["ast"]:
            walk(vector["ast"]["filter"])
    assert seen == set(OPERATORS)
