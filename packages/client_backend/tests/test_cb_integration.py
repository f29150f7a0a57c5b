"""The ORM against a server_kit API served in-process (same test database, no sockets)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from asgiref.sync import async_to_sync
from cb_helpers import names
from cb_kitchen import models as kitchen
from cb_shop.models import Menu, Pizza, PlainPizza, Topping
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, NotSupportedError, ProgrammingError, connections, transaction
from django.db.models import Avg, Count, F, Prefetch, Q, Sum
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext

from client_backend.resources import resource_for
from client_backend.testing import InProcessTransport, api_transport

pytestmark = pytest.mark.django_db(databases=["default", "api"])


@pytest.fixture
def api():
    with api_transport(InProcessTransport()) as connection:
        # Discover the features once, so request counts below are the ORM's own.
        for model in (Menu, Pizza, Topping, PlainPizza):
            connection.server_features(resource_for(model))
        yield connection


@contextmanager
def requests(expected):
    """Assert the block sends ``expected`` HTTP requests; yields the captured request lines."""
    with CaptureQueriesContext(connections["api"]) as captured:
        yield captured
    lines = [q["sql"] for q in captured.captured_queries]
    assert len(lines) == expected, "\n".join(lines)


# Reads ----------------------------------------------------------------------------------


def test_all_and_filters(api, kitchen_data):
    with requests(2):
        assert len(list(Pizza.objects.all())) == 6
        assert names(Pizza.objects.filter(price__gte=11)) == ["quattro", "regina", "teriyaki"]


@pytest.mark.parametrize(
    ("queryset", "expected"),
    [
        (lambda: Pizza.objects.filter(name__icontains="MAR"), ["margherita", "marinara"]),
        (lambda: Pizza.objects.filter(name__startswith="n"), ["napoli"]),
        (lambda: Pizza.objects.filter(name__iexact="REGINA"), ["regina"]),
        (lambda: Pizza.objects.filter(name__endswith="na"), ["regina"]),
        (lambda: Pizza.objects.filter(name__regex=r"^m.r"), ["margherita", "marinara"]),
        (lambda: Pizza.objects.filter(price__range=(9, 12)), ["napoli", "regina"]),
        (lambda: Pizza.objects.filter(price__lt=8.5), ["margherita", "marinara"]),
        (lambda: Pizza.objects.filter(menu__isnull=True), ["marinara"]),
        (lambda: Pizza.objects.filter(name__in=["napoli", "regina", "x"]), ["napoli", "regina"]),
        (lambda: Pizza.objects.exclude(vegan=True), ["napoli", "regina", "teriyaki"]),
        (lambda: Pizza.objects.filter(Q(price__lt=8) | Q(name="regina")), ["marinara", "regina"]),
        (
            lambda: Pizza.objects.exclude(Q(vegan=True) & Q(menu__name="Italian")),
            ["marinara", "napoli", "regina", "teriyaki"],
        ),
        (
            lambda: Pizza.objects.filter(~Q(price__gt=9) | Q(name="teriyaki")),
            ["margherita", "marinara", "teriyaki"],
        ),
        (lambda: Pizza.objects.filter(menu__name="Fusion"), ["teriyaki"]),
        (lambda: Pizza.objects.filter(menu__code__in=["FU"]), ["teriyaki"]),
        (lambda: Pizza.objects.filter(toppings__name="olive"), ["napoli", "quattro"]),
        (lambda: Pizza.objects.filter(from_date__year=2023), ["teriyaki"]),
        (lambda: Pizza.objects.filter(from_date__year__lt=2024), ["teriyaki"]),
        (lambda: Pizza.objects.filter(from_date__month=7), ["teriyaki"]),
        (
            lambda: Pizza.objects.filter(from_date__gte=dt.date(2024, 1, 1), vegan=False),
            ["napoli", "regina"],
        ),
    ],
)
def test_lookups_one_request(api, kitchen_data, queryset, expected):
    with requests(1):
        assert names(queryset()) == expected


def test_reverse_and_m2m_filters(api, kitchen_data):
    with requests(3):
        assert sorted(m.name for m in Menu.objects.filter(pizzas__name="teriyaki")) == ["Fusion"]
        assert sorted(t.name for t in Topping.objects.filter(pizzas__name="regina")) == [
            "cheese",
            "ham",
        ]
        assert sorted(
            m.name for m in Menu.objects.filter(pizzas__toppings__name="olive").distinct()
        ) == ["Italian"]


def test_exclude_across_to_many_relations(api, kitchen_data):
    with requests(3):
        assert sorted(m.name for m in Menu.objects.exclude(pizzas__vegan=True)) == ["Fusion"]
        assert names(Pizza.objects.exclude(toppings__name="cheese")) == ["marinara", "teriyaki"]
        assert sorted(t.name for t in Topping.objects.exclude(pizzas__menu__code="FU")) == [
            "cheese",
            "olive",
        ]


def test_several_filter_calls_on_a_to_many_relation(api, kitchen_data):
    with requests(2):
        # Some Italian pizza has olive, some (other) one is not vegan: Italian only.
        menus = Menu.objects.filter(pizzas__toppings__name="olive").filter(pizzas__vegan=False)
        assert sorted(m.name for m in menus) == ["Italian"]
        # Some pizza has both cheese and ham on it (two joins of toppings): regina.
        assert names(
            Pizza.objects.filter(toppings__name="cheese").filter(toppings__name="ham")
        ) == ["regina"]


def test_empty_in_and_contradiction_send_nothing(api, kitchen_data):
    with requests(0):
        assert list(Pizza.objects.filter(name__in=[])) == []
        assert list(Pizza.objects.filter(name="a").filter(name="b")) == []
        assert Pizza.objects.filter(pk__in=[]).count() == 0
        assert not Pizza.objects.none().exists()


def test_not_over_group_refused_by_plain_server_before_sending(api, kitchen_data):
    with requests(0), pytest.raises(NotSupportedError, match="NOT over a group"):
        list(PlainPizza.objects.exclude(Q(vegan=True) & Q(price__lt=10)))
    with requests(1):  # OR is fine on plain dynamic-rest (filter{} JSON)
        assert sorted(
            p.name for p in PlainPizza.objects.filter(Q(price__lt=8) | Q(name="regina"))
        ) == [
            "marinara",
            "regina",
        ]


def test_order_by_fields_and_relations(api, kitchen_data):
    with requests(2):
        assert [p.name for p in Pizza.objects.order_by("-price")[:3]] == [
            "teriyaki",
            "quattro",
            "regina",
        ]
        ordered = list(Pizza.objects.filter(menu__isnull=False).order_by("menu__name", "name"))
    assert [p.name for p in ordered] == ["teriyaki", "margherita", "napoli", "quattro", "regina"]
    with requests(0), pytest.raises(NotSupportedError, match=r"order_by\('\?'\)"):
        list(Pizza.objects.order_by("?"))


@pytest.mark.parametrize(("model", "expected_first"), [(Pizza, "offset=2"), (PlainPizza, "page=")])
def test_slicing_one_request(api, kitchen_data, model, expected_first):
    with requests(1) as captured:
        sliced = [p.name for p in model.objects.order_by("price")[2:5]]
    assert sliced == ["napoli", "regina", "quattro"]
    assert expected_first in captured.captured_queries[0]["sql"]


def test_iteration_is_lazy(api, kitchen_data):
    with api.override_api_settings(page_size=2):
        iterator = Pizza.objects.order_by("price").iterator(chunk_size=2)
        with requests(1):
            assert next(iterator).name == "marinara"
        with requests(2):  # pages 2 and 3; page 3 is full, so the end is known from meta
            assert [p.name for p in iterator] == [
                "margherita",
                "napoli",
                "regina",
                "quattro",
                "teriyaki",
            ]
        with requests(3):  # list() also pages, PAGE_SIZE rows per request
            assert len(Pizza.objects.all()) == 6


def test_iterator_chunk_size_is_the_page_size(api, kitchen_data):
    with requests(2) as captured:
        assert len(list(Pizza.objects.order_by("price").iterator(chunk_size=4))) == 6
    assert all("per_page=4" in q["sql"] for q in captured.captured_queries)
    # Above the server's maximum (300 here) the server's size is followed, with no request
    # sent twice; other reads keep PAGE_SIZE.
    with requests(1) as captured:
        assert len(list(Pizza.objects.iterator(chunk_size=5000))) == 6
    assert "per_page=5000" in captured.captured_queries[0]["sql"]
    with requests(1) as captured:
        assert len(list(Pizza.objects.all())) == 6
    assert "per_page=50" in captured.captured_queries[0]["sql"]


def test_count_exists_get(api, kitchen_data):
    regina = kitchen_data["pizzas"]["regina"]
    with requests(5) as captured:
        assert Pizza.objects.filter(vegan=True).count() == 3
        assert Pizza.objects.filter(name="napoli").exists()
        assert Pizza.objects.get(pk=regina.pk).name == "regina"
        assert Pizza.objects.all()[1:3].count() == 2
        with pytest.raises(Pizza.DoesNotExist):
            Pizza.objects.get(pk=9999)
    lines = [q["sql"] for q in captured.captured_queries]
    assert f"/pizzas/{regina.pk}/" in lines[2]
    assert "per_page=1" in lines[0]


def test_first_last_latest_earliest_in_bulk(api, kitchen_data):
    pizzas = kitchen_data["pizzas"]
    with requests(5):
        assert Pizza.objects.order_by("price").first().name == "marinara"
        assert Pizza.objects.order_by("price").last().name == "teriyaki"
        assert Pizza.objects.latest("price").name == "teriyaki"
        assert Pizza.objects.earliest("from_date").name == "teriyaki"
        bulk = Pizza.objects.in_bulk([pizzas["regina"].pk, pizzas["napoli"].pk])
    assert {p.name for p in bulk.values()} == {"regina", "napoli"}


def test_values_values_list_only_defer(api, kitchen_data):
    with requests(4) as captured:
        assert sorted(Pizza.objects.filter(vegan=True).values_list("name", flat=True)) == [
            "margherita",
            "marinara",
            "quattro",
        ]
        row = Pizza.objects.values("name", "menu__name").get(name="teriyaki")
        assert row == {"name": "teriyaki", "menu__name": "Fusion"}
        named = Pizza.objects.values_list("name", "price", named=True).get(name="regina")
        assert (named.name, named.price) == ("regina", 11.0)
        only = Pizza.objects.only("name").get(name="napoli")
    assert "include[]=name" in readable_all(captured)
    assert only.name == "napoli"


def readable_all(captured):
    from cb_helpers import readable

    return "\n".join(readable(q["sql"]) for q in captured.captured_queries)


def test_select_related_rides_on_one_request(api, kitchen_data):
    with requests(1):
        pizzas = list(Pizza.objects.select_related("menu").order_by("name"))
        menus = [p.menu.name if p.menu else None for p in pizzas]
    assert menus == ["Italian", None, "Italian", "Italian", "Italian", "Fusion"]


def test_prefetch_related_one_request_per_level(api, kitchen_data):
    with requests(3):
        menus = list(Menu.objects.prefetch_related("pizzas__toppings").order_by("name"))
        italian = menus[1]
        toppings = {p.name: sorted(t.name for t in p.toppings.all()) for p in italian.pizzas.all()}
    assert toppings["regina"] == ["cheese", "ham"]
    assert toppings["margherita"] == ["cheese"]


def test_m2m_prefetch_reads_links_from_the_owners(api, kitchen_data):
    """The links come from the page's own ``toppings`` lists, not each topping's pizzas."""
    with requests(2) as captured:
        pizzas = list(Pizza.objects.prefetch_related("toppings").order_by("name"))
        toppings = {p.name: sorted(t.name for t in p.toppings.all()) for p in pizzas}
    assert toppings == {
        "margherita": ["cheese"],
        "marinara": [],
        "napoli": ["cheese", "olive"],
        "quattro": ["cheese", "olive"],
        "regina": ["cheese", "ham"],
        "teriyaki": ["ham"],
    }
    second = readable_all(captured).splitlines()[1]
    assert second.startswith("GET http://localapi/api/pizzas?filter{id.in}="), second
    assert "include[]=toppings.name" in second and "include[]=pizzas" not in second


def test_m2m_prefetch_with_an_ordered_queryset_keeps_its_order(api, kitchen_data):
    ordered = Prefetch("toppings", queryset=Topping.objects.order_by("-cost"))
    with requests(2) as captured:
        regina = Pizza.objects.prefetch_related(ordered).get(name="regina")
        assert [t.name for t in regina.toppings.all()] == ["ham", "cheese"]
    assert "/api/toppings?filter{pizzas.in}=" in readable_all(captured).splitlines()[1]


def test_reverse_m2m_prefetch(api, kitchen_data):
    with requests(2):
        toppings = list(Topping.objects.prefetch_related("pizzas").order_by("name"))
        pizzas = {t.name: sorted(p.name for p in t.pizzas.all()) for t in toppings}
    assert pizzas["olive"] == ["napoli", "quattro"]
    assert pizzas["ham"] == ["regina", "teriyaki"]


def test_reverse_and_m2m_managers(api, kitchen_data):
    italian = Menu.objects.get(name="Italian")
    regina = Pizza.objects.get(name="regina")
    with requests(2):
        assert sorted(p.name for p in italian.pizzas.all()) == [
            "margherita",
            "napoli",
            "quattro",
            "regina",
        ]
        assert sorted(t.name for t in regina.toppings.all()) == ["cheese", "ham"]
    olive = Topping.objects.get(name="olive")
    regina.toppings.add(olive)
    assert sorted(
        kitchen.Pizza.objects.get(name="regina").toppings.values_list("name", flat=True)
    ) == [
        "cheese",
        "ham",
        "olive",
    ]
    regina.toppings.remove(olive)
    assert kitchen.Pizza.objects.get(name="regina").toppings.count() == 2
    regina.toppings.set([olive])
    assert list(
        kitchen.Pizza.objects.get(name="regina").toppings.values_list("name", flat=True)
    ) == ["olive"]
    regina.toppings.clear()
    assert kitchen.Pizza.objects.get(name="regina").toppings.count() == 0
    olive.pizzas.add(regina)
    assert kitchen.Pizza.objects.get(name="regina").toppings.count() == 1


@pytest.mark.parametrize("side", ["pizza", "topping"])
def test_explicit_through_delete_by_one_in_list_is_sent(api, kitchen_data, side):
    """Django's cascade deletes through rows with the same filter shape; a user's is sent."""
    through = Pizza.toppings.through
    pizzas = kitchen_data["pizzas"]
    cheese = Topping.objects.get(name="cheese")
    chosen = [pizzas["regina"].pk, pizzas["napoli"].pk] if side == "pizza" else [cheese.pk]
    # Owners: one bulk PATCH emptying their lists; a topping: GET its owners, one bulk PATCH.
    with requests(1 if side == "pizza" else 2):
        through.objects.filter(**{f"{side}__in": chosen}).delete()
    if side == "pizza":
        assert not kitchen.Pizza.toppings.through.objects.filter(pizza__in=chosen).exists()
        assert kitchen.Pizza.objects.get(name="quattro").toppings.count() == 2
    else:
        assert not kitchen.Pizza.toppings.through.objects.filter(topping__in=chosen).exists()
        assert kitchen.Pizza.objects.get(name="regina").toppings.count() == 1


def test_cascade_through_delete_costs_nothing_and_waits_for_the_block(api, kitchen_data):
    regina = Pizza.objects.get(name="regina")
    with requests(1):  # only the DELETE: the server drops regina's links itself
        regina.delete()
    olive = Topping.objects.get(name="olive")
    through = Pizza.toppings.through
    with transaction.atomic(using="api"):
        with requests(0):
            through.objects.filter(topping__in=[olive.pk]).delete()
        assert kitchen.Pizza.objects.filter(toppings__name="olive").count() == 2
    assert kitchen.Pizza.objects.filter(toppings__name="olive").count() == 0


def test_through_rows_join_their_ends_for_the_admins_delete_page(api, kitchen_data):
    """Django's admin lists what a delete takes by ``select_related()`` on the through rows."""
    from django.contrib.admin.utils import NestedObjects

    regina = Pizza.objects.get(name="regina")
    through = Pizza.toppings.through
    with requests(3):  # the owners' lists, then each end by primary key
        links = list(through.objects.filter(pizza__in=[regina]).select_related("pizza", "topping"))
    assert sorted((link.pizza.name, link.topping.name) for link in links) == [
        ("regina", "cheese"),
        ("regina", "ham"),
    ]
    assert len({link.pk for link in links}) == 2
    collector = NestedObjects(using="api")
    collector.collect([regina])
    with requests(0), pytest.raises(NotSupportedError, match="only its two ends"):
        list(through.objects.filter(pizza__in=[regina]).select_related("pizza__menu"))
    assert sorted(link.topping.name for link in collector.model_objs[through]) == ["cheese", "ham"]


