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


import datetime as dt  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def api():
    # DRF's test module reads settings at import time: import it once they exist.
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def library(db):
    """Two authors (one mentoring the other), three tags, three books, reviews (one hidden)."""
    from sk_testapp.models import Author, Book, Review, Tag

    ann = Author.objects.create(name="Ann", email="ann@example.com", birthday=dt.date(1980, 5, 1))
    bob = Author.objects.create(name="Bob", mentor=ann)
    tags = [Tag.objects.create(name=name) for name in ("red", "green", "blue")]
    b1 = Book.objects.create(
        title="Alpha", price=11.0, author=ann, published=dt.date(2020, 1, 2), summary="s1"
    )
    b2 = Book.objects.create(title="Beta", price=5.5, author=ann, editor=bob, in_print=False)
    b3 = Book.objects.create(title="Gamma", price=20.0, author=bob, published=dt.date(2021, 6, 1))
    b1.tags.set(tags)
    b2.tags.set(tags[:1])
    Review.objects.create(book=b1, rating=5, text="great")
    Review.objects.create(book=b1, rating=1, text="secret", hidden=True)
    Review.objects.create(book=b3, rating=3)
    return {"ann": ann, "bob": bob, "tags": tags, "books": [b1, b2, b3]}


@pytest.fixture
def comments(library):
    """Comments on a visible review, on the hidden one, on another, and on nothing."""
    from sk_testapp.models import Comment, Review

    b1, _, b3 = library["books"]
    great, secret = Review.objects.filter(book=b1).order_by("pk")
    third = Review.objects.get(book=b3)
    return {
        "on_great": Comment.objects.create(review=great, body="on great"),
        "on_secret": Comment.objects.create(review=secret, body="on secret"),
        "on_third": Comment.objects.create(review=third, body="on third"),
        "on_nothing": Comment.objects.create(review=None, body="on nothing"),
        "secret": secret,
    }
