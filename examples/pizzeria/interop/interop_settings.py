"""One client process, four views of the same pizzeria data (every API URL is set by conftest).

- `api`: client_backend -> the server_kit API (app `sk_client`)
- `drm`: django-rest-models 3.1.1 -> the server_kit API (app `drm_client`)
- `dr`: client_backend -> the dynamic-rest 2.3.0 API (app `dr_client`)
- `oracle`: Django's SQLite backend on the API's database file (app `oracle`): expected results
"""

from __future__ import annotations

UNSET = "http://127.0.0.1:9/api/"
TOKEN = "restbridge-token"

SECRET_KEY = "restbridge-interop-tests"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "client_backend",
    "rest_models",
    "sk_client",
    "drm_client",
    "dr_client",
    "oracle",
]

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "api": {
        "ENGINE": "client_backend",
        "NAME": UNSET,
        "AUTH": "client_backend.auth.BearerToken",
        "PASSWORD": TOKEN,
        "OPTIONS": {"TIMEOUT": 10},
    },
    "drm": {
        "ENGINE": "rest_models.backend",
        "NAME": UNSET,
        "AUTH": "drm_client.auth.BearerToken",
        "USER": "restbridge",
        "PASSWORD": TOKEN,
        "OPTIONS": {"TIMEOUT": 10},
    },
    "dr": {
        "ENGINE": "client_backend",
        "NAME": UNSET,
        "AUTH": "client_backend.auth.BearerToken",
        "PASSWORD": TOKEN,
        "OPTIONS": {"TIMEOUT": 10},
    },
    "oracle": {"ENGINE": "django.db.backends.sqlite3", "NAME": "", "OPTIONS": {"timeout": 20}},
}
DATABASE_ROUTERS = ["oracle.routers.OracleRouter", "client_backend.routers.APIRouter"]
