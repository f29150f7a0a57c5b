"""Writes as dynamic-rest defines them: omitted relations are left alone, optional ones inferred."""

from __future__ import annotations

import pytest
from sk_testapp.models import Book

pytestmark = pytest.mark.django_db


def test_put_without_to_many_fields_keeps_them(api, library):
    alpha = library["books"][0]
    before = sorted(alpha.tags.values_list("pk", flat=True))
    assert len(before) == 3
    body = {"title": "0", "author": library["ann"].pk}
    response = api.put(f"/plainbooks/{alpha.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(alpha.tags.values_list("pk", flat=True)) == before
    assert Book.objects.get(pk=alpha.pk).title == "0"


def test_put_without_to_many_fields_keeps_them_on_the_main_serializer(api, library):
    alpha = library["books"][0]
    before = sorted(alpha.tags.values_list("pk", flat=True))
    body = {"title": "0", "author": library["ann"].pk}
    response = api.put(f"/books/{alpha.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(alpha.tags.values_list("pk", flat=True)) == before


def test_aliased_to_many_is_written_through_its_source(api, library):
    red = library["tags"][0]
    body = {"title": "Aliased", "author": library["ann"].pk, "labels": [red.pk]}
    response = api.post("/plainbooks/", body, format="json")
    assert response.status_code == 201, response.json()
    created = Book.objects.get(title="Aliased")
    assert list(created.tags.values_list("pk", flat=True)) == [red.pk]


def test_post_without_nullable_fk_or_reverse_relation(api, library):
    body = {"title": "Bare", "author": library["ann"].pk}
    response = api.post("/plainbooks/", body, format="json")
    assert response.status_code == 201, response.json()
    created = Book.objects.get(title="Bare")
    assert created.editor is None
    assert not created.tags.exists()


def test_nullable_fk_accepts_null_and_required_fk_stays_required(api, library):
    body = {"title": "Nulls", "author": library["ann"].pk, "editor": None}
    assert api.post("/plainbooks/", body, format="json").status_code == 201
    response = api.post("/plainbooks/", {"title": "No author"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "author"
