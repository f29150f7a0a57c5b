import pytest

from shared_querylang import (
    Dialect,
    Query,
    QuerySyntaxError,
    all_of,
    any_in,
    any_of,
    leaf,
    negate,
    parse,
)

ROUND_TRIP = [
    "filter{price.gte}=10&sort[]=-price&include[]=menu.*",
    "filter{-name}=x&filter{id.in}=1&filter{id.in}=2&page=2&per_page=20",
    'filter{}={"$or":[{"a":1},{"-b.in":[1,2]}]}',
    "where=not (a.eq(1) or b.eq('x'))&where[rel]=c.gt(2)",
    "where=any(groups, name.eq('Home') and since.gte(2020-01-01T10:00:00%2B01:00))",
    "fields=a,b.~all&omit=c&expand=d.&sort=-x:nulls_last,y&offset=4&exclude_count=0",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
@pytest.mark.parametrize("where", [False, True])
def test_round_trip(text, where):
    query = parse(text)
    assert parse(query.to_querystring(where=where)) == query
    assert parse(dict_of_lists(query.to_params(where=where))) == query


def dict_of_lists(pairs):
    out = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def test_docstring_example():
    q = parse("filter{price.gte}=10&sort[]=-price&include[]=menu.*")
    assert q.to_querystring() == "filter%7Bprice.gte%7D=10&include%5B%5D=menu.%2A&sort%5B%5D=-price"
    assert q.dialect() is Dialect.LEAVES


def test_forms_are_anded():
    q = parse('filter{a}=1&filter{}={"b":2}&where=c.eq(3)')
    assert q.filter == all_of(leaf("a", "eq", "1"), leaf("b", "eq", 2), leaf("c", "eq", 3))


def test_dialects():
    assert Query(filter=any_of(leaf("a", "eq", 1), leaf("b", "eq", 2))).dialect() is Dialect.JSON
    assert (
        Query(filter=negate(all_of(leaf("a", "eq", 1), leaf("b", "eq", 2)))).dialect()
        is Dialect.JSON_NOT
    )
    assert Query(filter=any_in("g", leaf("a", "eq", 1))).dialect() is Dialect.WHERE


def test_error_shape():
    with pytest.raises(QuerySyntaxError) as info:
        parse("where=a.eq(1) and")
    assert info.value.param == "where"
    assert info.value.position == 11
