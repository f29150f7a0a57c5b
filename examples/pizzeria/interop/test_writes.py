"""Writes on every peer pair, each checked on the API's database through the oracle."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from peers import ORACLE, PEERS

TO_DATE = datetime.datetime(2031, 5, 17, 12, 30, tzinfo=datetime.UTC)
DRM_BULK_UPDATE = "django-rest-models: TypeError, `Case` is not JSON serializable"


def _peers(**defects: str) -> list[Any]:
    return [
        pytest.param(
            key,
            id=key,
            marks=[pytest.mark.xfail(reason=defects[key], strict=True)] if key in defects else [],
        )
        for key in PEERS
    ]


@pytest.fixture
def prefix(request: pytest.FixtureRequest, discovered: None) -> Iterator[str]:
    """A name prefix for this test's rows; every pizza and menu with it is removed afterwards."""
    name = f"interop-{request.node.callspec.id}-{request.node.originalname}-"
    yield name
    ORACLE.Pizza.objects.filter(name__startswith=name).delete()
    ORACLE.Menu.objects.filter(name__startswith=name).delete()


@pytest.fixture
def models(request: pytest.FixtureRequest, record_property: Any) -> ModuleType:
    key: str = request.node.callspec.params["key"]
    operation = request.node.originalname.removeprefix("test_").replace("_", " ")
    record_property("compat", (operation, key, "ok"))
    return PEERS[key].models


def _pizza(m: ModuleType, name: str, **fields: Any) -> Any:
    return m.Pizza.objects.create(
        name=name, price=fields.pop("price", 9.5), to_date=TO_DATE, menu_id=2, **fields
    )


def _row(pk: int) -> Any:
    return ORACLE.Pizza.objects.get(pk=pk)


def _toppings(pk: int) -> set[int]:
    return set(_row(pk).toppings.values_list("id", flat=True))


@pytest.mark.parametrize("key", _peers())
def test_create(key: str, models: ModuleType, prefix: str) -> None:
    pizza = _pizza(models, f"{prefix}a", creator_id=3)
    row = _row(pizza.pk)
    assert (row.name, row.price, row.menu_id, row.creator_id, row.to_date) == (
        f"{prefix}a",
        9.5,
        2,
        3,
        TO_DATE,
    )
    # The server fills `from_date` (auto_now_add, read-only): it comes back into the instance.
    assert pizza.from_date == row.from_date


@pytest.mark.parametrize("key", _peers())
def test_save(key: str, models: ModuleType, prefix: str) -> None:
    pizza = _pizza(models, f"{prefix}a")
    pizza.price = 11.5
    pizza.menu_id = 3
    pizza.save()
    row = _row(pizza.pk)
    assert (row.price, row.menu_id) == (11.5, 3)


@pytest.mark.parametrize("key", _peers())
def test_queryset_update(key: str, models: ModuleType, prefix: str) -> None:
    pks = [_pizza(models, f"{prefix}{i}").pk for i in range(2)]
    assert models.Pizza.objects.filter(name__startswith=prefix).update(price=7.0) == 2
    assert sorted(ORACLE.Pizza.objects.filter(pk__in=pks).values_list("price", flat=True)) == [
        7.0,
        7.0,
    ]


@pytest.mark.parametrize("key", _peers())
def test_delete_cascade(key: str, models: ModuleType, prefix: str) -> None:
    pizza = _pizza(models, f"{prefix}a")
    review = models.Review.objects.create(pizza=pizza, author="Ada", rating=4, comment="ok")
    assert ORACLE.Review.objects.get(pk=review.pk).pizza_id == pizza.pk
    pizza.delete()
    assert not ORACLE.Pizza.objects.filter(pk=pizza.pk).exists()
    assert not ORACLE.Review.objects.filter(pk=review.pk).exists()


@pytest.mark.parametrize("key", _peers())
def test_queryset_delete(key: str, models: ModuleType, prefix: str) -> None:
    for i in range(3):
        _pizza(models, f"{prefix}{i}")
    models.Pizza.objects.filter(name__startswith=prefix).delete()
    assert not ORACLE.Pizza.objects.filter(name__startswith=prefix).exists()


@pytest.mark.parametrize("key", _peers())
def test_bulk_create(key: str, models: ModuleType, prefix: str) -> None:
    created = models.Pizza.objects.bulk_create(
        [
            models.Pizza(name=f"{prefix}{i}", price=10 + i, to_date=TO_DATE, menu_id=1)
            for i in range(3)
        ]
    )
    rows = ORACLE.Pizza.objects.filter(name__startswith=prefix).order_by("name")
    assert [(r.name, r.price) for r in rows] == [(f"{prefix}{i}", 10.0 + i) for i in range(3)]
    assert [p.pk for p in created] == [r.pk for r in rows]


@pytest.mark.parametrize("key", _peers(drm=DRM_BULK_UPDATE))
def test_bulk_update(key: str, models: ModuleType, prefix: str) -> None:
    pizzas = [_pizza(models, f"{prefix}{i}") for i in range(2)]
    for i, pizza in enumerate(pizzas):
        pizza.price = 20.0 + i
    models.Pizza.objects.bulk_update(pizzas, ["price"])
    assert [_row(p.pk).price for p in pizzas] == [20.0, 21.0]


@pytest.mark.parametrize("key", _peers())
def test_m2m_add_remove_set_clear(key: str, models: ModuleType, prefix: str) -> None:
    pizza = _pizza(models, f"{prefix}a")
    pizza.toppings.add(1, 2, 3)
    assert _toppings(pizza.pk) == {1, 2, 3}
    pizza.toppings.remove(2)
    assert _toppings(pizza.pk) == {1, 3}
    pizza.toppings.set([4, 5])
    assert _toppings(pizza.pk) == {4, 5}
    pizza.toppings.clear()
    assert _toppings(pizza.pk) == set()


@pytest.mark.parametrize("key", _peers())
def test_get_or_create(key: str, models: ModuleType, prefix: str) -> None:
    fields = {"price": 8.0, "to_date": TO_DATE}
    first, created = models.Pizza.objects.get_or_create(name=f"{prefix}a", defaults=fields)
    again, created_again = models.Pizza.objects.get_or_create(name=f"{prefix}a", defaults=fields)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert ORACLE.Pizza.objects.filter(name=f"{prefix}a").count() == 1


@pytest.mark.parametrize("key", _peers())
def test_update_or_create(key: str, models: ModuleType, prefix: str) -> None:
    pizza = _pizza(models, f"{prefix}a")
    updated, created = models.Pizza.objects.update_or_create(
        name=f"{prefix}a", defaults={"price": 14.0}
    )
    assert (updated.pk, created, _row(pizza.pk).price) == (pizza.pk, False, 14.0)


@pytest.mark.parametrize("key", _peers())
def test_create_menu_and_reverse_read(key: str, models: ModuleType, prefix: str) -> None:
    menu = models.Menu.objects.create(name=f"{prefix}menu", code="INT")
    pizza = _pizza(models, f"{prefix}a")
    pizza.menu = menu
    pizza.save()
    assert [p.pk for p in models.Menu.objects.get(pk=menu.pk).pizzas.all()] == [pizza.pk]
    assert ORACLE.Menu.objects.get(pk=menu.pk).code == "INT"
