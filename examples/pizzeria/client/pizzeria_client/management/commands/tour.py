"""`manage.py tour`: a guided series of ORM calls against the pizzeria API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pizzeria_client.tour import run_tour


class Command(BaseCommand):
    help = "Run ORM calls on the API models, printing each line, result and HTTP request."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="api", help="The API database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        run_tour(self.stdout.write, database=options["database"])
