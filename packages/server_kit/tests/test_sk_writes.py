from __future__ import annotations

import pytest
from sk_testapp.models import Book, Tag

pytestmark = pytest.mark.django_db


def test_create_plain_returns_full_object(api, library):
    ann = library["ann"]
    response = api.post("/books/", {"title": "New", "author": ann.pk}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()["book"]
    assert data["title"] == "New"
    assert data["price"] == 10.0  # server default
    assert data["in_print"] is True
    assert data["summary"] == ""  # deferred scalar shown on writes
    assert data["shout"] == "NEW"  # computed
    assert Book.objects.filter(title="New", author=ann).exists()


def test_create_wrapped_with_to_many(api, library):
    tags = [t.pk for t in library["tags"][:2]]
    body = {"book": {"title": "Wrapped", "author": library["bob"].pk, "tags": tags}}
    response = api.post("/books", body, format="json")
    assert response.status_code == 201
    assert sorted(response.json()["book"]["tags"]) == sorted(tags)


def test_create_validation_error_shape(api, library):
    response = api.post("/books/", {"author": library["ann"].pk}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "title"
    assert body["errors"][0]["code"] == "required"
    assert "title" in body["detail"]


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"title": "X", "author": 999}, "ID=999"),
        ({"title": "X", "author": 1, "tags": [1, 999]}, "ID=999"),
        ({"title": "X", "author": 1, "tags": 3}, "must be a list"),
        ({"title": "X", "author": "abc"}, "not a valid id"),
    ],
)
def test_bad_related_ids(api, library, payload, needle):
    response = api.post("/books/", payload, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] in ("author", "tags")
    assert needle in error["detail"]
    assert error["field"] in response.json()["detail"]


def test_patch_and_put(api, library):
    book = library["books"][0]
    response = api.patch(f"/books/{book.pk}/", {"price": 9.5}, format="json")
    assert response.status_code == 200
    assert response.json()["book"]["price"] == 9.5
    response = api.put(
        f"/books/{book.pk}", {"title": "Put", "author": library["bob"].pk}, format="json"
    )
    assert response.status_code == 200
    book.refresh_from_db()
    assert (book.title, book.author_id) == ("Put", library["bob"].pk)
    response = api.put(f"/books/{book.pk}/", {"price": 1}, format="json")
    assert response.status_code == 400


def test_patch_wrapped_to_many_replaces_set(api, library):
    book = library["books"][0]
    red = library["tags"][0]
    response = api.patch(f"/books/{book.pk}/", {"book": {"tags": [red.pk]}}, format="json")
    assert response.status_code == 200
    assert response.json()["book"]["tags"] == [red.pk]
    assert list(book.tags.values_list("pk", flat=True)) == [red.pk]
    response = api.patch(f"/books/{book.pk}/", {"tags": []}, format="json")
    assert response.json()["book"]["tags"] == []


def test_delete(api, library):
    book = library["books"][2]
    assert api.delete(f"/books/{book.pk}/").status_code == 204
    assert not Book.objects.filter(pk=book.pk).exists()
    assert api.delete(f"/books/{book.pk}/").status_code == 404


def test_non_object_body_is_400(api, library):
    response = api.patch(f"/books/{library['books'][0].pk}/", "nope", format="json")
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize("wrapped", [False, True])
def test_bulk_create(api, library, wrapped):
    items = [{"name": "a"}, {"name": "b"}]
    response = api.post("/tags/", {"tags": items} if wrapped else items, format="json")
    assert response.status_code == 201
    assert [t["name"] for t in response.json()["tags"]] == ["a", "b"]
    assert Tag.objects.filter(name__in=["a", "b"]).count() == 2


def test_bulk_create_is_atomic_and_points_at_item(api, library):
    items = [{"name": "ok"}, {"name": ""}, {"name": "ok2"}]
    response = api.post("/tags/", items, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["index"], error["field"]) == (1, "name")
    assert not Tag.objects.filter(name__in=["ok", "ok2"]).exists()


def test_bulk_create_integrity_error_rolls_back(api, library):
    items = [{"name": "fresh"}, {"name": "fresh"}]  # unique in the database, not in the batch
    response = api.post("/tags/", items, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] in (0, 1)
    assert not Tag.objects.filter(name="fresh").exists()


def test_bulk_update(api, library):
    b1, b2, _ = library["books"]
    items = [{"id": b1.pk, "price": 1.0}, {"id": b2.pk, "price": 2.0}]
    response = api.patch("/books/", {"books": items}, format="json")
    assert response.status_code == 200, response.json()
    assert [b["price"] for b in response.json()["books"]] == [1.0, 2.0]


def test_bulk_update_missing_id_is_atomic(api, library):
    b1 = library["books"][0]
    items = [{"id": b1.pk, "price": 1.0}, {"id": 999, "price": 2.0}]
    response = api.patch("/books", items, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["index"], error["field"]) == (1, "id")
    b1.refresh_from_db()
    assert b1.price == 11.0


def test_bulk_update_invalid_field_is_atomic(api, library):
    b1, b2, _ = library["books"]
    items = [{"id": b1.pk, "price": 1.0}, {"id": b2.pk, "price": "cheap"}]
    response = api.patch("/books/", items, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["index"], error["field"]) == (1, "price")
    b1.refresh_from_db()
    assert b1.price == 11.0


