"""Reads through the ORM, each compared with the seeded data (the `dumpdata` oracle)."""

from __future__ import annotations

import asyncio
import datetime

import pytest
from django.db import NotSupportedError
from django.db.models import Avg, Count, F, Q
from pizzeria_client.models import Creator, Menu, Pizza, Review, Topping

pytestmark = pytest.mark.usefixtures("live_api")


def ids(rows):
    return sorted(row["id"] for row in rows)


def pks(queryset):
    return sorted(obj.pk for obj in queryset)


def test_count_is_one_request(dataset, requests_on):
    with requests_on() as sent:
        assert Pizza.objects.count() == len(dataset.pizzas)
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("lookups", "predicate"),
    [
        ({"price__lt": 10}, lambda p: p["price"] < 10),
        ({"price__gte": 12.5}, lambda p: p["price"] >= 12.5),
        ({"price__range": (8, 11)}, lambda p: 8 <= p["price"] <= 11),
        ({"name": "Margherita"}, lambda p: p["name"] == "Margherita"),
        ({"name__iexact": "margherita"}, lambda p: p["name"].lower() == "margherita"),
        ({"name__icontains": "bianca"}, lambda p: "bianca" in p["name"].lower()),
        ({"name__startswith": "Quattro"}, lambda p: p["name"].startswith("Quattro")),
        ({"name__endswith": "Speciale"}, lambda p: p["name"].endswith("Speciale")),
        ({"id__in": [1, 3, 5, 999]}, lambda p: p["id"] in {1, 3, 5, 999}),
        ({"menu__isnull": False}, lambda p: p["menu"] is not None),
        ({"to_date__month": 1}, lambda p: p["to_date"][5:7] == "01"),
        (
            {"to_date__gte": datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)},
            lambda p: p["to_date"] >= "2026-02-01",
        ),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else "",
)
def test_filter_lookups(dataset, lookups, predicate):
    expected = ids(p for p in dataset.pizzas if predicate(p))
    assert pks(Pizza.objects.filter(**lookups)) == expected


def test_exclude(dataset):
    expected = ids(p for p in dataset.pizzas if not p["price"] < 10)
    assert pks(Pizza.objects.exclude(price__lt=10)) == expected


def test_or_query_is_one_request(dataset, requests_on):
    expected = ids(p for p in dataset.pizzas if p["name"].startswith("Marg") or p["price"] >= 15)
    with requests_on() as sent:
        result = pks(Pizza.objects.filter(Q(name__startswith="Marg") | Q(price__gte=15)))
    assert result == expected
    assert len(sent) == 1


def test_not_over_or(dataset):
    menus = {m["id"]: m["code"] for m in dataset.menus}
    expected = ids(p for p in dataset.pizzas if not (menus[p["menu"]] == "SPI" or p["price"] > 12))
    assert pks(Pizza.objects.exclude(Q(menu__code="SPI") | Q(price__gt=12))) == expected
    assert pks(Pizza.objects.filter(~Q(menu__code="SPI") & ~Q(price__gt=12))) == expected


def test_nested_and_or_not(dataset):
    menus = {m["id"]: m["code"] for m in dataset.menus}
    expected = ids(
        p
        for p in dataset.pizzas
        if (menus[p["menu"]] in {"VEG", "KID"} and p["price"] < 12)
        or not (p["price"] < 14 or "a" in p["name"].lower())
    )
    query = (Q(menu__code__in=["VEG", "KID"]) & Q(price__lt=12)) | ~(
        Q(price__lt=14) | Q(name__icontains="a")
    )
    assert pks(Pizza.objects.filter(query)) == expected


def test_order_by_field_and_relation_path(dataset):
    menus = {m["id"]: m["name"] for m in dataset.menus}
    by_price = sorted(dataset.pizzas, key=lambda p: (-p["price"], p["id"]))
    assert [p.pk for p in Pizza.objects.order_by("-price", "id")] == [p["id"] for p in by_price]
    by_menu = sorted(dataset.pizzas, key=lambda p: (menus[p["menu"]], p["id"]))
    assert [p.pk for p in Pizza.objects.order_by("menu__name", "id")] == [p["id"] for p in by_menu]


def test_get_by_pk_uses_the_detail_url(dataset, requests_on):
    row = dataset.pizzas[7]
    with requests_on() as sent:
        pizza = Pizza.objects.get(pk=row["id"])
    assert (pizza.name, pizza.price, pizza.menu_id) == (row["name"], row["price"], row["menu"])
    assert len(sent) == 1
    assert f"pizzas/{row['id']}" in sent.captured_queries[0]["sql"]


def test_get_by_other_field_and_multiple_objects(dataset):
    menu = Menu.objects.get(code="VEG")
    assert menu.name == "Vegetarian"
    with pytest.raises(Menu.MultipleObjectsReturned):
        Menu.objects.get(code__in=["VEG", "KID"])


def test_first_last_latest_earliest(dataset):
    by_id = sorted(p["id"] for p in dataset.pizzas)
    assert Pizza.objects.order_by("id").first().pk == by_id[0]
    assert Pizza.objects.order_by("id").last().pk == by_id[-1]
    by_date = sorted(dataset.pizzas, key=lambda p: (p["to_date"], p["id"]))
    assert Pizza.objects.latest("to_date", "id").pk == by_date[-1]["id"]
    assert Pizza.objects.earliest("to_date", "id").pk == by_date[0]["id"]
    assert Pizza.objects.filter(name="No such pizza").first() is None


