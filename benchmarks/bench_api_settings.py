"""The pizzeria API's own settings, with pages of up to 1,000 rows (for the client benchmark)."""

from __future__ import annotations

from pizzeria_api.settings import *  # noqa: F403

RESTBRIDGE = {"PAGE_SIZE": 20, "MAX_PER_PAGE": 1000}
