from __future__ import annotations

import django
from django.conf import settings


def pytest_configure(config):
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="server-kit-tests",
        USE_TZ=True,
        TIME_ZONE="UTC",
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "server_kit",
            "sk_testapp",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        ROOT_URLCONF="sk_testapp.urls",
        MIDDLEWARE=[],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        REST_FRAMEWORK={
            "EXCEPTION_HANDLER": "server_kit.exceptions.exception_handler",
            "TEST_REQUEST_DEFAULT_FORMAT": "json",
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework.authentication.BasicAuthentication",
            ],
            "UNAUTHENTICATED_USER": None,
        },
        RESTBRIDGE={"PAGE_SIZE": 20, "MAX_PER_PAGE": 300},
    )
    django.setup()
