"""Django's everyday commands on the client, against the live API: migrate, dumpdata, loaddata."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connections
from pizzeria_client.models import Menu

pytestmark = pytest.mark.usefixtures("live_api")


def test_migrate_gives_api_models_no_local_tables(client_db):
    tables = set(connections["default"].introspection.table_names())
    assert "django_session" in tables  # the local models were migrated
    assert not {t for t in tables if t.startswith("pizzeria_client_")}, tables


def test_migrate_on_the_api_database_is_a_no_op_that_says_why():
    out = io.StringIO()
    call_command("migrate", database="api", stdout=out)
    assert out.getvalue().startswith("Nothing to migrate on 'api'")
    assert len(out.getvalue().splitlines()) == 1


def test_dumpdata_reads_every_row_through_the_api(dataset):
    out = io.StringIO()
    call_command("dumpdata", "pizzeria_client.menu", database="api", stdout=out)
    dumped = {row["pk"]: row["fields"]["name"] for row in json.loads(out.getvalue())}
    assert dumped == {menu["id"]: menu["name"] for menu in dataset.menus}


def test_loaddata_updates_rows_through_the_api(dataset, tmp_path):
    menu = dataset.menus[0]
    out = io.StringIO()
    call_command(
        "dumpdata", "pizzeria_client.menu", database="api", pks=str(menu["id"]), stdout=out
    )
    [entry] = json.loads(out.getvalue())
    fixture = tmp_path / "menu.json"
    fixture.write_text(json.dumps([{**entry, "fields": entry["fields"] | {"name": "E2E loaded"}}]))
    try:
        out = io.StringIO()
        call_command("loaddata", str(fixture), database="api", stdout=out)
        assert "Installed 1 object(s) from 1 fixture(s)" in out.getvalue()
        assert Menu.objects.get(pk=menu["id"]).name == "E2E loaded"
    finally:
        Menu.objects.filter(pk=menu["id"]).update(name=menu["name"])
