"""Bounded cost: every limit answers a 400 ``limit_exceeded`` naming the parameter, the limit
and its setting, before any SQL runs; and inputs that crashed the server are 400s."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from shared_querylang import Query, RelationFilter, any_in, leaf

pytestmark = pytest.mark.django_db

# author.books.author.books ... : relations alternating to-one and to-many.
LOOP = ("author", "books")


def relations(count: int) -> str:
    return ".".join((LOOP * count)[:count])


def assert_limit(response, limit, parameter=None, field=None):
    assert response.status_code == 400, response.content
    body = response.json()
    error = body["errors"][0]
    assert error["code"] == "limit_exceeded", body
    assert error["limit"] == limit and limit in error["detail"], body
    if parameter is not None:
        assert error["parameter"] == parameter, body
    if field is not None:
        assert error["field"] == field, body
    return error


def no_sql(api, url):
    """GET ``url`` and check no query ran (the limit answered before any SQL)."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert not queries.captured_queries, [q["sql"][:200] for q in queries.captured_queries]
    return response


# -- one relation depth, counted the same way everywhere ------------------------------


def test_sort_through_twelve_relations_is_refused_before_any_query(api, library):
    # Was: a correlated subquery per level, 5 s at 11 levels and > 60 s at 12 (issue 11).
    path = f"{relations(12)}.title"
    response = no_sql(api, f"/books/?sort[]={path}")
    error = assert_limit(response, "MAX_DEPTH", parameter="sort[]", field=path)
    assert error["value"] == 12


def test_filter_through_forty_relations_is_400(api, library):
    # Was: 500, "parser stack overflow" from SQLite.
    key = f"filter{{{relations(40)}.title}}"
    assert_limit(no_sql(api, f"/books/?{key}=x"), "MAX_DEPTH", parameter=key)


@pytest.mark.parametrize(
    "template",
    [
        "/books/?include[]={path}.",
        "/books/?expand={path}",
        "/books/?filter{{{path}.id}}=1",
        "/books/?sort[]={path}.id",
        "/books/?sort={path}.id",
    ],
)
def test_depth_is_counted_the_same_way_everywhere(api, library, template):
    # author.mentor.books.author: 4 relations crossed, as deep as MAX_DEPTH allows.
    allowed = "author.mentor.books.author"
    assert api.get(template.format(path=allowed)).status_code == 200
    deeper = f"{allowed}.mentor"
    assert api.get(template.format(path=deeper)).json()["errors"][0]["limit"] == "MAX_DEPTH"


def test_quantifiers_add_up_their_relations(api, library):
    inner = any_in(("author", "books"), leaf("title", "eq", "Alpha"))
    allowed = Query(filter=any_in(("author", "books"), inner))  # 4 relations
    assert api.get(f"/books/?{allowed.to_querystring(where=True)}").status_code == 200
    deeper = Query(filter=any_in(("author", "books"), any_in(("author",), inner)))
    response = api.get(f"/books/?{deeper.to_querystring(where=True)}")
    assert_limit(response, "MAX_DEPTH", parameter="where", field="author.books.author.author.books")
    leaf_deeper = any_in(("author", "books"), leaf("author.books.author.name", "eq", "x"))
    response = api.get(f"/books/?{Query(filter=leaf_deeper).to_querystring(where=True)}")
    assert_limit(response, "MAX_DEPTH", field="author.books.author.books.author.name")


def test_relation_filters_count_from_their_relation(api, library):
    query = Query(
        relation_filters=(
            RelationFilter(("author", "books"), leaf("author.books.author.name", "eq", "x")),
        )
    )
    response = api.get(f"/books/?{query.to_querystring()}")
    error = assert_limit(response, "MAX_DEPTH", field="author.books.author.books.author.name")
    assert error["parameter"] == "filter{author.books|author.books.author.name}"


# -- what one request may cost --------------------------------------------------------


def test_relations_crossed_together_are_bounded(api, library):
    # A filter through 2 relations, then sort keys through 2 each: 2, 4, 6, 8 subqueries.
    sorts = "&".join(f"sort[]=author.mentor.{name}" for name in ("name", "email", "birthday"))
    url = f"/books/?filter{{author.mentor.name}}=Ann&{sorts}"
    assert api.get(url).status_code == 200
    with override_settings(RESTBRIDGE={"MAX_JOINS": 5}):
        response = no_sql(api, url)
    error = assert_limit(response, "MAX_JOINS", parameter="sort[]")
    assert error["value"] == 6


def test_sort_through_two_to_many_relations_is_refused(api, library):
    # Each to-many relation multiplies the rows compared per sorted row.
    assert api.get("/books/?sort[]=tags.name").status_code == 200
    response = no_sql(api, "/books/?sort[]=tags.books.title")
    assert_limit(response, "MAX_SORT_TO_MANY", parameter="sort[]", field="tags.books.title")
    with override_settings(RESTBRIDGE={"MAX_SORT_TO_MANY": 2}):
        assert api.get("/books/?sort[]=tags.books.title").status_code == 200


def test_repeated_sort_keys_order_once(api, library):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/books/?sort=" + ",".join(["-price", "price", "title"] * 300))
    assert response.status_code == 200
    assert [book["title"] for book in response.json()["books"]] == ["Gamma", "Alpha", "Beta"]
    assert max(q["sql"].count("ORDER BY") for q in queries.captured_queries) == 1
    assert all(q["sql"].count('"price"') <= 3 for q in queries.captured_queries)


