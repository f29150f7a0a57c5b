"""The API's settings read `DATABASE_URL` with dj-database-url."""

from __future__ import annotations

import json
import subprocess
import sys

from pizzeria_runner import ApiProject

PRINT_DATABASES = "import json, pizzeria_api.settings as s; print(json.dumps(s.DATABASES))"


def test_database_url_becomes_the_default_database(tmp_path):
    url = "postgres://chef:p%40ss@127.0.0.1:5499/pizzeria?sslmode=disable"
    env = ApiProject(tmp_path, database_url=url).env
    printed = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    default = json.loads(printed)["default"]
    assert {k: default[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "pizzeria",
        "USER": "chef",
        "PASSWORD": "p@ss",
        "HOST": "127.0.0.1",
        "PORT": 5499,
    }
    assert default["OPTIONS"] == {"sslmode": "disable"}
