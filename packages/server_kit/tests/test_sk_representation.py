"""The compiled row loop renders exactly what DRF's own ``Serializer.to_representation`` does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers
from sk_testapp.models import Author, Book, Review, Tag
from sk_testapp.serializers import BookSerializer

from server_kit import DynamicModelSerializer
from server_kit.sideloading import Sideloads

pytestmark = pytest.mark.django_db


class Shout(serializers.CharField):
    def to_representation(self, value):
        return str(value).upper()


class WideBookSerializer(DynamicModelSerializer):
    shouted_title = Shout(source="title", read_only=True)
    author_name = serializers.CharField(source="author.name", read_only=True)
    price_text = serializers.DecimalField(
        source="price", max_digits=8, decimal_places=2, read_only=True
    )
    blurb = serializers.SerializerMethodField()
    big_id = serializers.BigIntegerField(source="id", read_only=True)
    big_id_text = serializers.BigIntegerField(source="id", read_only=True, coerce_to_string=True)

    class Meta:
        model = Book
        fields = (
            "id",
            "title",
            "price",
            "published",
            "in_print",
            "summary",
            "shouted_title",
            "author_name",
            "price_text",
            "blurb",
            "big_id",
            "big_id_text",
        )

    def get_blurb(self, book):
        return f"{book.title} ({book.pk})"


class PlainAuthorSerializer(DynamicModelSerializer):
    class Meta:
        model = Author
        fields = ("id", "name", "email", "birthday", "created")


def drf_rendering(serializer, instance):
    """The oracle: DRF's own per-field loop, on the very same serializer."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def books():
    author = Author.objects.create(name="Ann", created=dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC))
    return [
        Book.objects.create(title="first", author=author, price=12.5, in_print=True),
        Book.objects.create(
            title="second", author=author, price=3, in_print=False, published=dt.date(2029, 5, 6)
        ),
    ]


def test_rows_render_as_drf_renders_them(books):
    serializer = WideBookSerializer(context={})
    for book in Book.objects.select_related("author").order_by("pk"):
        rendered = serializer.to_representation(book)
        assert rendered == drf_rendering(serializer, book)
    assert rendered["shouted_title"] == "SECOND"  # a field subclass keeps its conversion
    assert rendered["price_text"] == "3.00"
    assert rendered["published"] == "2029-05-06"
    assert rendered["in_print"] is False
    assert rendered["big_id"] == book.pk and rendered["big_id_text"] == str(book.pk)


def test_values_of_another_type_go_through_the_field(books):
    book = Book.objects.get(pk=books[0].pk)
    book.price = Decimal("7.25")  # a FloatField column holding a Decimal: float() applies
    book.title = 42  # str() applies
    rendered = WideBookSerializer(context={}).to_representation(book)
    assert rendered["price"] == 7.25 and type(rendered["price"]) is float
    assert rendered["title"] == "42"


def test_deferred_columns_are_loaded_like_drf_loads_them(books):
    serializer = PlainAuthorSerializer(context={})
    author = Author.objects.only("id", "name").get()
    assert serializer.to_representation(author) == {
        "id": author.pk,
        "name": "Ann",
        "email": "",
        "birthday": None,
        "created": "2030-01-02T03:04:00Z",
    }


def test_datetimes_follow_the_time_zone_active_when_rendering(books):
    author = Author.objects.get()
    with timezone.override("Asia/Tokyo"):
        tokyo = PlainAuthorSerializer(context={})
        assert tokyo.to_representation(author)["created"] == "2030-01-02T12:04:00+09:00"
        assert tokyo.to_representation(author) == drf_rendering(tokyo, author)
    assert PlainAuthorSerializer(context={}).to_representation(author)["created"] == (
        "2030-01-02T03:04:00Z"
    )


def test_mappings_take_drf_path():
    data = {"id": 3, "name": "Bo", "email": "b@x", "birthday": None, "created": None}
    serializer = PlainAuthorSerializer(context={})
    assert serializer.to_representation(data) == drf_rendering(serializer, data)
    assert serializer.to_representation(data)["name"] == "Bo"


@pytest.mark.parametrize("preloaded", [True, False])
@pytest.mark.parametrize(
    "include",
    [[], ["tags.*"], ["author.*", "editor.*"], ["tags.*", "reviews.*", "author.*", "editor.*"]],
)
def test_relations_render_as_drf_renders_them(books, include, preloaded):
    # Relation fields render through readers decided once per response; rows the page
    # preloaded and rows it did not must both render as DRF's per-field loop renders them.
    tags = [Tag.objects.create(name=name) for name in ("hot", "veg")]
    books[0].tags.set(tags)
    books[0].editor = Author.objects.create(name="Ed")
    books[0].save()
    shown = Review.objects.create(book=books[0], rating=5)
    Review.objects.create(book=books[0], rating=1, hidden=True)  # the row hook hides it
    rows = list(Book.objects.order_by("pk"))
    serializer = BookSerializer(include=include, context={"sideloads": Sideloads("books")})
    if preloaded:
        serializer.preload(rows)
    for book in rows:
        assert serializer.to_representation(book) == drf_rendering(serializer, book)
    first = serializer.to_representation(rows[0])
    assert first["tags"] == [tag.pk for tag in tags]
    assert first["editor"] == books[0].editor.pk
    assert first["reviews"] == [shown.pk]  # ids, sideloaded or not: the hidden one absent
    assert serializer.to_representation(rows[1])["editor"] is None
