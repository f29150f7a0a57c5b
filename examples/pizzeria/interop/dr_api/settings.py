"""The pizzeria served by dynamic-rest 2.3.0 instead of server_kit: the interop peer server.

Same models app (`pizzeria_api`: models, migrations, `seed`), same accounts and authentication,
same database (`PIZZERIA_API_DB`, the SQLite file the server_kit API serves too), only the
serializers, viewsets and router are dynamic-rest's own.
"""

from __future__ import annotations

import os

from pizzeria_api.settings import (
    DEFAULT_AUTO_FIELD,
    LOGGING,
    REST_FRAMEWORK,
    SECRET_KEY,
    TIME_ZONE,
    USE_TZ,
)

__all__ = ["DEFAULT_AUTO_FIELD", "LOGGING", "REST_FRAMEWORK", "SECRET_KEY", "TIME_ZONE", "USE_TZ"]

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "rest_framework.authtoken",
    "dynamic_rest",
    "pizzeria_api",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "dr_api.urls"
APPEND_SLASH = False

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PIZZERIA_API_DB", ""),
        "OPTIONS": {"timeout": 20},
    }
}

DYNAMIC_REST = {
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 200,
    "ENABLE_BROWSABLE_API": False,
}
