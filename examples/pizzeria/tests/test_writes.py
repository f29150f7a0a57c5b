"""Writes through the ORM, each verified with plain httpx against the API."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image
from pizzeria_client.models import Menu, Pizza, Review, Topping

pytestmark = pytest.mark.usefixtures("live_api")


def fetch(api_http, path):
    response = api_http.get(path)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def menu():
    return Menu.objects.get(code="SEA")


@pytest.fixture
def pizza(menu, cleanup):
    created = Pizza.objects.create(name="E2E Fixture", price=10.0, menu=menu)
    cleanup.append(f"pizzas/{created.pk}/")
    return created


def test_create_returns_server_computed_fields(menu, cleanup, api_http, requests_on):
    with requests_on() as sent:
        pizza = Pizza.objects.create(name="E2E Create", price=Decimal("11.5"), menu=menu)
    cleanup.append(f"pizzas/{pizza.pk}/")
    assert len(sent) == 1
    assert sent.captured_queries[0]["sql"].startswith("POST")
    stored = fetch(api_http, f"pizzas/{pizza.pk}/")["pizza"]
    assert (stored["name"], stored["price"], stored["menu"]) == ("E2E Create", "11.50", menu.pk)
    assert Pizza.objects.get(pk=pizza.pk).price == Decimal("11.50")
    assert pizza.from_date == datetime.date.fromisoformat(stored["from_date"])


def _png(width: int, height: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(stream, "PNG")
    return stream.getvalue()


def test_pizza_photo_uploaded_rendered_as_url_and_downloaded(menu, cleanup, api_http, requests_on):
    png = _png(5, 4)
    upload = SimpleUploadedFile("margherita.png", png, "image/png")
    with requests_on() as sent:
        pizza = Pizza.objects.create(name="E2E Photo", price=Decimal("12"), menu=menu, photo=upload)
    cleanup.append(f"pizzas/{pizza.pk}/")
    assert [q["sql"].split()[0] for q in sent.captured_queries] == ["POST"]  # one multipart POST
    rendered = fetch(api_http, f"pizzas/{pizza.pk}/")["pizza"]["photo"]
    assert rendered == pizza.photo.url
    assert rendered.startswith(
        f"{api_http.base_url.scheme}://{api_http.base_url.netloc.decode()}/media/pizzas/"
    )
    read = Pizza.objects.get(pk=pizza.pk)
    assert read.photo.url == rendered
    with read.photo.open() as stream:
        assert stream.read() == png
    assert (read.photo.width, read.photo.height) == (5, 4)
    read.name = "E2E Photo kept"
    read.save()
    assert fetch(api_http, f"pizzas/{pizza.pk}/")["pizza"]["photo"] == rendered


def test_save_updates(pizza, api_http):
    pizza.name = "E2E Saved"
    pizza.price = Decimal("9")
    pizza.save()
    stored = fetch(api_http, f"pizzas/{pizza.pk}/")["pizza"]
    assert (stored["name"], stored["price"]) == ("E2E Saved", "9.00")


def test_queryset_update(pizza, api_http):
    assert Pizza.objects.filter(pk=pizza.pk).update(price=Decimal("14")) == 1
    assert fetch(api_http, f"pizzas/{pizza.pk}/")["pizza"]["price"] == "14.00"


def test_delete_cascades_to_reviews(menu, api_http):
    pizza = Pizza.objects.create(name="E2E Doomed", price=7.0, menu=menu)
    review = Review.objects.create(pizza=pizza, author="Ada", rating=4)
    pizza.delete()
    assert api_http.get(f"pizzas/{pizza.pk}/").status_code == 404
    assert api_http.get(f"reviews/{review.pk}/").status_code == 404


def test_queryset_delete(menu, api_http):
    created = [Topping.objects.create(name=f"E2E Crumb {i}", cost=0.1) for i in range(3)]
    Topping.objects.filter(name__startswith="E2E Crumb").delete()
    for topping in created:
        assert api_http.get(f"toppings/{topping.pk}/").status_code == 404


def test_many_to_many_add_remove_set_clear(pizza, api_http):
    basil, ham, egg = (Topping.objects.get(name=n) for n in ("Basil", "Ham", "Egg"))

    def stored():
        return sorted(fetch(api_http, f"pizzas/{pizza.pk}/")["pizza"]["toppings"])

    pizza.toppings.add(basil, ham)
    assert stored() == sorted([basil.pk, ham.pk])
    pizza.toppings.remove(basil)
    assert stored() == [ham.pk]
    pizza.toppings.set([egg, basil])
    assert stored() == sorted([egg.pk, basil.pk])
    pizza.toppings.clear()
    assert stored() == []
    basil.pizzas.add(pizza)  # from the other side
    assert stored() == [basil.pk]


def test_reverse_manager_create(pizza, api_http):
    review = pizza.reviews.create(author="Grace", rating=5, comment="Lovely")
    stored = fetch(api_http, f"reviews/{review.pk}/")["review"]
    assert (stored["pizza"], stored["author"], stored["rating"]) == (pizza.pk, "Grace", 5)
    assert review.created_at is not None


def writes(sent):
    """The requests of a block, less the one-time OPTIONS that discovers the bulk routes."""
    methods = [query["sql"].split()[0] for query in sent.captured_queries]
    assert methods.count("OPTIONS") <= 1, methods
    return [method for method in methods if method != "OPTIONS"]


def test_bulk_create_and_bulk_update(pizza, api_http, requests_on, cleanup):
    with requests_on() as sent:
        reviews = Review.objects.bulk_create(
            [Review(pizza=pizza, author=f"Bulk {i}", rating=3) for i in range(5)]
        )
    cleanup.extend(f"reviews/{r.pk}/" for r in reviews)
    assert writes(sent) == ["POST"]
    assert all(r.pk for r in reviews)
    for review in reviews:
        review.rating = 1
    with requests_on() as sent:
        Review.objects.bulk_update(reviews, ["rating"])
    assert writes(sent) == ["PATCH"]
    stored = fetch(api_http, f"reviews?filter{{pizza}}={pizza.pk}&per_page=50")["reviews"]
    assert sorted(r["rating"] for r in stored) == [1] * 5


def test_get_or_create_and_update_or_create(menu, cleanup):
    topping, created = Topping.objects.get_or_create(name="E2E Saffron", defaults={"cost": 3.0})
    cleanup.append(f"toppings/{topping.pk}/")
    assert created
    again, created = Topping.objects.get_or_create(name="E2E Saffron", defaults={"cost": 9.0})
    assert (again.pk, created, again.cost) == (topping.pk, False, 3.0)
    updated, created = Topping.objects.update_or_create(name="E2E Saffron", defaults={"cost": 4.5})
    assert (updated.pk, created) == (topping.pk, False)
    assert Topping.objects.get(pk=topping.pk).cost == 4.5


def test_validation_error_is_an_integrity_error_naming_the_field(pizza, api_http):
    with pytest.raises(IntegrityError) as caught:
        Review.objects.create(pizza=pizza, author="Troll", rating=9)
    message = str(caught.value)
    assert "rating" in message
    assert "400" in message
    assert fetch(api_http, f"reviews?filter{{pizza}}={pizza.pk}")["reviews"] == []


def test_unknown_related_id_is_an_integrity_error(menu):
    with pytest.raises(IntegrityError) as caught:
        Review.objects.create(pizza_id=999_999, author="Ghost", rating=3)
    assert "999999" in str(caught.value)
