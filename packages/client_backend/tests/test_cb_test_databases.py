"""``TEST["NAME"]`` is the API a test run uses; a run never silently reaches ``NAME``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cb_kitchen import models as kitchen
from cb_servers import json_answer, serve
from cb_shop.models import Pizza
from django.db import connections


@pytest.mark.django_db(databases=["default", "api"])
def test_test_name_on_localapi_serves_the_api_in_the_tests_own_transaction():
    # conftest sets TEST NAME http://localapi/api/ and no transport: nothing else.
    assert connections["api"].settings_dict["NAME"] == "http://localapi/api/"
    created = Pizza.objects.create(name="only-in-this-test", price=3.0)
    row = kitchen.Pizza.objects.get(name="only-in-this-test")  # the server's own table
    assert row.pk == created.pk
    assert Pizza.objects.filter(name="only-in-this-test").count() == 1


@pytest.mark.django_db(databases=["default", "api"])
def test_the_previous_tests_write_was_rolled_back_with_its_transaction():
    assert not kitchen.Pizza.objects.filter(name="only-in-this-test").exists()


def _run_tests(
    tmp_path: Path, url: str, test_entry: dict[str, object]
) -> subprocess.CompletedProcess:
    """``django-admin test`` in a fresh project whose one test reads ``GET things``."""
    (tmp_path / "run_settings.py").write_text(
        textwrap.dedent(
            f"""
            SECRET_KEY = "x"
            INSTALLED_APPS = ["client_backend"]
            DATABASES = {{
                "default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                "api": {{"ENGINE": "client_backend", "NAME": {url!r}, "TEST": {test_entry!r},
                         "OPTIONS": {{"RETRIES": 0, "TIMEOUT": 5}}}},
                # No test uses it: it needs no TEST NAME.
                "unused": {{"ENGINE": "client_backend", "NAME": "http://127.0.0.1:9/api/"}},
            }}
            """
        )
    )
    (tmp_path / "run_tests.py").write_text(
        textwrap.dedent(
            """
            from django.db import connections
            from django.test import SimpleTestCase

            from client_backend.request import APIRequest


            class Reads(SimpleTestCase):
                databases = {"api"}

                def test_read(self):
                    connections["api"].session.send(APIRequest("GET", "things"))
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "run_settings"}
    return subprocess.run(
        [sys.executable, "-m", "django", "test", "run_tests", "-v", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _answer(conn):
    conn.sendall(json_answer(200, {"things": []}))


def test_a_test_run_without_test_name_refuses_before_reaching_the_production_api(tmp_path):
    with serve(_answer) as production:
        run = _run_tests(tmp_path, production.url, {})
    assert run.returncode != 0
    assert "DATABASES['api'] has no TEST NAME" in run.stderr, run.stderr
    assert "ALLOW_PRODUCTION" in run.stderr and "http://localapi/" in run.stderr
    assert production.requests == []


def test_a_test_run_uses_the_test_name_and_never_the_name(tmp_path):
    with serve(_answer) as production, serve(_answer) as testing:
        run = _run_tests(tmp_path, production.url, {"NAME": testing.url})
    assert run.returncode == 0, run.stderr
    assert testing.requests == ["GET /api/things HTTP/1.1"]
    assert production.requests == []


def test_a_project_may_opt_in_to_testing_against_its_name(tmp_path):
    with serve(_answer) as production:
        run = _run_tests(tmp_path, production.url, {"ALLOW_PRODUCTION": True})
    assert run.returncode == 0, run.stderr
    assert production.requests == ["GET /api/things HTTP/1.1"]
