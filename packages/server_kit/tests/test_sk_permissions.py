"""Permissions across relations: a resource's viewset rules hold wherever its rows appear.

Under ``sk_testapp.private_urls`` the authors resource needs a login (401 otherwise), lists
only authors with an email (Bob has none) and refuses Ann's own page (object permission);
books, reviews and tags are public. docs/server.md, "Permissions across relations".
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sk_testapp.private_urls")]


@pytest.fixture
def member(django_user_model):
    """A client logged in (``api`` stays anonymous)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(django_user_model.objects.create(username="member"))
    return client


def names_in(body):
    text = json.dumps(body)
    return {name for name in ("Ann", "Bob", "ann@example.com") if f'"{name}"' in text}


def test_the_authors_resource_itself(api, member, library):
    assert api.get("/authors/").status_code == 401
    body = member.get("/authors/").json()
    assert [a["name"] for a in body["authors"]] == ["Ann"]
    assert member.get(f"/authors/{library['bob'].pk}/").status_code == 404
    assert member.get(f"/authors/{library['ann'].pk}/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/books/?include[]=author.*",
        "/books/?expand=author",
        "/books/?sideloading=false&include[]=author.*",
        "/books/?include[]=author.name",
        "/books/?include[]=reviews.book.author.*",
        "/reviews/?include[]=book.author.*",
        "/books/{b1}/?include[]=author.*",
        "/books/?include[]=author.mentees.*",
    ],
)
def test_anonymous_includes_render_no_author(api, library, path):
    path = path.format(b1=library["books"][0].pk)
    response = api.get(path)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert "authors" not in body
    assert names_in(body) == set()
    books = body.get("books") or body.get("+books") or [body.get("book")]
    assert books and all(book["author"] is None for book in books)  # the id is private


def test_members_see_the_authors_the_resource_lists(member, library):
    body = member.get("/books/?include[]=author.*&include[]=editor.*").json()
    assert [a["name"] for a in body["authors"]] == ["Ann"]  # Bob is unlisted
    by_title = {b["title"]: (b["author"], b["editor"]) for b in body["books"]}
    ann = library["ann"].pk
    assert by_title == {"Alpha": (ann, None), "Beta": (ann, None), "Gamma": (None, None)}
    # Unlisted rows hide their ids too, also when nothing is included.
    plain = member.get("/books/").json()["books"]
    assert [(b["title"], b["author"], b["editor"]) for b in plain] == [
        ("Alpha", ann, None),
        ("Beta", ann, None),
        ("Gamma", None, None),
    ]


def test_the_extra_filters_of_a_resource_reach_its_relations(api, library):
    b1, _, b3 = library["books"]
    body = api.get(f"/books/?include[]=reviews.*&filter{{id.in}}={b1.pk}&filter{{id.in}}={b3.pk}")
    assert [(b["title"], len(b["reviews"])) for b in body.json()["books"]] == [
        ("Alpha", 1),  # the hidden one by the serializer's row hook
        ("Gamma", 0),  # rated 3: unlisted by the reviews resource
    ]
    assert [r["rating"] for r in body.json()["reviews"]] == [5]
    assert api.get("/books/?filter{reviews.rating}=3").json()["books"] == []
    assert api.get(f"/books/{b3.pk}/reviews/").json()["reviews"] == []


def test_relation_route_answers_what_the_resource_would(api, member, library):
    b1, b2, b3 = library["books"]
    # Forward to-one relations have no route (dynamic-rest has none): nobody gets an author.
    for client in (api, member):
        assert client.get(f"/books/{b1.pk}/author/").status_code == 404
    # A to-many route lists, as the list route does (no object permission).
    assert api.get(f"/authors/{library['ann'].pk}/books/").status_code == 401
    reviews = api.get(f"/books/{b1.pk}/reviews/?include[]=book.author.*").json()
    assert names_in(reviews) == set()
    assert [b["author"] for b in reviews["books"]] == [None]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("filter{author.name}=Ann", "author"),
        ("filter{author.name}=Nobody", "author"),
        ("filter{-author.name}=Ann", "author"),
        ("filter{author}=1", "author"),
        ("filter{author.isnull}=true", "author"),
        ("where=" + quote("any(author, name.eq('Ann'))"), "author"),
        ("where=" + quote("all(reviews, book.author.name.eq('Ann'))"), "book.author"),
        ("filter{author|name}=Ann", "author"),
        ("sort[]=author.name", "author"),
        ("sort[]=-reviews.book.author.name", "reviews.book.author"),
    ],
)
def test_anonymous_cannot_filter_or_sort_through_authors(api, library, query, field):
    response = api.get(f"/books/?{query}")
    assert response.status_code == 400, response.json()
    [error] = response.json()["errors"]
    assert (error["code"], error["field"]) == ("unreadable_relation", field)
    assert "may not read 'authors'" in error["detail"]


