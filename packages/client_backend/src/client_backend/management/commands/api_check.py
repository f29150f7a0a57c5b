"""``api_check``: the contract check of one API database, live or against a contract file."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from client_backend.base import DatabaseWrapper


class Command(BaseCommand):
    help = (
        "Check the API models of a client_backend database against the live API, or with"
        " --contract against the provider's contract file (no request is sent)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="api", help="The API database alias.")
        parser.add_argument(
            "--contract", help="A contract file written by the server's `api_contract`."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        connection = connections[alias]
        if not isinstance(connection, DatabaseWrapper):
            raise CommandError(f"{alias!r} is not a client_backend database.")
        contract = options.get("contract")
        if contract is None:
            call_command("check", databases=[alias], stdout=self.stdout, stderr=self.stderr)
            return
        # The same check as `check --database`, fed by the file instead of OPTIONS answers.
        with connection.override_api_settings(contract=contract, skip_check=False):
            call_command("check", databases=[alias], stdout=self.stdout, stderr=self.stderr)
