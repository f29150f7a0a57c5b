"""Django's everyday commands on an API database: migrate, dumpdata, loaddata, inspectdb."""

from __future__ import annotations

import io
import json

import pytest
from cb_kitchen import models as kitchen
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, router
from django.db.migrations.state import ProjectState
from django.test import override_settings

from client_backend.exceptions import APIConfigurationError


def test_migrations_never_give_an_api_model_a_local_table():
    # Migrations pass historical models, which have no APIMeta.
    historical = ProjectState.from_apps(apps).apps
    for name in ("pizza", "menu", "topping"):
        assert router.allow_migrate_model("default", historical.get_model("cb_shop", name)) is False
    assert router.allow_migrate_model("default", historical.get_model("auth", "user")) is True


@pytest.mark.django_db(databases=["default", "api"])
def test_migrate_on_the_api_database_is_a_no_op_that_says_why():
    out = io.StringIO()
    call_command("migrate", database="api", stdout=out)
    assert out.getvalue().splitlines() == [
        "Nothing to migrate on 'api': it is a client_backend API, whose server owns and"
        " migrates its schema."
    ]


@pytest.mark.django_db(databases=["default", "api"])
def test_migrate_on_the_local_database_names_the_api_models_it_leaves_out():
    out = io.StringIO()
    call_command("migrate", database="default", stdout=out)
    first = out.getvalue().splitlines()[0]
    assert first.startswith("Not migrated on 'default': the API models cb_shop.")
    assert "'api'" in first


WITHOUT_THE_APP = ["django.contrib.contenttypes", "django.contrib.auth", "cb_shop"]


@pytest.mark.django_db(databases=["default", "api"])
@pytest.mark.parametrize("command", ["migrate", "inspectdb"])
def test_without_the_app_djangos_own_commands_say_to_add_it(command):
    # Django's migrate crashed (deferred_sql), its inspectdb wrote an empty models file.
    out = io.StringIO()
    with (
        override_settings(INSTALLED_APPS=WITHOUT_THE_APP),
        pytest.raises(APIConfigurationError, match="Add 'client_backend' to INSTALLED_APPS"),
    ):
        call_command(command, database="api", stdout=out)
    assert "class " not in out.getvalue()


@pytest.mark.django_db(databases=["default", "api"])
def test_dumpdata_reads_the_api(kitchen_data):
    out = io.StringIO()
    call_command("dumpdata", "cb_shop.pizza", "cb_shop.menu", database="api", stdout=out)
    dumped = json.loads(out.getvalue())
    pizzas = {row["fields"]["name"]: row for row in dumped if row["model"] == "cb_shop.pizza"}
    assert set(pizzas) == set(kitchen.Pizza.objects.values_list("name", flat=True))
    regina = kitchen.Pizza.objects.get(name="regina")
    assert pizzas["regina"]["pk"] == regina.pk
    assert pizzas["regina"]["fields"]["menu"] == regina.menu_id
    assert sorted(pizzas["regina"]["fields"]["toppings"]) == sorted(
        regina.toppings.values_list("pk", flat=True)
    )
    assert {row["fields"]["code"] for row in dumped if row["model"] == "cb_shop.menu"} == {
        "IT",
        "FU",
    }


def _dumped(pk):
    out = io.StringIO()
    call_command("dumpdata", "cb_shop.pizza", database="api", pks=str(pk), stdout=out)
    [entry] = json.loads(out.getvalue())
    return entry


def _load(tmp_path, entries):
    fixture = tmp_path / "pizzas.json"
    fixture.write_text(json.dumps(entries))
    out = io.StringIO()
    call_command("loaddata", str(fixture), database="api", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(databases=["default", "api"])
def test_loaddata_updates_through_the_api_by_pk(kitchen_data, tmp_path):
    regina = kitchen.Pizza.objects.get(name="regina")
    cheese = kitchen.Topping.objects.get(name="cheese")
    entry = _dumped(regina.pk)
    entry["fields"] |= {"price": 99.0, "toppings": [cheese.pk]}
    assert "Installed 1 object(s) from 1 fixture(s)" in _load(tmp_path, [entry])
    regina.refresh_from_db()
    assert regina.price == 99.0
    assert list(regina.toppings.values_list("pk", flat=True)) == [cheese.pk]


@pytest.mark.django_db(databases=["default", "api"])
def test_loaddata_of_a_new_pk_the_api_cannot_keep_is_an_error_naming_both_ids(
    kitchen_data, tmp_path
):
    # server_kit assigns ids: the object is created, but under another id, which a
    # fixture's relations would not find.
    entry = _dumped(kitchen.Pizza.objects.get(name="regina").pk)
    created = {**entry, "pk": 4242, "fields": entry["fields"] | {"name": "loaded"}}
    with pytest.raises(IntegrityError, match=r"created cb_shop.Pizza \d+, not the id 4242"):
        _load(tmp_path, [created])
    assert not kitchen.Pizza.objects.filter(pk=4242).exists()
