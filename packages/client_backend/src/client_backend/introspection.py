"""Introspection: the API has no tables, so Django's SQL introspection finds none.

``manage.py inspectdb --database <alias>`` and ``migrate --database <alias>`` are served by
the commands of the ``client_backend`` app: without it in ``INSTALLED_APPS``, Django's own
commands would find no tables and write an empty models file or record migrations on the
API, so listing tables is an error that says to add the app.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.backends.base.introspection import BaseDatabaseIntrospection

from .exceptions import APIConfigurationError

__all__ = ["DatabaseIntrospection"]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """No SQL tables; listing them needs the ``client_backend`` app's commands."""

    def get_table_list(self, cursor: Any) -> list[Any]:
        if not apps.is_installed("client_backend"):
            raise APIConfigurationError(
                f"DATABASES[{self.connection.alias!r}] is an API (client_backend): it has no"
                " SQL tables. Add 'client_backend' to INSTALLED_APPS for the API-aware"
                " inspectdb (models from the API's metadata) and migrate (a no-op)."
            )
        return []

    def django_table_names(
        self, only_existing: bool = False, include_views: bool = True
    ) -> list[str]:
        """Nothing for ``flush`` to empty: the API owns its data."""
        return []

    def sequence_list(self) -> list[dict[str, Any]]:
        return []
