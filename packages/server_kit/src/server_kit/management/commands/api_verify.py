"""``api_verify``: check this API against its consumers' expectation files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from server_kit.contract import api_contract, verify_expectations


class Command(BaseCommand):
    help = (
        "Verify the API against a folder of consumer expectation files (written by"
        " client_backend's `api_expectations`): one line per broken expectation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The folder of consumers' *.json files.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            broken = verify_expectations(options["folder"], api_contract())
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in broken:
            self.stderr.write(line)
        if broken:
            raise CommandError(f"{len(broken)} consumer expectation(s) broken.")
        self.stdout.write("Every consumer expectation is met.")
