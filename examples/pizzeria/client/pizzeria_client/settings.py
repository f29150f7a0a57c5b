"""Settings of the pizzeria client, from the environment.

- `PIZZERIA_API_URL`: the API root (default `http://127.0.0.1:8000/api/`).
- `PIZZERIA_API_TOKEN`: the bearer token the client sends (the API's seed creates it).
- `PIZZERIA_CLIENT_DB`: the local SQLite file for users and sessions.
- `PIZZERIA_DEBUG`: "1" turns DEBUG on (runserver then serves the admin's static files).
- `PIZZERIA_API_CONTRACT`: the API's contract file (`api/contract.json`): the contract check and
  the server's features then come from it, with no request (how the client's CI checks offline).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "PIZZERIA_CLIENT_SECRET_KEY", "pizzeria-client-demo-secret-not-for-production"
)
DEBUG = os.environ.get("PIZZERIA_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "client_backend",
    "pizzeria_client",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pizzeria_client.urls"
WSGI_APPLICATION = "pizzeria_client.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    # Users, sessions and the admin log stay local.
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PIZZERIA_CLIENT_DB", str(BASE_DIR / "client.sqlite3")),
    },
    # The pizzeria itself lives behind the API.
    "api": {
        "ENGINE": "client_backend",
        "NAME": os.environ.get("PIZZERIA_API_URL", "http://127.0.0.1:8000/api/"),
        "PASSWORD": os.environ.get("PIZZERIA_API_TOKEN", "restbridge-token"),
        "AUTH": "client_backend.auth.BearerToken",
        "OPTIONS": {"TIMEOUT": 10, "CONTRACT": os.environ.get("PIZZERIA_API_CONTRACT") or None},
        # `manage.py test` sends its reads and writes here, never to NAME.
        "TEST": {"NAME": os.environ.get("PIZZERIA_TEST_API_URL", "http://127.0.0.1:8100/api/")},
    },
}
DATABASE_ROUTERS = ["client_backend.routers.APIRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
LOGIN_URL = "admin:login"
