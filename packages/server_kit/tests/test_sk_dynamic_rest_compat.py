"""dynamic-rest behaviour a migrating project relies on (issue #12), beyond its own suite."""

from __future__ import annotations

import pytest
from django.test import override_settings
from sk_testapp.models import Book

pytestmark = pytest.mark.django_db


def test_dynamic_rest_settings_are_read_and_restbridge_keys_win(api, library):
    from server_kit.conf import settings

    dynamic_rest = {"MAX_PAGE_SIZE": 2, "ENABLE_LINKS": False}
    with override_settings(DYNAMIC_REST=dynamic_rest, RESTBRIDGE={"PAGE_SIZE": 20}):
        body = api.get("/books/?per_page=50").json()
        assert body["meta"]["per_page"] == 2  # MAX_PAGE_SIZE is our MAX_PER_PAGE
        assert "links" not in body["books"][0]
        assert settings.ENABLE_LINKS is False
    with override_settings(
        DYNAMIC_REST={"MAX_PAGE_SIZE": 2}, RESTBRIDGE={"MAX_PER_PAGE": 3, "PAGE_SIZE": 20}
    ):
        assert api.get("/books/?per_page=50").json()["meta"]["per_page"] == 3


def test_error_bodies_keep_our_shape_and_name_the_parameter(api, library):
    body = api.get("/books/?filter{published.gt}=0").json()
    assert body["errors"][0]["parameter"] == "filter{published.gt}"
    assert body["errors"][0]["field"] == "published"
    body = api.get("/books/?where=" + "published.gt('0')").json()
    assert body["errors"][0]["parameter"] == "where"
    body = api.get("/books/?sort[]=nope").json()
    assert body["errors"][0]["parameter"] == "sort[]"


def test_dynamic_rest_error_shapes_when_configured_as_dynamic_rest(api, library):
    with override_settings(DYNAMIC_REST={}):
        response = api.get("/books/?filter{published.gt}=0")
        assert response.status_code == 400
        assert response.json() == [
            "“0” value has an invalid date format. It must be in YYYY-MM-DD format."
        ]
        assert set(api.get("/books/?sort[]=nope").json()) == {"detail"}
    with override_settings(DYNAMIC_REST={}, RESTBRIDGE={"ERROR_FORMAT": "restbridge"}):
        assert "errors" in api.get("/books/?filter{published.gt}=0").json()


@pytest.mark.parametrize(
    ("word", "in_print"),
    [("true", True), ("okies", True), ("1", True), ("false", False), ("0", False), ("", False)],
)
def test_boolean_filter_words_as_dynamic_rest_reads_them(api, library, word, in_print):
    rows = api.get(f"/books/?filter{{in_print}}={word}").json()["books"]
    assert rows and {row["in_print"] for row in rows} == {in_print}


