"""``api_expectations``: write what this project's API models rely on, for the API team."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from client_backend.base import DatabaseWrapper
from client_backend.expectations import FeatureRecorder, consumer_expectations
from shared_querylang import Feature
from shared_querylang.contract import BASELINE_FEATURES


class Command(BaseCommand):
    help = (
        "Write the resources, fields, types, relations and features this project's API"
        " models rely on, as sorted JSON: the file the API verifies with `api_verify`."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="api", help="The API database alias.")
        parser.add_argument("--consumer", required=True, help="This project's name.")
        parser.add_argument("--output", help="The file to write (default: standard output).")
        parser.add_argument(
            "--check", metavar="FILE", help="Write nothing; fail if FILE is not up to date."
        )
        parser.add_argument(
            "--require-feature",
            action="append",
            default=[],
            choices=[feature.value for feature in Feature],
            help="A feature the project's queries need beyond dynamic-rest's (e.g. 'where').",
        )
        parser.add_argument(
            "--record",
            metavar="COMMAND",
            help="Run this management command (e.g. 'test myapp') and add the features its"
            " requests on the database used.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        connection = connections[alias]
        if not isinstance(connection, DatabaseWrapper):
            raise CommandError(f"{alias!r} is not a client_backend database.")
        features = BASELINE_FEATURES | frozenset(options["require_feature"])
        if options.get("record"):
            recorder = FeatureRecorder()
            with connection.execute_wrapper(recorder):
                call_command(*shlex.split(options["record"]))
            features |= recorder.features
        document = consumer_expectations(
            alias, connection.api_settings.root_url, options["consumer"], features
        )
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        check = options.get("check")
        if check:
            if Path(check).read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{check} is not up to date: run `manage.py api_expectations --consumer"
                    f" {options['consumer']} --output {check}` and send it to the API team."
                )
            self.stdout.write(f"{check} is up to date.")
        elif options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