def test_held_through_delete_is_sent_before_a_later_change_of_the_table(api, kitchen_data):
    regina = Pizza.objects.get(name="regina")
    cheese = Topping.objects.get(name="cheese")
    with transaction.atomic(using="api"):
        Pizza.toppings.through.objects.filter(pizza__in=[regina.pk]).delete()
        regina.toppings.add(cheese)  # had cheese: the add must not be undone by the delete
    assert list(
        kitchen.Pizza.objects.get(name="regina").toppings.values_list("name", flat=True)
    ) == ["cheese"]


def test_conditional_counts_cost_one_request_per_condition(api, kitchen_data):
    """Django's admin facets: ``aggregate()`` of ``Count(..., filter=Q(...))``."""
    counts = {
        "italian": Count("pk", filter=Q(menu__name="Italian")),
        "vegans": Count("id", filter=Q(vegan=True)),
        "vegans_too": Count("pk", filter=Q(vegan=True)),
        "no_menu": Count("pk", filter=Q(menu__isnull=True)),
        "none": Count("pk", filter=Q(pk__in=[])),
        "all": Count("pk"),
    }
    with requests(4):  # equal conditions share a request; an empty one needs none
        got = Pizza.objects.filter(price__lt=12).aggregate(**counts)
    oracle = kitchen.Pizza.objects.filter(price__lt=12).aggregate(**counts)
    assert got == oracle == {
        "italian": 3, "vegans": 2, "vegans_too": 2, "no_menu": 1, "none": 0, "all": 4
    }  # fmt: skip
    with requests(0), pytest.raises(NotSupportedError, match="conditional counts"):
        Pizza.objects.distinct().aggregate(n=Count("pk", filter=Q(vegan=True)))


