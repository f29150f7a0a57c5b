"""Every read on every peer pair, compared with the oracle (the ORM on the API's own database)."""

from __future__ import annotations

import datetime
from types import ModuleType
from typing import Any

import pytest
from django.db import NotSupportedError
from django.db.models import Avg, Count, F, Max, Q
from peers import ORACLE, PEERS, Case, plain, recorded


def _offer() -> datetime.datetime:
    """The first seeded offer's end: the seed dates offers from the day it runs."""
    first = ORACLE.Pizza.objects.order_by("to_date").values_list("to_date", flat=True).first()
    assert first is not None
    return first


# django-rest-models' own defects: each fails the same way against dynamic-rest 2.3.0.
DRM_SAME_ROW = "django-rest-models sends both leaves in one filter: silently empty"
DRM_RELATION_SORT = "django-rest-models: KeyError ordering by a relation path"
DRM_M2M_PREFETCH = "django-rest-models: TypeError reading the reverse M2M id lists"
DRM_THROUGH = "django-rest-models: AttributeError, the auto-created through model has no APIMeta"
DRM_OPEN_SLICE = "django-rest-models ignores the offset of [n:] and returns every row"


def _get_missing(m: ModuleType) -> str:
    try:
        m.Pizza.objects.get(pk=999_999)
    except m.Pizza.DoesNotExist:
        return "DoesNotExist"
    return "found"


def _select_related(m: ModuleType) -> list[Any]:
    rows = m.Pizza.objects.select_related("menu", "creator").order_by("id")[:12]
    return [(p.id, p.menu.name, p.creator.username) for p in rows]


def _select_related_reverse_hop(m: ModuleType) -> list[Any]:
    rows = m.Review.objects.select_related("pizza__menu").order_by("id")[:10]
    return [(r.id, r.pizza.name, r.pizza.menu.code) for r in rows]


def _prefetch_m2m(m: ModuleType) -> list[Any]:
    rows = m.Pizza.objects.order_by("id").prefetch_related("toppings")[:10]
    return [(p.id, sorted(t.name for t in p.toppings.all())) for p in rows]


def _prefetch_reverse_fk(m: ModuleType) -> list[Any]:
    rows = m.Menu.objects.order_by("id").prefetch_related("pizzas")
    return [(menu.id, sorted(p.id for p in menu.pizzas.all())) for menu in rows]


def _prefetch_m2m_reverse(m: ModuleType) -> list[Any]:
    rows = m.Topping.objects.order_by("id").prefetch_related("pizzas")[:6]
    return [(t.id, sorted(p.id for p in t.pizzas.all())) for t in rows]


def _lazy_fk(m: ModuleType) -> list[Any]:
    pizza = m.Pizza.objects.get(pk=4)
    return [pizza.menu.name, pizza.creator.username]


def _reverse_manager(m: ModuleType) -> list[Any]:
    return list(m.Menu.objects.get(pk=2).pizzas.order_by("id"))


def _m2m_manager(m: ModuleType) -> list[Any]:
    return list(m.Pizza.objects.get(pk=5).toppings.order_by("name"))


def _m2m_reverse_manager_count(m: ModuleType) -> int:
    return int(m.Topping.objects.get(pk=3).pizzas.count())


def _iterator(m: ModuleType) -> list[Any]:
    return list(m.Review.objects.order_by("id").iterator(chunk_size=25))


