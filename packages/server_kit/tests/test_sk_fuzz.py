"""Property: whatever a client asks, the answer is a 2xx or a structured 4xx, never a 500.

Queries are generated over the test app's real field names (plus a few wrong ones), with every
operator, typed values, AND/OR/NOT/quantifier trees, selections, sorts and pages, so that value
coercion, relation paths and limits are exercised, not just the parser. Paths also walk the
real relation graph up to ten times as deep as ``MAX_DEPTH`` allows, numbers go past every column's
and every float's range, and write bodies nest up to 100,000 deep.
"""

import datetime as dt
import json

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

#: The test app's relation graph (serializer field -> resource) and stored fields.
GRAPH = {
    "book": {"author": "author", "editor": "author", "tags": "tag", "reviews": "review"},
    "author": {"mentor": "author", "mentees": "author", "books": "book", "edited_books": "book"},
    "tag": {"books": "book"},
    "review": {"book": "book"},
}
FIELDS = {
    "book": ["id", "title", "price", "published", "in_print"],
    "author": ["id", "name", "birthday", "created"],
    "tag": ["id", "name"],
    "review": ["id", "rating", "text"],
}


@st.composite
def relation_walks(draw, start="book", max_hops=40):
    """A real relation path from ``start``: ``author.books.tags`` (and the resource it ends on)."""
    path, resource = [], start
    for _ in range(draw(st.integers(0, max_hops))):
        name = draw(st.sampled_from(sorted(GRAPH[resource])))
        path.append(name)
        resource = GRAPH[resource][name]
    return tuple(path), resource


@st.composite
def deep_paths(draw, start="book"):
    """A real path through up to 40 relations ending on a stored field (or the relation)."""
    relations, resource = draw(relation_walks(start))
    last = draw(st.sampled_from(FIELDS[resource])) if not relations or draw(st.booleans()) else None
    return ".".join(relations + ((last,) if last else ()))


HUGE = st.sampled_from([10**40, -(10**40), 2**63, 2**63 - 1, -(2**63) - 1, 1e308, -1e308, 1.5])

BOOK_PATHS = [
    "id", "title", "price", "published", "in_print", "summary", "shout", "author", "editor",
    "tags", "reviews", "author.name", "author.birthday", "author.created", "author.mentor.name",
    "editor.email", "tags.name", "reviews.rating", "reviews.text", "nope", "author.nope",
]  # fmt: skip
RELATIONS = ["tags", "reviews", "author.books", "author"]
RELATIVE_PATHS = ["id", "name", "rating", "title", "price", "books.title", "nope"]

values = st.one_of(
    HUGE,
    HUGE.map(str),
    st.just("a\x00b"),
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
    path = (
        draw(st.sampled_from(paths) | deep_paths())
        if paths is BOOK_PATHS
        else draw(st.sampled_from(paths))
    )
    return leaf(path, op, *draw(st.lists(values, min_size=count, max_size=count)))


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
    st.sampled_from(RELATIONS) | relation_walks().map(lambda walk: ".".join(walk[0]) or "tags"),
    trees(RELATIVE_PATHS),
)
selection_paths = st.lists(
    st.sampled_from(["author", "author.*", "tags.*", "reviews.book.*", "summary", "*", "nope"]).map(
        lambda p: tuple(p.split("."))
    ),
    max_size=2,
)
book_paths = (st.sampled_from(BOOK_PATHS) | deep_paths()).map(lambda p: tuple(p.split(".")))
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
        st.builds(Page, number=st.integers(1, 10**40), size=st.integers(1, 10**40)),
        st.builds(Page, offset=st.integers(0, 10**40), size=st.integers(1, 10**40)),
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


BODY_KEYS = ["id", "pk", "title", "price", "author", "editor", "tags", "published", "in_print"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | HUGE
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(BODY_KEYS), children, max_size=3)
    ),
    max_leaves=10,
)
objects = st.dictionaries(st.sampled_from(BODY_KEYS), json_values, max_size=5)
bodies = st.one_of(
    objects.map(json.dumps),
    st.lists(objects, max_size=3).map(json.dumps),
    st.lists(HUGE | st.integers(), max_size=3).map(json.dumps),
    st.integers(1, 100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 100_000).map(lambda n: '{"title":' * n + "1" + "}" * n),
    st.integers(1, 100_000).map(lambda n: "[" * n),
    st.sampled_from(['{"price": 1e400}', '[{"id": 1e400}]', '{"author": -1e400}', "[1e999]"]),
)
WRITES = [
    ("post", "/books/"),
    ("put", "/books/"),
    ("patch", "/books/"),
    ("delete", "/books/"),
    ("put", "/books/1/"),
    ("patch", "/books/1/"),
    ("patch", "/books/?patch-all=query"),
    ("post", "/tags/"),
    ("patch", "/authors/1/"),
]


@pytest.mark.django_db
@FUZZ
@given(write=st.sampled_from(WRITES), body=bodies)
def test_generated_write_bodies_never_500(api, library, write, body):
    method, url = write
    response = getattr(api, method)(url, data=body, content_type="application/json")
    event(f"status {response.status_code}")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        payload = response.json()
        assert payload["detail"] and all(error["detail"] for error in payload["errors"]), payload