def test_distinct_values_cost_one_small_request(api, kitchen_data):
    """Django's admin builds a list filter from ``distinct()`` values of one column."""
    expected = list(
        kitchen.Pizza.objects.order_by("-vegan").values_list("vegan", flat=True).distinct()
    )
    with requests(1) as sent:
        got = list(Pizza.objects.distinct().order_by("-vegan").values_list("vegan", flat=True))
    assert got == expected == [True, False]
    assert "distinct=true" in sent.captured_queries[0]["sql"]
    with requests(1):  # a slice of them is the server's too
        assert list(Pizza.objects.values_list("vegan", flat=True).distinct()[1:]) == [True]
    menus = list(Pizza.objects.values_list("menu", flat=True).distinct().order_by("menu"))
    assert menus == list(
        kitchen.Pizza.objects.values_list("menu", flat=True).distinct().order_by("menu")
    )


def test_distinct_values_without_the_server_feature(api, kitchen_data):
    expected = sorted(set(PlainPizza.objects.values_list("vegan", flat=True)))
    with requests(1) as sent:  # the rows' values, made distinct here
        got = list(PlainPizza.objects.values_list("vegan", flat=True).distinct().order_by("vegan"))
    assert got == expected
    assert "distinct" not in sent.captured_queries[0]["sql"]
    with requests(0), pytest.raises(NotSupportedError, match="slice of QuerySet.distinct"):
        list(PlainPizza.objects.values_list("vegan", flat=True).distinct()[:1])


