"""Django settings shared by every server-side contender (one worker process per environment).

`BENCH_SET` names the contenders this process serves (`restbridge`, `dynamic-rest` or
`drf-flex-fields`), `BENCH_DB` the seeded SQLite file. No middleware, no authentication, JSON
renderer only, DEBUG off: the same request pipeline for everyone.
"""

from __future__ import annotations

import os

BENCH_SET = os.environ["BENCH_SET"]

SECRET_KEY = "bench-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "pizzeria_api",
]
if BENCH_SET == "restbridge":
    INSTALLED_APPS += ["rest_framework.authtoken", "server_kit"]
elif BENCH_SET == "dynamic-rest":
    INSTALLED_APPS += ["dynamic_rest"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "server_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
# Both dynamic-rest-style libraries: defaults, except a page may hold 1,000 rows.
RESTBRIDGE = {"MAX_PER_PAGE": 1000}
DYNAMIC_REST = {"MAX_PAGE_SIZE": 1000}
