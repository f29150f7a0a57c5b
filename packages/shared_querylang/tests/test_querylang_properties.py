import json
import os
import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from querylang_strategies import queries

from shared_querylang import Query, QuerySyntaxError, parse

# Per-test settings, not a loaded profile: a profile would change other packages' tests
# in the same pytest run. QUERYLANG_EXAMPLES raises the count for a long local search.
PROPERTY = settings(
    max_examples=int(os.environ.get("QUERYLANG_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def grouped(pairs):
    out = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


@PROPERTY
@given(queries)
def test_querystring_round_trip(query):
    assert parse(query.to_querystring()) == query


@PROPERTY
@given(queries)
def test_querystring_round_trip_where(query):
    assert parse(query.to_querystring(where=True)) == query


@PROPERTY
@given(queries, st.booleans())
def test_params_round_trip(query, where):
    params = query.to_params(where=where)
    assert parse(grouped(params)) == query
    # Encoding is deterministic: the same query always gives the same string.
    assert query.to_querystring(where=where) == query.to_querystring(where=where)


@PROPERTY
@given(queries)
def test_dialect_bounds_the_form(query):
    params = dict(query.to_params())
    dialect = query.dialect()
    if "where" in params or any(k.startswith("where[") for k in params):
        assert dialect.name == "WHERE"
    elif "filter{}" in params:
        assert dialect.name in ("JSON", "JSON_NOT")
    else:
        assert dialect.name == "LEAVES"


def _parses_or_rejects(query):
    try:
        result = parse(query)
    except QuerySyntaxError as error:
        assert isinstance(error.param, str)
        assert error.position is None or error.position >= 0
    else:
        assert isinstance(result, Query)


GRAMMAR_KEYS = [
    "filter{}",
    "where",
    "where[a]",
    "where[",
    "filter{a.in}",
    "filter{-a|b.c}",
    "filter{a",
    "filter{a}[]",
    "include[]",
    "fields",
    "sort",
    "sort[]",
    "page",
    "per_page",
    "offset",
    "exclude_count",
    "sideloading",
    "debug",
    "exclude_links",
    "distinct",
    "expand[]",
]
GRAMMAR_TEXT = st.text(string.printable + "éğ{}[]()'\",.:-|$", max_size=40)


@PROPERTY
@given(st.text(max_size=80))
@example("filter{}=" + "[" * 5000)
@example("where=" + "(" * 5000)
@example("where=" + "not " * 5000 + "a.eq(1)")
@example("page=" + "9" * 5000)
@example("where=a.eq(" + "9" * 5000 + ")")
@example('filter{}={"a":' + "9" * 5000 + "}")
@example('filter{}={"a":NaN}')
@example("filter{a}=\ud800")
def test_any_text_parses_or_raises_syntax_error(text):
    _parses_or_rejects(text)


@PROPERTY
@given(st.sampled_from(GRAMMAR_KEYS), GRAMMAR_TEXT)
def test_grammar_like_text_parses_or_raises_syntax_error(key, value):
    _parses_or_rejects(f"{key}={value}")
    _parses_or_rejects({key: value})


@PROPERTY
@given(
    st.dictionaries(
        st.sampled_from(GRAMMAR_KEYS) | st.text(max_size=10),
        st.text(max_size=20) | st.lists(st.text(max_size=20), max_size=3),
        max_size=5,
    )
)
def test_any_mapping_parses_or_raises_syntax_error(mapping):
    _parses_or_rejects(mapping)


WHERE_TOKENS = [
    "a",
    "b.c",
    ".",
    "eq",
    "in",
    "range",
    "ne",
    "ge",
    "(",
    ")",
    ",",
    " ",
    "'x'",
    "''",
    "'",
    "1",
    "-2.5e3",
    "true",
    "null",
    "and",
    "or",
    "not",
    "any",
    "all",
    "2020-01-01",
    "2020-01-01T10:00:00+01:00",
    "a.eq(1)",
    "x.in(",
    "%",
]


@PROPERTY
@given(st.lists(st.sampled_from(WHERE_TOKENS), max_size=25).map("".join))
def test_where_token_soup_parses_or_raises_syntax_error(text):
    _parses_or_rejects({"where": text})
    _parses_or_rejects({"where[r]": text})


json_keys = st.sampled_from([".or", "$and", ".not", "$not", "a", "-b.in", "c.range", "d|e", ""])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(json_keys, inner, max_size=3),
    max_leaves=10,
)


@PROPERTY
@given(json_values)
def test_json_soup_parses_or_raises_syntax_error(value):
    _parses_or_rejects({"filter{}": json.dumps(value)})