def test_a_filter_the_view_does_not_apply_is_an_error_not_every_row(api, kitchen_data, settings):
    """A server view with filter_backends = [DjangoFilterBackend] lost filter{}: a 400."""
    settings.ROOT_URLCONF = "cb_kitchen.djfilter_urls"
    assert len(PlainPizza.objects.all()) == 6
    with pytest.raises(ProgrammingError, match="filter_backends lack DynamicFilterBackend"):
        list(PlainPizza.objects.filter(name="regina"))


def test_aggregate_count_and_refusals(api, kitchen_data):
    with requests(1):
        assert Pizza.objects.aggregate(n=Count("id")) == {"n": 6}
    refused = {
        "aggregate": lambda: Pizza.objects.aggregate(Sum("price")),
        "annotate": lambda: list(Pizza.objects.annotate(n=Count("toppings"))),
        "raw": lambda: list(Pizza.objects.raw("select 1")),
        "extra": lambda: list(Pizza.objects.extra(select={"x": "1"})),
        "union": lambda: list(Pizza.objects.filter(vegan=True).union(Pizza.objects.all())),
        "select_for_update": lambda: list(Pizza.objects.select_for_update()),
        "F()": lambda: list(Pizza.objects.filter(price__gt=F("id"))),
        "subqueries": lambda: list(Pizza.objects.filter(menu__in=Menu.objects.filter(code="IT"))),
        "dates": lambda: list(Pizza.objects.dates("from_date", "year")),
        "Avg": lambda: Pizza.objects.aggregate(Avg("price")),
    }
    for name, run in refused.items():
        with requests(0), pytest.raises(NotSupportedError):
            run()
        assert name


