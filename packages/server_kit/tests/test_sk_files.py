"""File fields: rendered as DRF renders them (an absolute URL), uploaded as multipart."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from sk_testapp.models import Poster

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEDIA_URL = "/media/"
    return tmp_path


def _content(poster: Poster) -> bytes:
    with poster.file.open("rb") as stream:
        return stream.read()


def _upload(name: str = "a.txt", content: bytes = b"hello") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "text/plain")


def test_file_renders_as_absolute_url_on_list_and_detail(api):
    poster = Poster.objects.create(title="p", file=_upload())
    listed = api.get("/posters/").json()["posters"][0]
    assert listed["file"] == f"http://testserver/media/{poster.file.name}"
    detail = api.get(f"/posters/{poster.pk}/").json()["poster"]
    assert detail["file"] == listed["file"]


def test_empty_file_renders_as_null(api):
    Poster.objects.create(title="none")
    assert api.get("/posters/").json()["posters"][0]["file"] is None


def test_multipart_create_stores_the_file(api, media):
    response = api.post("/posters/", {"title": "up", "file": _upload("b.txt")}, format="multipart")
    assert response.status_code == 201, response.json()
    poster = Poster.objects.get(title="up")
    assert _content(poster) == b"hello"
    assert response.json()["poster"]["file"] == f"http://testserver/media/{poster.file.name}"


def test_multipart_update_replaces_the_file(api):
    poster = Poster.objects.create(title="p", file=_upload())
    response = api.patch(
        f"/posters/{poster.pk}/", {"file": _upload("c.txt", b"new")}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    poster.refresh_from_db()
    assert _content(poster) == b"new"


def test_update_not_mentioning_the_file_keeps_it(api):
    poster = Poster.objects.create(title="p", file=_upload())
    name = poster.file.name
    response = api.patch(f"/posters/{poster.pk}/", {"title": "q"}, format="json")
    assert response.status_code == 200
    assert response.json()["poster"]["file"].endswith(name)
    poster.refresh_from_db()
    assert (poster.title, poster.file.name) == ("q", name)
    response = api.put(f"/posters/{poster.pk}/", {"title": "r"}, format="json")
    assert response.status_code == 200, response.json()
    poster.refresh_from_db()
    assert (poster.title, poster.file.name) == ("r", name)


def test_not_a_file_is_a_400_not_a_500(api):
    response = api.post("/posters/", {"title": "x", "file": "just text"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_multipart_to_many_ids_are_all_read(api, library):
    from sk_testapp.models import Book

    tags = [t.pk for t in library["tags"]]
    body = {"title": "Form", "author": library["ann"].pk, "tags": tags, "in_print": "false"}
    response = api.post("/books/", body, format="multipart")
    assert response.status_code == 201, response.json()
    book = Book.objects.get(title="Form")
    assert sorted(book.tags.values_list("pk", flat=True)) == sorted(tags)
    assert book.in_print is False
