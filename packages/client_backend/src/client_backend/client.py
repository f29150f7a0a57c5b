"""``manage.py dbshell``: there is no shell for an HTTP API."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.client import BaseDatabaseClient

__all__ = ["DatabaseClient"]


class DatabaseClient(BaseDatabaseClient):
    """Refuse ``dbshell`` with a hint."""

    executable_name = ""

    @classmethod
    def settings_to_cmd_args_env(
        cls, settings_dict: dict[str, Any], parameters: Iterable[str]
    ) -> tuple[Sequence[str], dict[str, str] | None]:
        raise ImproperlyConfigured(
            f"dbshell is not available for the API at {settings_dict.get('NAME')!r};"
            " use an HTTP client such as `python -m httpx` instead."
        )
