"""The drf-flex-fields flavour (`/api/flex/`) over HTTP, checked against the seeded data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("live_api")


def test_list_is_bare_with_expanded_menu(api_http, dataset):
    response = api_http.get("flex/pizzas/", params={"expand": "menu", "omit": "toppings"})
    assert response.status_code == 200, response.text
    menus = dataset.by_id("menus")
    expected = [
        {
            "id": p["id"],
            "name": p["name"],
            "price": f"{p['price']:.2f}",  # a DecimalField renders as its string
            "menu": None
            if p["menu"] is None
            else {k: menus[p["menu"]][k] for k in ("id", "name", "code")},
        }
        for p in sorted(dataset.pizzas, key=lambda p: p["id"])
    ]
    assert response.json() == expected


def test_two_level_expansion_with_sparse_fields(api_http, dataset):
    response = api_http.get(
        "flex/reviews/",
        params={"expand": "pizza.menu", "fields": "id,pizza.name,pizza.menu.code"},
    )
    assert response.status_code == 200, response.text
    pizzas, menus = dataset.by_id("pizzas"), dataset.by_id("menus")
    for row in response.json():
        review = dataset.by_id("reviews")[row["id"]]
        pizza = pizzas[review["pizza"]]
        menu = None if pizza["menu"] is None else {"code": menus[pizza["menu"]]["code"]}
        assert row == {"id": review["id"], "pizza": {"name": pizza["name"], "menu": menu}}
    assert len(response.json()) == len(dataset.reviews)


def test_list_ignores_expansions_the_view_does_not_permit(api_http, dataset):
    # permit_list_expands does not list pizza.menu.pizzas: the list renders the pizza id.
    response = api_http.get("flex/reviews/", params={"expand": "pizza.menu.pizzas"})
    assert response.status_code == 200, response.text
    assert all(isinstance(row["pizza"], int) for row in response.json())
