"""Query -> request translation, with no server: exact paths and parameters."""

from __future__ import annotations

import datetime as dt

import pytest
from cb_helpers import FULL, PLAIN, readable
from cb_shop.models import Menu, Pizza, PlainPizza, Topping
from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError
from django.db.models import Q

from client_backend.queryset import request_line
from client_backend.testing import MockAPI

FIELDS = (
    "include[]=created&include[]=from_date&include[]=id&include[]=menu&include[]=name"
    "&include[]=price&include[]=to_date&include[]=updated&include[]=vegan&exclude[]=*"
)


@pytest.fixture
def full():
    with MockAPI(features=FULL).serve() as api:
        yield api


@pytest.fixture
def plain():
    with MockAPI(features=PLAIN).serve() as api:
        yield api


def line(queryset):
    return readable(request_line(queryset))


@pytest.mark.parametrize(
    ("queryset", "params"),
    [
        (lambda: Pizza.objects.filter(name="x"), "filter{name}=x"),
        (lambda: Pizza.objects.filter(price=11), "filter{price}=11.0"),
        (lambda: Pizza.objects.filter(vegan=True), "filter{vegan}=True"),
        (lambda: Pizza.objects.filter(name__iexact="X"), "filter{name.iexact}=X"),
        (lambda: Pizza.objects.filter(name__contains="a"), "filter{name.contains}=a"),
        (lambda: Pizza.objects.filter(name__icontains="a"), "filter{name.icontains}=a"),
        (lambda: Pizza.objects.filter(name__startswith="a"), "filter{name.startswith}=a"),
        (lambda: Pizza.objects.filter(name__istartswith="a"), "filter{name.istartswith}=a"),
        (lambda: Pizza.objects.filter(name__endswith="a"), "filter{name.endswith}=a"),
        (lambda: Pizza.objects.filter(name__iendswith="a"), "filter{name.iendswith}=a"),
        (lambda: Pizza.objects.filter(name__regex="^a+"), "filter{name.regex}=^a+"),
        (lambda: Pizza.objects.filter(price__gt=1), "filter{price.gt}=1.0"),
        (lambda: Pizza.objects.filter(price__gte=1), "filter{price.gte}=1.0"),
        (lambda: Pizza.objects.filter(price__lt=1), "filter{price.lt}=1.0"),
        (lambda: Pizza.objects.filter(price__lte=1), "filter{price.lte}=1.0"),
        (lambda: Pizza.objects.filter(id__in=[3, 1, 3]), "filter{id.in}=3&filter{id.in}=1"),
        (
            lambda: Pizza.objects.filter(price__range=(1, 2)),
            "filter{price.range}=1.0&filter{price.range}=2.0",
        ),
        (lambda: Pizza.objects.filter(menu__isnull=True), "filter{menu.isnull}=True"),
        (lambda: Pizza.objects.filter(menu=4), "filter{menu}=4"),
        (lambda: Pizza.objects.filter(menu__id=4), "filter{menu}=4"),
        (lambda: Pizza.objects.filter(menu__name="M"), "filter{menu.name}=M"),
        (lambda: Pizza.objects.filter(toppings=7), "filter{toppings}=7"),
        (lambda: Pizza.objects.filter(toppings__name="ham"), "filter{toppings.name}=ham"),
        (
            lambda: Menu.objects.filter(pizzas__toppings__cost__gt=1),
            "filter{pizzas.toppings.cost.gt}=1.0",
        ),
        (lambda: Topping.objects.filter(pizzas__menu__code="IT"), "filter{pizzas.menu.code}=IT"),
        (lambda: Pizza.objects.filter(from_date__year=2024), "filter{from_date.year}=2024"),
        (lambda: Pizza.objects.filter(from_date__month=3), "filter{from_date.month}=3"),
        (lambda: Pizza.objects.filter(from_date__day=9), "filter{from_date.day}=9"),
        (lambda: Pizza.objects.filter(from_date__week_day=2), "filter{from_date.week_day}=2"),
        (
            lambda: Pizza.objects.filter(from_date__year__gte=2024),
            "filter{from_date.gte}=2024-01-01",
        ),
        (lambda: Pizza.objects.filter(from_date__year__lt=2024), "filter{from_date.lt}=2024-01-01"),
        (lambda: Pizza.objects.filter(from_date__year__gt=2024), "filter{from_date.gt}=2024-12-31"),
        (
            lambda: Pizza.objects.filter(to_date=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
            "filter{to_date}=2030-01-01 00:00:00+00:00",
        ),
        (
            lambda: Pizza.objects.filter(to_date__year__lte=2030),
            "filter{to_date.lte}=2030-12-31 23:59:59.999999+00:00",
        ),
        (lambda: Pizza.objects.exclude(name="x"), "filter{-name}=x"),
        (lambda: Menu.objects.exclude(pizzas__vegan=True), "filter{-pizzas.vegan}=True"),
        (lambda: Pizza.objects.exclude(toppings__name="ham"), "filter{-toppings.name}=ham"),
        (lambda: Topping.objects.exclude(pizzas__name="x"), "filter{-pizzas.name}=x"),
        (lambda: Pizza.objects.exclude(menu__pizzas__name="x"), "filter{-menu.pizzas.name}=x"),
        (
            lambda: Menu.objects.exclude(pizzas__toppings__name="x"),
            "filter{-pizzas.toppings.name}=x",
        ),
        (lambda: Pizza.objects.exclude(menu__name="x"), "filter{-menu.name}=x"),
        (lambda: Pizza.objects.filter(name="a", price=2), "filter{name}=a&filter{price}=2.0"),
        (
            lambda: Pizza.objects.filter(Q(name="a") | Q(price__lt=2)),
            'filter{}={".or":[{"name":"a"},{"price.lt":"2.0"}]}',
        ),
    ],
)
def test_filters(queryset, params):
    assert line(queryset()) == f"GET pizzas?{params}&{FIELDS}&per_page=50".replace(
        "GET pizzas", "GET " + queryset().model.APIMeta.resource_path
    ).replace(FIELDS, _fields(queryset().model))


def _fields(model):
    names = sorted(f.db_column or f.name for f in model._meta.concrete_fields)
    return "&".join(f"include[]={n}" for n in names) + "&exclude[]=*"


def test_not_over_group_uses_json_not_or_where(full):
    queryset = Pizza.objects.exclude(Q(name="a") & Q(price=2))
    assert line(queryset) == (
        f'GET pizzas?filter{{}}={{".not":{{"name":"a","price":"2.0"}}}}&{FIELDS}&per_page=50'
    )
    with MockAPI(features=("where",)).serve():
        assert (
            line(queryset)
            == f"GET pizzas?where=not (name.eq('a') and price.eq('2.0'))&{FIELDS}&per_page=50"
        )


def test_not_over_group_refused_on_plain_server(plain):
    with pytest.raises(NotSupportedError, match="NOT over a group"):
        request_line(Pizza.objects.exclude(Q(name="a") & Q(price=2)))
    assert plain.requests == []


def test_exclude_on_nullable_field_stays_a_leaf(plain):
    # Django adds "AND menu IS NOT NULL" under the NOT; the server adds the same itself.
    assert "filter{-menu.name}=x&" in line(PlainPizza.objects.exclude(menu__name="x"))


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Pizza.objects.filter(name__in=[]),
        lambda: Pizza.objects.filter(name="a").filter(name="b"),
        lambda: Pizza.objects.none(),
        lambda: Pizza.objects.filter(Q(id__in=[]) & Q(name="x")),
    ],
)
def test_empty_results_need_no_request(queryset):
    with pytest.raises(EmptyResultSet):
        request_line(queryset())


