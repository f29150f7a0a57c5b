"""Dates and moments read back from JSON: the API's ISO 8601 and the forms Django parses."""

from __future__ import annotations

import datetime as dt

import pytest
from cb_helpers import FULL, ROW
from cb_shop.models import Pizza

from client_backend.testing import MockAPI

pytestmark = pytest.mark.django_db(databases=["api"])

MOMENT = dt.datetime(2030, 1, 1, 10, 30, tzinfo=dt.UTC)


def read(**fields):
    api = MockAPI(features=FULL)
    api.add("GET", "pizzas", {"pizzas": [ROW | fields], "meta": {"total_results": 1}})
    with api.serve():
        (pizza,) = Pizza.objects.all()
    return pizza


@pytest.mark.parametrize(
    "sent",
    [
        "2030-01-01T10:30:00Z",
        "2030-01-01T12:30:00+02:00",
        "2030-01-01T10:30:00",  # naive: read as UTC (USE_TZ)
        "2030-1-1 10:30",  # not ISO 8601: Django's parser reads it
    ],
)
def test_moments(sent):
    to_date = read(to_date=sent).to_date
    assert to_date == MOMENT
    assert to_date.utcoffset() is not None


def test_unreadable_moment_is_kept_as_sent():
    assert read(to_date="soon").to_date == "soon"


@pytest.mark.parametrize("sent", ["2024-03-01", "2024-03-01T23:00:00Z", "2024-3-1"])
def test_dates(sent):
    assert read(from_date=sent).from_date == dt.date(2024, 3, 1)
