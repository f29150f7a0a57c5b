"""File fields on API models (RestApiStorage), against a server_kit API served in-process."""

from __future__ import annotations

import io

import httpx
import pytest
from cb_kitchen import models as kitchen
from cb_shop.models import Leaflet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connections
from django.test.utils import CaptureQueriesContext
from PIL import Image

from client_backend.storage import RemoteName
from client_backend.test import TrackRequestMiddleware
from client_backend.testing import InProcessTransport, api_transport

pytestmark = pytest.mark.django_db(databases=["default", "api"])


@pytest.fixture(autouse=True)
def served(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MEDIA_URL = "/media/"
    with api_transport(InProcessTransport()) as connection:
        yield connection


@pytest.fixture
def tracked(served):
    tracker = TrackRequestMiddleware()
    served.cursor().push_middleware(tracker)
    yield tracker
    served.cursor().pop_middleware(tracker)


def _png(width: int, height: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(stream, "PNG")
    return stream.getvalue()


def _sent(tracker: TrackRequestMiddleware) -> list[tuple[str, object, object]]:
    return [
        (q["params"]["method"], q["params"].get("json"), q["params"].get("files"))
        for q in tracker.queries.values()
    ]


def test_create_uploads_in_the_same_request_and_reads_back_the_url(tracked):
    upload = SimpleUploadedFile("menu é.txt", b"bonjour", "text/plain")
    with CaptureQueriesContext(connections["api"]) as captured:
        leaflet = Leaflet.objects.create(title="x", attachment=upload)
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["POST"]
    (method, body, files), *_ = _sent(tracked)
    assert method == "post" and body is None and set(files) == {"attachment"}
    stored = kitchen.Leaflet.objects.get()
    assert stored.attachment.name == "leaflets/menu_e.txt"
    assert leaflet.attachment.url == "http://testserver/media/leaflets/menu_e.txt"
    assert leaflet.attachment.name == "menu_e.txt"
    with leaflet.attachment.open() as stream:
        assert stream.read() == b"bonjour"


def test_empty_or_none_file_never_blocks_create(tracked):
    first = Leaflet.objects.create(title="x")
    second = Leaflet.objects.create(title="y", picture=None)
    assert first.pk and second.pk
    for _, body, files in _sent(tracked):
        assert files is None
        assert "attachment" not in body["leaflet"]
    assert not Leaflet.objects.get(pk=first.pk).attachment


def test_read_open_and_size_go_to_the_api_url():
    kitchen.Leaflet.objects.create(
        title="a", attachment=SimpleUploadedFile("a.txt", b"abcdef", "text/plain")
    )
    leaflet = Leaflet.objects.get()
    assert leaflet.attachment.url == "http://testserver/media/leaflets/a.txt"
    assert leaflet.attachment.size == 6
    with leaflet.attachment.open() as stream:
        assert stream.read() == b"abcdef"


def test_save_without_touching_the_file_keeps_it(tracked):
    kitchen.Leaflet.objects.create(title="a", attachment=SimpleUploadedFile("a.txt", b"keep"))
    leaflet = Leaflet.objects.get()
    leaflet.title = "b"
    leaflet.save()
    method, body, files = _sent(tracked)[-1]
    assert method == "patch" and files is None and "attachment" not in body
    stored = kitchen.Leaflet.objects.get()
    assert (stored.title, stored.attachment.name) == ("b", "leaflets/a.txt")


def test_update_uploads_a_new_file_and_clearing_sends_null(tracked):
    leaflet = Leaflet.objects.create(title="a")
    leaflet.attachment = SimpleUploadedFile("new.txt", b"new", "text/plain")
    leaflet.picture = SimpleUploadedFile("p.png", _png(2, 2), "image/png")
    leaflet.save()
    assert leaflet.attachment.url == "http://testserver/media/leaflets/new.txt"
    assert leaflet.picture.url == "http://testserver/media/pictures/p.png"
    method, _, files = _sent(tracked)[-1]
    assert method == "patch" and set(files) == {"attachment", "picture"}
    with kitchen.Leaflet.objects.get().attachment.open() as stream:
        assert stream.read() == b"new"
    leaflet.picture = None
    leaflet.save()
    assert _sent(tracked)[-1][1] == {"title": "a", "picture": None}
    stored = kitchen.Leaflet.objects.get()
    assert not stored.picture and stored.attachment.name == "leaflets/new.txt"


def test_clearing_a_file_the_api_requires_is_refused_not_lost():
    kitchen.Leaflet.objects.create(title="a", attachment=SimpleUploadedFile("a.txt", b"a"))
    leaflet = Leaflet.objects.get()
    leaflet.attachment = None
    with pytest.raises(IntegrityError, match="attachment"):
        leaflet.save()
    assert kitchen.Leaflet.objects.get().attachment.name == "leaflets/a.txt"


def test_image_dimensions_are_read_from_the_api():
    kitchen.Leaflet.objects.create(
        title="img", picture=SimpleUploadedFile("p.png", _png(7, 3), "image/png")
    )
    leaflet = Leaflet.objects.get()
    assert (leaflet.picture.width, leaflet.picture.height) == (7, 3)


def test_a_file_the_api_does_not_serve_raises_a_database_error(settings):
    kitchen.Leaflet.objects.create(title="gone", attachment=SimpleUploadedFile("g.txt", b"g"))
    leaflet = Leaflet.objects.get()
    settings.MEDIA_ROOT = str(settings.MEDIA_ROOT) + "-elsewhere"
    with pytest.raises(Exception, match="did not serve the file") as error:
        leaflet.attachment.open()
    assert "404" in str(error.value)


def test_credentials_go_to_the_api_host_only():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"x")

    connection = connections["api"]
    changes = {
        "transport": httpx.MockTransport(handler),
        "auth_path": "client_backend.auth.BasicAuth",
    }
    with connection.override_api_settings(**changes):
        storage = Leaflet._meta.get_field("attachment").storage
        # The API host is the test run's: conftest's TEST NAME (http://localapi/api/).
        for url in ("http://localapi/media/a.txt", "http://cdn.example/a.txt"):
            with storage.open(RemoteName(url, "api")) as stream:
                assert stream.read() == b"x"
    api_host, other_host = seen
    assert api_host.headers["Authorization"].startswith("Basic ")
    assert "Authorization" not in other_host.headers


def test_a_read_instance_pickles_with_its_file_url():
    import pickle

    kitchen.Leaflet.objects.create(title="p", attachment=SimpleUploadedFile("p.txt", b"p"))
    copy = pickle.loads(pickle.dumps(Leaflet.objects.get()))
    assert copy.attachment.url == "http://testserver/media/leaflets/p.txt"
    assert copy.attachment.name == "p.txt"
