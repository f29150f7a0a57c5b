"""Conditions across to-many relations have Django's meaning, checked against an oracle.

Each query runs twice: through the API backend against the in-process server_kit API,
and through Django's own SQLite backend on the tables that API serves (``cb_kitchen``,
same field names). Django's rules: conditions in one ``filter()`` call hold on one related
object; each ``filter()`` call and each condition of an ``exclude()`` has its own.
"""

from __future__ import annotations

import pytest
from cb_helpers import FULL, PLAIN, names, readable
from cb_kitchen import models as kitchen
from cb_shop import models as shop
from django.db import NotSupportedError, connections
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from client_backend.queryset import request_line
from client_backend.testing import InProcessTransport, MockAPI, api_transport

pytestmark = pytest.mark.django_db(databases=["default", "api"])

QUERIES = {
    # Italian has regina (not vegan) and margherita (vegan): no one pizza is both.
    "exclude, two conditions": lambda m: m.Menu.objects.exclude(
        pizzas__name="regina", pizzas__vegan=True
    ),
    "exclude, Q AND": lambda m: m.Pizza.objects.exclude(
        Q(toppings__name="cheese") & Q(toppings__name="ham")
    ),
    "exclude, Q OR": lambda m: m.Menu.objects.exclude(
        Q(pizzas__name="regina") | Q(pizzas__vegan=True)
    ),
    "exclude, deeper path": lambda m: m.Menu.objects.exclude(
        pizzas__toppings__name="olive", pizzas__vegan=False
    ),
    "exclude, relation and own field": lambda m: m.Menu.objects.exclude(
        pizzas__name="regina", code="IT"
    ),
    "exclude, reverse M2M": lambda m: m.Topping.objects.exclude(
        pizzas__menu__code="IT", pizzas__vegan=True
    ),
    "chained exclude": lambda m: m.Menu.objects.exclude(pizzas__name="regina").exclude(
        pizzas__vegan=True
    ),
    "~Q AND in filter": lambda m: m.Menu.objects.filter(
        ~(Q(pizzas__name="regina") & Q(pizzas__price__lt=9))
    ),
    "filter then exclude": lambda m: m.Menu.objects.filter(pizzas__vegan=True).exclude(
        pizzas__name="margherita", pizzas__price__gt=10
    ),
    "one filter, two conditions": lambda m: m.Menu.objects.filter(
        pizzas__name="regina", pizzas__vegan=True
    ),
    "chained filter": lambda m: m.Menu.objects.filter(pizzas__name="regina").filter(
        pizzas__vegan=True
    ),
    "chained filter, M2M": lambda m: m.Pizza.objects.filter(toppings__name="cheese").filter(
        toppings__name="olive"
    ),
    "one filter, OR of groups": lambda m: m.Menu.objects.filter(
        Q(pizzas__name="regina", pizzas__vegan=True)
        | Q(pizzas__name="teriyaki", pizzas__price__gt=13)
    ),
    "chained filter with OR": lambda m: m.Menu.objects.filter(pizzas__name="regina").filter(
        Q(pizzas__vegan=True) | Q(pizzas__price__gt=13)
    ),
}


@pytest.fixture
def api():
    with api_transport(InProcessTransport()) as connection:
        yield connection


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_rows_as_django(api, kitchen_data, name):
    expected = names(QUERIES[name](kitchen).distinct())
    with api.override_api_settings(features=FULL):
        assert names(QUERIES[name](shop)) == expected


def test_the_oracle_tells_the_readings_apart(api, kitchen_data):
    # Django excludes Italian (some pizza is regina, some is vegan); "no pizza both regina
    # and vegan" would keep it: the comparison above can fail.
    assert names(QUERIES["exclude, two conditions"](kitchen)) == ["Fusion"]
    same_pizza = kitchen.Pizza.objects.filter(name="regina", vegan=True)
    assert names(kitchen.Menu.objects.exclude(pizzas__in=same_pizza)) == ["Fusion", "Italian"]


def test_exclude_conditions_become_separate_quantifiers():
    queryset = shop.Menu.objects.exclude(pizzas__name="a", pizzas__vegan=True).values_list("id")
    with MockAPI(features=FULL).serve():
        assert readable(request_line(queryset)) == (
            "GET menus?where=not (any(pizzas, name.eq('a')) and any(pizzas, vegan.eq('True')))"
            "&include[]=id&exclude[]=*&per_page=50"
        )


@pytest.mark.parametrize(
    "name",
    ["exclude, two conditions", "exclude, Q AND", "exclude, deeper path", "chained filter"],
)
def test_refused_before_sending_without_where(api, kitchen_data, name):
    with (
        api.override_api_settings(features=PLAIN),
        CaptureQueriesContext(connections["api"]) as captured,
    ):
        with pytest.raises(NotSupportedError, match="quantifiers"):
            list(QUERIES[name](shop))
    assert captured.captured_queries == []


@pytest.mark.parametrize(
    "name",
    [
        "exclude, Q OR",
        "chained exclude",
        "one filter, two conditions",
        "exclude, relation and own field",
    ],
)
def test_unambiguous_shapes_work_without_where(api, kitchen_data, name):
    expected = names(QUERIES[name](kitchen).distinct())
    with api.override_api_settings(features=(*PLAIN, "filter{}.not")):
        assert names(QUERIES[name](shop)) == expected


def test_nested_conditions_on_one_object_refused(api, kitchen_data):
    def query(m):
        # One filter() call: one pizza named regina that is vegan or dearer than 13.
        return m.Menu.objects.filter(
            Q(pizzas__name="regina") & (Q(pizzas__vegan=True) | Q(pizzas__price__gt=13))
        )

    assert names(query(kitchen)) == []  # read apart, Italian would match
    with CaptureQueriesContext(connections["api"]) as captured:
        with pytest.raises(NotSupportedError, match="one related object"):
            list(query(shop))
    assert captured.captured_queries == []
