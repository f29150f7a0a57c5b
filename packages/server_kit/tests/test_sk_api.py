from __future__ import annotations

import base64
import importlib
import pkgutil

import pytest
from django.core import checks
from django.db import models
from django.test import override_settings

import server_kit
from server_kit.settings import api_settings

pytestmark = pytest.mark.django_db


def test_public_api():
    """``__all__`` is what the package re-exports from its modules' own ``__all__``."""
    assert server_kit.__all__ == sorted(server_kit.__all__, key=lambda n: (not n.isupper(), n))
    reexported = set()
    for info in pkgutil.iter_modules(server_kit.__path__):
        module = importlib.import_module(f"server_kit.{info.name}")
        for name in getattr(module, "__all__", ()):
            if getattr(server_kit, name, None) is getattr(module, name):
                reexported.add(name)
    assert set(server_kit.__all__) == reexported
    # The names a dynamic-rest / drf-flex-fields project imports must stay.
    for name in (
        "DynamicModelSerializer",
        "DynamicRelationField",
        "DynamicMethodField",
        "WithDynamicViewSetMixin",
        "DynamicModelViewSet",
        "DynamicRouter",
        "DynamicFilterBackend",
        "DynamicSortingFilter",
        "DynamicPageNumberPaginator",
        "DynamicMetadata",
        "emit_api",
    ):
        assert name in server_kit.__all__
        assert getattr(server_kit, name)


def test_options_metadata(api, library):
    body = api.options("/books/").json()
    assert body["resource_name"] == "book"
    assert body["resource_name_plural"] == "books"
    for feature in (
        "include[]",
        "exclude[]",
        "filter{}",
        "page",
        "per_page",
        "sort[]",
        "sideloading",
        "debug",
        "filter{}.not",
        "where",
        "offset",
        "bulk",
        "exclude_count",
    ):
        assert feature in body["features"]
    assert "restbridge" in body
    props = body["properties"]
    assert props["tags"] == {**props["tags"], "type": "many", "related_to": "tags"}
    assert props["author"] == {**props["author"], "type": "one", "nullable": False}
    assert props["editor"]["nullable"] is True
    assert props["price"]["type"] == "float"
    assert props["id"]["read_only"] is True
    assert props["summary"]["type"] == "string"  # deferred fields are listed too
    assert "password_hash" not in api.options("/authors/").json()["properties"]


def test_options_reverse_relations_listed(api, library):
    props = api.options("/authors").json()["properties"]
    assert props["books"]["type"] == "many" and props["books"]["related_to"] == "books"
    assert props["mentor"]["type"] == "one" and props["mentor"]["related_to"] == "authors"


def test_settings_are_read_lazily_and_reloaded(api, library):
    assert api_settings.PAGE_SIZE == 20
    with override_settings(RESTBRIDGE={"PAGE_SIZE": 2}):
        assert api_settings.PAGE_SIZE == 2
        assert api.get("/books/").json()["meta"]["per_page"] == 2
    assert api_settings.PAGE_SIZE == 50 or api_settings.PAGE_SIZE == 20


def test_unknown_setting_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(RESTBRIDGE={"PAGESIZE": 2}), pytest.raises(ImproperlyConfigured):
        api_settings.PAGE_SIZE  # noqa: B018


