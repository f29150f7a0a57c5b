"""Failures end to end: 404, 400, 401, 403, a server that goes away, and the contract check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, OperationalError, ProgrammingError
from pizzeria_client.models import Creator, Menu, Pizza, Topping
from pizzeria_runner.projects import child_environment

from client_backend.exceptions import APIAuthError

pytestmark = pytest.mark.usefixtures("live_api")
TESTS_DIR = Path(__file__).resolve().parent


def test_missing_row_is_does_not_exist():
    with pytest.raises(Pizza.DoesNotExist):
        Pizza.objects.get(pk=987_654)


def test_anonymous_reads_public_resources_but_cannot_write(dataset):
    assert Menu.objects.using("api_anonymous").count() == len(dataset.menus)
    with pytest.raises(DatabaseError) as caught:
        Topping.objects.using("api_anonymous").create(name="E2E Anonymous", cost=1.0)
    assert "401" in str(caught.value)
    assert not Topping.objects.filter(name="E2E Anonymous").exists()


def test_the_users_endpoint_requires_authentication():
    with pytest.raises(DatabaseError) as caught:
        list(Creator.objects.using("api_anonymous").all())
    assert "401" in str(caught.value)
    assert "users" in str(caught.value)


def test_account_without_permission_is_forbidden(dataset):
    assert Menu.objects.using("api_guest").count() == len(dataset.menus)
    with pytest.raises(DatabaseError) as caught:
        Topping.objects.using("api_guest").create(name="E2E Guest", cost=1.0)
    assert "403" in str(caught.value)
    assert not Topping.objects.filter(name="E2E Guest").exists()


def test_basic_authentication_works(dataset, cleanup):
    topping = Topping.objects.using("api_basic").create(name="E2E Basic", cost=1.0)
    cleanup.append(f"toppings/{topping.pk}/")
    assert Topping.objects.get(pk=topping.pk).name == "E2E Basic"


def test_wrong_token_is_rejected_without_leaking_it(live_api, repoint):
    repoint("api_guest", live_api.url, PASSWORD="not-a-token")
    try:
        with pytest.raises(DatabaseError) as caught:
            Topping.objects.using("api_guest").create(name="E2E Bad token", cost=1.0)
        assert "401" in str(caught.value)
        assert "not-a-token" not in str(caught.value)
    finally:
        repoint("api_guest", live_api.url, PASSWORD="guest-token")


def test_server_stopped_mid_test(doomed_api, dataset):
    menus = Menu.objects.using("api_doomed")
    assert menus.count() == len(dataset.menus)
    doomed_api.stop()
    with pytest.raises(OperationalError) as caught:
        menus.count()
    assert "menus" in str(caught.value)


def run_check(settings_module: str, api_url: str) -> subprocess.CompletedProcess[str]:
    env = child_environment(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PIZZERIA_API_URL": api_url,
            "PYTHONPATH": f"{TESTS_DIR}{os.pathsep}{child_environment({})['PYTHONPATH']}",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--database", "api"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_contract_check_passes_for_the_client(live_api):
    result = run_check("pizzeria_client.settings", live_api.url)
    assert result.returncode == 0, result.stdout + result.stderr


def test_contract_check_fails_on_a_field_the_api_lacks(live_api):
    result = run_check("contract_settings", live_api.url)
    assert result.returncode != 0
    assert "spiciness" in result.stderr
    assert "DriftedPizza" in result.stderr or "contract_app" in result.stderr


def test_a_wrong_name_says_to_check_name(live_api, repoint):
    # The API root is /api/; the site root answers Django's HTML 404 page.
    repoint("api_guest", live_api.url.removesuffix("api/") + "v2/")
    try:
        with pytest.raises(ProgrammingError) as caught:
            Menu.objects.using("api_guest").count()
        # Not DoesNotExist: the HTML 404 page is not the API saying "no such menu".
        with pytest.raises(ProgrammingError, match="check NAME"):
            Menu.objects.using("api_guest").get(pk=1)
    finally:
        repoint("api_guest", live_api.url)
    message = str(caught.value)
    assert "-> 404" in message and "check NAME" in message and "/v2/" in message
    assert "an HTML page ('Not Found'), not the API's JSON" in message
    assert "<" not in message


def test_the_check_with_a_wrong_name_hints_at_name_without_pasting_the_page(live_api):
    result = run_check("pizzeria_client.settings", live_api.url.removesuffix("api/") + "v2/")
    assert result.returncode != 0
    assert (
        "was not found: OPTIONS" in result.stderr and "Check the database's NAME" in result.stderr
    )
    assert "<html" not in result.stderr.lower() and "<!doctype" not in result.stderr.lower()


def test_a_wrong_token_and_a_forbidden_guest_are_told_apart(live_api, repoint):
    with pytest.raises(APIAuthError) as forbidden:
        Topping.objects.using("api_guest").create(name="E2E Guest", cost=1.0)
    repoint("api_guest", live_api.url, PASSWORD="not-a-token")
    try:
        with pytest.raises(APIAuthError) as rejected:
            Topping.objects.using("api_guest").create(name="E2E Bad token", cost=1.0)
    finally:
        repoint("api_guest", live_api.url, PASSWORD="guest-token")
    with pytest.raises(APIAuthError) as anonymous:
        Topping.objects.using("api_anonymous").create(name="E2E Anonymous", cost=1.0)
    assert "forbids this to the BearerToken credentials: they are valid but lack" in str(
        forbidden.value
    )
    assert "rejected the BearerToken credentials (check" in str(rejected.value)
    assert "requires credentials: this database sends none (set AUTH)" in str(anonymous.value)
    for caught in (forbidden, rejected, anonymous):
        assert "<anonymous>" not in str(caught.value)
