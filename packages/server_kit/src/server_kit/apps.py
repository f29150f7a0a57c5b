"""Django app config: registers the relation system check."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class ServerKitConfig(AppConfig):
    name = "server_kit"
    label = "server_kit"
    verbose_name = "restbridge server kit"

    def ready(self) -> None:
        from .checks import check_reverse_relations

        checks.register(check_reverse_relations)
