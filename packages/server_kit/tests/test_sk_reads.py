from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def ids(rows):
    return [row["id"] for row in rows]


@pytest.mark.parametrize("url", ["/books", "/books/"])
def test_list_envelope_with_and_without_slash(api, library, url):
    response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    assert ids(body["books"]) == [b.pk for b in library["books"]]
    assert body["meta"] == {"page": 1, "per_page": 20, "total_results": 3, "total_pages": 1}


@pytest.mark.parametrize("url", ["/books/{pk}", "/books/{pk}/"])
def test_detail_envelope(api, library, url):
    book = library["books"][0]
    response = api.get(url.format(pk=book.pk))
    assert response.status_code == 200
    data = response.json()["book"]
    assert data["title"] == "Alpha"
    assert data["author"] == library["ann"].pk
    assert sorted(data["tags"]) == sorted(t.pk for t in library["tags"])
    assert "summary" not in data  # deferred
    assert "shout" not in data  # deferred method field


def test_detail_missing_is_structured_404(api, library):
    response = api.get("/books/999/")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"]
    assert body["errors"][0]["code"] == "not_found"


def test_password_hash_is_never_rendered(api, library):
    author = api.get("/authors/").json()["authors"][0]
    assert "password_hash" not in author


def test_relations_render_as_ids_and_row_hook_hides_reviews(api, library):
    b1 = library["books"][0]
    data = api.get(f"/books/{b1.pk}/").json()["book"]
    assert data["reviews"] == [r.pk for r in b1.reviews.filter(hidden=False)]
    assert data["editor"] is None


def test_include_deferred_field(api, library):
    data = api.get("/books/?include[]=summary&include[]=shout").json()["books"][0]
    assert data["summary"] == "s1"
    assert data["shout"] == "ALPHA"


def test_include_relation_sideloads_once_per_key(api, library):
    body = api.get("/books/?include[]=author.*&include[]=tags.").json()
    assert [a["name"] for a in body["authors"]] == ["Ann", "Bob"]  # Ann appears once
    assert sorted(t["name"] for t in body["tags"]) == ["blue", "green", "red"]
    assert body["books"][0]["author"] == library["ann"].pk  # ids stay in the parent


def test_include_nested_field_and_exclude_star(api, library):
    body = api.get(
        "/books/?exclude[]=*&include[]=title&exclude[]=author.*&include[]=author.name"
    ).json()
    row = body["books"][0]
    assert {k: v for k, v in row.items() if k != "links"} == {
        "title": "Alpha",
        "author": library["ann"].pk,
    }
    # Relations not rendered still get their link (dynamic-rest); the rendered id does not.
    assert set(row["links"]) == {"tags", "reviews"}
    assert [author["name"] for author in body["authors"]] == ["Ann", "Bob"]
    assert all(set(author) == {"name", "links"} for author in body["authors"])


def test_exclude_star_drops_defaults(api, library):
    row = api.get("/books/?exclude[]=*&include[]=id&include[]=title&exclude_links").json()
    assert row["books"][0] == {"id": library["books"][0].pk, "title": "Alpha"}


def test_field_in_both_lists_is_excluded(api, library):
    row = api.get("/books/?include[]=summary&exclude[]=summary").json()["books"][0]
    assert "summary" not in row


def test_exclude_nested_sideloads_without_field(api, library):
    body = api.get("/books/?exclude[]=author.email").json()
    assert "email" not in body["authors"][0]
    assert "name" in body["authors"][0]


def test_self_relation_sideloads_under_plus_key(api, library):
    body = api.get("/authors/?include[]=mentor.").json()
    assert [a["name"] for a in body["+authors"]] == ["Ann"]
    assert ids(body["authors"]) == [library["ann"].pk, library["bob"].pk]


def test_sideloading_false_embeds(api, library):
    body = api.get("/books/?include[]=author.&sideloading=false").json()
    assert "authors" not in body
    assert body["books"][0]["author"]["name"] == "Ann"


def test_flex_expand_embeds_inline(api, library):
    body = api.get("/books/?expand=tags&fields=id,tags").json()
    row = body["books"][0]
    assert set(row) <= {"id", "tags", "links"}
    assert sorted(t["name"] for t in row["tags"]) == ["blue", "green", "red"]
    assert "tags" not in {k for k in body if k != "books"}


def test_flex_nested_expand_and_fields(api, library):
    body = api.get("/books/?expand=author.books&fields=id,author&exclude_links").json()
    author = body["books"][0]["author"]
    assert author["name"] == "Ann"
    assert [b["title"] for b in author["books"]] == ["Alpha", "Beta"]


def test_flex_fields_beats_expand(api, library):
    row = api.get("/books/?fields=id,title&expand=author&exclude_links").json()["books"][0]
    assert row == {"id": library["books"][0].pk, "title": "Alpha"}


