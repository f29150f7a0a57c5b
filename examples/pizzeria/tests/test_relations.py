"""Relations in every direction, and what select_related / prefetch_related cost in requests."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Prefetch
from pizzeria_client.models import Creator, Menu, Pizza, Review, Topping

pytestmark = pytest.mark.usefixtures("live_api")


def test_forward_foreign_key_is_loaded_lazily(dataset, requests_on):
    row = dataset.pizzas[3]
    menus = dataset.by_id("menus")
    pizza = Pizza.objects.get(pk=row["id"])
    with requests_on() as sent:
        assert pizza.menu.name == menus[row["menu"]]["name"]
    assert len(sent) == 1


def test_reverse_foreign_key_manager(dataset):
    menu = Menu.objects.get(code="SPI")
    expected = sorted(p["id"] for p in dataset.pizzas if p["menu"] == menu.pk)
    assert sorted(menu.pizzas.values_list("id", flat=True)) == expected
    assert menu.pizzas.count() == len(expected)


def test_many_to_many_both_ways(dataset):
    row = dataset.pizzas[5]
    pizza = Pizza.objects.get(pk=row["id"])
    assert sorted(t.pk for t in pizza.toppings.all()) == sorted(row["toppings"])
    topping = Topping.objects.get(pk=row["toppings"][0])
    expected = sorted(p["id"] for p in dataset.pizzas if topping.pk in p["toppings"])
    assert sorted(p.pk for p in topping.pizzas.all()) == expected


def test_reverse_of_user_foreign_key(dataset):
    mario = next(u for u in dataset.users if u["username"] == "mario")
    expected = sorted(p["id"] for p in dataset.pizzas if p["creator"] == mario["id"])
    creator = Creator.objects.get(username="mario")
    assert sorted(creator.pizzas.values_list("id", flat=True)) == expected


def forward_fk(d):
    return [p for p in d.pizzas if d.menu(p) == "VEG"]


def forward_fk_user(d):
    return [p for p in d.pizzas if d.user(p) == "luigi"]


def forward_m2m(d):
    return [p for p in d.pizzas if "Basil" in d.topping_names(p)]


def reverse_fk(d):
    return [p for p in d.pizzas if 1 in d.ratings(p)]


def reverse_fk_one_side(d):
    return [m for m in d.menus if any(p["price"] >= 15.5 for p in d.pizzas_of_menu(m))]


def reverse_m2m(d):
    diavolas = [p for p in d.pizzas if p["name"].startswith("Diavola")]
    return [t for t in d.toppings if any(t["id"] in p["toppings"] for p in diavolas)]


def two_hops(d):
    pizzas = d.by_id("pizzas")
    return [r for r in d.reviews if d.menu(pizzas[r["pizza"]]) == "KID"]


def two_hops_reverse(d):
    return [u for u in d.users if any(d.menu(p) == "SEA" for p in d.pizzas_of_user(u))]


@pytest.mark.parametrize(
    ("model", "lookups", "expected"),
    [
        pytest.param(Pizza, {"menu__code": "VEG"}, forward_fk, id="fk"),
        pytest.param(Pizza, {"creator__username": "luigi"}, forward_fk_user, id="fk-user"),
        pytest.param(Pizza, {"toppings__name": "Basil"}, forward_m2m, id="m2m"),
        pytest.param(Pizza, {"reviews__rating": 1}, reverse_fk, id="reverse-fk"),
        pytest.param(Menu, {"pizzas__price__gte": 15.5}, reverse_fk_one_side, id="reverse-fk-1"),
        pytest.param(Topping, {"pizzas__name__startswith": "Diavola"}, reverse_m2m, id="rev-m2m"),
        pytest.param(Review, {"pizza__menu__code": "KID"}, two_hops, id="two-hops"),
        pytest.param(Creator, {"pizzas__menu__code": "SEA"}, two_hops_reverse, id="two-hops-rev"),
    ],
)
def test_filters_across_relations(dataset, model, lookups, expected):
    helper = RelationView(dataset)
    want = sorted({row["id"] for row in expected(helper)})
    assert sorted(set(model.objects.filter(**lookups).values_list("id", flat=True))) == want


class RelationView:
    """The dataset with the joins the expectations need."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.pizzas, self.menus, self.toppings = dataset.pizzas, dataset.menus, dataset.toppings
        self.reviews, self.users, self.by_id = dataset.reviews, dataset.users, dataset.by_id
        self._menus = dataset.by_id("menus")
        self._users = dataset.by_id("users")
        self._toppings = dataset.by_id("toppings")

    def menu(self, pizza):
        return self._menus[pizza["menu"]]["code"]

    def user(self, pizza):
        return self._users[pizza["creator"]]["username"]

    def topping_names(self, pizza):
        return {self._toppings[t]["name"] for t in pizza["toppings"]}

    def pizzas_of_menu(self, menu):
        return [p for p in self.pizzas if p["menu"] == menu["id"]]

    def pizzas_of_user(self, user):
        return [p for p in self.pizzas if p["creator"] == user["id"]]

    def ratings(self, pizza):
        return {r["rating"] for r in self.reviews if r["pizza"] == pizza["id"]}


