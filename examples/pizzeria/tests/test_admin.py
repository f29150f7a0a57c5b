"""The client's Django admin over the API, driven through Django's test client."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.test import Client

ADMIN = "/admin/pizzeria_client"
ROW_LINK = re.compile(r'<th class="field-[a-z_]+[^"]*"><a href="[^"]*?/(\d+)/change/')
PASSWORD = "e2e-admin-password"

pytestmark = pytest.mark.usefixtures("live_api", "client_db")


@pytest.fixture
def browser() -> Client:
    """A browser logged in to the admin through the login form."""
    if not User.objects.filter(username="e2e-admin").exists():
        User.objects.create_superuser("e2e-admin", "e2e@example.com", PASSWORD)
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": "e2e-admin", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/admin/"
    return client


def row_ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:2000]
    return [int(pk) for pk in ROW_LINK.findall(response.content.decode())]


def test_login_is_required():
    response = Client().get(f"{ADMIN}/pizza/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("model", "kind", "per_page"),
    [
        ("pizza", "pizzas", 20),
        ("menu", "menus", 100),
        ("topping", "toppings", 10),
        ("review", "reviews", 25),
        ("creator", "users", 100),
    ],
)
def test_each_changelist(browser, dataset, model, kind, per_page):
    response = browser.get(f"{ADMIN}/{model}/")
    shown = row_ids(response)
    rows = getattr(dataset, kind)
    if kind == "users":
        assert len(shown) >= 6  # the creators, plus the API's own accounts
    else:
        assert len(shown) == min(per_page, len(rows))
        assert set(shown) <= {row["id"] for row in rows}
    assert str(len(rows)) in response.content.decode() or kind == "users"


def test_pizza_search_across_fields(browser, dataset):
    menus, users = dataset.by_id("menus"), dataset.by_id("users")
    expected = sorted(
        p["id"]
        for p in dataset.pizzas
        if "spicy" in p["name"].lower()
        or "spicy" in menus[p["menu"]]["name"].lower()
        or "spicy" in users[p["creator"]]["username"]
    )
    shown = row_ids(browser.get(f"{ADMIN}/pizza/", {"q": "spicy"}))
    assert sorted(shown) == expected[:20]
    assert expected  # "Spicy" is a seeded menu


def test_pizza_filter_by_menu(browser, dataset):
    menu = next(m for m in dataset.menus if m["code"] == "VEG")
    expected = sorted(p["id"] for p in dataset.pizzas if p["menu"] == menu["id"])
    shown = row_ids(browser.get(f"{ADMIN}/pizza/", {"menu__id__exact": menu["id"]}))
    assert sorted(shown) == expected[:20]


def test_pizza_sort_by_price_descending(browser, dataset):
    # o=-2: the second list_display column (price), descending, then the ModelAdmin's
    # ordering (name, id) breaks ties.
    ranked = sorted(dataset.pizzas, key=lambda p: (-p["price"], p["name"], p["id"]))
    expected = [p["id"] for p in ranked]
    assert row_ids(browser.get(f"{ADMIN}/pizza/", {"o": "-2"})) == expected[:20]


def test_prices_show_as_money(browser, dataset):
    """A decimal price: two places, exact ("15.00", not "15.0")."""
    page = browser.get(f"{ADMIN}/pizza/", {"o": "-2"}).content.decode()
    top = max(p["price"] for p in dataset.pizzas)
    assert f'<td class="field-price">{top:.2f}</td>' in page


def test_pizza_pages(browser, dataset):
    ordered = [p["id"] for p in sorted(dataset.pizzas, key=lambda p: (p["name"], p["id"]))]
    pages = [row_ids(browser.get(f"{ADMIN}/pizza/", {"p": n})) for n in (1, 2, 3)]
    assert pages == [ordered[0:20], ordered[20:40], ordered[40:60]]


def test_review_filter_and_search(browser, dataset):
    expected = sorted((r["id"] for r in dataset.reviews if r["rating"] == 5), reverse=True)
    assert row_ids(browser.get(f"{ADMIN}/review/", {"rating": 5})) == expected[:25]
    ada = sorted((r["id"] for r in dataset.reviews if r["author"] == "Ada"), reverse=True)
    assert row_ids(browser.get(f"{ADMIN}/review/", {"q": "Ada"})) == ada[:25]


@pytest.fixture
def fresh_pizza(api_http, cleanup, dataset):
    menu = dataset.menus[0]["id"]
    response = api_http.post(
        "pizzas", json={"name": "E2E Admin", "price": 10.0, "menu": menu, "toppings": []}
    )
    assert response.status_code == 201, response.text
    pizza = response.json()["pizza"]
    cleanup.append(f"pizzas/{pizza['id']}/")
    return pizza


def test_change_a_pizza_and_add_a_review_inline(browser, api_http, fresh_pizza, dataset):
    url = f"{ADMIN}/pizza/{fresh_pizza['id']}/change/"
    assert browser.get(url).status_code == 200
    new_menu = dataset.menus[1]["id"]
    toppings = [t["id"] for t in dataset.toppings[:2]]
    response = browser.post(
        url,
        {
            "name": "E2E Admin Renamed",
            "price": "12.5",
            "to_date_0": "2030-01-01",
            "to_date_1": "12:00:00",
            "menu": new_menu,
            "creator": "",
            "toppings": toppings,
            "reviews-TOTAL_FORMS": "1",
            "reviews-INITIAL_FORMS": "0",
            "reviews-MIN_NUM_FORMS": "0",
            "reviews-MAX_NUM_FORMS": "1000",
            "reviews-0-author": "Barbara",
            "reviews-0-rating": "4",
            "reviews-0-comment": "Added from the admin",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    stored = api_http.get(f"pizzas/{fresh_pizza['id']}/").json()["pizza"]
    assert (stored["name"], stored["price"], stored["menu"]) == (
        "E2E Admin Renamed",
        "12.50",
        new_menu,
    )
    assert sorted(stored["toppings"]) == sorted(toppings)
    assert stored["to_date"].startswith("2030-01-01")
    reviews = api_http.get("reviews", params={"filter{pizza}": fresh_pizza["id"]}).json()
    assert [(r["author"], r["rating"]) for r in reviews["reviews"]] == [("Barbara", 4)]


def test_delete_a_topping(browser, api_http):
    response = api_http.post("toppings", json={"name": "E2E Admin Topping", "cost": 0.5})
    assert response.status_code == 201, response.text
    topping = response.json()["topping"]["id"]
    url = f"{ADMIN}/topping/{topping}/delete/"
    try:
        assert browser.get(url).status_code == 200
        response = browser.post(url, {"post": "yes"})
        assert response.status_code == 302, response.content.decode()[-3000:]
    finally:
        status = api_http.get(f"toppings/{topping}/").status_code
        if status == 200:
            api_http.delete(f"toppings/{topping}/")
    assert status == 404


def test_add_a_menu(browser, api_http):
    response = browser.post(f"{ADMIN}/menu/add/", {"name": "E2E Brunch", "code": "BRU"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    found = api_http.get("menus", params={"filter{code}": "BRU"}).json()["menus"]
    for menu in found:
        api_http.delete(f"menus/{menu['id']}/")
    assert [m["name"] for m in found] == ["E2E Brunch"]


def test_delete_a_pizza_with_toppings(browser, api_http, dataset):
    toppings = [t["id"] for t in dataset.toppings[:2]]
    body = {"name": "E2E Doomed", "price": 9, "menu": dataset.menus[0]["id"], "toppings": toppings}
    pizza = api_http.post("pizzas", json=body).json()["pizza"]["id"]
    url = f"{ADMIN}/pizza/{pizza}/delete/"
    try:
        page = browser.get(url)
        assert page.status_code == 200, page.content.decode()[-3000:]
        response = browser.post(url, {"post": "yes"})
        assert response.status_code == 302, response.content.decode()[-3000:]
    finally:
        status = api_http.get(f"pizzas/{pizza}/").status_code
        if status == 200:
            api_http.delete(f"pizzas/{pizza}/")
    assert status == 404


@pytest.mark.parametrize("model", ["pizza", "review", "topping"])
def test_changelists_show_counts(browser, dataset, model):
    """ "Show counts" (facets): each filter choice is counted by one count request."""
    response = browser.get(f"{ADMIN}/{model}/", {"_facets": "True"})
    assert response.status_code == 200, response.content.decode()[-3000:]
    if model == "review":
        fives = sum(1 for r in dataset.reviews if r["rating"] == 5)
        assert f"5 ({fives})" in response.content.decode()
    if model == "pizza":
        menu = dataset.menus[0]
        count = sum(1 for p in dataset.pizzas if p["menu"] == menu["id"])
        assert f"{menu['name']} ({count})" in response.content.decode()


def test_seeded_offers_end_after_they_start(dataset):
    assert all(p["to_date"][:10] > p["from_date"] for p in dataset.pizzas)


def test_review_filter_choices_cost_one_small_request(browser, requests_on, dataset):
    """The rating filter's choices are the distinct ratings: one request, not every row."""
    with requests_on() as sent:
        response = browser.get(f"{ADMIN}/review/")
    assert response.status_code == 200
    lines = [unquote(q["sql"]) for q in sent.captured_queries]
    ratings = [line for line in lines if "?include[]=rating&exclude[]=*&" in line]
    assert len(ratings) == 1 and "distinct=true" in ratings[0], lines
    for rating in sorted({r["rating"] for r in dataset.reviews}):
        assert f'href="?rating={rating}"' in response.content.decode()


def test_bulk_delete_pizzas_with_toppings(browser, api_http, dataset):
    toppings = [t["id"] for t in dataset.toppings[:2]]
    body = {"price": 9, "menu": dataset.menus[0]["id"], "toppings": toppings}
    pizzas = [api_http.post("pizzas", json=body | {"name": f"E2E Bulk {n}"}) for n in (1, 2)]
    ids = [response.json()["pizza"]["id"] for response in pizzas]
    form = {"action": "delete_selected", "_selected_action": ids}
    try:
        page = browser.post(f"{ADMIN}/pizza/", form)
        assert page.status_code == 200, page.content.decode()[-3000:]
        assert "Pizza-topping relationships: 4" in page.content.decode()
        response = browser.post(f"{ADMIN}/pizza/", form | {"post": "yes"})
        assert response.status_code == 302, response.content.decode()[-3000:]
    finally:
        statuses = [api_http.get(f"pizzas/{pk}/").status_code for pk in ids]
        for pk, status in zip(ids, statuses, strict=True):
            if status == 200:
                api_http.delete(f"pizzas/{pk}/")
    assert statuses == [404, 404]
