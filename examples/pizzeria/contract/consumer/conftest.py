"""The consumer's contract tests run with the pizzeria client's own settings, no API running."""

from __future__ import annotations

import os

import django
import pytest


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pizzeria_client.settings"
    # Nothing listens there: a request sent by mistake fails the check instead of passing it.
    os.environ["PIZZERIA_API_URL"] = "http://127.0.0.1:9/api/"
    django.setup()
