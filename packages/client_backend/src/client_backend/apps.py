"""App config: ``INSTALLED_APPS += ["client_backend"]`` adds ``inspectdb`` and save refreshes.

Without it the backend works too; listing the app adds the API-aware ``inspectdb``
command and copies server answers to updates back onto saved instances.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_save


class ClientBackendConfig(AppConfig):
    name = "client_backend"
    verbose_name = "REST API database backend"

    def ready(self) -> None:
        from .writes import refresh_after_save

        post_save.connect(refresh_after_save, dispatch_uid="client_backend.refresh_after_save")