# Writes ---------------------------------------------------------------------------------


def test_create_returns_server_computed_fields(api, kitchen_data):
    italian = Menu.objects.get(name="Italian")
    with requests(1):
        pizza = Pizza.objects.create(name="diavola", price=10, menu=italian)
    assert pizza.pk == kitchen.Pizza.objects.get(name="diavola").pk
    assert pizza.created is not None and pizza.created.tzinfo is not None
    assert pizza.from_date == dt.date.today()
    first_update = pizza.updated
    with requests(1):
        pizza.price = 10.5
        pizza.save()
    assert kitchen.Pizza.objects.get(pk=pizza.pk).price == 10.5
    assert pizza.updated == kitchen.Pizza.objects.get(pk=pizza.pk).updated > first_update
    pizza.name = "local only"
    pizza.save(update_fields=["price"])
    assert pizza.name == "local only"  # only the saved fields are refreshed


def test_queryset_update_and_delete(api, kitchen_data):
    with requests(1):  # patch-all=query
        assert Pizza.objects.filter(vegan=True).update(price=5) == 3
    assert kitchen.Pizza.objects.filter(price=5).count() == 3
    with requests(3):  # plain server: GET the ids, then one PATCH per row
        assert PlainPizza.objects.filter(menu__name="Italian", vegan=False).update(price=15) == 2
    assert kitchen.Pizza.objects.filter(price=15).count() == 2


