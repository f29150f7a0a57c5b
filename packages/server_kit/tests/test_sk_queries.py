"""N+1 freedom: root + count + one query per relation path, whatever the rows and depth."""

from __future__ import annotations

import pytest
from sk_testapp.models import Author, Book, Comment, Review, Tag

pytestmark = pytest.mark.django_db


def make_rows(n):
    authors = Author.objects.bulk_create([Author(name=f"a{i}") for i in range(max(2, n // 2))])
    for index, author in enumerate(authors[1:]):
        author.mentor = authors[index]
    Author.objects.bulk_update(authors[1:], ["mentor"])
    tags = Tag.objects.bulk_create([Tag(name=f"t{i}") for i in range(5)])
    books = Book.objects.bulk_create(
        [Book(title=f"b{i}", author=authors[i % len(authors)]) for i in range(n)]
    )
    through = Book.tags.through
    through.objects.bulk_create(
        [through(book=b, tag=tags[(b.pk + k) % 5]) for b in books for k in range(2)]
    )
    Review.objects.bulk_create(
        [Review(book=b, rating=k, hidden=k == 0) for b in books for k in range(3)]
    )


SPARSE = "exclude[]=*&include[]=id"

# (query, queries beyond count + root): one per relation path rendered as ids or objects.
CASES = [
    # plain list: tags ids, reviews ids (FK author/editor ids cost nothing)
    ("", 2),
    (f"{SPARSE}&include[]=author", 0),
    # depth 1
    (f"{SPARSE}&exclude[]=tags.*&include[]=tags.name", 1),
    (f"{SPARSE}&exclude[]=author.*&include[]=author.name", 1),
    (f"{SPARSE}&exclude[]=reviews.*&include[]=reviews.rating", 1),
    # depth 2
    (f"{SPARSE}&exclude[]=tags.*&exclude[]=tags.books.*&include[]=tags.books.title", 2),
    (f"{SPARSE}&exclude[]=author.*&exclude[]=author.mentor.*&include[]=author.mentor.name", 2),
    # depth 3
    (
        f"{SPARSE}&exclude[]=tags.*&exclude[]=tags.books.*&exclude[]=tags.books.author.*"
        "&include[]=tags.books.author.name",
        3,
    ),
    (
        f"{SPARSE}&exclude[]=author.*&exclude[]=author.books.*&exclude[]=author.books.reviews.*"
        "&include[]=author.books.reviews.rating",
        3,
    ),
    # default fields at each level: each level adds its to-many id lists
    ("include[]=author.", 2 + 1 + 2),  # author + author.mentees ids + author.books ids
    ("expand=author&sideloading=false", 2 + 1 + 2),
    # books level: tags, reviews ids; author: itself, mentees ids, books (loaded, not ids)
    ("include[]=author.books.", 2 + 1 + 1 + 1 + 2),
    ("include[]=author.books.author.", 2 + 1 + 1 + 1 + 2 + 1 + 2),
    # filters and sorts through to-many do not add queries
    ("filter{tags.name}=t1&sort[]=-tags.name", 2),
    ("where=any(reviews,rating.gte(1))", 2),
]


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize(("query", "extra"), CASES)
def test_query_count_is_independent_of_rows(api, django_assert_num_queries, rows, query, extra):
    make_rows(rows)
    with django_assert_num_queries(1 + extra):  # the page is not full: no COUNT
        response = api.get(f"/books/?per_page=300&{query}")
    assert response.status_code == 200, response.json()
    assert len(response.json()["books"]) > 0


@pytest.mark.parametrize("rows", [10, 200])
def test_sideloads_are_complete(api, rows):
    make_rows(rows)
    body = api.get("/books/?per_page=300&include[]=tags.books.").json()
    assert len(body["books"]) == rows
    assert {t["name"] for t in body["tags"]} == {f"t{i}" for i in range(5)}
    assert sum(len(t["books"]) for t in body["tags"]) == 2 * rows


def test_detail_query_count(api, django_assert_num_queries):
    make_rows(10)
    book = Book.objects.first()
    with django_assert_num_queries(1 + 2 + 1):  # row, tags ids, reviews ids, author
        api.get(
            f"/books/{book.pk}/?include[]=author.&exclude[]=author.mentees&exclude[]=author.books"
        )


def test_only_needed_columns_are_loaded(api, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        api.get("/books/?exclude[]=*&include[]=title")
    root = captured.captured_queries[-1]["sql"]
    assert '"title"' in root and '"summary"' not in root and '"price"' not in root


def test_exclude_count_skips_count(api, django_assert_num_queries):
    make_rows(10)
    with django_assert_num_queries(1):
        api.get(f"/books/?exclude_count=1&{SPARSE}")


@pytest.mark.parametrize("url", ["/books/", "/tags/", "/authors/"])
def test_page_id_lists_match_detail_rendering(api, url):
    # Pages load to-many id lists as (parent, id) pairs; details read them per object.
    make_rows(12)
    plural = url.strip("/")
    rows = api.get(f"{url}?per_page=300").json()[plural]
    assert rows
    for row in rows:
        detail = api.get(f"{url}{row['id']}/").json()
        assert next(v for k, v in detail.items() if k != "links") == row


def test_page_id_lists_skip_hidden_rows_and_model_instances(api):
    make_rows(10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body = api.get("/books/?per_page=300&exclude[]=tags").json()
    reviews = next(q["sql"] for q in captured.captured_queries if "sk_testapp_review" in q["sql"])
    assert reviews.startswith('SELECT "sk_testapp_review"."book_id" AS "book__pk"')
    assert '"rating"' not in reviews  # pairs of ids, no Review instances
    assert all(len(row["reviews"]) == 2 for row in body["books"])  # rating 0 is hidden


def test_repeated_related_objects_render_once(api, monkeypatch):
    from sk_testapp.serializers import TagSerializer

    make_rows(20)
    calls = []
    original = TagSerializer.to_representation

    def counting(self, instance):
        calls.append(instance.pk)
        return original(self, instance)

    monkeypatch.setattr(TagSerializer, "to_representation", counting)
    body = api.get("/books/?per_page=300&include[]=tags.").json()
    assert len(body["tags"]) == 5
    assert sorted(calls) == sorted({t["id"] for t in body["tags"]})
    calls.clear()
    rows = api.get("/books/?per_page=300&expand=tags").json()["books"]
    assert len(calls) == 5 and all(isinstance(t, dict) for row in rows for t in row["tags"])


def make_comments(n):
    from sk_testapp.models import Comment

    make_rows(max(2, n // 3))
    reviews = list(Review.objects.order_by("pk"))
    Comment.objects.bulk_create(
        [Comment(review=reviews[i % len(reviews)] if i % 4 else None) for i in range(n)]
    )


# Dotted sources (review.book, review.book.author): one query per hop, whatever the rows.
DOTTED = [
    # root (the hooked review's visible id read in it, by a subquery), review_book (review
    # rows; book id read from them), review_book_author (review rows, book rows; author id)
    ("", 1 + 2),
    ("exclude[]=*&include[]=review_book", 1),
    ("exclude[]=*&include[]=review_book_author", 2),
    # the books themselves, with their own id lists (tags, reviews)
    ("exclude[]=*&include[]=review_book.", 2 + 2),
    # ... and the authors', with their id lists (mentees, books)
    ("exclude[]=*&include[]=review_book_author.name", 3 + 2),
]


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize(("query", "extra"), DOTTED)
def test_dotted_sources_are_prefetched(api, django_assert_num_queries, rows, query, extra):
    make_comments(rows)
    with django_assert_num_queries(1 + extra):  # the page is not full: no COUNT
        response = api.get(f"/comments/?per_page=300&{query}")
    assert response.status_code == 200, response.json()
    assert len(response.json()["comments"]) == rows


def test_dotted_sources_render_the_related_ids(api, comments):
    body = api.get("/comments/?sort[]=body&include[]=review_book_author.").json()
    expected = []
    for comment in sorted(Comment.objects.all(), key=lambda c: c.body):
        book = comment.review.book if comment.review else None
        expected.append((book and book.pk, book and book.author_id))
    got = [(row["review_book"], row["review_book_author"]) for row in body["comments"]]
    assert got == expected
    assert {a["name"] for a in body["authors"]} == {"Ann", "Bob"}
    detail = api.get(f"/comments/{comments['on_third'].pk}/").json()["comment"]
    assert detail["review_book_author"] == comments["on_third"].review.book.author_id
    assert "review_book" not in detail.get("links", {})  # no relation route behind it


@pytest.mark.parametrize(
    "query",
    [
        "include[]=tags.books.",
        "expand=tags.books&sideloading=false",
        "include[]=reviews.book.&include[]=tags.",
        "exclude[]=*&include[]=id&include[]=tags.name&filter{tags|name}=t1",
    ],
)
def test_preloaded_to_many_objects_render_like_details(api, query):
    # Page rows load their to-many objects from link rows, one instance per related row;
    # a detail loads the same way for one row: the same output.
    make_rows(12)
    page = api.get(f"/books/?per_page=300&exclude_links=1&{query}").json()
    for row in page["books"][:4]:
        detail = api.get(f"/books/{row['id']}/?exclude_links=1&{query}").json()
        assert detail["book"] == row
        for key, objects in detail.items():
            if key != "book":
                assert all(obj in page[key] for obj in objects)


@pytest.mark.parametrize("rows", [10, 200])
def test_included_to_one_objects_load_once_per_distinct_row(api, django_assert_num_queries, rows):
    # A page's to-one objects load in one query per field, keyed on the local column:
    # every row gets its own object (or None), each distinct object is rendered once.
    make_rows(rows)
    every_third = list(Book.objects.order_by("pk").values_list("pk", flat=True))[::3]
    Book.objects.filter(pk__in=every_third).update(editor=Author.objects.order_by("pk").first())
    query = "per_page=300&exclude_links=1&exclude[]=author.*&include[]=author.id"
    query += "&include[]=author.name&exclude[]=editor.*&include[]=editor.id&include[]=editor.name"
    with django_assert_num_queries(1 + 2 + 2):  # page (not full: no COUNT), 2 id lists, 2 to-ones
        body = api.get(f"/books/?{query}").json()
    expected = {book.pk: (book.author_id, book.editor_id) for book in Book.objects.order_by("pk")}
    assert {row["id"]: (row["author"], row["editor"]) for row in body["books"]} == expected
    names = dict(Author.objects.values_list("pk", "name"))
    linked = {pk for pair in expected.values() for pk in pair if pk is not None}
    assert {row["id"]: row["name"] for row in body["authors"]} == {pk: names[pk] for pk in linked}
