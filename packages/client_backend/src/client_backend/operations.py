"""Value adaptation between Django fields and the JSON the API speaks."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time

from .hyperlinks import is_hyperlinked, key_from_link
from .storage import RestApiStorage

__all__ = ["DatabaseOperations"]

Converter = Callable[[Any, Any, Any], Any]


# The converters run once per value read. ISO 8601, the form the API sends, is parsed by
# ``fromisoformat`` directly (Django's parsers try it first too, behind a call); other
# forms fall back to Django's parsers.


def _datetime(value: Any, expression: Any, connection: Any) -> Any:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = parse_datetime(value)
            if parsed is None:
                return value
            value = parsed
    # Naive first (``timezone.is_naive``): an aware value needs no settings lookup.
    if isinstance(value, dt.datetime) and value.utcoffset() is None and settings.USE_TZ:
        value = timezone.make_aware(value, dt.UTC)
    return value


def _date(value: Any, expression: Any, connection: Any) -> Any:
    if isinstance(value, str):
        text = value[:10]
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return parse_date(text) or value
    return value


def _time(value: Any, expression: Any, connection: Any) -> Any:
    return (parse_time(value) or value) if isinstance(value, str) else value


def _decimal(value: Any, expression: Any, connection: Any) -> Any:
    return value if value is None else decimal.Decimal(str(value))


def _float(value: Any, expression: Any, connection: Any) -> Any:
    return value if value is None else float(value)


def _uuid(value: Any, expression: Any, connection: Any) -> Any:
    return (
        uuid.UUID(str(value)) if value is not None and not isinstance(value, uuid.UUID) else value
    )


def _duration(value: Any, expression: Any, connection: Any) -> Any:
    if isinstance(value, str):
        return parse_duration(value) or value
    if isinstance(value, int | float):
        return dt.timedelta(seconds=value)
    return value


def _json(value: Any, expression: Any, connection: Any) -> Any:
    # JSONField.from_db_value expects the text a SQL database returns.
    return value if value is None else json.dumps(value)


_CONVERTERS: dict[str, Converter] = {
    "DateTimeField": _datetime,
    "DateField": _date,
    "TimeField": _time,
    "DecimalField": _decimal,
    "FloatField": _float,
    "UUIDField": _uuid,
    "DurationField": _duration,
    "JSONField": _json,
}


class DatabaseOperations(BaseDatabaseOperations):
    """Operations of an API connection: the compiler module and value conversion."""

    compiler_module = "client_backend.compiler"

    def quote_name(self, name: str) -> str:
        if name.startswith('"') and name.endswith('"'):
            return name
        return f'"{name}"'

    def get_db_converters(self, expression: Any) -> list[Converter]:
        converters = super().get_db_converters(expression)
        output = expression.output_field
        if isinstance(getattr(output, "storage", None), RestApiStorage):
            return [*converters, self._remote_file]
        if is_hyperlinked(getattr(expression, "target", None)):
            converters = [*converters, key_from_link]
        converter = _CONVERTERS.get(output.get_internal_type())
        return [*converters, converter] if converter is not None else converters

    def _remote_file(self, value: Any, expression: Any, connection: Any) -> Any:
        """A file URL read from the API: a name remembering it (see :mod:`.storage`)."""
        storage: RestApiStorage = expression.output_field.storage
        return storage.remote(value, self.connection.alias)

    def adapt_json_value(self, value: Any, encoder: Any) -> Any:
        # JSON documents travel as JSON, not as text inside JSON.
        return value

    def adapt_decimalfield_value(
        self, value: Any, max_digits: int | None = None, decimal_places: int | None = None
    ) -> Any:
        return value

    def bulk_batch_size(self, fields: Any, objs: Any) -> int:
        # One request carries every row; the compiler splits per row when needed.
        return max(len(objs), 1)

    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        return []

    def execute_sql_flush(self, sql_list: Any) -> None:
        """Nothing to flush: the API owns its data."""

    def last_executed_query(self, cursor: Any, sql: Any, params: Any) -> str:
        """``"GET <url>"``: what ``connection.queries`` and debug tools show."""
        return str(getattr(cursor, "line", "") or sql)

    def max_name_length(self) -> int:
        return 200

    def no_limit_value(self) -> None:
        return None