def test_selection_sort_and_paging(full):
    assert line(Pizza.objects.only("name").order_by("-price", "menu__name")[:5]) == (
        "GET pizzas?include[]=id&include[]=name&exclude[]=*"
        "&sort[]=-price&sort[]=menu.name&per_page=5"
    )
    assert line(Pizza.objects.values_list("name", flat=True)) == (
        "GET pizzas?include[]=name&exclude[]=*&per_page=50"
    )
    assert line(Pizza.objects.values("menu__name")) == (
        "GET pizzas?include[]=menu.id&include[]=menu.name&exclude[]=*&exclude[]=menu.*&per_page=50"
    )
    assert line(Pizza.objects.select_related("menu").only("name", "menu__code")) == (
        "GET pizzas?include[]=id&include[]=menu.code&include[]=menu.id"
        "&include[]=name&exclude[]=*&exclude[]=menu.*&per_page=50"
    )


def test_select_related_sends_nested_names_only(full):
    """dynamic-rest 2.3 answers 500 to ``include[]=menu`` next to ``include[]=menu.id``."""
    params = line(Pizza.objects.select_related("menu")).split("?", 1)[1].split("&")
    assert "include[]=menu" not in params
    assert {"include[]=menu.id", "include[]=menu.name", "include[]=menu.code"} <= set(params)


