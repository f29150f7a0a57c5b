"""`OPTIONS["CONTRACT"]` over real HTTP: features from the API's contract file, no discovery."""

from __future__ import annotations

from pathlib import Path

from django.db import connections
from django.db.models import Q
from pizzeria_client.models import Pizza

CONTRACT = Path(__file__).resolve().parents[1] / "api" / "contract.json"


def test_a_read_needing_server_features_sends_no_options_request(dataset, requests_on):
    # NOT over a group needs `filter{}.not` (or `where`): without a contract, an OPTIONS first.
    query = Pizza.objects.exclude(Q(price__lt=10) & Q(name__startswith="M"))
    with connections["api"].override_api_settings(contract=str(CONTRACT)):
        with requests_on() as sent:
            names = sorted(query.values_list("name", flat=True))
    methods = [request["sql"].split()[0] for request in sent.captured_queries]
    assert methods and set(methods) == {"GET"}
    expected = [
        row["name"]
        for row in dataset.pizzas
        if not (float(row["price"]) < 10 and row["name"].startswith("M"))
    ]
    assert names == sorted(expected)
    assert len(expected) < len(dataset.pizzas)  # the filter excluded something


def test_without_the_contract_the_same_read_discovers_features_first(requests_on, live_api):
    connections["api"].close()
    with connections["api"].override_api_settings():  # a fresh feature cache
        with requests_on() as sent:
            list(Pizza.objects.exclude(Q(price__lt=10) & Q(name__startswith="M")))
    methods = [request["sql"].split()[0] for request in sent.captured_queries]
    assert methods[0] == "OPTIONS"
