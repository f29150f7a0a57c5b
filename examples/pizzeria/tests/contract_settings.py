"""The client's settings plus an app whose model declares a field the API does not have."""

from __future__ import annotations

from pizzeria_client.settings import *  # noqa: F403
from pizzeria_client.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "contract_app"]
