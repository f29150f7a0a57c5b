from __future__ import annotations

import django
from django.conf import settings

API = {
    "ENGINE": "client_backend",
    "NAME": "http://testserver/api/",
    "USER": "alice",
    "PASSWORD": "s3cret-password",
    "OPTIONS": {"TIMEOUT": 5, "RETRIES": 2, "BACKOFF": 0, "PAGE_SIZE": 50},
}


def pytest_configure(config):
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="client-backend-tests",
        USE_TZ=True,
        TIME_ZONE="UTC",
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "server_kit",
            "client_backend",
            "cb_kitchen",
            "cb_shop",
        ],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
            "api": API,
        },
        DATABASE_ROUTERS=["client_backend.routers.APIRouter"],
        ROOT_URLCONF="cb_kitchen.urls",
        MIDDLEWARE=[],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        REST_FRAMEWORK={
            "EXCEPTION_HANDLER": "server_kit.exceptions.exception_handler",
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "DEFAULT_PERMISSION_CLASSES": [],
            "UNAUTHENTICATED_USER": None,
        },
        RESTBRIDGE={"PAGE_SIZE": 20, "MAX_PER_PAGE": 300},
    )
    django.setup()