def test_exists(dataset, requests_on):
    with requests_on() as sent:
        assert Pizza.objects.filter(name="Margherita").exists()
        assert not Pizza.objects.filter(name="No such pizza").exists()
    assert len(sent) == 2


def test_in_bulk(dataset):
    wanted = [row["id"] for row in dataset.pizzas[:4]]
    found = Pizza.objects.in_bulk(wanted)
    assert sorted(found) == sorted(wanted)
    assert {pk: p.name for pk, p in found.items()} == {
        row["id"]: row["name"] for row in dataset.pizzas[:4]
    }


def test_values_and_values_list(dataset):
    toppings = sorted(dataset.toppings, key=lambda t: (-t["cost"], t["id"]))[:3]
    assert list(Topping.objects.order_by("-cost", "id").values("name", "cost")[:3]) == [
        {"name": t["name"], "cost": t["cost"]} for t in toppings
    ]
    names = Topping.objects.order_by("id").values_list("name", flat=True)
    assert list(names) == [t["name"] for t in sorted(dataset.toppings, key=lambda t: t["id"])]
    rows = list(Menu.objects.order_by("code").values_list("code", "name", named=True))
    assert [(row.code, row.name) for row in rows] == sorted(
        (m["code"], m["name"]) for m in dataset.menus
    )


def test_only_and_defer_load_the_other_fields_on_access(dataset):
    row = dataset.pizzas[0]
    pizza = Pizza.objects.only("name").get(pk=row["id"])
    assert pizza.name == row["name"]
    assert pizza.price == row["price"]  # a deferred field is fetched on access
    pizza = Pizza.objects.defer("name").get(pk=row["id"])
    assert pizza.price == row["price"]
    assert pizza.name == row["name"]


def test_unsliced_read_walks_every_page(dataset, requests_on):
    with requests_on("api_small_pages") as sent:
        result = [p.pk for p in Pizza.objects.using("api_small_pages").order_by("id")]
    assert result == sorted(p["id"] for p in dataset.pizzas)
    assert len(sent) == -(-len(dataset.pizzas) // 20)  # ceil: one request per page of 20


@pytest.mark.parametrize(("start", "stop"), [(0, 5), (18, 23), (40, 45), (7, 31), (44, 60)])
def test_slices_are_one_request(dataset, requests_on, start, stop):
    expected = sorted(p["id"] for p in dataset.pizzas)[start:stop]
    with requests_on() as sent:
        result = [p.pk for p in Pizza.objects.order_by("id")[start:stop]]
    assert result == expected
    assert len(sent) == 1


def test_iterator_is_lazy_and_complete(dataset, requests_on):
    reviews = Review.objects.using("api_small_pages").order_by("id").iterator(chunk_size=20)
    with requests_on("api_small_pages") as sent:
        first = next(reviews)
        assert len(sent) == 1
        rest = [review.pk for review in reviews]
    assert [first.pk, *rest] == sorted(r["id"] for r in dataset.reviews)
    assert len(sent) == -(-len(dataset.reviews) // 20)


def test_aggregate_count(dataset):
    assert Review.objects.aggregate(n=Count("id")) == {"n": len(dataset.reviews)}
    assert Review.objects.filter(rating=5).aggregate(n=Count("id")) == {
        "n": sum(1 for r in dataset.reviews if r["rating"] == 5)
    }


def test_empty_in_and_contradictions_send_nothing(requests_on):
    with requests_on() as sent:
        assert list(Pizza.objects.filter(id__in=[])) == []
        assert Pizza.objects.filter(Q(name="Margherita") & Q(name="Marinara")).count() == 0
    assert len(sent) == 0


def test_async_queries(dataset):
    async def run():
        count = await Pizza.objects.acount()
        first = await Pizza.objects.order_by("id").afirst()
        names = [menu.name async for menu in Menu.objects.order_by("name")]
        return count, first.pk, names

    count, first, names = asyncio.run(run())
    assert count == len(dataset.pizzas)
    assert first == min(p["id"] for p in dataset.pizzas)
    assert names == sorted(m["name"] for m in dataset.menus)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Pizza.objects.aggregate(Avg("price")),
        lambda: list(Pizza.objects.annotate(n=Count("toppings"))),
        lambda: list(Pizza.objects.filter(price__gt=F("id"))),
        lambda: list(Pizza.objects.order_by("?")),
        lambda: list(Pizza.objects.raw("SELECT 1")),
        lambda: list(Pizza.objects.extra(where=["1 = 1"])),
        lambda: list(Pizza.objects.filter(price__lt=9).union(Pizza.objects.filter(price__gt=15))),
        lambda: list(Pizza.objects.all().intersection(Pizza.objects.filter(price__gt=15))),
        lambda: list(Pizza.objects.select_for_update()),
        lambda: list(Pizza.objects.filter(menu__in=Menu.objects.filter(code="VEG").values("id"))),
    ],
    ids=[
        "aggregate-avg",
        "annotate",
        "F",
        "random-order",
        "raw",
        "extra",
        "union",
        "intersection",
        "select-for-update",
        "subquery",
    ],
)
def test_unsupported_operations_refuse_without_a_request(build, requests_on):
    with requests_on() as sent, pytest.raises(NotSupportedError):
        build()
    assert len(sent) == 0


def test_creators_endpoint_requires_authentication_and_works_with_it(dataset):
    creators = {u["username"] for u in dataset.users if u["first_name"]}
    assert creators <= set(Creator.objects.values_list("username", flat=True))
