"""The contract check under plain ``manage.py check`` (django-rest-models' ``checks``).

Django runs database checks only for ``check --database <alias>`` and for the databases
a test run uses. A project that wants the contract check (see :mod:`.validation`) on
every ``manage.py check``, as django-rest-models ran it, sets
``CLIENT_BACKEND_CONTRACT_CHECK = True``; ``OPTIONS["SKIP_CHECK"]`` still turns it off
per database. :func:`auth_check` (always on) refuses an ``AUTH`` class that cannot
work, such as a django-rest-models one, at startup. Registered when ``client_backend``
is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db import connections

from .resources import ENGINE

__all__ = ["auth_check", "contract_check", "register_checks"]


def contract_check(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    """The contract check of every API database, for the models of ``app_configs``."""
    if not getattr(settings, "CLIENT_BACKEND_CONTRACT_CHECK", False) or databases:
        # With databases, Django's database checks already run it.
        return []
    from .validation import contract_messages

    models = None
    if app_configs is not None:
        models = [model for config in app_configs for model in config.get_models()]
    messages: list[checks.CheckMessage] = []
    for alias, entry in settings.DATABASES.items():
        if entry.get("ENGINE") == ENGINE and not alias.startswith("TEST_"):
            messages.extend(contract_messages(connections[alias], models))  # type: ignore[arg-type]
    return messages


def auth_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every API database's ``AUTH`` names a usable class (imported, nothing sent)."""
    from .auth import auth_class
    from .exceptions import APIConfigurationError

    messages: list[checks.CheckMessage] = []
    for alias, entry in settings.DATABASES.items():
        if entry.get("ENGINE") == ENGINE and entry.get("AUTH"):
            try:
                auth_class(str(entry["AUTH"]))
            except APIConfigurationError as error:
                messages.append(checks.Error(str(error), obj=alias, id="client_backend.E007"))
    return messages


def register_checks() -> None:
    """Register the checks (once: Django keeps a set of them)."""
    checks.register(contract_check, "client_backend")
    checks.register(auth_check, "client_backend")
