"""The test helpers themselves, threads, headers and the APIManager."""

from __future__ import annotations

import threading

import httpx
import pytest
from cb_helpers import FULL
from cb_kitchen import models as kitchen
from cb_shop.models import Menu, Pizza
from django.db import connections
from django.test import TransactionTestCase

from client_backend.testing import APITestMixin, MockAPI, inprocess_api  # noqa: F401 - fixture

EMPTY = {"menus": [], "meta": {"page": 1, "per_page": 50, "total_results": 0, "total_pages": 1}}


@pytest.mark.django_db(databases=["default", "api"])
def test_inprocess_api_fixture(inprocess_api):  # noqa: F811 - the imported fixture
    kitchen.Menu.objects.create(name="Italian", code="IT")
    assert [m.code for m in Menu.objects.all()] == ["IT"]
    assert inprocess_api is connections["api"]


@pytest.mark.django_db(databases=["api"])
def test_mock_api_records_and_asserts():
    api = MockAPI(features=FULL)
    api.add("GET", "menus", EMPTY)
    with api.serve():
        assert list(Menu.objects.filter(code="IT").values_list("name", flat=True)) == []
    request = api.assert_requested(
        "GET",
        "menus",
        [("filter{code}", "IT"), ("include[]", "name"), ("exclude[]", "*"), ("per_page", "50")],
    )
    assert request.headers["Accept"] == "application/json"
    assert api.calls() == ["GET menus?filter{code}=IT&include[]=name&exclude[]=*&per_page=50"]
    with pytest.raises(AssertionError, match="no POST menus"):
        api.assert_requested("POST", "menus")


@pytest.mark.django_db(databases=["api"])
def test_mock_api_unknown_route_is_404_and_a_clear_error():
    with MockAPI(features=FULL).serve(), pytest.raises(Exception, match="MockAPI has no answer"):
        list(Menu.objects.all())


@pytest.mark.django_db(databases=["api"])
def test_headers_and_one_client_per_thread():
    seen = []

    def handler(request):
        seen.append(request.headers.get("X-Tenant"))
        return httpx.Response(200, json=EMPTY)

    connection = connections["api"]
    with connection.override_api_settings(
        transport=httpx.MockTransport(handler), headers=(("X-Tenant", "acme"),), features=FULL
    ):
        list(Menu.objects.all())
        client = connection.session.client
        assert list(Menu.objects.all()) == [] and connection.session.client is client
        other = {}

        def in_thread():
            other["connection"] = connections["api"]
            connections["api"].close()

        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join(timeout=10)
    assert seen == ["acme", "acme"]
    assert other["connection"] is not connection  # Django: one connection (and client) per thread


@pytest.mark.django_db(databases=["api"])
def test_api_manager_str_and_request_line():
    assert str(Pizza.objects.filter(pk=4).values_list("name").query) == (
        "GET pizzas/4/?include%5B%5D=name&exclude%5B%5D=%2A"
    )


class MixinTests(APITestMixin, TransactionTestCase):
    databases = {"default", "api"}

    def test_served_in_process(self):
        kitchen.Menu.objects.create(name="Fusion", code="FU")
        with self.assertNumQueries(1, using="api"):
            self.assertEqual([m.name for m in Menu.objects.all()], ["Fusion"])


MODULES = [
    "auth", "base", "client", "compiler", "creation", "exceptions", "features", "inspection",
    "introspection", "operations", "options", "paging", "queryset", "reader", "reads", "relations",
    "request", "resources", "response", "routers", "schema", "session", "testing", "through",
    "validation", "where", "writes",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_public_names_exist_and_are_sorted(name):
    import importlib

    module = importlib.import_module(f"client_backend.{name}")
    exported = module.__all__
    assert exported == sorted(exported)
    assert all(hasattr(module, item) for item in exported)


@pytest.mark.django_db(databases=["api"])
def test_mock_api_answers_by_method_and_params_latest_first():
    italian = {
        "menus": [{"id": 1, "name": "Italian", "code": "IT"}],
        **{k: v for k, v in EMPTY.items() if k != "menus"},
    }
    api = MockAPI(features=FULL)
    api.add("GET", "menus", EMPTY)
    api.add("GET", "menus", italian, params={"filter{code}": "IT"})
    api.add("POST", "menus", {"menu": {"id": 9, "name": "N", "code": "N"}}, status=201)
    with api.serve():
        assert [m.name for m in Menu.objects.filter(code="IT")] == ["Italian"]
        assert list(Menu.objects.filter(code="FU")) == []
        assert Menu.objects.create(name="N", code="N").pk == 9
        # Nothing answers GET menus/1/: MockAPI's 404, read as "no such row".
        assert Menu.objects.filter(pk=1).delete()[0] == 0
    assert api.calls()[-1].startswith("GET menus/1/?")