def test_patch_all_refuses_unknown_and_read_only_fields(api, library):
    response = api.patch("/books/?patch-all=query", {"titel": "x"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "titel"
    response = api.patch("/books/?patch-all=query", {"reviews": []}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reviews"
    assert not Book.objects.filter(title="x").exists()


def test_delete_on_the_list_route_needs_a_list(api, library):
    assert api.delete("/books/", {"id": library["books"][0].pk}, format="json").status_code == 405
    assert Book.objects.count() == 3


def test_deferred_relations_have_links_and_included_objects_do_not(api, library):
    alpha = library["books"][0]
    book = api.get(f"/books/{alpha.pk}/?exclude[]=tags").json()["book"]
    assert book["links"]["tags"] == f"/books/{alpha.pk}/tags/"  # not rendered, still linked
    book = api.get(f"/books/{alpha.pk}/?include[]=tags.").json()["book"]
    assert "tags" not in book["links"]  # sideloaded: nothing to follow


def test_request_fields_serializer_arguments(library):
    from sk_testapp.serializers import BookSerializer

    alpha = library["books"][0]
    data = BookSerializer(alpha, request_fields={"tags": {}}, envelope=True).data
    assert sorted(tag["name"] for tag in data["tags"]) == ["blue", "green", "red"]
    assert data["book"]["tags"] == sorted(data["book"]["tags"])
    only = BookSerializer(alpha, only_fields=["id", "title"]).data
    assert set(only) == {"id", "title"}
    assert "summary" not in BookSerializer(alpha).data  # deferred, even without a view


def test_requires_loads_only_the_rows_the_relation_field_may_show(
    api, library, django_assert_num_queries
):
    # Alpha has a visible and a hidden review: the method must not count the hidden one.
    with django_assert_num_queries(2):  # the books, then their visible reviews (no N+1)
        query = "exclude[]=tags&exclude[]=labels&exclude[]=reviews&include[]=review_count"
        rows = api.get(f"/plainbooks/?{query}&exclude_links").json()
    counts = {row["title"]: row["review_count"] for row in rows["plain_books"]}
    assert counts == {"Alpha": 1, "Beta": 0, "Gamma": 1}


def test_post_processors_run_on_every_envelope(api, library):
    from server_kit.processors import POST_PROCESSORS, register_post_processor

    @register_post_processor
    def stamp(data):
        data["stamped"] = True
        return data

    try:
        assert api.get("/books/").json()["stamped"] is True
        assert api.get(f"/books/{library['books'][0].pk}/").json()["stamped"] is True
    finally:
        POST_PROCESSORS.pop("stamp")
    assert "stamped" not in api.get("/books/").json()


@override_settings(RESTBRIDGE={"ENABLE_HASHID_FIELDS": True, "HASHIDS_SALT": "salt"})
def test_hash_id_field_round_trip(library):
    from rest_framework import serializers as drf

    from server_kit.fields import DynamicHashIdField

    class HashedBookSerializer(drf.ModelSerializer):
        id = DynamicHashIdField(model=Book)

        class Meta:
            model = Book
            fields = ("id", "title")

    alpha = library["books"][0]
    hashed = HashedBookSerializer(alpha).data["id"]
    assert isinstance(hashed, str) and hashed != str(alpha.pk)
    field = HashedBookSerializer().fields["id"]
    assert field.to_internal_value(hashed) == alpha.pk
    with pytest.raises(drf.ValidationError):
        field.to_internal_value("not-a-hash")


def test_features_a_view_leaves_out_are_ignored(api, library):
    rows = api.get("/narrowbooks/?include[]=summary&exclude[]=title&sort[]=-title").json()["books"]
    assert [row["title"] for row in rows] == ["Alpha", "Beta", "Gamma"]  # pk order, unsorted
    assert all("summary" not in row for row in rows)
    rows = api.get("/narrowbooks/?filter{title}=Beta").json()["books"]
    assert [row["title"] for row in rows] == ["Beta"]


def test_extra_filters_and_a_filter_on_one_to_many_relation_share_the_related_row(api, library):
    def titles(query):
        return [row["title"] for row in api.get(f"/taggedbooks/?{query}").json()["books"]]

    assert titles("tag=red") == ["Alpha", "Beta"]
    assert titles("filter{tags.name}=green") == ["Alpha"]
    # One tag cannot be both red and green (dynamic-rest: one join), though Alpha has both.
    assert titles("tag=red&filter{tags.name}=green") == []
    assert titles("tag=red&filter{tags.name}=red&filter{price.lt}=6") == ["Beta"]


def test_a_link_callable_reads_its_column_without_a_query_per_row(
    api, library, django_assert_num_queries
):
    query = "exclude[]=tags&exclude[]=labels&exclude[]=reviews&exclude[]=editor"
    with django_assert_num_queries(1):  # the page only: editor_id is among its columns
        rows = api.get(f"/plainbooks/?{query}").json()["plain_books"]
    beta = library["books"][1]
    links = {row["id"]: row["links"]["editor"] for row in rows}
    assert links[beta.pk] == f"/authors/{beta.editor_id}/"
