"""server_kit.flex: drf-flex-fields' shapes and parameters, loaded without a query per row."""

from __future__ import annotations

import pytest
from django.test import override_settings
from sk_testapp.models import Author, Book, Review, Tag

pytestmark = pytest.mark.django_db


def make_rows(n):
    mentor = Author.objects.create(name="mentor")
    authors = Author.objects.bulk_create(
        [Author(name=f"a{i}", mentor=mentor) for i in range(max(2, n // 2))]
    )
    tags = Tag.objects.bulk_create([Tag(name=f"t{i}") for i in range(3)])
    books = Book.objects.bulk_create(
        [Book(title=f"b{i}", author=authors[i % len(authors)]) for i in range(n)]
    )
    Book.tags.through.objects.bulk_create(
        [Book.tags.through(book=b, tag=tags[b.pk % 3]) for b in books]
    )
    Review.objects.bulk_create([Review(book=b, rating=k) for b in books for k in range(2)])


# (query, queries): the root query plus one per to-many relation path rendered.
CASES = [
    ("", 2),  # tags ids
    ("expand=author", 2),
    ("expand=author.mentor", 2),
    ("expand=tags", 2),
    ("expand=author,tags,reviews", 3),
    ("fields=id,reviews&expand=reviews", 2),
    ("omit=tags", 1),
    # a method field reads columns the sparse fields do not name: no only(), no load per row
    ("fields=id,shout&expand=shout", 1),
]


@pytest.mark.parametrize("rows", [10, 100])
@pytest.mark.parametrize(("query", "queries"), CASES)
def test_query_count_is_independent_of_rows(api, django_assert_num_queries, rows, query, queries):
    make_rows(rows)
    with django_assert_num_queries(queries):
        response = api.get(f"/flexbooks/?{query}")
    assert response.status_code == 200, response.json()
    assert len(response.json()) == rows  # a bare list: no envelope, no pagination configured


def test_expanded_sparse_and_omitted_shapes(api):
    make_rows(2)
    book = Book.objects.select_related("author__mentor").order_by("id").first()
    body = api.get(f"/flexbooks/{book.pk}/?expand=author.mentor&omit=tags,author.id").json()
    assert body == {
        "id": book.pk,
        "title": book.title,
        "price": book.price,
        "author": {
            "name": book.author.name,
            "mentor": {"id": book.author.mentor_id, "name": "mentor"},
        },
    }
    sparse = api.get(f"/flexbooks/{book.pk}/?fields=title,author.name&expand=author").json()
    assert sparse == {"title": book.title, "author": {"name": book.author.name}}


def test_deferred_fields_appear_only_when_expanded(api):
    make_rows(2)
    book = Book.objects.order_by("id").first()
    assert "reviews" not in api.get(f"/flexbooks/{book.pk}/").json()
    body = api.get(f"/flexbooks/{book.pk}/?expand=reviews,shout").json()
    assert sorted(r["rating"] for r in body["reviews"]) == [0, 1]
    assert body["shout"] == book.title.upper()


def test_list_expands_only_what_the_view_permits(api):
    make_rows(2)
    rows = api.get("/flexbooks/?expand=author.mentor.mentor,author").json()
    assert rows[0]["author"] == {"id": rows[0]["author"]["id"], "name": "a0"}  # no mentor
    assert rows[0]["author"]["name"].startswith("a")


def test_any_drf_view_reads_the_request(api, django_assert_num_queries):
    make_rows(20)
    with django_assert_num_queries(1):  # the backend on a plain DRF view
        rows = api.get("/flexplain/?fields=title,author&expand=author").json()
    assert set(rows[0]) == {"title", "author"}
    assert set(rows[0]["author"]) == {"id", "name"}


def test_settings_are_read_per_request(api):
    make_rows(2)
    with override_settings(REST_FLEX_FIELDS={"EXPAND_PARAM": "embed"}):
        rows = api.get("/flexbooks/?embed=author").json()
    assert isinstance(rows[0]["author"], dict)
    assert isinstance(api.get("/flexbooks/?embed=author").json()[0]["author"], int)


@pytest.mark.parametrize(
    ("limits", "query"),
    [
        ({"MAXIMUM_EXPANSION_DEPTH": 1}, "expand=author.mentor"),
        ({"RECURSIVE_EXPANSION_PERMITTED": False}, "expand=author.mentor.mentor"),
    ],
)
def test_expansion_limits_answer_400(api, limits, query):
    make_rows(2)
    with override_settings(REST_FLEX_FIELDS=limits):
        response = api.get(f"/flexbooks/{Book.objects.first().pk}/?{query}")
    assert response.status_code == 400
    assert "expand" in str(response.json())


def test_docs_backend_describes_the_parameters_under_their_configured_names():
    from server_kit.flex import FlexFieldsDocsFilterBackend

    def names():
        return [
            p["name"] for p in FlexFieldsDocsFilterBackend().get_schema_operation_parameters(None)
        ]

    assert names() == ["fields", "omit", "expand"]
    with override_settings(REST_FLEX_FIELDS={"FIELDS_PARAM": "only", "OMIT_PARAM": "drop"}):
        assert names() == ["only", "drop", "expand"]


def test_serializer_kwargs_as_lists_or_comma_strings():
    from sk_testapp.flex_api import FlexBookSerializer

    make_rows(2)
    book = Book.objects.order_by("id").first()
    as_list = FlexBookSerializer(book, fields=["title", "author"], expand=["author"]).data
    as_text = FlexBookSerializer(book, fields="title,author", expand="author").data
    assert (
        as_list
        == as_text
        == {"title": book.title, "author": {"id": book.author_id, "name": book.author.name}}
    )
