from __future__ import annotations

import pytest
from django.test import override_settings
from sk_testapp.models import Author, Book

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["books"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort[]=-price", ["Gamma", "Alpha", "Beta"]),
        ("sort[]=title", ["Alpha", "Beta", "Gamma"]),
        ("sort=-title", ["Gamma", "Beta", "Alpha"]),
        ("sort[]=author.name&sort[]=-price", ["Alpha", "Beta", "Gamma"]),
        ("sort[]=-author.name&sort[]=price", ["Gamma", "Beta", "Alpha"]),
        ("sort[]=tags.name", ["Gamma", "Alpha", "Beta"]),  # first tag name: none, blue, red
        ("sort[]=-tags.name", ["Beta", "Alpha", "Gamma"]),
    ],
)
def test_sorting(api, library, query, expected):
    assert titles(api.get(f"/books/?{query}")) == expected


def test_sort_to_many_keeps_total(api, library):
    body = api.get("/books/?sort[]=tags.name").json()
    assert body["meta"]["total_results"] == 3 and len(body["books"]) == 3


@pytest.mark.parametrize("key", ["nope", "shout", "password_hash", "author.password_hash"])
def test_bad_sort_is_400(api, library, key):
    response = api.get(f"/books/?sort[]={key}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_field"
    assert "sort" in response.json()["detail"]


def test_pages(api, library):
    first = api.get("/books/?per_page=2").json()
    assert [b["title"] for b in first["books"]] == ["Alpha", "Beta"]
    assert first["meta"] == {"page": 1, "per_page": 2, "total_results": 3, "total_pages": 2}
    second = api.get("/books/?per_page=2&page=2").json()
    assert [b["title"] for b in second["books"]] == ["Gamma"]
    last = api.get("/books/?per_page=2&page=last").json()
    assert last["meta"]["page"] == 2 and last["books"] == second["books"]


@pytest.mark.parametrize("query", ["page=3&per_page=2", "page=0", "page=x"])
def test_bad_pages(api, library, query):
    response = api.get(f"/books/?{query}")
    assert response.status_code in (400, 404)
    assert response.json()["detail"]


def test_offset(api, library):
    body = api.get("/books/?offset=1&per_page=1").json()
    assert [b["title"] for b in body["books"]] == ["Beta"]
    assert body["meta"] == {"offset": 1, "per_page": 1, "total_results": 3}


def test_exclude_count(api, library):
    body = api.get("/books/?per_page=2&exclude_count=1").json()
    assert body["meta"] == {"page": 1, "per_page": 2, "more_pages": True}
    body = api.get("/books/?per_page=2&page=2&exclude_count=1").json()
    assert body["meta"] == {"page": 2, "per_page": 2, "more_pages": False}
    body = api.get("/books/?per_page=2&offset=2&exclude_count=1").json()
    assert body["meta"] == {"offset": 2, "per_page": 2, "more_pages": False}


def test_per_page_is_clamped(api, library):
    assert api.get("/books/?per_page=100000").json()["meta"]["per_page"] == 300


@override_settings(RESTBRIDGE={"MAX_PER_PAGE": 2, "PER_PAGE_OVERFLOW": "reject"})
def test_per_page_reject_names_limit(api, library):
    response = api.get("/books/?per_page=3")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["limit"], error["value"]) == ("MAX_PER_PAGE", 3)


def test_pages_never_overlap_with_ties(api, library):
    from sk_testapp.models import Book

    author = library["ann"]
    Book.objects.bulk_create([Book(title="Same", price=1.0, author=author) for _ in range(7)])
    seen = []
    for page in (1, 2, 3, 4):
        body = api.get(f"/books/?sort[]=price&per_page=3&page={page}").json()
        seen += [b["id"] for b in body["books"]]
    assert len(seen) == len(set(seen)) == 10


@override_settings(RESTBRIDGE={"MAX_DEPTH": 2})
def test_depth_limit(api, library):
    response = api.get("/books/?include[]=author.books.author.")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["limit"], error["value"]) == ("MAX_DEPTH", 3)
    assert api.get("/books/?include[]=author.books.").status_code == 200


@pytest.mark.parametrize(
    ("query", "meta", "queries"),
    [
        # full pages need the COUNT; a page neither full nor empty is the last one
        ("per_page=5", {"page": 1, "per_page": 5, "total_results": 12, "total_pages": 3}, 2),
        ("per_page=5&page=3", {"page": 3, "per_page": 5, "total_results": 12, "total_pages": 3}, 1),
        ("per_page=20", {"page": 1, "per_page": 20, "total_results": 12, "total_pages": 1}, 1),
        ("per_page=6&page=2", {"page": 2, "per_page": 6, "total_results": 12, "total_pages": 2}, 2),
        (
            "per_page=5&page=last",
            {"page": 3, "per_page": 5, "total_results": 12, "total_pages": 3},
            2,
        ),
        ("per_page=5&offset=10", {"offset": 10, "per_page": 5, "total_results": 12}, 1),
        ("per_page=5&offset=7", {"offset": 7, "per_page": 5, "total_results": 12}, 2),
        ("per_page=5&offset=12", {"offset": 12, "per_page": 5, "total_results": 12}, 2),
        (
            "per_page=5&filter{id}=0",
            {"page": 1, "per_page": 5, "total_results": 0, "total_pages": 1},
            2,
        ),
    ],
)
def test_totals_count_only_when_the_page_cannot_tell(
    api, django_assert_num_queries, query, meta, queries
):
    Book.objects.bulk_create(
        [Book(title=f"b{i}", author=Author.objects.create(name=f"a{i}")) for i in range(12)]
    )
    with django_assert_num_queries(queries):
        body = api.get(f"/books/?exclude[]=*&include[]=id&{query}").json()
    assert body["meta"] == meta
    start = meta.get("offset", (meta.get("page", 1) - 1) * meta["per_page"])
    assert len(body["books"]) == max(0, min(meta["per_page"], meta["total_results"] - start))