def test_flex_omit(api, library):
    row = api.get("/books/?omit=price,tags&exclude_links").json()["books"][0]
    assert "price" not in row and "tags" not in row and "title" in row


def test_flex_expand_star(api, library):
    row = api.get("/books/?expand=*&exclude_links").json()["books"][0]
    assert row["author"]["name"] == "Ann"
    assert isinstance(row["tags"][0], dict)
    assert isinstance(row["reviews"][0], dict)


def test_flex_kwargs_on_serializer(library):
    from sk_testapp.serializers import BookSerializer

    book = library["books"][0]
    data = BookSerializer(book, fields=["id", "author"], expand=["author"]).data
    assert set(data) == {"id", "author"}
    assert data["author"]["name"] == "Ann"
    data = BookSerializer(book, omit="price,tags").data
    assert "price" not in data and "tags" not in data and "author" in data


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("include[]=nope", "nope"),
        ("include[]=author.nope", "author.nope"),
        ("expand=nope", "nope"),
        ("fields=nope", "nope"),
        ("include[]=password_hash", "password_hash"),
        ("exclude[]=nope", "nope"),
    ],
)
def test_unknown_selection_names_are_400(api, library, query, field):
    response = api.get(f"/books/?{query}")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["errors"][0]["code"] == "unknown_field"
    assert body["errors"][0]["field"] == field
    assert field.split(".")[-1] in body["detail"]


def test_include_through_non_relation_is_400(api, library):
    response = api.get("/books/?include[]=title.x")
    assert response.status_code == 400
    assert "not a relation" in response.json()["detail"]


def test_links_and_exclude_links(api, library):
    book = library["books"][0]
    row = api.get("/books/").json()["books"][0]
    assert row["links"]["tags"] == f"/books/{book.pk}/tags/"
    assert "links" not in api.get("/books/?exclude_links").json()["books"][0]


def test_debug_meta(api, library):
    row = api.get("/books/?debug=true").json()["books"][0]
    assert row["_meta"] == {"id": library["books"][0].pk, "type": "books"}


def test_relation_route_to_many(api, library):
    book = library["books"][0]
    body = api.get(f"/books/{book.pk}/tags/").json()
    assert sorted(t["name"] for t in body["tags"]) == ["blue", "green", "red"]


def test_relation_route_applies_row_hook(api, library):
    book = library["books"][0]
    body = api.get(f"/books/{book.pk}/reviews/").json()
    assert [r["text"] for r in body["reviews"]] == ["great"]


def test_relation_route_to_one_is_404_as_in_dynamic_rest(api, library):
    # issue #12: a forward to-one relation has no route (its id is on the object).
    b2 = library["books"][1]
    assert api.get(f"/books/{b2.pk}/editor/").status_code == 404
    assert "editor" not in api.get(f"/books/{b2.pk}/?exclude[]=editor").json()["book"]["links"]


def test_relation_route_filters_and_include(api, library):
    book = library["books"][0]
    body = api.get(f"/books/{book.pk}/tags/?filter{{name}}=red&include[]=books.").json()
    assert [t["name"] for t in body["tags"]] == ["red"]
    assert {b["title"] for b in body["books"]} == {"Alpha", "Beta"}


@pytest.mark.parametrize("url", ["/books/999/tags/", "/books/1/nope/", "/books/1/title/"])
def test_relation_route_404(api, library, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_api_root_lists_every_resource(api, library):
    body = api.get("/").json()
    assert {"authors", "books", "tags", "reviews"} <= set(body)


def test_sideloaded_objects_honour_row_hook(api, library):
    body = api.get("/books/?include[]=reviews.").json()
    assert [r["text"] for r in body["reviews"]] == ["great", ""]
    assert "secret" not in str(body)


def test_embedded_objects_honour_row_hook(api, library):
    row = api.get("/books/?expand=reviews").json()["books"][0]
    assert [r["text"] for r in row["reviews"]] == ["great"]


def test_relation_filter_narrows_sideload_not_list(api, library):
    body = api.get("/books/?include[]=tags.&filter{tags|name}=red").json()
    assert len(body["books"]) == 3
    assert [t["name"] for t in body["tags"]] == ["red"]
    assert body["books"][0]["tags"] == [library["tags"][0].pk]


def test_head_and_where_date_literal_on_datetime(api, library):
    assert api.head("/").status_code == 200
    assert api.head("/books").status_code == 200
    body = api.get("/authors/?where=created.lt(2030-01-01)").json()
    assert len(body["authors"]) == 2


def test_relation_filter_narrows_id_lists_on_pages_and_details(api, library):
    red = library["tags"][0].pk
    body = api.get("/books/?filter{tags|name}=red&exclude_links=1").json()
    assert [row["tags"] for row in body["books"]] == [[red], [red], []]
    b1 = library["books"][0]
    detail = api.get(f"/books/{b1.pk}/?filter{{tags|name}}=red").json()["book"]
    assert detail["tags"] == [red]