CASES = [
    # Plain reads and every lookup.
    Case("all (several pages)", lambda m: m.Review.objects.order_by("id")),
    Case("filter exact", lambda m: m.Pizza.objects.filter(name="Margherita")),
    Case("filter pk", lambda m: m.Pizza.objects.filter(pk=7)),
    Case("filter gt", lambda m: m.Pizza.objects.filter(price__gt=12).order_by("id")),
    Case(
        "filter gte+lte",
        lambda m: m.Pizza.objects.filter(price__gte=10, price__lte=12).order_by("id"),
    ),
    Case("filter lt", lambda m: m.Topping.objects.filter(cost__lt=0.7).order_by("id")),
    Case(
        "filter icontains",
        lambda m: m.Pizza.objects.filter(name__icontains="quattro").order_by("id"),
    ),
    Case(
        "filter contains",
        lambda m: m.Pizza.objects.filter(name__contains="Speciale").order_by("id"),
    ),
    Case(
        "filter startswith", lambda m: m.Pizza.objects.filter(name__startswith="Ma").order_by("id")
    ),
    Case(
        "filter istartswith",
        lambda m: m.Pizza.objects.filter(name__istartswith="ca").order_by("id"),
    ),
    Case("filter endswith", lambda m: m.Pizza.objects.filter(name__endswith="ana").order_by("id")),
    Case(
        "filter iendswith", lambda m: m.Pizza.objects.filter(name__iendswith="ANA").order_by("id")
    ),
    Case("filter iexact", lambda m: m.Pizza.objects.filter(name__iexact="margherita")),
    Case("filter in", lambda m: m.Pizza.objects.filter(id__in=[1, 3, 5, 999]).order_by("id")),
    Case("filter in (empty)", lambda m: list(m.Pizza.objects.filter(id__in=[])), may_be_empty=True),
    Case("filter range", lambda m: m.Pizza.objects.filter(price__range=(9, 11)).order_by("id")),
    Case("filter isnull False", lambda m: m.Pizza.objects.filter(menu__isnull=False).count()),
    Case(
        "filter isnull True",
        lambda m: list(m.Pizza.objects.filter(creator__isnull=True)),
        may_be_empty=True,
    ),
    Case("filter regex", lambda m: m.Pizza.objects.filter(name__regex=r"^Q").order_by("id")),
    Case("filter year", lambda m: m.Pizza.objects.filter(to_date__year=_offer().year).count()),
    Case(
        "filter month",
        lambda m: m.Pizza.objects.filter(to_date__month=_offer().month).order_by("id"),
    ),
    Case(
        "filter date gte",
        lambda m: m.Pizza.objects.filter(
            to_date__gte=(_offer() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%MZ")
        ).order_by("id"),
    ),
    # Relations in filters.
    Case("filter fk id", lambda m: m.Pizza.objects.filter(menu=1).order_by("id")),
    Case("filter fk field", lambda m: m.Pizza.objects.filter(menu__name="Spicy").order_by("id")),
    Case("filter fk in", lambda m: m.Pizza.objects.filter(menu__code__in=["CLA", "VEG"]).count()),
    Case(
        "filter two hops",
        lambda m: m.Review.objects.filter(pizza__menu__code="VEG", rating__gte=4).order_by("id"),
    ),
    Case(
        "filter m2m",
        lambda m: m.Pizza.objects.filter(toppings__name="Basil").distinct().order_by("id"),
    ),
    Case(
        "filter reverse fk",
        lambda m: m.Menu.objects.filter(pizzas__price__gt=15).distinct().order_by("id"),
    ),
    Case(
        "filter reverse m2m",
        lambda m: m.Topping.objects.filter(pizzas__name="Margherita").order_by("id"),
    ),
    Case(
        "filter same to-many row twice (separate filter calls)",
        lambda m: (
            m.Pizza.objects.filter(toppings__name="Basil")
            .filter(toppings__name="Anchovies")
            .order_by("id")
        ),
        unsupported=frozenset({"dr"}),
        defects={"drm": DRM_SAME_ROW},
    ),
    # Negation and OR.
    Case("exclude", lambda m: m.Pizza.objects.exclude(menu__code="CLA").order_by("id")),
    Case("exclude lt", lambda m: m.Pizza.objects.exclude(price__lt=12).order_by("id")),
    Case(
        "exclude to-many",
        lambda m: m.Pizza.objects.exclude(toppings__name="Basil").order_by("id"),
        unsupported=frozenset({"drm"}),
    ),
    Case(
        "filter + exclude",
        lambda m: m.Pizza.objects.filter(price__gt=10).exclude(name__icontains="a").order_by("id"),
    ),
    Case(
        "Q OR",
        lambda m: m.Pizza.objects.filter(Q(price__lt=9) | Q(name__startswith="Q")).order_by("id"),
        unsupported=frozenset({"drm"}),
    ),
    Case(
        "Q OR on relations, AND a leaf",
        lambda m: m.Pizza.objects.filter(
            Q(menu__code="CLA") | Q(menu__code="VEG"), price__gt=10
        ).order_by("id"),
        unsupported=frozenset({"drm"}),
    ),
    Case(
        "Q NOT leaf AND leaf",
        lambda m: m.Pizza.objects.filter(~Q(menu__code="CLA") & Q(price__gt=12)).order_by("id"),
    ),
    Case(
        "Q OR of NOT leaves",
        lambda m: m.Pizza.objects.filter(~Q(menu__code="CLA") | ~Q(price__gt=9)).order_by("id"),
        unsupported=frozenset({"drm"}),
    ),
    Case(
        "Q NOT over AND group",
        lambda m: m.Pizza.objects.filter(~(Q(price__gt=12) & Q(menu__code="CLA"))).order_by("id"),
        unsupported=frozenset({"drm", "dr"}),
    ),
    Case(
        "exclude with two conditions (NOT over group)",
        lambda m: m.Pizza.objects.exclude(price__gt=12, menu__code="CLA").order_by("id"),
        unsupported=frozenset({"drm", "dr"}),
    ),
    # Single rows, counts, existence.
    Case("get pk", lambda m: m.Pizza.objects.get(pk=3)),
    Case("get field", lambda m: m.Pizza.objects.get(name="Marinara")),
    Case("get missing", _get_missing),
    Case("first", lambda m: m.Pizza.objects.order_by("price", "id").first()),
    Case("last", lambda m: m.Pizza.objects.order_by("price", "id").last()),
    Case("first unordered", lambda m: m.Menu.objects.first()),
    Case("latest", lambda m: m.Pizza.objects.latest("to_date")),
    Case("earliest", lambda m: m.Pizza.objects.earliest("to_date")),
    Case("count", lambda m: m.Pizza.objects.count()),
    Case("count filtered", lambda m: m.Pizza.objects.filter(price__gt=12).count()),
    Case("exists true", lambda m: m.Pizza.objects.filter(name="Margherita").exists()),
    Case("exists false", lambda m: m.Pizza.objects.filter(name="Calzone").exists()),
    Case("exists pk", lambda m: m.Pizza.objects.filter(pk=1).exists()),
    Case("in_bulk", lambda m: m.Pizza.objects.in_bulk([1, 2, 3])),
    Case("aggregate Count", lambda m: m.Pizza.objects.aggregate(n=Count("id"))),
    # Ordering and slicing.
    Case("order_by desc, field", lambda m: m.Pizza.objects.order_by("-price", "name")),
    Case(
        "order_by relation path",
        lambda m: m.Pizza.objects.order_by("menu__name", "id"),
        defects={"drm": DRM_RELATION_SORT},
    ),
    Case(
        "order_by relation path (values)",
        lambda m: m.Pizza.objects.order_by("menu__name", "id").values_list("id", flat=True),
        defects={"drm": DRM_RELATION_SORT},
    ),
    Case("slice [:5]", lambda m: m.Pizza.objects.order_by("id")[:5]),
    Case("slice [10:20]", lambda m: m.Pizza.objects.order_by("id")[10:20]),
    Case("slice [7:9]", lambda m: m.Pizza.objects.order_by("id")[7:9]),
    Case("slice [3:26]", lambda m: m.Pizza.objects.order_by("-price", "id")[3:26]),
    Case(
        "slice [40:]",
        lambda m: m.Pizza.objects.order_by("id")[40:],
        defects={"drm": DRM_OPEN_SLICE},
    ),
    Case("index [12]", lambda m: m.Pizza.objects.order_by("id")[12]),
    Case("iterator", _iterator),
    # Projections.
    Case("values", lambda m: m.Pizza.objects.order_by("id").values("id", "name", "price")[:10]),
    Case(
        "values_list flat", lambda m: m.Menu.objects.order_by("id").values_list("name", flat=True)
    ),
    Case("values_list fk", lambda m: m.Pizza.objects.order_by("id").values_list("id", "menu")),
    Case(
        "values relation path",
        lambda m: m.Pizza.objects.order_by("id").values("id", "menu__name")[:10],
    ),
    Case("only", lambda m: [(p.id, p.name) for p in m.Pizza.objects.only("name").order_by("id")]),
    Case("defer", lambda m: m.Topping.objects.defer("cost").order_by("id")),
    # Relations.
    Case("select_related", _select_related),
    Case("select_related two hops", _select_related_reverse_hop),
    Case("prefetch_related m2m", _prefetch_m2m),
    Case("prefetch_related reverse fk", _prefetch_reverse_fk),
    Case("prefetch_related reverse m2m", _prefetch_m2m_reverse, defects={"drm": DRM_M2M_PREFETCH}),
    Case("lazy fk access", _lazy_fk),
    Case("reverse fk manager", _reverse_manager),
    Case("m2m manager", _m2m_manager),
    Case("reverse m2m manager count", _m2m_reverse_manager_count, defects={"drm": DRM_THROUGH}),
    # What no dynamic-rest grammar can express.
    Case(
        "aggregate Max",
        lambda m: m.Pizza.objects.aggregate(Max("price")),
        unsupported=frozenset({"drm", "sk", "dr"}),
    ),
    Case(
        "annotate",
        lambda m: list(m.Menu.objects.annotate(n=Count("pizzas"))),
        unsupported=frozenset({"drm", "sk", "dr"}),
    ),
    Case(
        "aggregate Avg",
        lambda m: m.Topping.objects.aggregate(Avg("cost")),
        unsupported=frozenset({"drm", "sk", "dr"}),
    ),
    Case(
        "filter F()",
        lambda m: list(m.Pizza.objects.filter(price__gt=F("id"))),
        unsupported=frozenset({"drm", "sk", "dr"}),
    ),
]


def _param(case: Case, key: str) -> Any:
    marks = []
    if key in case.defects:
        marks.append(pytest.mark.xfail(reason=case.defects[key], strict=True))
    return pytest.param(case, key, id=f"{case.id}-{key}", marks=marks)


@pytest.mark.parametrize(("case", "key"), [_param(c, k) for c in CASES for k in PEERS])
def test_read(discovered: None, case: Case, key: str, record_property: Any) -> None:
    peer = PEERS[key]
    expectation = "unsupported" if key in case.unsupported else "ok"
    record_property("compat", (case.id, key, expectation))
    if key in case.unsupported:
        with recorded(peer.alias) as sent, pytest.raises(NotSupportedError):
            plain(case.run(peer.models))
        if peer.logs_requests:
            assert [q["sql"] for q in sent.captured_queries] == []
        return
    expected = plain(case.run(ORACLE))
    if not case.may_be_empty:
        assert expected != [] and expected is not None, "the oracle answers nothing: vacuous"
    assert plain(case.run(peer.models)) == expected
