"""Permissions across relations, over HTTP: `/api/users` needs a login, wherever users appear.

Every public path to a user's row (include, expand, embed, nested includes, the relation route,
filters and sorts through `creator`) answers what `/api/users` itself would: nothing to an
anonymous client, and never a user `UserViewSet.get_queryset` hides (inactive ones), to anyone.
docs/server.md, "Permissions across relations", lists these examples.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import LiveApi
from pizzeria_client.models import Pizza

from client_backend.exceptions import APIProgrammingError

GUEST = {"Authorization": "Bearer guest-token"}


@pytest.fixture(scope="module")
def anonymous(live_api: LiveApi) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_api.url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def guest(live_api: LiveApi) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_api.url, headers=GUEST, timeout=10) as client:
        yield client


def creators_named(body: Any, usernames: set[str]) -> set[str]:
    """The usernames of `usernames` that appear anywhere in a response body."""
    text = json.dumps(body)
    return {name for name in usernames if f'"{name}"' in text}


def usernames(dataset: Any) -> set[str]:
    return {user["username"] for user in dataset.users if user["first_name"]}


PUBLIC_PATHS_TO_USERS = [
    "pizzas?include[]=creator.*",
    "pizzas?expand=creator",
    "pizzas?sideloading=false&include[]=creator.*",
    "pizzas?include[]=creator.username",
    "menus?include[]=pizzas.creator.*",
    "reviews?include[]=pizza.creator.*",
    "pizzas/3/?include[]=creator.*",
]


def test_users_need_a_login(anonymous, guest):
    assert anonymous.get("users").status_code == 401
    assert guest.get("users").status_code == 200


@pytest.mark.parametrize("path", PUBLIC_PATHS_TO_USERS)
def test_anonymous_includes_of_users_render_no_user(path, anonymous, guest, dataset):
    names = usernames(dataset)
    seen = guest.get(path)
    assert seen.status_code == 200
    assert creators_named(seen.json(), names)  # the same request with a login shows them
    response = anonymous.get(path)
    assert response.status_code == 200
    body = response.json()
    assert "users" not in body
    assert creators_named(body, names) == set()
    pizzas = body.get("pizzas") or body.get("+pizzas") or [body.get("pizza")]
    assert pizzas and all(p["creator"] is None for p in pizzas)  # the id is private too


def test_the_relation_route_to_a_user_shows_no_user(anonymous, guest, dataset):
    """Forward to-one relations have no route (as in dynamic-rest): 404 to anyone."""
    for client in (anonymous, guest):
        response = client.get("pizzas/3/creator/")
        assert response.status_code == 404
        assert creators_named(response.json(), usernames(dataset)) == set()


@pytest.mark.parametrize(
    "query",
    [
        "filter{creator.username}=mario",
        "filter{creator.username}=nobody",
        "filter{-creator.username}=mario",
        "where=any(creator, username.eq('mario'))",
        "filter{creator|username}=mario",
        "sort[]=creator.username",
    ],
)
def test_anonymous_cannot_filter_or_sort_through_users(query, anonymous):
    response = anonymous.get(f"pizzas?{query}")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "unreadable_relation"
    assert error["field"].startswith("creator")
    assert "'users'" in error["detail"]


def test_the_refusal_is_no_oracle(anonymous):
    """The answer is the same whether a user matches or not (decided before any SQL)."""
    hit = anonymous.get("pizzas?filter{creator.username}=mario")
    miss = anonymous.get("pizzas?filter{creator.username}=nobody")
    assert (hit.status_code, hit.json()) == (miss.status_code, miss.json())


def test_logged_in_filters_through_users_still_work(guest, dataset):
    mario = next(u["id"] for u in dataset.users if u["username"] == "mario")
    expected = sorted(p["id"] for p in dataset.pizzas if p["creator"] == mario)
    hit = guest.get("pizzas?filter{creator.username}=mario&per_page=200").json()["pizzas"]
    assert sorted(p["id"] for p in hit) == expected
    miss = guest.get("pizzas?filter{creator.username}=nobody").json()["pizzas"]
    assert miss == []


@pytest.fixture
def inactive_creator(live_api: LiveApi) -> Iterator[tuple[int, int]]:
    """An inactive user (hidden by `UserViewSet.get_queryset`) who created one pizza."""
    code = (
        "from django.contrib.auth.models import User; from pizzeria_api.models import Pizza; "
        "u = User.objects.create(username='e2e-ghost', first_name='Ghost', is_active=False); "
        "p = Pizza.objects.create(name='E2E Ghost', price=9.0, creator=u); print(u.pk, p.pk)"
    )
    output = live_api.project.manage("shell", "-c", code)
    user, pizza = map(int, output.split()[-2:])  # after what `shell` itself prints
    yield user, pizza
    live_api.project.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from pizzeria_api.models import Pizza; "
        f"Pizza.objects.filter(pk={pizza}).delete(); User.objects.filter(pk={user}).delete()",
    )


def test_the_users_row_filter_reaches_every_path(inactive_creator, guest):
    user, pizza = inactive_creator
    assert guest.get(f"users/{user}/").status_code == 404
    assert guest.get(f"pizzas/{pizza}/").json()["pizza"]["creator"] is None
    included = guest.get(f"pizzas/{pizza}/?include[]=creator.*").json()
    assert included["pizza"]["creator"] is None
    assert "e2e-ghost" not in json.dumps(included)
    assert guest.get(f"pizzas/{pizza}/creator/").status_code == 404
    found = guest.get("pizzas?filter{creator.username}=e2e-ghost").json()["pizzas"]
    assert found == []


def test_the_orm_client_gets_an_error_not_an_empty_answer(dataset):
    """django-rest-models style reads: a filter through users is refused loudly, anonymously."""
    anonymous = Pizza.objects.using("api_anonymous")
    with pytest.raises(APIProgrammingError) as caught:
        list(anonymous.filter(creator__username="mario"))
    assert "may not read 'users'" in str(caught.value)
    assert set(anonymous.values_list("creator", flat=True)) == {None}  # private ids
    mario = next(u["id"] for u in dataset.users if u["username"] == "mario")
    logged_in = Pizza.objects.filter(creator__username="mario").values_list("creator", flat=True)
    assert set(logged_in) == {mario}
