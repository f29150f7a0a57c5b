"""Feature names as advertised in OPTIONS, and the filter form each set of them allows."""

import json

import pytest

from shared_querylang import Dialect, Feature, filter_form, parse

# The wire spelling, in the order server_kit advertises them (docs/server.md).
WIRE = [
    "debug",
    "include[]",
    "exclude[]",
    "filter{}",
    "page",
    "per_page",
    "sort[]",
    "sideloading",
    "filter{}.not",
    "where",
    "offset",
    "bulk",
    "patch-all",
    "exclude_count",
    "distinct",
]
PLAIN = ["include[]", "exclude[]", "filter{}", "page", "per_page", "sort[]"]


def test_names_are_spelled_as_on_the_wire():
    assert [feature.value for feature in Feature] == WIRE
    assert json.dumps(list(Feature)) == json.dumps(WIRE)
    assert [str(feature) for feature in Feature] == WIRE
    assert Feature("filter{}.not") is Feature.FILTER_NOT


def test_a_feature_is_found_among_plain_strings():
    assert Feature.WHERE in frozenset(["where"])
    assert "where" in frozenset([Feature.WHERE])
    assert Feature.WHERE not in frozenset(PLAIN)


@pytest.mark.parametrize(
    ("feature", "dialect"),
    [
        (Feature.FILTER, Dialect.JSON),
        (Feature.FILTER_NOT, Dialect.JSON_NOT),
        (Feature.WHERE, Dialect.WHERE),
        (Feature.INCLUDE, None),
        (Feature.OFFSET, None),
        (Feature.BULK, None),
    ],
)
def test_dialect_a_feature_enables(feature, dialect):
    assert feature.dialect is dialect


@pytest.mark.parametrize(
    ("features", "needed", "form"),
    [
        # Leaves and JSON trees go to any server, even one advertising nothing.
        ([], Dialect.LEAVES, Dialect.LEAVES),
        ([], Dialect.JSON, Dialect.JSON),
        (PLAIN, Dialect.JSON, Dialect.JSON),
        (WIRE, Dialect.LEAVES, Dialect.LEAVES),
        (WIRE, Dialect.JSON, Dialect.JSON),
        # NOT over a group: a JSON tree when the server reads .not, where= otherwise.
        (WIRE, Dialect.JSON_NOT, Dialect.JSON_NOT),
        ([*PLAIN, "filter{}.not"], Dialect.JSON_NOT, Dialect.JSON_NOT),
        (["where"], Dialect.JSON_NOT, Dialect.WHERE),
        (PLAIN, Dialect.JSON_NOT, None),
        # Quantifiers need where=; filter{}.not does not help.
        (WIRE, Dialect.WHERE, Dialect.WHERE),
        ([*PLAIN, "filter{}.not"], Dialect.WHERE, None),
        (PLAIN, Dialect.WHERE, None),
        # Unknown names are ignored; members and plain strings count alike.
        (["where()", "filter{}.NOT", "any"], Dialect.JSON_NOT, None),
        ([Feature.FILTER_NOT], Dialect.JSON_NOT, Dialect.JSON_NOT),
        (iter(["where"]), Dialect.WHERE, Dialect.WHERE),
    ],
)
def test_filter_form(features, needed, form):
    assert filter_form(features, needed) is form


def test_filter_form_of_parsed_queries():
    negated_group = parse('filter{}={".not":{".or":[{"a":1},{"b":2}]}}')
    quantified = parse("where=any(toppings, name.eq('x'))")
    assert negated_group.dialect() == Dialect.JSON_NOT
    assert filter_form(PLAIN, negated_group.dialect()) is None
    assert filter_form([*PLAIN, Feature.WHERE], negated_group.dialect()) is Dialect.WHERE
    assert filter_form(PLAIN, quantified.dialect()) is None
    assert filter_form(WIRE, quantified.dialect()) is Dialect.WHERE


def test_distinct_is_a_flag_on_the_wire():
    query = parse("include[]=rating&exclude[]=*&distinct=true")
    assert query.distinct
    assert query.to_params() == [("include[]", "rating"), ("exclude[]", "*"), ("distinct", "true")]
    assert not parse("distinct=false").distinct
    assert parse(query.to_querystring()) == query
