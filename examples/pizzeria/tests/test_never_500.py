"""Property, over HTTP on gunicorn (SQLite, and PostgreSQL in `nox -s e2e_postgres`): whatever
anyone sends, the API answers a 2xx or a 4xx with the JSON error body, never a 500.

Reads are anonymous and walk the pizzeria's real relation graph up to ten times deeper than
`MAX_DEPTH`, with every operator, quantifiers, sorts and pages, and numbers past every column's
and every float's range. Writes (with the writer's token) send generated objects, bulk lists,
bodies nested up to 100,000 deep and out-of-range numbers; they touch only a scratch pizza and
the pizzas they create, all deleted afterwards, so the seeded data the other tests read holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared_querylang import (
    OPERATORS,
    Page,
    Query,
    SortKey,
    all_in,
    all_of,
    any_in,
    any_of,
    leaf,
    negate,
)

GRAPH = {
    "pizza": {"menu": "menu", "toppings": "topping", "reviews": "review", "creator": "user"},
    "menu": {"pizzas": "pizza"},
    "topping": {"pizzas": "pizza"},
    "review": {"pizza": "pizza"},
    "user": {"pizzas": "pizza"},
}
FIELDS = {
    "pizza": ["id", "name", "price", "from_date", "to_date"],
    "menu": ["id", "name", "code"],
    "topping": ["id", "name", "cost"],
    "review": ["id", "author", "rating", "comment", "created_at"],
    "user": ["id", "username"],
}
ROUTES = {"pizza": "pizzas", "menu": "menus", "topping": "toppings", "review": "reviews"}
HUGE = st.sampled_from([10**40, -(10**40), 2**63, 2**63 - 1, -(2**63) - 1, 2**31, 1e308, 1.5])
NUMBERS = HUGE | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
VALUES = st.one_of(
    NUMBERS,
    HUGE.map(str),
    st.just("a\x00b"),
    st.text(max_size=8),
    st.booleans(),
    st.none(),
    st.dates(),
)
NEVER_500 = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def walks(draw: st.DrawFn, start: str) -> tuple[tuple[str, ...], str]:
    """A real relation path from `start` (up to 40 relations) and the resource it ends on."""
    path: list[str] = []
    resource = start
    for _ in range(draw(st.integers(0, 40))):
        name = draw(st.sampled_from(sorted(GRAPH[resource])))
        path.append(name)
        resource = GRAPH[resource][name]
    return tuple(path), resource


@st.composite
def paths(draw: st.DrawFn, start: str) -> str:
    """A real path ending on a stored field, or on a relation (its ids)."""
    relations, resource = draw(walks(start))
    if relations and draw(st.booleans()):
        return ".".join(relations)
    return ".".join((*relations, draw(st.sampled_from(FIELDS[resource]))))


@st.composite
def leaves(draw: st.DrawFn, start: str) -> Any:
    op = draw(st.sampled_from(sorted(OPERATORS)))
    count = {"in": draw(st.integers(0, 3)), "range": 2}.get(op, 1)
    return leaf(draw(paths(start)), op, *draw(st.lists(VALUES, min_size=count, max_size=count)))


@st.composite
def trees(draw: st.DrawFn, start: str) -> Any:
    node = draw(
        st.recursive(
            leaves(start),
            lambda children: st.one_of(
                st.lists(children, min_size=1, max_size=3).map(lambda c: all_of(*c)),
                st.lists(children, min_size=1, max_size=3).map(lambda c: any_of(*c)),
                children.map(negate),
            ),
            max_leaves=4,
        )
    )
    relations, resource = draw(walks(start))
    if relations and draw(st.booleans()):  # a quantifier through the walk
        quantifier = any_in if draw(st.booleans()) else all_in
        node = all_of(node, quantifier(".".join(relations), draw(leaves(resource))))
    return node


@st.composite
def reads(draw: st.DrawFn) -> tuple[str, str]:
    resource = draw(st.sampled_from(sorted(ROUTES)))
    sort = st.builds(SortKey, paths(resource).map(lambda p: tuple(p.split("."))), st.booleans())
    query = Query(
        filter=draw(st.none() | trees(resource)),
        sort=tuple(draw(st.lists(sort, max_size=2))),
        page=draw(
            st.builds(Page, number=st.none() | st.integers(1, 10**40), size=st.integers(1, 10**40))
            | st.builds(Page, offset=st.integers(0, 10**40), size=st.integers(1, 10**40))
        ),
    )
    return ROUTES[resource], query.to_querystring(where=draw(st.booleans()))


def assert_answered(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/json", response.text[:300]
        body = response.json()
        assert body["detail"] and all(error["detail"] for error in body["errors"]), body


@pytest.fixture(scope="module")
def anonymous(live_api: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_api.url, timeout=30) as client:
        yield client


@NEVER_500
@given(read=reads())
def test_generated_reads_never_500(anonymous: httpx.Client, read: tuple[str, str]) -> None:
    route, querystring = read
    assert_answered(anonymous.get(f"{route}/?{querystring}"))


# -- writes ---------------------------------------------------------------------------

BODY_KEYS = ["name", "price", "menu", "toppings", "creator", "to_date", "from_date", "reviews"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.integers(1, 5) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(BODY_KEYS), children, max_size=3)
    ),
    max_leaves=8,
)
OBJECTS = st.dictionaries(st.sampled_from(BODY_KEYS), JSON_VALUES, max_size=5)
RAW_BODIES = st.one_of(
    st.integers(1, 100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 100_000).map(lambda n: '{"name":' * n + "1" + "}" * n),
    st.integers(1, 100_000).map(lambda n: "[" * n),
    st.sampled_from(['{"price": 1e400}', '[{"id": 1e400}]', '{"menu": -1e400}', "[1e999]"]),
)


@pytest.fixture(scope="module")
def scratch(live_api: Any) -> Iterator[tuple[httpx.Client, int, list[int]]]:
    """The writer's client, a scratch pizza, and the ids of pizzas to delete afterwards."""
    headers = {"Authorization": "Bearer restbridge-token", "Content-Type": "application/json"}
    with httpx.Client(base_url=live_api.url, headers=headers, timeout=30) as client:
        response = client.post("pizzas/", json={"name": "E2E scratch", "price": 1})
        assert response.status_code == 201, response.text
        pizza = response.json()["pizza"]["id"]
        created = [pizza]
        yield client, pizza, created
        for pk in created:
            client.delete(f"pizzas/{pk}/")


