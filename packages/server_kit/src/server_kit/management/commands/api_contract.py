"""``api_contract``: write this API's contract file, or compare it with the committed one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from server_kit.contract import api_contract, compare_contracts, dumps


class Command(BaseCommand):
    help = (
        "Write the API's contract (every resource, field, relation, feature and limit) as"
        " sorted JSON; with --compare, list the breaking and additive changes since a"
        " committed contract (exit status 1 when something breaks); with --check, also fail"
        " when the committed file is not exactly the current contract."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="The file to write (default: standard output).")
        parser.add_argument("--compare", metavar="CONTRACT", help="A committed contract file.")
        parser.add_argument(
            "--check", metavar="CONTRACT", help="Like --compare, and fail if the file is stale."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        contract = api_contract()
        committed = options.get("check") or options.get("compare")
        if committed:
            text = Path(committed).read_text(encoding="utf-8")
            self._compare(json.loads(text), contract)
            if options.get("check") and text != dumps(contract):
                raise CommandError(
                    f"{committed} is not the current contract: run"
                    f" `manage.py api_contract --output {committed}` and commit it."
                )
            return
        if options.get("output"):
            Path(options["output"]).write_text(dumps(contract), encoding="utf-8")
        else:
            self.stdout.write(dumps(contract), ending="")

    def _compare(self, committed: dict[str, Any], contract: dict[str, Any]) -> None:
        changes = compare_contracts(committed, contract)
        for line in changes.additive:
            self.stdout.write(f"additive: {line}")
        for line in changes.breaking:
            self.stdout.write(f"breaking: {line}")
        if changes.breaking:
            raise CommandError(f"{len(changes.breaking)} breaking change(s) since the contract.")
        self.stdout.write(f"No breaking change ({len(changes.additive)} additive).")
