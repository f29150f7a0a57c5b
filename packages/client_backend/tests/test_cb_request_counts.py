"""The table "ORM operation -> HTTP requests" of docs/client.md, measured.

Each row runs against the in-process server_kit API twice: as a restbridge server
(every feature) and as a plain dynamic-rest server (no offset, no bulk routes, no NOT
over groups), and asserts the number of HTTP requests sent.
"""

from __future__ import annotations

import pytest
from cb_helpers import FULL
from cb_helpers import PLAIN as PLAIN_BASE
from cb_kitchen import models as kitchen
from cb_shop.models import Menu, Pizza, Topping
from django.db import connections
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from client_backend.testing import InProcessTransport, api_transport

pytestmark = pytest.mark.django_db(databases=["default", "api"])

PLAIN = (*PLAIN_BASE, "sideloading")


@pytest.fixture
def data(db):
    menus = [kitchen.Menu.objects.create(name=f"m{i}", code=f"M{i}") for i in range(3)]
    toppings = [kitchen.Topping.objects.create(name=f"t{i}", cost=i) for i in range(4)]
    for i in range(10):
        pizza = kitchen.Pizza.objects.create(name=f"p{i}", price=i, menu=menus[i % 3])
        pizza.toppings.set(toppings[: i % 4])
    return {"pizza": kitchen.Pizza.objects.order_by("pk").first().pk}


def _bulk_update():
    pizzas = list(Pizza.objects.filter(price__lt=3))
    for pizza in pizzas:
        pizza.price += 1
    return pizzas