def test_select_related_rides_on_one_request(dataset, requests_on):
    menus, users = dataset.by_id("menus"), dataset.by_id("users")
    with requests_on() as sent:
        rows = [
            (p.pk, p.menu.name, p.creator.username)
            for p in Pizza.objects.select_related("menu", "creator").order_by("id")[:30]
        ]
    assert len(sent) == 1
    expected = sorted(dataset.pizzas, key=lambda p: p["id"])[:30]
    assert rows == [
        (p["id"], menus[p["menu"]]["name"], users[p["creator"]]["username"]) for p in expected
    ]


def test_select_related_two_levels(dataset, requests_on):
    pizzas, menus = dataset.by_id("pizzas"), dataset.by_id("menus")
    with requests_on() as sent:
        rows = [
            (r.pk, r.pizza.name, r.pizza.menu.code)
            for r in Review.objects.select_related("pizza__menu").order_by("id")[:25]
        ]
    assert len(sent) == 1
    expected = sorted(dataset.reviews, key=lambda r: r["id"])[:25]
    assert rows == [
        (r["id"], pizzas[r["pizza"]]["name"], menus[pizzas[r["pizza"]]["menu"]]["code"])
        for r in expected
    ]


def test_prefetch_reverse_foreign_key_is_one_request_per_level(dataset, requests_on):
    per_menu = Counter(p["menu"] for p in dataset.pizzas)
    with requests_on() as sent:
        counts = {m.pk: len(m.pizzas.all()) for m in Menu.objects.prefetch_related("pizzas")}
    assert counts == {m["id"]: per_menu[m["id"]] for m in dataset.menus}
    assert len(sent) == 2


def test_prefetch_many_to_many_and_nested(dataset, requests_on):
    toppings = dataset.by_id("toppings")
    with requests_on() as sent:
        rows = {
            p.pk: sorted(t.name for t in p.toppings.all())
            for p in Pizza.objects.prefetch_related("toppings").order_by("id")
        }
    assert rows == {
        p["id"]: sorted(toppings[t]["name"] for t in p["toppings"]) for p in dataset.pizzas
    }
    assert len(sent) == 2
    with requests_on() as sent:
        menus = list(Menu.objects.prefetch_related("pizzas__reviews"))
        ratings = sum(len(p.reviews.all()) for m in menus for p in m.pizzas.all())
    assert ratings == len(dataset.reviews)
    assert len(sent) == 3


def test_prefetch_with_a_queryset(dataset, requests_on):
    mario = next(u for u in dataset.users if u["username"] == "mario")
    with requests_on() as sent:
        creator = Creator.objects.prefetch_related(
            Prefetch("pizzas", queryset=Pizza.objects.filter(price__lt=12).order_by("-price", "id"))
        ).get(username="mario")
        prices = [p.price for p in creator.pizzas.all()]
    mine = [p for p in dataset.pizzas if p["creator"] == mario["id"] and p["price"] < 12]
    assert prices == [p["price"] for p in sorted(mine, key=lambda p: (-p["price"], p["id"]))]
    assert len(sent) == 2
