"""AST construction rules: validation, normalisation and typed equality."""

import datetime as dt
import pickle

import pytest

from shared_querylang import (
    And,
    Leaf,
    Not,
    Or,
    Page,
    Quantified,
    Query,
    QuerySyntaxError,
    RelationFilter,
    Selection,
    SortKey,
    all_of,
    any_of,
    conjuncts,
    leaf,
    negate,
    parse_path,
)
from shared_querylang.jsontree import format_tree
from shared_querylang.nodes import all_in, any_in
from shared_querylang.operators import check_arity

A = leaf("a", "eq", "1")
B = leaf("b", "eq", "2")


def test_builders_normalise():
    assert all_of(A) is A
    assert all_of(all_of(A, B), A) == And((A, B, A))
    assert any_of(any_of(A, B), B) == Or((A, B, B))
    assert negate(negate(A)) == A
    assert leaf("a", "ge", 1) == leaf(("a",), "gte", 1)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: all_of(), "And needs at least one child"),
        (lambda: And((A,)), "needs at least two children"),
        (lambda: Or((A, Or((A, B)))), "Or inside Or"),
        (lambda: Not(Not(A)), "a Not of a Not"),
        (lambda: leaf("a", "nope", 1), "unknown operator 'nope'"),
        (lambda: Leaf(("a",), "ge", (1,)), "non-canonical operator 'ge'"),
        (lambda: leaf("a", "eq"), "'eq' takes exactly 1 value, got 0"),
        (lambda: leaf("a", "range", 1), "'range' takes exactly 2 values"),
        (lambda: leaf("a.", "eq", 1), "segment '' is not a field name"),
        (lambda: leaf("é", "eq", 1), "segment 'é' is not a field name"),
        (lambda: leaf((), "eq", 1), "leaf path must not be empty"),
        (lambda: leaf("a", "eq", float("nan")), "is not a finite number"),
        (lambda: leaf("a", "eq", "\ud800"), "is not valid Unicode text"),
        (lambda: Quantified("some", ("a",), A), "quantifier must be 'any' or 'all'"),
        (lambda: any_in("a..b", A), "segment '' is not a field name"),
        (lambda: parse_path("1a"), "segment '1a' is not a field name"),
        (lambda: Selection(include=(("a", "b c"),)), "must be dotted field names or '*'"),
        (
            lambda: SortKey(
                ("a", ""),
            ),
            "sort path 'a.' must be dotted field names",
        ),
        (lambda: SortKey(("a",), nulls="middle"), "nulls must be 'first', 'last' or None"),
        (lambda: RelationFilter((), A), "relation '' must be dotted field names"),
        (lambda: Page(number=0), "page number must be 1 or more"),
        (lambda: Page(size=0), "page size must be 1 or more"),
        (lambda: Page(offset=-1), "offset must be 0 or more"),
        (lambda: Page(number=1, offset=0), "give a page number or an offset, not both"),
        (
            lambda: Query(relation_filters=(RelationFilter(("a",), A), RelationFilter(("a",), B))),
            "one RelationFilter per relation",
        ),
    ],
)
def test_invalid_construction(build, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()


def test_type_errors():
    with pytest.raises(TypeError, match="of type list is not a query value"):
        leaf("a", "eq", [1])
    with pytest.raises(TypeError, match="page size must be an int, not a bool"):
        Page(size=True)


def test_leaves_compare_by_type_and_form():
    values = ["1", 1, 1.0, True]
    leaves = {leaf("a", "eq", v) for v in values}
    assert len(leaves) == 4
    assert leaf("a", "eq", 0.0) != leaf("a", "eq", -0.0)
    utc = dt.datetime(2020, 1, 1, 12, tzinfo=dt.UTC)
    plus_one = dt.datetime(2020, 1, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert utc == plus_one  # the same instant...
    assert leaf("a", "eq", utc) != leaf("a", "eq", plus_one)  # ...written differently
    assert leaf("a", "eq", dt.date(2020, 1, 1)) != leaf("a", "eq", dt.datetime(2020, 1, 1))
    assert hash(leaf("a", "in", 1, "x")) == hash(leaf("a", "in", 1, "x"))
    assert A != "a"
    assert leaf("a", "eq", 5).value == 5


def test_query_is_hashable_and_orders_relation_filters():
    q1 = Query(relation_filters=(RelationFilter(("b",), A), RelationFilter(("a",), B)))
    q2 = Query(relation_filters=(RelationFilter(("a",), B), RelationFilter(("b",), A)))
    assert q1 == q2 and hash(q1) == hash(q2)
    assert [rf.relation for rf in q1.relation_filters] == [("a",), ("b",)]
    assert not Selection() and Selection(omit=(("x",),))


def test_syntax_error_pickles():
    error = QuerySyntaxError("bad", param="where", position=3)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.reason, copy.param, copy.position, str(copy)) == (
        "bad",
        "where",
        3,
        "where at position 3: bad",
    )
    assert isinstance(copy, ValueError)


def test_format_tree_refuses_quantifiers():
    with pytest.raises(ValueError, match="Quantified cannot be written as filter"):
        format_tree(all_in("a", A))


@pytest.mark.parametrize(
    ("op", "count", "problem"),
    [
        ("eq", 1, None),
        ("in", 0, None),
        ("range", 2, None),
        ("range", 3, "'range' takes exactly 2 values, got 3"),
        ("gt", 0, "'gt' takes exactly 1 value, got 0; only 'in' and 'range' take several"),
    ],
)
def test_check_arity(op, count, problem):
    assert check_arity(op, count) == problem


def test_conjuncts_lists_the_top_level_and():
    a, b = leaf("a", "eq", "1"), leaf("b", "eq", "2")
    either = any_of(a, b)
    assert conjuncts(None) == ()
    assert conjuncts(a) == (a,)
    assert conjuncts(either) == (either,)
    assert conjuncts(all_of(a, b, either)) == (a, b, either)
