"""A django-rest-models client project on its own, configured as its quick start says.

Used to run django-rest-models' startup system check (`django-admin check`) against the
server_kit API at `INTEROP_API_URL`.
"""

from __future__ import annotations

import os

SECRET_KEY = "restbridge-interop-drm"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_models", "drm_client"]

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "drm": {
        "ENGINE": "rest_models.backend",
        "NAME": os.environ.get("INTEROP_API_URL", "http://127.0.0.1:8000/api/"),
        "AUTH": "drm_client.auth.BearerToken",
        "USER": "restbridge",
        "PASSWORD": "restbridge-token",
        "OPTIONS": {"TIMEOUT": 10},
    },
}
DATABASE_ROUTERS = ["rest_models.router.RestModelRouter"]