@pytest.mark.parametrize("shape", ["ids", "objects", "wrapped"])
def test_bulk_delete(api, library, shape):
    pks = [b.pk for b in library["books"][:2]]
    body = {
        "ids": pks,
        "objects": [{"id": pk} for pk in pks],
        "wrapped": {"books": [{"id": pk} for pk in pks]},
    }[shape]
    response = api.delete("/books/", body, format="json")
    assert response.status_code == 204
    assert list(Book.objects.values_list("title", flat=True)) == ["Gamma"]


def test_bulk_delete_unknown_id_deletes_nothing(api, library):
    response = api.delete("/books/", [library["books"][0].pk, 999], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1
    assert Book.objects.count() == 3


def test_patch_all_query(api, library):
    response = api.patch("/books/?filter{author}=1&patch-all=query", {"price": 3}, format="json")
    assert response.status_code == 200
    assert response.json() == {"meta": {"updated": 2}}
    assert sorted(Book.objects.values_list("price", flat=True)) == [3.0, 3.0, 20.0]


def test_patch_all_true_saves_each(api, library):
    response = api.patch(
        "/books/?filter{price.gt}=10&patch-all=true", {"in_print": False}, format="json"
    )
    assert response.json() == {"meta": {"updated": 2}}
    assert Book.objects.filter(in_print=False).count() == 3


def test_patch_list_without_ids_is_400(api, library):
    response = api.patch("/books/", {"price": 3}, format="json")
    assert response.status_code == 400
    assert "patch-all" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "body", "status"),
    [
        ("patch", {"books": []}, 400),
        ("patch", {"books": ["{b3}"]}, 400),
        ("patch", {"books": "{b1}"}, 400),
        ("patch", {"books": ["x"]}, 400),
        ("patch", {"mentees": ["{bob}"], "name": "Ann2"}, 200),  # unchanged: accepted
        ("patch", {"books": ["{b2}", "{b1}"]}, 200),
        ("put", {"name": "Ann3", "books": ["{b1}", "{b2}"], "mentees": []}, 400),
        ("post", {"name": "New", "books": ["{b1}"]}, 400),
        ("post", {"name": "New", "books": []}, 201),
    ],
)
def test_read_only_relation_changes_are_refused(api, library, method, body, status):
    ann, bob = library["ann"], library["bob"]
    b1, b2, b3 = library["books"]
    ids = {"{b1}": b1.pk, "{b2}": b2.pk, "{b3}": b3.pk, "{bob}": bob.pk}

    def fill(value):
        return [fill(v) for v in value] if isinstance(value, list) else ids.get(value, value)

    body = {key: fill(value) for key, value in body.items()}
    url = "/authors/" if method == "post" else f"/authors/{ann.pk}/"
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == status, response.json()
    if status == 400:
        error = response.json()["errors"][0]
        assert error["field"] in ("books", "mentees") and error["detail"]
    assert sorted(ann.books.values_list("pk", flat=True)) == [b1.pk, b2.pk]


def test_read_only_relation_compares_visible_rows_only(api, library):
    b1 = library["books"][0]
    visible = list(b1.reviews.filter(hidden=False).values_list("pk", flat=True))
    response = api.patch(f"/books/{b1.pk}/", {"reviews": visible, "title": "A2"}, format="json")
    assert response.status_code == 200, response.json()
    everything = list(b1.reviews.values_list("pk", flat=True))
    response = api.patch(f"/books/{b1.pk}/", {"reviews": everything}, format="json")
    assert response.status_code == 400


def bulk_patch_queries(api, comments, n, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from sk_testapp.models import Comment

    made = Comment.objects.bulk_create(
        [Comment(review=comments["secret"], body=str(i)) for i in range(n)]
    )
    items = [{"id": c.pk, "body": "x"} for c in made]
    with CaptureQueriesContext(connection) as captured:
        response = api.patch(f"/comments/?{query}", items, format="json")
    assert response.status_code == 200, response.json()
    Comment.objects.filter(pk__in=[c.pk for c in made]).delete()
    return len(captured.captured_queries), response.json()["comments"]


def test_written_relations_are_prefetched_with_row_hooks(api, comments):
    # The hooked to-one `review` and the dotted sources cost a fixed number of queries in the
    # response, whatever the number of written objects; the hidden review renders null.
    few, rows = bulk_patch_queries(api, comments, 2, "")
    assert [row["review"] for row in rows] == [None, None]
    many, rows = bulk_patch_queries(api, comments, 6, "")
    bare_few, _ = bulk_patch_queries(api, comments, 2, "exclude[]=review&exclude[]=review_book")
    bare_many, _ = bulk_patch_queries(api, comments, 6, "exclude[]=review&exclude[]=review_book")
    assert many - few == bare_many - bare_few  # per-item cost is the write alone
    assert [row["review_book"] for row in rows] == [comments["secret"].book_id] * 6


def test_bulk_read_only_relation_change_points_at_item(api, library):
    ann, bob = library["ann"], library["bob"]
    items = [{"id": ann.pk, "name": "A"}, {"id": bob.pk, "books": []}]
    response = api.patch("/authors/", items, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["field"], error["index"]) == ("read_only", "books", 1)
    assert not type(ann).objects.filter(name="A").exists()  # all or nothing
