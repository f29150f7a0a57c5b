"""Row hooks hold on every path: filters, sorts, includes and relation routes leak nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["books"]]


def bodies(response):
    assert response.status_code == 200, response.json()
    return sorted(row["body"] for row in response.json()["comments"])


@pytest.mark.parametrize(
    "query",
    [
        "filter{reviews.rating}=1",
        "filter{reviews.text}=secret",
        "filter{reviews.rating.lt}=2",
        "filter{reviews.rating.in}=1&filter{reviews.rating.in}=0",
        "where=" + quote("reviews.rating.eq(1)"),
        "where=" + quote("reviews.text.eq('secret') or title.eq('nope')"),
        "filter{}=" + quote('{"reviews.rating": 1}'),
    ],
)
def test_to_many_filters_ignore_hidden_related_rows(api, library, query):
    assert titles(api.get(f"/books/?{query}")) == []


def test_hidden_related_row_does_not_count_for_exclusion(api, library):
    # Alpha's only rating-1 review is hidden, so excluding rating 1 keeps Alpha.
    assert titles(api.get("/books/?filter{-reviews.rating}=1")) == ["Alpha", "Beta", "Gamma"]


def test_negated_to_many_filter_with_unlinked_related_rows(api, library):
    from sk_testapp.models import Tag

    Tag.objects.create(name="lonely")  # linked to no book: no NULL may leak into NOT IN
    assert titles(api.get("/books/?filter{-tags.name}=lonely")) == ["Alpha", "Beta", "Gamma"]
    assert titles(api.get("/books/?filter{-tags.name}=green")) == ["Beta", "Gamma"]
    body = api.get("/tags/?filter{-books.title}=Alpha&exclude_links=1").json()
    assert [(t["name"], t["books"]) for t in body["tags"]] == [("lonely", [])]


def test_nested_relation_paths_honour_every_hook(api, library):
    assert api.get("/authors/?filter{books.reviews.rating}=1").json()["authors"] == []
    body = api.get("/authors/?filter{books.reviews.rating}=5").json()
    assert [a["name"] for a in body["authors"]] == ["Ann"]
    body = api.get("/tags/?filter{books.reviews.text}=secret").json()
    assert body["tags"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # both leaves on one review: the same related row, as in dynamic-rest
        ("filter{reviews.rating}=5&filter{reviews.text}=great", ["Alpha"]),
        ("filter{reviews.rating}=3&filter{reviews.text}=great", []),
        ("where=" + quote("reviews.rating.eq(3) and reviews.text.eq('great')"), []),
        ("where=" + quote("tags.name.eq('red') and tags.name.eq('green')"), []),
        # OR and separate quantifiers are not tied to one row
        ("where=" + quote("reviews.rating.eq(3) or reviews.text.eq('great')"), ["Alpha", "Gamma"]),
        ("where=" + quote("any(tags, name.eq('red')) and any(tags, name.eq('green'))"), ["Alpha"]),
    ],
)
def test_leaves_anded_through_one_relation_match_the_same_row(api, library, query, expected):
    response = api.get(f"/books/?{query}")
    assert titles(response) == expected
    assert response.json()["meta"]["total_results"] == len(expected)


def test_to_many_filters_never_repeat_rows(api, library):
    response = api.get("/books/?filter{tags.name.in}=red&filter{tags.name.in}=green&per_page=10")
    assert titles(response) == ["Alpha", "Beta"]
    assert response.json()["meta"]["total_results"] == 2


def test_to_many_sort_ignores_hidden_related_rows(api, library):
    # Visible minimum ratings: Alpha 5 (its hidden review has 1), Gamma 3, Beta none.
    order = titles(api.get("/books/?filter{reviews.isnull}=false&sort[]=reviews.rating"))
    assert order == ["Gamma", "Alpha"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter{review.rating}=1", []),
        ("filter{review.text}=secret", []),
        ("filter{review.rating.lt}=4", ["on third"]),
        # the id of a hidden row is no oracle either
        ("filter{review}={secret}", []),
        ("filter{review.in}={secret}", []),
        # a hidden row reads as no row: rendered null, so it matches isnull
        ("filter{review.isnull}=true", ["on nothing", "on secret"]),
        ("filter{review.isnull}=false", ["on great", "on third"]),
        ("where=" + quote("review.eq(null)"), ["on nothing", "on secret"]),
        ("where=review.in(null,{secret})", ["on nothing", "on secret"]),
        ("filter{-review.isnull}=true", ["on great", "on third"]),
        ("filter{review.text.isnull}=true", ["on nothing", "on secret"]),
        ("filter{review.book.title}=Alpha", ["on great"]),
        ("where=" + quote("review.book.reviews.rating.eq(1)"), []),
    ],
)
def test_to_one_filters_honour_the_target_hook(api, comments, query, expected):
    query = query.replace("{secret}", str(comments["secret"].pk))
    assert bodies(api.get(f"/comments/?{query}")) == expected


def test_to_one_render_of_hidden_row_is_null(api, comments):
    body = api.get(f"/comments/{comments['on_secret'].pk}/").json()
    assert body["comment"]["review"] is None


@pytest.mark.parametrize("descending", [False, True])
def test_to_one_sort_ignores_hidden_related_values(api, comments, descending):
    # Sorting by review.text must not reveal "secret"'s place among the visible texts: the
    # hidden review sorts like a missing one (NULL), next to "on nothing".
    sign = "-" if descending else ""
    rows = api.get(f"/comments/?sort[]={sign}review.text&sort[]=body").json()["comments"]
    order = [row["body"] for row in rows]
    nulls = ["on nothing", "on secret"]
    visible = ["on third", "on great"]  # texts "" < "great"
    expected = nulls + visible if not descending else visible[::-1] + nulls
    assert order == expected


def test_sort_by_hooked_relation_id_hides_it(api, comments):
    rows = api.get("/comments/?sort[]=-review&sort[]=body").json()["comments"]
    assert [row["body"] for row in rows][-2:] == ["on nothing", "on secret"]


def test_relation_route_and_includes_honour_hook(api, comments, library):
    b1 = library["books"][0]
    body = api.get(f"/books/{b1.pk}/reviews/").json()
    assert [r["text"] for r in body["reviews"]] == ["great"]
    route = api.get(f"/comments/{comments['on_secret'].pk}/review/")
    assert route.status_code == 404  # to-one relations have no route (issue #12)
    body = api.get("/comments/?include[]=review.&sort[]=body").json()
    assert "secret" not in str(body["reviews"])
    assert [row["review"] for row in body["comments"]][1:3] == [None, None]
    embedded = api.get("/comments/?expand=review&sort[]=body").json()["comments"]
    assert [row["review"] for row in embedded][1:3] == [None, None]
    deep = api.get("/authors/?include[]=books.reviews.").json()
    assert "secret" not in str(deep)


def test_row_hook_holds_without_filter_backends(api, library):
    from sk_testapp.models import Review

    hidden = Review.objects.get(hidden=True)
    body = api.get("/unfiltered/").json()
    assert sorted(review["text"] for review in body["reviews"]) == ["", "great"]
    assert api.get(f"/unfiltered/{hidden.pk}/").status_code == 404
    assert api.get(f"/unfiltered/{hidden.pk}/book/").status_code == 404
    response = api.patch("/unfiltered/", [{"id": hidden.pk, "rating": 2}], format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "not_found"


def test_get_extra_filters_is_anded_everywhere(api, library):
    b1, b2, b3 = library["books"]  # b2 (Beta) is out of print
    assert titles(api.get("/inprint/")) == ["Alpha", "Gamma"]
    assert titles(api.get("/inprint/?filter{price.gt}=15")) == ["Gamma"]
    assert titles(api.get("/inprint/?cheap")) == []
    assert api.get(f"/inprint/{b1.pk}/").status_code == 200
    assert api.get(f"/inprint/{b2.pk}/").status_code == 404
    assert api.get(f"/inprint/{b2.pk}/tags/").status_code == 404
    assert api.get(f"/inprint/{b1.pk}/tags/").status_code == 200
    response = api.patch("/inprint/", [{"id": b2.pk, "title": "B"}], format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "django_q"),
    [
        ("filter{editor.name.isnull}=true", {"editor__name__isnull": True}),
        ("filter{editor.name.isnull}=false", {"editor__name__isnull": False}),
        ("filter{tags.name.isnull}=true", {"tags__name__isnull": True}),
        ("filter{tags}=1&filter{tags.name}=red", {"tags": 1, "tags__name": "red"}),
        ("filter{tags}=2&filter{tags.name}=red", {"tags": 2, "tags__name": "red"}),
        ("filter{author.mentor.name}=Ann", {"author__mentor__name": "Ann"}),
        ("where=author.mentor.eq(null)", {"author__mentor": None}),
        ("filter{tags.books.title}=Beta", {"tags__books__title": "Beta"}),
        ("where=editor.in(2,null)", {"editor__in": [2]}),
    ],
)
def test_unhooked_relations_keep_django_join_semantics(api, library, query, django_q):
    # Where no row hook narrows anything, the subqueries answer what Django's joins would.
    from django.db.models import Q
    from sk_testapp.models import Book

    q = Q(**django_q)
    if "editor__in" in django_q:
        q |= Q(editor__isnull=True)
    expected = list(
        Book.objects.filter(q).distinct().order_by("pk").values_list("title", flat=True)
    )
    assert titles(api.get(f"/books/?{query}")) == expected


@pytest.mark.parametrize("query", ["", "?include[]=review.", "?expand=review"])
def test_view_select_related_does_not_bypass_row_hook(api, comments, query):
    rows = api.get(f"/selected/{query}").json()["comments"]
    by_body = {row["body"]: row["review"] for row in rows}
    assert by_body["on secret"] is None
    great = by_body["on great"]
    assert (great["id"] if isinstance(great, dict) else great) == comments["on_great"].review_id
    detail = api.get(f"/selected/{comments['on_secret'].pk}/").json()["comment"]
    assert detail["review"] is None


def test_serializer_outside_a_view_uses_the_callers_prefetch(library, django_assert_num_queries):
    from sk_testapp.models import Book
    from sk_testapp.serializers import BookSerializer

    books = Book.objects.prefetch_related("tags").order_by("pk")
    with django_assert_num_queries(2):  # books, tags: no query per row
        data = BookSerializer(books, many=True, omit=["reviews"]).data
    assert [row["tags"] for row in data] == [
        [t.pk for t in library["tags"]],
        [library["tags"][0].pk],
        [],
    ]