def test_query_string_length_is_bounded_before_parsing(api, library):
    response = no_sql(api, "/books/?filter{title}=" + "x" * 8000)
    error = assert_limit(response, "MAX_QUERY_LENGTH")
    assert error["value"] == len("filter{title}=") + 8000


def test_too_many_query_parameters_get_the_json_error(api, library):
    # Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000): was Django's HTML "Bad Request (400)".
    response = api.get("/books/?" + "&".join(f"x{n}=1" for n in range(1100)))
    assert_limit(response, "DATA_UPLOAD_MAX_NUMBER_FIELDS")


# -- request bodies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("post", "/books/"), ("put", "/books/"), ("patch", "/books/"), ("put", "/books/1/"),
     ("patch", "/books/1/"), ("delete", "/books/")],
)  # fmt: skip
def test_deeply_nested_json_bodies_are_400(api, library, method, url):
    # Was: 500, RecursionError in json.loads.
    for body in ("[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = getattr(api, method)(url, data=body, content_type="application/json")
        assert_limit(response, "MAX_BODY_DEPTH", parameter="body")


def test_body_depth_limit_is_exact(api, library):
    nested = {"title": "Nested", "author": library["ann"].pk, "summary": "x"}
    assert api.post("/books/", data=nested, format="json").status_code == 201
    with override_settings(RESTBRIDGE={"MAX_BODY_DEPTH": 1}):
        response = api.post("/books/", data={**nested, "tags": []}, format="json")
    assert_limit(response, "MAX_BODY_DEPTH")


def test_body_over_django_upload_limit_gets_the_json_error(api, library):
    # Was: Django's HTML "Bad Request (400)".
    body = json.dumps({"title": "x" * 3_000_000})
    response = api.post("/books/", data=body, content_type="application/json")
    error = assert_limit(response, "DATA_UPLOAD_MAX_MEMORY_SIZE")
    assert "2621440" in error["detail"]


@pytest.mark.parametrize("field", ["price", "author", "tags"])
@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_numbers_no_float_holds_are_400(api, library, field, number):
    # Was a 500 for ids (OverflowError: cannot convert float infinity to integer).
    value = f"[{number}]" if field == "tags" else number
    body = f'{{"title": "x", "author": {library["ann"].pk}, "{field}": {value}}}'
    response = api.post("/books/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


# -- ids and numbers ------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["1e308", str(10**40), "-1e308", "1.5"])
def test_bulk_update_with_an_impossible_id_is_400(api, library, bad_id):
    # Was: 500, OverflowError (SQLite INTEGER).
    body = f'[{{"id": {bad_id}, "title": "x"}}]'
    response = api.patch("/books/", data=body, content_type="application/json")
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert (error["code"], error["field"], error["index"]) == ("invalid_body", "id", 0)


def test_bulk_delete_with_an_impossible_id_is_400(api, library):
    response = api.delete("/books/", data=f"[{10**40}]", content_type="application/json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("value", ["1.5", "1e308", str(10**40), '"1.5"', "[1]", "true"])
def test_relation_ids_on_writes_are_whole_and_in_range(api, library, value):
    # 1.5 was read as 1: a write linking the wrong author. 1e400 and 10**40 were a 500.
    body = f'{{"title": "Linked", "author": {value}}}'
    response = api.post("/books/", data=body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "author"
    response = api.post(
        "/books/",
        data=f'{{"title": "Tagged", "author": 1, "tags": [{value}]}}',
        content_type="application/json",
    )
    assert response.status_code == 400, response.content


def test_whole_float_ids_still_link(api, library):
    ann = library["ann"].pk
    response = api.post(
        "/books/", data=f'{{"title": "F", "author": {ann}.0}}', content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["book"]["author"] == ann


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("year", "9" * 40),
        ("year", "10000"),
        ("year", "0"),
        ("month", "13"),
        ("day", str(2**63)),
        ("week_day", "8"),
    ],
)
def test_date_parts_out_of_range_are_400(api, library, part, value):
    # Was: 500, OverflowError (SQLite) or ValueError ("year 10000 is out of range").
    response = api.get(f"/books/?filter{{published.{part}}}={value}")
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == ("invalid_value", "published")


def test_date_parts_in_range_still_filter(api, library):
    body = api.get("/books/?filter{published.year}=2021&filter{published.month}=6").json()
    assert [book["title"] for book in body["books"]] == ["Gamma"]


def test_in_values_at_the_default_limit_answer_with_its_name(api, library):
    # Was: the parser's own bound (also 1000) answered first: invalid_query, no setting named.
    values = ",".join(map(str, range(1001)))
    assert_limit(api.get(f"/books/?where=id.in({values})"), "MAX_IN_VALUES")
    assert api.get(f"/books/?where=id.in({values[: values.rindex(',')]})").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["filter{title}=a%00b", "filter{title.icontains}=%00", "where=title.regex('%00')",
     "filter{author.name.in}=x&filter{author.name.in}=%00", "filter{tags.name}=%00"],
)  # fmt: skip
def test_null_characters_in_filter_values_are_400(api, library, query):
    # PostgreSQL raised ValueError as the query ran (a 500); a 400 on every database.
    response = api.get(f"/books/?{query}")
    assert response.status_code == 400, response.content
    assert "null characters" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=46116860184273881&per_page=200", 404),  # offset 2**63: was a 500 (OverflowError)
        ("page=46116860184273881&per_page=200&exclude_count=1", 200),
        ("offset=999999999999999999&per_page=200", 200),  # the parser's largest offset
    ],
)
def test_pages_past_the_largest_offset_are_past_the_end(api, library, query, status):
    response = api.get(f"/books/?{query}")
    assert response.status_code == status, response.content
    assert response.json().get("books", []) == []
