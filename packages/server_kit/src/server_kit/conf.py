"""dynamic-rest's ``conf`` module: ``settings`` is restbridge's settings object.

It reads ``RESTBRIDGE`` merged over ``DYNAMIC_REST`` (see :mod:`server_kit.settings`).
"""

from __future__ import annotations

from .settings import DEFAULTS, api_settings

__all__ = ["DEFAULTS", "settings"]

settings = api_settings
