"""The client's settings plus the extra API connections the e2e suite needs.

Every API connection starts on `UNSET`; the session fixtures point them at the servers they start.
"""

from __future__ import annotations

from pizzeria_client.settings import *  # noqa: F403
from pizzeria_client.settings import DATABASES as CLIENT_DATABASES

UNSET = "http://127.0.0.1:9/api/"

_api = CLIENT_DATABASES["api"] | {"NAME": UNSET, "OPTIONS": {"TIMEOUT": 10}}

DATABASES = {
    "default": CLIENT_DATABASES["default"],
    "api": _api,
    # Small pages, so an unsliced read walks several of them.
    "api_small_pages": _api | {"OPTIONS": {"TIMEOUT": 10, "PAGE_SIZE": 20}},
    # Credentials that are missing, insufficient, or sent as HTTP Basic.
    "api_anonymous": {"ENGINE": "client_backend", "NAME": UNSET, "OPTIONS": {"TIMEOUT": 10}},
    "api_guest": _api | {"PASSWORD": "guest-token"},
    "api_basic": _api
    | {"AUTH": "client_backend.auth.BasicAuth", "USER": "restbridge", "PASSWORD": "restbridge"},
    # A second API server, stopped in the middle of a test.
    "api_doomed": _api | {"OPTIONS": {"TIMEOUT": 5, "RETRIES": 0}},
}
