"""Introspection: the API has no tables, so Django's SQL introspection finds none.

``manage.py inspectdb --database <alias>`` is served by the ``inspectdb`` command of
``client_backend`` (add ``"client_backend"`` to ``INSTALLED_APPS``), built on
:mod:`client_backend.inspection`.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.introspection import BaseDatabaseIntrospection

__all__ = ["DatabaseIntrospection"]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """No SQL tables: flush and table listings see nothing to touch."""

    def table_names(self, cursor: Any = None, include_views: bool = False) -> list[str]:
        return []

    def get_table_list(self, cursor: Any) -> list[Any]:
        return []

    def sequence_list(self) -> list[dict[str, Any]]:
        return []
