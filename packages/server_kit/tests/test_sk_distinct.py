"""``distinct=true``: the distinct values of included own fields, filtered, sorted and paged."""

from __future__ import annotations

import pytest

SELECT = "exclude[]=*&distinct=true"


def get(api, query):
    response = api.get(f"/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_distinct_values_of_one_field_skip_hidden_rows(api, library, django_assert_num_queries):
    with django_assert_num_queries(1):  # a short page needs no COUNT
        body = get(api, f"reviews/?include[]=rating&{SELECT}")
    # The hidden review's rating (1) is not shown: the serializer's row hook applies.
    assert body["reviews"] == [{"rating": 3}, {"rating": 5}]
    assert body["meta"]["total_results"] == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("books/?include[]=in_print&sort[]=-in_print", [{"in_print": True}, {"in_print": False}]),
        ("books/?include[]=in_print&filter{price.gt}=10", [{"in_print": True}]),
        (
            "books/?include[]=in_print&include[]=published",
            [
                {"in_print": False, "published": None},
                {"in_print": True, "published": "2020-01-02"},
                {"in_print": True, "published": "2021-06-01"},
            ],
        ),
        ("reviews/?include[]=rating&sort[]=-rating&per_page=1&page=2", [{"rating": 3}]),
    ],
)
def test_filtered_sorted_and_paged(api, library, query, expected):
    assert get(api, f"{query}&{SELECT}")[query.split("/")[0]] == expected


def test_a_to_one_relation_gives_the_related_ids(api, library):
    body = get(api, f"books/?include[]=editor&{SELECT}")
    assert body["books"] == [{"editor": None}, {"editor": library["bob"].pk}]


@pytest.mark.parametrize(
    "query",
    [
        "books/?include[]=tags&exclude[]=*&distinct=true",
        "books/?include[]=title&distinct=true",
        "books/?include[]=author.name&exclude[]=*&distinct=true",
        "books/?include[]=title&exclude[]=*&distinct=true&sort[]=price",
        "books/?include[]=shout&exclude[]=*&distinct=true",
    ],
)
def test_what_distinct_refuses(api, library, query):
    response = api.get(f"/{query}")
    assert response.status_code == 400, response.content
    assert "distinct" in response.json()["detail"]
