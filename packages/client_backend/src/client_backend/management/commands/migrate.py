"""``migrate``: nothing to do on an API database; API models get no local tables."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.commands import migrate
from django.db import connections

from client_backend.base import DatabaseWrapper
from client_backend.resources import is_api_model, resource_for


class Command(migrate.Command):
    help = migrate.Command.help + " API databases (client_backend) are never migrated."

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        if isinstance(connections[alias], DatabaseWrapper):
            self.stdout.write(
                f"Nothing to migrate on {alias!r}: it is a client_backend API, whose server"
                " owns and migrates its schema."
            )
            return
        api_models = sorted(m._meta.label for m in apps.get_models() if is_api_model(m))
        if api_models and options["verbosity"] >= 1:
            where = sorted({resource_for(m).db_name for m in apps.get_models() if is_api_model(m)})
            self.stdout.write(
                f"Not migrated on {alias!r}: the API models {', '.join(api_models)} (they live"
                f" on the API database {', '.join(map(repr, where))}; the API owns their schema)."
            )
        super().handle(*args, **options)
