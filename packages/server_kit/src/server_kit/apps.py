"""Django app config: registers the relation and filter-backend system checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class ServerKitConfig(AppConfig):
    name = "server_kit"
    label = "server_kit"
    verbose_name = "restbridge server kit"

    def ready(self) -> None:
        from .checks import check_filter_backends, check_reverse_relations

        checks.register(check_reverse_relations)
        checks.register(check_filter_backends, checks.Tags.urls)
