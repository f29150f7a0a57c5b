"""Settings of a client worker: `BENCH_CLIENT` picks the backend, `BENCH_API_URL` the API."""

from __future__ import annotations

import os

SECRET_KEY = "bench-not-secret"
DEBUG = False
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "pizzeria_client"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
_API = {
    "NAME": os.environ["BENCH_API_URL"],
    "USER": "restbridge",
    "PASSWORD": os.environ["BENCH_API_TOKEN"],
}
if os.environ["BENCH_CLIENT"] == "client_backend":
    INSTALLED_APPS.insert(2, "client_backend")
    _API |= {
        "ENGINE": "client_backend",
        "AUTH": "client_backend.auth.BearerToken",
        "OPTIONS": {"TIMEOUT": 60, "PAGE_SIZE": 1000},
    }
    DATABASE_ROUTERS = ["client_backend.routers.APIRouter"]
else:
    _API |= {"ENGINE": "rest_models.backend", "AUTH": "drm_auth.BearerToken",
             "OPTIONS": {"TIMEOUT": 60}}  # fmt: skip
    DATABASE_ROUTERS = ["rest_models.router.RestModelRouter"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}, "api": _API}