@st.composite
def writes(draw: st.DrawFn, pizza: int) -> tuple[str, str, str]:
    """(method, path, body): only the scratch pizza, new pizzas and ids no row has are written."""
    safe_id = st.sampled_from([pizza, 10**6]) | HUGE
    with_id = st.builds(lambda item, pk: {**item, "id": pk}, OBJECTS, safe_id)
    method, path, data = draw(
        st.one_of(
            st.tuples(st.just("post"), st.just("pizzas/"), OBJECTS | st.lists(OBJECTS, max_size=2)),
            st.tuples(st.sampled_from(["put", "patch"]), st.just(f"pizzas/{pizza}/"), OBJECTS),
            st.tuples(st.sampled_from(["put", "patch"]), st.just("pizzas/"), st.lists(with_id)),
            st.tuples(st.just("delete"), st.just("pizzas/"), st.lists(HUGE | st.just(10**6))),
            st.tuples(
                st.just("patch"), st.just(f"pizzas/?filter{{id}}={pizza}&patch-all=query"), OBJECTS
            ),
        )
    )
    body = draw(st.just(json.dumps(data)) | RAW_BODIES)
    return method, path, body


def created_ids(response: httpx.Response) -> list[int]:
    if response.status_code != 201:
        return []
    body = response.json()
    return [row["id"] for row in body.get("pizzas", [body.get("pizza")]) if row]


@NEVER_500
@given(data=st.data())
def test_generated_writes_never_500(
    scratch: tuple[httpx.Client, int, list[int]], data: st.DataObject
) -> None:
    client, pizza, created = scratch
    method, path, body = data.draw(writes(pizza))
    response = client.request(method, path, content=body)
    created += created_ids(response)
    assert_answered(response)
