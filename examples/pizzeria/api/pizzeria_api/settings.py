"""Settings of the pizzeria API, from the environment.

- `DATABASE_URL`: `postgres://user:password@host:port/name` or `sqlite:///path`;
  default: SQLite file `PIZZERIA_API_DB`, else `db.sqlite3` next to `manage.py`.
- `PIZZERIA_DEBUG`: "1" turns DEBUG on. `PIZZERIA_SECRET_KEY`: the secret key.
- `PIZZERIA_MEDIA_ROOT`: where uploaded pizza photos go (default `media/` next to
  `manage.py`); the API serves them under `/media/`.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("PIZZERIA_SECRET_KEY", "pizzeria-api-demo-secret-not-for-production")
DEBUG = os.environ.get("PIZZERIA_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "rest_framework.authtoken",
    "server_kit",
    "drf_spectacular",
    "pizzeria_api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "pizzeria_api.urls"
WSGI_APPLICATION = "pizzeria_api.wsgi.application"
# `/api/pizzas` and `/api/pizzas/` both answer directly: clients never follow redirects.
APPEND_SLASH = False

_database_url = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(_database_url)
    if _database_url
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PIZZERIA_API_DB", str(BASE_DIR / "db.sqlite3")),
        # Several gunicorn workers share the file: wait for a lock instead of failing.
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MEDIA_ROOT = os.environ.get("PIZZERIA_MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

REST_FRAMEWORK = {
    # The bearer scheme comes first so that an anonymous write is answered 401 with
    # `WWW-Authenticate: Bearer`; Basic works too (slower: it hashes the password per request).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pizzeria_api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    # Anyone reads the menu; writing needs an account with the model permission.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # OpenAPI by drf-spectacular; server_kit.openapi documents the dynamic resources.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pizzeria API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "Menus, toppings, pizzas, reviews and their creators (restbridge example).",
}

RESTBRIDGE = {
    "PAGE_SIZE": 20,
    "MAX_PER_PAGE": 200,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
