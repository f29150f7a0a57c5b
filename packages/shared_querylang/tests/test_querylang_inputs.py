"""Input kinds (strings, mappings, QueryDict-like objects) and configurable limits."""

import pytest

from shared_querylang import Limits, QuerySyntaxError, leaf, parse
from shared_querylang.jsontree import nests_deeper
from shared_querylang.limits import DEFAULT_LIMITS, MAX_DEPTH_CEILING


class FakeQueryDict(dict):
    """Like Django's QueryDict: items() gives the last value, lists() all of them."""

    def __init__(self, lists):
        super().__init__({k: v[-1] for k, v in lists.items()})
        self._lists = lists

    def lists(self):
        return iter(self._lists.items())


def test_querydict_is_read_through_lists():
    query = parse(FakeQueryDict({"filter{id.in}": ["1", "2"]}))
    assert query.filter == leaf("id", "in", "1", "2")


def test_mapping_values_may_be_str_or_sequences():
    assert parse({"filter{a}": "1"}) == parse({"filter{a}": ["1"]}) == parse({"filter{a}": ("1",)})


@pytest.mark.parametrize(
    ("mapping", "param", "message"),
    [
        ({1: "x"}, "1", "parameter names must be str, not 1"),
        ({"a": 1}, "a", "expected a str or a sequence of str, got 1"),
        ({"a": [b"x"]}, "a", "expected a str or a sequence of str, got [b'x']"),
        ({"a": None}, "a", "expected a str or a sequence of str, got None"),
    ],
)
def test_bad_mappings(mapping, param, message):
    with pytest.raises(QuerySyntaxError) as info:
        parse(mapping)
    assert (info.value.param, info.value.reason) == (param, message)


def test_not_a_query():
    with pytest.raises(TypeError, match="parse\\(\\) takes a str or a mapping, not bytes"):
        parse(b"filter{a}=1")  # type: ignore[arg-type]


def test_query_length_limit():
    limits = Limits(max_query_length=20)
    parse("filter{abcdefghi}=12", limits=limits)
    for source in ("filter{abcdefghi}=123", {"filter{abcdefghi}": "12345"}):
        with pytest.raises(QuerySyntaxError) as info:
            parse(source, limits=limits)
        assert info.value.param == ""
        assert info.value.position == 20
        assert "at most 20 are allowed" in info.value.reason


@pytest.mark.parametrize(
    ("query", "limits", "param", "position", "message"),
    [
        ("where=a.eq(1) or b.eq(2)", Limits(max_nodes=2), "where", 11, "more than 2 nodes"),
        ('filter{}={"a":1,"b":2}', Limits(max_nodes=1), "filter{}", 7, "more than 1 nodes"),
        ("where=((a.eq(1)))", Limits(max_depth=1), "where", 1, "deeper than 1 levels"),
        ("where=not not a.eq(1)", Limits(max_depth=1), "where", 4, "deeper than 1 levels"),
        ("where=any(r, b.eq(1))", Limits(max_depth=1, max_nodes=2), "where", None, None),
        ("where=any(r, any(s, b.eq(1)))", Limits(max_depth=1), "where", 7, "deeper than 1"),
        (
            'filter{}={".or":[{"a":1},{".not":{"b":1}}]}',
            Limits(max_depth=2),
            "filter{}",
            None,
            "deeper than 2 levels",
        ),
        (
            "filter{a.in}=1&filter{a.in}=2",
            Limits(max_in_values=1),
            "filter{a.in}",
            None,
            "at most 1",
        ),
        ("where=a.in(1,2,3)", Limits(max_in_values=2), "where", 0, "'in' takes at most 2 values"),
        ("include[]=a.b.c", Limits(max_selection_depth=2), "include[]", 0, "has 3 levels"),
        ("fields=x,a.b.c", Limits(max_selection_depth=2), "fields", 2, "at most 2 are allowed"),
    ],
)
def test_limits(query, limits, param, position, message):
    if message is None:
        parse(query, limits=limits)
        return
    with pytest.raises(QuerySyntaxError) as info:
        parse(query, limits=limits)
    assert info.value.param == param
    assert info.value.position == position
    assert message in info.value.reason


def test_json_brackets_inside_strings_do_not_count_as_nesting():
    text = 'filter{}={"a":"[[[[{{{{"}'
    assert parse(text, limits=Limits(max_depth=1)).filter == leaf("a", "eq", "[[[[{{{{")
    escaped = 'filter{}={"a":"\\"[[[["}'
    assert parse(escaped, limits=Limits(max_depth=1)).filter == leaf("a", "eq", '"[[[[')


def test_json_positions_unknown_for_escaped_keys():
    with pytest.raises(QuerySyntaxError) as info:
        parse('filter{}={"\\u0061.b c":1}')
    assert info.value.position is None
    assert info.value.reason.startswith("'b c' is not a field name")


def test_where_offset_minutes_must_be_below_60():
    with pytest.raises(QuerySyntaxError, match="is not a valid date or datetime"):
        parse("where=a.eq(2020-01-01T10:00%2B01:60)")


@pytest.mark.parametrize(
    "kwargs",
    [{"max_nodes": 0}, {"max_depth": True}, {"max_in_values": "5"}, {"max_depth": 101}],
)
def test_limits_are_validated(kwargs):
    with pytest.raises(ValueError, match="must be"):
        Limits(**kwargs)


def test_default_limits():
    assert DEFAULT_LIMITS == Limits()
    assert DEFAULT_LIMITS.max_depth <= MAX_DEPTH_CEILING


def test_deepest_allowed_nesting_parses():
    limits = Limits(max_depth=MAX_DEPTH_CEILING, max_nodes=10_000)
    depth = MAX_DEPTH_CEILING
    query = parse("where=" + "(" * depth + "a.eq(1)" + ")" * depth, limits=limits)
    assert query.filter == leaf("a", "eq", 1)
    text = "where=" + "not (a.eq(1) and " * (depth // 2) + "b.eq(1)" + ")" * (depth // 2)
    assert parse(text, limits=limits).filter is not None


@pytest.mark.parametrize(
    ("text", "limit", "deeper"),
    [
        ("[[1]]", 2, False),  # fewer brackets than the limit: no scan
        ('[{"a": [1, {"b": "]]]"}]}, [], {}]', 4, False),
        ('[{"a": [1, {"b": "[[["}]}]', 3, True),
        ("[" * 100_000, 64, True),  # unmatched: json.loads would recurse 100,000 times
        ("[" * 100_000 + "]" * 100_000, 64, True),
        ("[" * 64 + "]" * 64 + "[]" * 1000, 64, False),
        ("[}" * 1000, 64, False),  # mismatched, shallow: json.loads reports it
        ('["\\"[[[[", "unterminated [[[[', 2, False),
        ("]]]][[[[", 3, False),  # json.loads stops at the first ']'
    ],
)
def test_nests_deeper(text, limit, deeper):
    assert nests_deeper(text, limit) is deeper
