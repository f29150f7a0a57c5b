"""django-rest-models' startup system check, run as its users run it, against the server_kit API."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import Servers


def _check(api_url: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"INTEROP_API_URL": api_url}
    command = [sys.executable, "-m", "django", "check", "--settings=drm_client.settings"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("server", ["server_kit", "dynamic_rest"])
def test_drm_check_passes(servers: Servers, server: str, record_property: Any) -> None:
    if server == "server_kit":
        record_property("compat", ("startup system check (`manage.py check`)", "drm", "ok"))
    result = _check(getattr(servers, f"{server}_url"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_drm_check_runs(servers: Servers) -> None:
    """The check really queries the API: a wrong root fails with rest_models.E001 per model."""
    result = _check(servers.server_kit_url + "nowhere/")
    assert result.returncode != 0
    assert (result.stdout + result.stderr).count("rest_models.E001") == 5
