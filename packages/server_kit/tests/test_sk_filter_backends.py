"""Filter backends: OPTIONS advertises only what the view applies; django-filter beside ours."""

from __future__ import annotations

import pytest

from server_kit.checks import check_filter_backends

DYNAMIC = {"filter{}", "filter{}.not", "where", "sort[]"}


@pytest.mark.parametrize(
    ("route", "advertised"),
    [("books", DYNAMIC), ("djfilter-only", set()), ("djfilter-beside", DYNAMIC)],
)
def test_options_advertise_only_the_backends_applied(api, route, advertised):
    features = set(api.options(f"/{route}/").json()["features"])
    assert features & DYNAMIC == advertised
    assert {"page", "include[]"} <= features


@pytest.mark.parametrize(
    "query", ["filter{title}=Alpha", "sort[]=-title", "where=title.eq('Alpha')"]
)
def test_dynamic_parameters_are_refused_where_their_backend_is_lost(api, library, query):
    response = api.get(f"/djfilter-only/?{query}")
    assert response.status_code == 400, response.content
    assert "filter_backends" in response.json()["detail"]


def test_django_filter_alone_still_filters(api, library):
    response = api.get("/djfilter-only/", {"title": "Alpha"})
    assert [b["title"] for b in response.json()["books"]] == ["Alpha"]


def test_django_filter_beside_the_dynamic_backends(api, library):
    both = api.get(
        "/djfilter-beside/", {"in_print": "true", "filter{price.gt}": "10", "sort[]": "-title"}
    )
    assert [b["title"] for b in both.json()["books"]] == ["Gamma", "Alpha"]
    one = api.get("/djfilter-beside/", {"title": "Beta", "filter{in_print}": "false"})
    assert [b["title"] for b in one.json()["books"]] == ["Beta"]
    none = api.get("/djfilter-beside/", {"title": "Beta", "filter{in_print}": "true"})
    assert none.json()["books"] == []


def test_system_check_warns_when_a_dynamic_viewset_lost_its_backends():
    from sk_testapp.views import DjangoFilterOnlyBookViewSet, UnfilteredReviewViewSet

    found = {w.obj: w for w in check_filter_backends() if w.id == "restbridge.W001"}
    # Every other routed viewset (django-filter beside the dynamic backends too) passes.
    assert set(found) == {DjangoFilterOnlyBookViewSet, UnfilteredReviewViewSet}
    warning = found[DjangoFilterOnlyBookViewSet]
    assert "DynamicFilterBackend, DynamicSortingFilter" in warning.msg
    assert "DjangoFilterBackend" in warning.hint