def test_permissions(api, library):
    from django.contrib.auth.models import User

    response = api.get("/locked/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] and response.json()["errors"][0]["code"]
    User.objects.create_user("u", password="p")
    token = base64.b64encode(b"u:p").decode()
    response = api.get("/locked/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200
    assert len(response.json()["tags"]) == 3


def test_throttling(api, library):
    from django.core.cache import cache

    cache.clear()
    statuses = [api.get("/throttled/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert api.get("/throttled/").json()["errors"][0]["code"] == "throttled"


@pytest.mark.parametrize(
    "query",
    [
        "filter{}=not-json",
        "filter{}=%7B%22title%22%3A%20%5B1%2C2%5D%7D",
        "where=%27",
        "include[]=..",
        "per_page=abc",
        "filter{author.in}=x",
        "filter{tags}=null",
        "filter{price.range}=1",
        "offset=-1",
        "page=1&offset=1",
        "sideloading=maybe",
    ],
)
def test_bad_input_is_never_500(api, library, query):
    response = api.get(f"/books/?{query}")
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"]
    assert all(e["detail"] for e in response.json()["errors"])


def test_relation_system_check_passes_for_test_app():
    errors = [e for e in checks.run_checks() if e.id and e.id.startswith("restbridge")]
    assert [e for e in errors if e.obj.__module__ == "sk_testapp.serializers"] == []


def test_relation_system_check_reports_missing_reverse():
    from sk_testapp.models import Review
    from sk_testapp.serializers import BookSerializer

    from server_kit import DynamicModelSerializer, DynamicRelationField

    class LonelyReviewSerializer(DynamicModelSerializer):
        book = DynamicRelationField(BookSerializer)

        class Meta:
            model = Review
            fields = ("id", "book")

    class NoBooksAuthorSerializer(DynamicModelSerializer):
        class Meta:
            model = Review
            fields = ("id",)

    class ReviewWithOptOut(DynamicModelSerializer):
        book = DynamicRelationField(
            "sk_testapp.serializers.BookSerializer", reverse_optional="books list reviews"
        )

        class Meta:
            model = Review
            fields = ("id", "book")

    from server_kit.checks import check_reverse_relations

    class MentorOnly(DynamicModelSerializer):
        mentor = DynamicRelationField(lambda: MentorOnly)

        class Meta:
            model = __import__("sk_testapp.models", fromlist=["Author"]).Author
            fields = ("id", "mentor")

    found = [
        e
        for e in check_reverse_relations()
        if e.obj in (LonelyReviewSerializer, ReviewWithOptOut, MentorOnly)
    ]
    # BookSerializer exposes reviews, so LonelyReviewSerializer passes; MentorOnly lacks mentees.
    assert [e.obj for e in found] == [MentorOnly]
    assert found[0].id == "restbridge.E001"
    assert (
        "mentees = DynamicRelationField('MentorOnly', many=True, read_only=True)" in found[0].hint
    )


def test_emitter_builds_a_conforming_api(settings):
    from django.urls import include, path
    from rest_framework.test import APIClient
    from sk_testapp.models import Author, Book, Review, Tag
    from sk_testapp.serializers import TagSerializer

    from server_kit import DynamicRouter, emit_api
    from server_kit.checks import check_reverse_relations

    router = DynamicRouter()
    emitted = emit_api(
        [Author, Book, Review, Tag],
        router=router,
        serializers={Tag: TagSerializer},
        hidden_fields={Author: ["password_hash"]},
    )
    book_fields = emitted.serializers[Book].field_map()
    assert {"author", "editor", "tags", "reviews"} <= set(book_fields)
    assert book_fields["tags"].many and not book_fields["author"].many
    author_fields = emitted.serializers[Author].field_map()
    assert {"books", "edited_books", "mentor", "mentees"} <= set(author_fields)
    assert "password_hash" not in author_fields
    assert emitted.serializers[Tag] is TagSerializer
    assert emitted.serializers[Review].plural_name() == "reviews"
    generated = set(emitted.serializers.values()) - {TagSerializer}
    assert [e for e in check_reverse_relations() if e.obj in generated] == []

    urlconf = type("urls", (), {"urlpatterns": [path("api/", include(router.urls))]})
    settings.ROOT_URLCONF = urlconf
    ann = Author.objects.create(name="Ann")
    book = Book.objects.create(title="T", author=ann)
    book.tags.add(Tag.objects.create(name="x"))
    client = APIClient()
    body = client.get("/api/books/?include[]=author.&include[]=tags.").json()
    assert body["books"][0]["author"] == ann.pk
    assert body["authors"][0]["name"] == "Ann"
    assert body["tags"][0]["books"] == [book.pk]
    response = client.post("/api/authors/", {"name": "New"}, format="json")
    assert response.status_code == 201 and response.json()["author"]["name"] == "New"
    assert set(client.get("/api/").json()) == {"authors", "books", "reviews", "tags"}
    # Generated reverse relations are read-only: a changed id list is a 400, not dropped.
    response = client.patch(f"/api/authors/{ann.pk}/", {"books": []}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        **response.json()["errors"][0],
        "code": "read_only",
        "field": "books",
    }
    assert list(ann.books.all()) == [book]
    response = client.patch(f"/api/authors/{ann.pk}/", {"books": [book.pk]}, format="json")
    assert response.status_code == 200


def test_pluralize_and_names():
    from server_kit.naming import pluralize, underscore

    assert underscore("PizzaTopping") == "pizza_topping"
    assert underscore("HTTPThing") == "http_thing"
    assert [pluralize(w) for w in ("pizza", "category", "box", "person", "day")] == [
        "pizzas",
        "categories",
        "boxes",
        "people",
        "days",
    ]
    # dynamic-rest's names (it uses inflection), which a hand-rolled rule got wrong.
    words = ("series", "news", "quiz", "datum", "mouse", "pizza_topping")
    assert [pluralize(w) for w in words] == [
        "series",
        "news",
        "quizzes",
        "data",
        "mice",
        "pizza_toppings",
    ]


def test_unresolvable_serializer_name_is_clear():
    from sk_testapp.models import Review

    from server_kit import DynamicModelSerializer, DynamicRelationField

    class Broken(DynamicModelSerializer):
        book = DynamicRelationField("NoSuchSerializer")

        class Meta:
            model = Review
            fields = ("id", "book")

    with pytest.raises(ImportError, match="NoSuchSerializer"):
        Broken.field_map()["book"].serializer_class  # noqa: B018


def test_model_without_reverse_name_is_not_required(db):
    from server_kit.relations import model_relations

    class Plain(models.Model):
        other = models.ForeignKey("sk_testapp.Tag", on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "sk_testapp"

    relation = model_relations(Plain)["other"]
    assert relation.reverse_accessor is None


def test_unprefetchable_relation_source_is_a_check_error():
    from sk_testapp.models import Comment

    from server_kit import DynamicModelSerializer, DynamicRelationField
    from server_kit.checks import check_reverse_relations

    class ComputedSource(DynamicModelSerializer):
        review_book = DynamicRelationField(
            "sk_testapp.serializers.BookSerializer", source="review.pk", reverse_optional="x"
        )
        reviews = DynamicRelationField(
            "sk_testapp.serializers.ReviewSerializer",
            source="review",
            many=True,
            read_only=True,
            reverse_optional="x",
        )
        fine = DynamicRelationField(
            "sk_testapp.serializers.AuthorSerializer",
            source="review.book.author",
            read_only=True,
            reverse_optional="x",
        )

        class Meta:
            model = Comment
            fields = ("id", "review_book", "reviews", "fine")

    found = [e for e in check_reverse_relations() if e.obj is ComputedSource]
    assert [e.id for e in found] == ["restbridge.E003", "restbridge.E003"]
    assert "'review.pk' is not a model relation" in found[0].msg
    assert "to-one but the field has many=True" in found[1].msg
    assert "DynamicMethodField" in found[0].hint
