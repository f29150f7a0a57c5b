"""Django app config: registers the system checks (and the OpenAPI extensions)."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.core import checks


class ServerKitConfig(AppConfig):
    name = "server_kit"
    label = "server_kit"
    verbose_name = "restbridge server kit"

    def ready(self) -> None:
        from .checks import check_filter_backends, check_reverse_relations

        checks.register(check_reverse_relations)
        checks.register(check_filter_backends, checks.Tags.urls)
        if apps.is_installed("drf_spectacular"):
            # drf-spectacular finds extensions by their import (restbridge[openapi]).
            from . import openapi  # noqa: F401
