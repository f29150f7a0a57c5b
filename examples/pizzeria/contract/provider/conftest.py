"""The provider's contract tests run with the pizzeria API's own settings."""

from __future__ import annotations

import os

import django
import pytest


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pizzeria_api.settings"
    django.setup()
