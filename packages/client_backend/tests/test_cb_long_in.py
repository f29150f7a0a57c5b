"""Long ``__in`` lists in count(), update() and delete() are split under MAX_URL_LENGTH."""

from __future__ import annotations

import pytest
from cb_helpers import names
from cb_kitchen import models as kitchen
from cb_shop.models import Menu, Pizza
from django.db import connections
from django.test.utils import CaptureQueriesContext

from client_backend.resources import resource_for
from client_backend.testing import InProcessTransport, api_transport

pytestmark = pytest.mark.django_db(databases=["default", "api"])

LIMIT = 2000
FILLER = [f"no-such-pizza-{i:04d}" for i in range(300)]  # about 9 KB of query string


@pytest.fixture
def api(kitchen_data):
    with api_transport(InProcessTransport()) as connection:
        with connection.override_api_settings(max_url_length=LIMIT):
            for model in (Menu, Pizza):  # discovered first: the counts below are the ORM's
                connection.server_features(resource_for(model))
            yield connection


def _sent(captured):
    lines = [q["sql"] for q in captured.captured_queries]
    assert all(len(line) <= len("PATCH ") + LIMIT for line in lines), lines
    return [line.split(" ", 1)[0] for line in lines]


def test_count_adds_up_disjoint_pk_parts(api):
    wanted = [p.pk for p in kitchen.Pizza.objects.all()] + list(range(10_000, 10_400))
    with CaptureQueriesContext(connections["api"]) as captured:
        assert Pizza.objects.filter(pk__in=wanted).count() == 6
    assert _sent(captured) == ["GET"] * 6  # 406 ids in parts of about 70


def test_count_over_a_to_many_list_counts_each_object_once(api):
    # Italian matches several parts (regina in one, napoli in another): counted once.
    pizzas = [*FILLER[:150], "regina", *FILLER[150:], "napoli", "teriyaki"]
    with CaptureQueriesContext(connections["api"]) as captured:
        assert Menu.objects.filter(pizzas__name__in=pizzas).count() == 2
    assert _sent(captured) == ["GET"] * 8  # the ids, 303 names in parts of about 40
    assert kitchen.Menu.objects.filter(pizzas__name__in=pizzas).distinct().count() == 2


def test_update_sends_the_ids_in_one_list_patch(api):
    with CaptureQueriesContext(connections["api"]) as captured:
        assert Pizza.objects.filter(name__in=[*FILLER, "regina", "napoli"]).update(price=3) == 2
    assert _sent(captured) == ["GET"] * 7 + ["PATCH"]
    assert names(kitchen.Pizza.objects.filter(price=3)) == ["napoli", "regina"]


def test_delete_sends_the_ids_in_one_list_delete(api):
    with CaptureQueriesContext(connections["api"]) as captured:
        deleted, _ = Pizza.objects.filter(name__in=[*FILLER, "regina", "napoli"]).delete()
    # The collector's read of the rows (split like any read), then their ids in the body.
    assert _sent(captured) == ["GET"] * 7 + ["DELETE"]
    assert deleted == 2
    assert names(kitchen.Pizza.objects.all()) == ["margherita", "marinara", "quattro", "teriyaki"]
