"""``inspectdb``: for API databases, write models from the API; else Django's own command."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import inspectdb
from django.db import connections

from client_backend.base import DatabaseWrapper
from client_backend.inspection import describe_api, render_models


class Command(inspectdb.Command):
    help = inspectdb.Command.help + " On a client_backend database, reads the API's metadata."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if not isinstance(connection, DatabaseWrapper):
            super().handle(**options)
            return
        if connection.api_settings.ignore_introspect:
            # OPTIONS["IGNORE_INTROSPECT"]: nothing is asked of the API.
            return
        wanted = set(options.get("table") or ())
        resources = [
            r
            for r in describe_api(connection.session)
            if not wanted or {r.path, r.plural, r.name} & wanted
        ]
        for line in render_models(resources):
            self.stdout.write(line)
