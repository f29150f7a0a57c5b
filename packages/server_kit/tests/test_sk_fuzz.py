"""Property: whatever a client asks, the answer is a 2xx or a structured 4xx, never a 500.

Queries are generated over the test app's real field names (plus a few wrong ones), with every
operator, typed values, AND/OR/NOT/quantifier trees, selections, sorts and pages, so that value
coercion, relation paths and limits are exercised, not just the parser.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shared_querylang import (
    OPERATORS,
    Page,
    Query,
    Selection,
    SortKey,
    all_in,
    all_of,
    any_in,
    any_of,
    leaf,
    negate,
)

BOOK_PATHS = [
    "id", "title", "price", "published", "in_print", "summary", "shout", "author", "editor",
    "tags", "reviews", "author.name", "author.birthday", "author.created", "author.mentor.name",
    "editor.email", "tags.name", "reviews.rating", "reviews.text", "nope", "author.nope",
]  # fmt: skip
RELATIONS = ["tags", "reviews", "author.books", "author"]
RELATIVE_PATHS = ["id", "name", "rating", "title", "price", "books.title", "nope"]

values = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.datetimes(),
)


@st.composite
def leaves(draw, paths):
    op = draw(st.sampled_from(sorted(OPERATORS)))
    count = {"in": draw(st.integers(0, 3)), "range": 2}.get(op, 1)
    return leaf(
        draw(st.sampled_from(paths)), op, *draw(st.lists(values, min_size=count, max_size=count))
    )


def trees(paths):
    return st.recursive(
        leaves(paths),
        lambda children: st.one_of(
            st.lists(children, min_size=1, max_size=3).map(lambda c: all_of(*c)),
            st.lists(children, min_size=1, max_size=3).map(lambda c: any_of(*c)),
            children.map(negate),
        ),
        max_leaves=6,
    )


quantified = st.builds(
    lambda kind, relation, condition: (any_in if kind else all_in)(relation, condition),
    st.booleans(),
    st.sampled_from(RELATIONS),
    trees(RELATIVE_PATHS),
)
selection_paths = st.lists(
    st.sampled_from(["author", "author.*", "tags.*", "reviews.book.*", "summary", "*", "nope"]).map(
        lambda p: tuple(p.split("."))
    ),
    max_size=2,
)
book_paths = st.sampled_from(BOOK_PATHS).map(lambda p: tuple(p.split(".")))
with_quantifier = st.builds(lambda a, b: all_of(a, b), trees(BOOK_PATHS), quantified)
queries = st.builds(
    Query,
    filter=st.none() | trees(BOOK_PATHS) | with_quantifier,
    selection=st.builds(
        Selection, include=selection_paths.map(tuple), exclude=selection_paths.map(tuple),
        expand=selection_paths.map(tuple),
    ),
    sort=st.lists(
        st.builds(SortKey, book_paths, st.booleans()),
        max_size=2,
    ).map(tuple),
    page=st.one_of(
        st.builds(Page, number=st.none() | st.integers(1, 5), size=st.none() | st.integers(1, 500)),
        st.builds(Page, offset=st.integers(0, 10), size=st.integers(1, 5)),
    ),
    sideloading=st.none() | st.booleans(),
)  # fmt: skip


def assert_answered(response):
    event(f"status {response.status_code}")  # --hypothesis-show-statistics shows the mix
    assert response.status_code < 500, response.content
    body = response.json()
    if response.status_code >= 400:
        assert body["detail"], body
        assert all(error["detail"] for error in body["errors"]), body
    else:
        assert "books" in body


FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@FUZZ
@given(query=queries, where=st.booleans())
def test_generated_queries_never_500(api, library, query, where):
    assert_answered(api.get(f"/books/?{query.to_querystring(where=where)}"))


@pytest.mark.django_db
@FUZZ
@given(
    name=st.sampled_from(["where", "filter{}", "filter{price.gte}", "include[]", "sort[]", "page"]),
    value=st.text(max_size=40),
)
def test_arbitrary_parameter_values_never_500(api, library, name, value):
    assert_answered(api.get("/books/", {name: value}))