def test_the_refusal_is_the_same_whether_rows_match(api, library):
    hit = api.get("/books/?filter{author.name}=Ann")
    miss = api.get("/books/?filter{author.name}=Nobody")
    assert (hit.status_code, hit.json()) == (miss.status_code, miss.json())
    assert hit.json()["errors"][0]["field"] == "author"


def test_members_filter_through_the_listed_authors_only(member, library):
    def titles(query):
        response = member.get(f"/books/?{query}")
        assert response.status_code == 200, response.json()
        return [b["title"] for b in response.json()["books"]]

    assert titles("filter{author.name}=Ann") == ["Alpha", "Beta"]
    assert titles("filter{author.name}=Bob") == []  # unlisted: no oracle either
    assert titles("filter{author.isnull}=true") == ["Gamma"]  # reads as no author
    assert titles("sort[]=-author.name") == ["Alpha", "Beta", "Gamma"]


def test_each_resource_authenticates_as_its_own_route_does(django_user_model, library):
    """Tags authenticate nobody: a login that books accept does not open them."""
    import base64

    from rest_framework.test import APIClient

    django_user_model.objects.create_user("reader", password="pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"reader:pw").decode())
    assert client.get("/tags/").status_code == 403
    body = client.get("/books/?include[]=tags.*&include[]=author.*").json()
    assert "tags" not in body
    assert [(b["tags"], b["author"]) for b in body["books"]] == [
        ([], library["ann"].pk),  # the login opens authors (Basic there too), not tags
        ([], library["ann"].pk),
        ([], None),
    ]
    assert [a["name"] for a in body["authors"]] == ["Ann"]


def test_public_ids_show_ids_never_objects(api, library):
    ann, bob = library["ann"].pk, library["bob"].pk
    body = api.get("/publicbooks/?include[]=author.*&include[]=editor.*").json()
    assert "authors" not in body
    assert [(b["author"], b["editor"]) for b in body["books"]] == [
        (ann, None),  # public ids: as stored, even Bob's (no restriction is evaluated)
        (ann, None),  # editor ids stay private
        (bob, None),
    ]
    assert api.get("/publicbooks/?filter{author}=1").status_code == 400


def test_permissions_are_checked_once_per_request(member, library):
    from sk_testapp.private_urls import CountedPermission

    CountedPermission.checks = 0
    paths = "include[]=author.*&include[]=editor.*&include[]=reviews.book.author.*"
    response = member.get(f"/books/?{paths}&filter{{author.name}}=Ann&sort[]=editor.name")
    assert response.status_code == 200, response.json()
    assert CountedPermission.checks == 1


@pytest.mark.parametrize("books", [3, 30])
def test_a_restricted_resource_costs_no_query_per_row(member, library, books):
    from sk_testapp.models import Book

    ann = library["ann"]
    Book.objects.bulk_create(Book(title=f"More {i}", author=ann) for i in range(books - 3))
    with CaptureQueriesContext(connection) as plain:
        assert member.get("/books/?per_page=100").status_code == 200
    with CaptureQueriesContext(connection) as included:
        assert member.get("/books/?per_page=100&include[]=author.*").status_code == 200
    # Whatever the rows: root (its to-one ids into the restricted resource read through a
    # subquery of the visible authors: an unlisted author's id must not show), tags,
    # reviews; included: the authors, their mentor ids and their books. No COUNT on a short
    # page.
    assert (len(plain), len(included)) == (3, 6)


def test_writes_link_only_what_the_request_may_read(api, member, library):
    ann, bob = library["ann"].pk, library["bob"].pk
    anonymous = api.post("/books/", {"title": "New", "author": ann}, format="json")
    assert anonymous.status_code == 400
    assert anonymous.json()["errors"][0]["field"] == "author"
    assert member.post("/books/", {"title": "New", "author": bob}, format="json").status_code == 400
    # Authors are read-only, but linking one is reading it: asked as a GET, allowed.
    assert member.post("/authors/", {"name": "Cy"}, format="json").status_code == 403
    created = member.post(
        "/books/?include[]=author.*", {"title": "New", "author": ann}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["authors"][0]["name"] == "Ann"


def test_a_serializer_outside_a_view_checks_the_request_too(library):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from sk_testapp.serializers import BookSerializer

    request = Request(APIRequestFactory().get("/books/"))
    book = library["books"][0]
    data = BookSerializer(book, include=["author.*"], context={"request": request}).data
    assert data["author"] is None
    assert BookSerializer(book, include=["author.*"]).data["author"]["name"] == "Ann"


@pytest.mark.urls("sk_testapp.namespaced_urls")
def test_a_namespaced_api_finds_its_resources(api, member, library):
    body = api.get("/v1/books/?include[]=author.*").json()
    assert (names_in(body), [b["author"] for b in body["books"]]) == (set(), [None] * 3)
    assert api.get("/v1/books/?filter{author.name}=Ann").status_code == 400
    assert api.get(f"/v1/authors/{library['ann'].pk}/books/").status_code == 401
    assert [a["name"] for a in member.get("/v1/books/?include[]=author.*").json()["authors"]] == [
        "Ann"
    ]