# (operation, setup run before counting, action, requests on restbridge, on plain dynamic-rest)
ROWS = [
    ("list(qs) (10 rows, PAGE_SIZE=50)", None, lambda _: list(Pizza.objects.all()), 1, 1),
    ("list(qs) with PAGE_SIZE=4 (10 rows)", None, lambda _: list(Pizza.objects.all()), 3, 3),
    (
        "filter / exclude / Q(OR)",
        None,
        lambda _: list(Pizza.objects.filter(Q(price=1) | Q(name="p2"))),
        1,
        1,
    ),
    (
        "exclude(Q(a) & Q(b)) (NOT over a group)",
        None,
        lambda _: list(Pizza.objects.exclude(Q(price=1) & Q(name="p1"))),
        1,
        "refused, 0",
    ),
    ("filter(name__in=[])", None, lambda _: list(Pizza.objects.filter(name__in=[])), 0, 0),
    ("qs[3:7]", None, lambda _: list(Pizza.objects.order_by("pk")[3:7]), 1, 1),
    ("qs[5:15]", None, lambda _: list(Pizza.objects.order_by("pk")[5:15]), 1, 1),
    (
        "qs.iterator(chunk_size=4) (10 rows)",
        None,
        lambda _: list(Pizza.objects.iterator(chunk_size=4)),
        3,
        3,
    ),
    ("count()", None, lambda _: Pizza.objects.count(), 1, 1),
    ("exists()", None, lambda _: Pizza.objects.filter(price=3).exists(), 1, 1),
    ("aggregate(Count('id'))", None, lambda _: Pizza.objects.aggregate(Count("id")), 1, 1),
    ("get(pk=...) (detail URL)", None, lambda d: Pizza.objects.get(pk=d["pizza"]), 1, 1),
    ("get(name=...)", None, lambda _: Pizza.objects.get(name="p3"), 1, 1),
    ("first() / last() / latest()", None, lambda _: Pizza.objects.latest("price"), 1, 1),
    ("in_bulk([...])", None, lambda d: Pizza.objects.in_bulk([d["pizza"], d["pizza"] + 1]), 1, 1),
    (
        "values() / values_list() / only()",
        None,
        lambda _: list(Pizza.objects.values_list("name", "menu__name")),
        1,
        1,
    ),
    (
        "values_list('menu').distinct() with PAGE_SIZE=4 (3 values, 10 rows)",
        None,
        lambda _: list(Pizza.objects.values_list("menu", flat=True).distinct().order_by("menu")),
        1,
        3,
    ),
    (
        "select_related('menu')",
        None,
        lambda _: [p.menu.name for p in Pizza.objects.select_related("menu")],
        1,
        1,
    ),
    (
        "prefetch_related('toppings')",
        None,
        lambda _: [list(p.toppings.all()) for p in Pizza.objects.prefetch_related("toppings")],
        2,
        2,
    ),
    (
        "prefetch_related('pizzas__toppings')",
        None,
        lambda _: [
            [list(p.toppings.all()) for p in m.pizzas.all()]
            for m in Menu.objects.prefetch_related("pizzas__toppings")
        ],
        3,
        3,
    ),
    (
        "related manager: menu.pizzas.all()",
        lambda d: Menu.objects.first(),
        lambda m: list(m.pizzas.all()),
        1,
        1,
    ),
    ("create()", None, lambda _: Pizza.objects.create(name="new", price=1), 1, 1),
    (
        "save() of a fetched instance",
        lambda d: Pizza.objects.get(pk=d["pizza"]),
        lambda p: p.save(),
        1,
        1,
    ),
    (
        "qs.update() (3 rows)",
        None,
        lambda _: Pizza.objects.filter(price__lt=3).update(vegan=True),
        1,
        4,
    ),
    (
        "bulk_create(3 objects)",
        None,
        lambda _: Pizza.objects.bulk_create([Pizza(name=f"b{i}", price=i) for i in range(3)]),
        1,
        1,  # dynamic-rest's list POST, as django-rest-models sends it
    ),
    (
        "bulk_update(3 objects)",
        lambda d: _bulk_update(),
        lambda ps: Pizza.objects.bulk_update(ps, ["price"]),
        1,
        3,
    ),
    (
        "qs.delete() (3 rows, no cascades)",
        None,
        lambda _: Topping.objects.filter(cost__gte=1).delete(),
        2,
        4,
    ),
    (
        # The FK is nullable: Django nulls it first, then deletes children and parent.
        "instance.delete() (menu cascading to 4 pizzas)",
        lambda d: Menu.objects.first(),
        lambda m: m.delete(),
        4,
        10,
    ),
    (
        "m2m add(one)",
        lambda d: (Pizza.objects.get(pk=d["pizza"]), Topping.objects.last()),
        lambda pt: pt[0].toppings.add(pt[1]),
        3,
        3,
    ),
    (
        "m2m remove(one)",
        lambda d: (Pizza.objects.get(name="p3"), Topping.objects.first()),
        lambda pt: pt[0].toppings.remove(pt[1]),
        2,
        2,
    ),
    ("m2m clear()", lambda d: Pizza.objects.get(name="p3"), lambda p: p.toppings.clear(), 1, 1),
    (
        "Through.objects.filter(pizza__in=[2 pizzas]).delete()",
        None,
        lambda d: Pizza.toppings.through.objects.filter(
            pizza__in=[d["pizza"] + 1, d["pizza"] + 2]
        ).delete(),
        1,
        2,
    ),
    (
        "m2m set([...])",
        lambda d: (Pizza.objects.get(name="p3"), list(Topping.objects.all()[:1])),
        lambda pt: pt[0].toppings.set(pt[1]),
        3,
        3,
    ),
]


@pytest.mark.parametrize("server", ["restbridge", "plain"])
@pytest.mark.parametrize(
    ("operation", "setup", "action", "full", "plain"), ROWS, ids=[r[0] for r in ROWS]
)
def test_request_count(data, server, operation, setup, action, full, plain):
    expected = full if server == "restbridge" else plain
    page_size = 4 if "PAGE_SIZE=4" in operation else 50
    with api_transport(InProcessTransport()) as connection:
        with connection.override_api_settings(
            features=FULL if server == "restbridge" else PLAIN, page_size=page_size
        ):
            state = setup(data) if setup else data
            with CaptureQueriesContext(connections["api"]) as captured:
                if isinstance(expected, str):
                    with pytest.raises(Exception, match="NOT over a group"):
                        action(state)
                    expected = 0
                else:
                    action(state)
    lines = [q["sql"] for q in captured.captured_queries]
    assert len(lines) == expected, "\n".join(lines)
