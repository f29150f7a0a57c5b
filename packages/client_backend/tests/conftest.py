from __future__ import annotations

import datetime as dt
import importlib.util

import django
import pytest
from django.conf import settings

API = {
    "ENGINE": "client_backend",
    "NAME": "http://testserver/api/",
    # What tests use: this project's API served in-process, in each test's transaction.
    "TEST": {"NAME": "http://localapi/api/"},
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
            # test_cb_debug_toolbar.py runs when django-debug-toolbar is installed.
            *(["debug_toolbar"] if importlib.util.find_spec("debug_toolbar") else []),
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
        DEBUG_TOOLBAR_PANELS=["debug_toolbar.panels.sql.SQLPanel"],
    )
    django.setup()


@pytest.fixture
def kitchen_data(db):
    from cb_kitchen import models as kitchen  # importable once pytest_configure ran

    italian = kitchen.Menu.objects.create(name="Italian", code="IT")
    fusion = kitchen.Menu.objects.create(name="Fusion", code="FU")
    cheese = kitchen.Topping.objects.create(name="cheese", cost=1.0)
    ham = kitchen.Topping.objects.create(name="ham", cost=2.5)
    olive = kitchen.Topping.objects.create(name="olive", cost=0.5)
    pizzas = {}
    for name, price, menu, vegan, toppings in [
        ("margherita", 8.0, italian, True, [cheese]),
        ("regina", 11.0, italian, False, [cheese, ham]),
        ("napoli", 9.5, italian, False, [cheese, olive]),
        ("teriyaki", 14.0, fusion, False, [ham]),
        ("marinara", 7.0, None, True, []),
        ("quattro", 12.5, italian, True, [cheese, olive]),
    ]:
        pizza = kitchen.Pizza.objects.create(
            name=name,
            price=price,
            menu=menu,
            vegan=vegan,
            from_date=dt.date(2024, 3, 1) if name != "teriyaki" else dt.date(2023, 7, 4),
        )
        pizza.toppings.set(toppings)
        pizzas[name] = pizza
    return {"italian": italian, "fusion": fusion, "pizzas": pizzas}