def test_delete_cascades(api, kitchen_data):
    fusion = Menu.objects.get(name="Fusion")
    fusion.delete()
    assert not kitchen.Menu.objects.filter(name="Fusion").exists()
    assert not kitchen.Pizza.objects.filter(name="teriyaki").exists()
    deleted, _ = Pizza.objects.filter(vegan=True).delete()
    assert deleted >= 3
    assert kitchen.Pizza.objects.count() == 2


def test_bulk_create_and_update_one_request_each(api, kitchen_data):
    with requests(1):
        created = Pizza.objects.bulk_create([Pizza(name=f"bulk{i}", price=i) for i in range(3)])
    assert [p.pk for p in created] == list(
        kitchen.Pizza.objects.filter(name__startswith="bulk")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pizza in created:
        pizza.price += 100
    with requests(1):
        Pizza.objects.bulk_update(created, ["price"])
    assert sorted(
        kitchen.Pizza.objects.filter(name__startswith="bulk").values_list("price", flat=True)
    ) == [
        100,
        101,
        102,
    ]


def test_get_or_create_update_or_create(api, kitchen_data):
    pizza, created = Pizza.objects.get_or_create(name="regina", defaults={"price": 1})
    assert not created and pizza.price == 11.0
    pizza, created = Pizza.objects.get_or_create(name="fresh", defaults={"price": 3})
    assert created and kitchen.Pizza.objects.filter(name="fresh").exists()
    pizza, created = Pizza.objects.update_or_create(name="fresh", defaults={"price": 4})
    assert not created and kitchen.Pizza.objects.get(name="fresh").price == 4


def _locked_read_in_receiver(sender, instance, **kwargs):
    list(Pizza.objects.select_for_update().filter(name=instance.name))


@pytest.mark.parametrize(
    ("locked", "sent"),
    [
        pytest.param(
            lambda: Pizza.objects.select_for_update().get(name="regina"), 0, id="get in atomic"
        ),
        pytest.param(
            lambda: Pizza.objects.select_for_update().get_or_create(name="regina"),
            0,
            id="get_or_create",
        ),
        pytest.param(
            # Inside update_or_create() (its own read is sent), then a pre_save receiver's.
            lambda: Pizza.objects.update_or_create(name="regina", defaults={"price": 2}),
            1,
            id="receiver inside update_or_create",
        ),
    ],
)
def test_select_for_update_is_refused_where_no_lock_would_be_taken(api, kitchen_data, locked, sent):
    pre_save.connect(_locked_read_in_receiver, sender=Pizza)
    try:
        with transaction.atomic(using="api"), requests(sent):
            with pytest.raises(NotSupportedError, match=r"select_for_update\(\).*no row locks"):
                locked()
    finally:
        pre_save.disconnect(_locked_read_in_receiver, sender=Pizza)


def test_invalid_write_is_integrity_error(api, kitchen_data):
    with pytest.raises(IntegrityError) as raised:
        Pizza.objects.create(name="x" * 300, price=1)
    assert "name" in str(raised.value)
    assert raised.value.method == "POST" and raised.value.status == 400


# Async ----------------------------------------------------------------------------------


def test_async_orm(api, kitchen_data):
    regina = kitchen_data["pizzas"]["regina"]

    async def scenario():
        got = await Pizza.objects.aget(pk=regina.pk)
        count = await Pizza.objects.filter(vegan=True).acount()
        names = sorted([p.name async for p in Pizza.objects.filter(price__gt=12)])
        updated, created = await Pizza.objects.aupdate_or_create(
            name="regina", defaults={"price": 12}
        )
        return got.name, count, names, updated.price, created

    # async_to_sync keeps the ORM's thread-sensitive calls on this thread and connection.
    with requests(5):  # aget, acount, async for, then aupdate_or_create: GET and PATCH
        result = async_to_sync(scenario)()
    assert result == ("regina", 3, ["quattro", "teriyaki"], 12, False)


def test_query_str_shows_the_url(api, kitchen_data):
    assert str(Pizza.objects.filter(price__gte=11).query).startswith(
        "GET pizzas?filter%7Bprice.gte%7D=11.0"
    )


def test_missing_detail_is_does_not_exist(api, kitchen_data):
    with pytest.raises(ObjectDoesNotExist):
        Menu.objects.get(pk=4242)


def test_long_in_lists_are_split_to_fit_the_url_limit(api, kitchen_data):
    ids = [p.pk for p in kitchen_data["pizzas"].values()]
    wanted = ids + list(range(10_000, 10_400))  # 406 ids: about 10 KB of query string
    with api.override_api_settings(max_url_length=2000):
        with CaptureQueriesContext(connections["api"]) as captured:
            assert len(list(Pizza.objects.filter(pk__in=wanted))) == 6
    lines = [q["sql"] for q in captured.captured_queries]
    assert 5 <= len(lines) <= 7
    assert all(len(line) <= len("GET ") + 2000 for line in lines)
