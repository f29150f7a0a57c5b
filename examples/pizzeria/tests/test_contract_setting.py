"""`OPTIONS["CONTRACT"]` over real HTTP: features from the API's contract file, no discovery."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.db import connections
from django.db.models import Q
from pizzeria_client.models import Pizza

from client_backend.expectations import FeatureRecorder

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


EXPECTATIONS = CONTRACT.parents[1] / "client" / "expectations" / "pizzeria_client.json"


def test_the_recorder_notes_what_each_read_needs(live_api):
    recorder = FeatureRecorder()
    with connections["api"].execute_wrapper(recorder):
        list(Pizza.objects.filter(price__lt=10))
        assert recorder.features == set()
        list(Pizza.objects.exclude(Q(price__lt=10) & Q(name__startswith="M")))
        assert recorder.features == {"filter{}.not"}
        # An offset window degrades to pages on a server without `offset`: not a need.
        list(Pizza.objects.order_by("id")[5:8])
        assert recorder.features == {"filter{}.not"}


def test_the_committed_expectations_declare_what_the_tour_needs(live_api, client_db):
    out = io.StringIO()
    call_command("api_expectations", consumer="pizzeria_client", record="tour", stdout=out)
    recorded = json.loads(out.getvalue()[out.getvalue().index("{\n") :])
    committed = json.loads(EXPECTATIONS.read_text())
    needed = {f for e in recorded["expectations"] for f in e["features"]}
    declared = {f for e in committed["expectations"] for f in e["features"]}
    assert "filter{}.not" in needed
    assert needed <= declared, needed - declared