def test_windows(full, plain):
    with MockAPI(features=FULL).serve():
        assert line(Pizza.objects.values_list("id")[40:60]).endswith("per_page=20&offset=40")
    with MockAPI(features=PLAIN).serve():
        assert line(Pizza.objects.values_list("id")[40:60]).endswith("page=3&per_page=20")
        # 10..25 does not align on 15; 25 is the smallest page size whose one page covers it.
        assert line(Pizza.objects.values_list("id")[10:25]).endswith("per_page=25")


def test_detail_route_for_pk(full):
    assert line(Pizza.objects.filter(pk=3).values_list("name")) == (
        "GET pizzas/3/?include[]=name&exclude[]=*"
    )
    assert line(PlainPizza.objects.filter(pk=3).values_list("name")) == (
        "GET /plain/pizzas/3/?include[]=name&exclude[]=*"
    )


@pytest.mark.parametrize(
    ("queryset", "message"),
    [
        (lambda: Pizza.objects.order_by("?"), r"order_by\('\?'\)"),
        (lambda: Pizza.objects.filter(name__iregex="x"), "lookup 'iregex'"),
        (lambda: Pizza.objects.filter(from_date__month__gt=3), "__month__gt"),
        (lambda: Pizza.objects.filter(to_date__date=dt.date(2020, 1, 1)), "date"),
        (lambda: Pizza.objects.filter(Q(name="a") ^ Q(price=1)), "XOR"),
        (lambda: Pizza.objects.distinct("name"), r"distinct\(\*fields\)"),
    ],
)
def test_refusals_name_the_method(full, queryset, message):
    with pytest.raises(NotSupportedError, match=message):
        request_line(queryset())
    assert full.requests == []


def test_to_many_conditions_in_several_filter_calls_become_quantifiers(full):
    queryset = Menu.objects.filter(pizzas__name="a", pizzas__vegan=True).filter(pizzas__price=1)
    assert line(queryset.values_list("id")) == (
        "GET menus?where=any(pizzas, name.eq('a') and vegan.eq('True'))"
        " and any(pizzas, price.eq('1.0'))&include[]=id&exclude[]=*&per_page=50"
    )
    assert line(Pizza.objects.filter(toppings=1).filter(toppings=2).values_list("id")) == (
        "GET pizzas?where=any(toppings, id.eq('1')) and any(toppings, id.eq('2'))"
        "&include[]=id&exclude[]=*&per_page=50"
    )


def test_quantifiers_refused_without_where(plain):
    with pytest.raises(NotSupportedError, match="quantifiers"):
        request_line(Menu.objects.filter(pizzas__name="a").filter(pizzas__price=1))
    assert plain.requests == []


def test_str_query_is_the_url():
    assert str(Pizza.objects.filter(name="a b+c").query) == (
        f"GET pizzas?filter%7Bname%7D=a+b%2Bc&{_encoded(FIELDS)}&per_page=50"
    )


def _encoded(params):
    from urllib.parse import quote

    return "&".join(
        f"{quote(k, safe='')}={quote(v, safe='')}"
        for k, v in (p.split("=", 1) for p in params.split("&"))
    )
