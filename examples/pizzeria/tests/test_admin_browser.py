"""The client's admin in a real browser: Debian's Chromium driven by Playwright.

The admin runs in its own server process (runserver, DEBUG for the static files) on the
live API. Screenshots of each step go to `ARTEFACTS` (gitignored) for a person to look at.
Without Playwright or Chromium the tests skip, unless `PIZZERIA_BROWSER=required` (the
e2e nox session sets it, after installing both).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pizzeria_runner import ClientProject, free_port

CHROMIUM = os.environ.get("PIZZERIA_CHROMIUM", "/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[3] / "artefacts" / "e2e-admin"
USER, PASSWORD = "browser-admin", "browser-admin-password"
VIEWPORT = {"width": 1280, "height": 900}


def _playwright() -> Any:
    required = os.environ.get("PIZZERIA_BROWSER") == "required"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return sync_playwright


@pytest.fixture(scope="module")
def admin_url(live_api, tmp_path_factory) -> Iterator[str]:
    """The client's admin served on 127.0.0.1 against the live API, with one superuser."""
    _playwright()
    project = ClientProject(tmp_path_factory.mktemp("client"), live_api.url)
    project.create_admin(USER, PASSWORD)
    port = free_port()
    with project.server(port):
        yield f"http://127.0.0.1:{port}/admin/"


@pytest.fixture(scope="module")
def browser_page(admin_url) -> Iterator[Any]:
    """One Chromium page, logged in through the login form (a screenshot of each)."""
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)
    with _playwright()() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(20_000)
        page.goto(admin_url)
        assert "/admin/login/" in page.url
        page.fill("#id_username", USER)
        page.fill("#id_password", PASSWORD)
        shoot(page, "01-login")
        page.click("input[type=submit]")
        page.wait_for_url(admin_url)
        assert page.locator("#site-name").inner_text() == "Django administration"
        shoot(page, "02-index")
        yield page
        browser.close()


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def row_names(page: Any) -> list[str]:
    return page.locator("#result_list tbody th a").all_inner_texts()


def settle(page: Any) -> None:
    """A page loaded without a server error."""
    page.wait_for_load_state()
    assert "Server Error" not in page.title()
    assert page.locator(".errornote").count() == 0, page.locator(".errornote").inner_text()


def create_pizza(api_http: httpx.Client, dataset, name: str) -> int:
    toppings = [t["id"] for t in dataset.toppings[:2]]
    body = {"name": name, "price": 9, "menu": dataset.menus[0]["id"], "toppings": toppings}
    response = api_http.post("pizzas", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["pizza"]["id"])


def test_changelist_search_filter_sort_and_facets(browser_page, admin_url, dataset):
    page = browser_page
    page.goto(f"{admin_url}pizzeria_client/pizza/")
    settle(page)
    page.fill("#searchbar", "spicy")
    page.press("#searchbar", "Enter")
    settle(page)
    menus, users = dataset.by_id("menus"), dataset.by_id("users")
    spicy = [
        p["name"]
        for p in dataset.pizzas
        if "spicy" in f"{p['name']} {menus[p['menu']]['name']}".lower()
        or "spicy" in users[p["creator"]]["username"]
    ]
    assert spicy and sorted(row_names(page)) == sorted(spicy)[:20]
    shoot(page, "03-pizza-search")

    menu = next(m for m in dataset.menus if m["code"] == "VEG")
    page.goto(f"{admin_url}pizzeria_client/pizza/")
    page.locator("#changelist-filter a", has_text=menu["name"]).first.click()
    settle(page)
    expected = sorted(p["name"] for p in dataset.pizzas if p["menu"] == menu["id"])
    assert sorted(row_names(page)) == expected[:20]

    page.locator("th.column-price a").first.click()  # sort by price, ascending
    settle(page)
    prices = [float(p) for p in page.locator("#result_list td.field-price").all_inner_texts()]
    assert prices == sorted(prices) and len(prices) == len(expected[:20])
    shoot(page, "04-pizza-filter-sort")

    page.locator("a", has_text="Show counts").first.click()
    settle(page)
    count = sum(1 for p in dataset.pizzas if p["menu"] == menu["id"])
    assert page.locator("#changelist-filter", has_text=f"{menu['name']} ({count})").count() == 1
    shoot(page, "05-pizza-facets")

    page.goto(f"{admin_url}pizzeria_client/review/?_facets=True")
    settle(page)
    fives = sum(1 for r in dataset.reviews if r["rating"] == 5)
    assert page.locator("#changelist-filter", has_text=f"5 ({fives})").count() == 1
    shoot(page, "06-review-facets")


def test_change_form_with_an_inline_review(browser_page, admin_url, api_http, dataset, cleanup):
    page = browser_page
    pizza = create_pizza(api_http, dataset, "Browser Change")
    cleanup.append(f"pizzas/{pizza}/")
    page.goto(f"{admin_url}pizzeria_client/pizza/{pizza}/change/")
    settle(page)
    # The inline reviews fit the window: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    shoot(page, "07-pizza-change")
    page.fill("#id_name", "Browser Changed")
    page.fill("#id_reviews-0-author", "Chromium")
    page.fill("#id_reviews-0-rating", "4")
    page.fill("#id_reviews-0-comment", "Added in a real browser")
    page.click("input[name=_save]")
    settle(page)
    assert page.locator(".messagelist .success").count() == 1
    shoot(page, "08-pizza-saved")
    assert api_http.get(f"pizzas/{pizza}/").json()["pizza"]["name"] == "Browser Changed"
    reviews = api_http.get("reviews", params={"filter{pizza}": pizza}).json()["reviews"]
    assert [(r["author"], r["rating"]) for r in reviews] == [("Chromium", 4)]


def test_delete_a_pizza_with_toppings(browser_page, admin_url, api_http, dataset, cleanup):
    page = browser_page
    pizza = create_pizza(api_http, dataset, "Browser Doomed")
    cleanup.append(f"pizzas/{pizza}/")
    page.goto(f"{admin_url}pizzeria_client/pizza/{pizza}/delete/")
    settle(page)
    assert page.locator("#content", has_text="Pizza-topping relationships: 2").count() == 1
    shoot(page, "09-pizza-delete-confirm")
    page.click("input[type=submit]")
    settle(page)
    assert page.locator(".messagelist .success").count() == 1
    assert api_http.get(f"pizzas/{pizza}/").status_code == 404


def test_bulk_delete(browser_page, admin_url, api_http, dataset, cleanup):
    page = browser_page
    pizzas = [create_pizza(api_http, dataset, f"Browser Bulk {n}") for n in (1, 2)]
    cleanup.extend(f"pizzas/{pizza}/" for pizza in pizzas)
    page.goto(f"{admin_url}pizzeria_client/pizza/?q=Browser+Bulk")
    settle(page)
    assert sorted(row_names(page)) == ["Browser Bulk 1", "Browser Bulk 2"]
    page.check("#action-toggle")
    page.select_option("select[name=action]", "delete_selected")
    page.click("button[name=index]")
    settle(page)
    shoot(page, "10-bulk-delete-confirm")
    page.click("input[type=submit]")
    settle(page)
    assert page.locator(".messagelist .success", has_text="Successfully deleted 2").count() == 1
    shoot(page, "11-bulk-deleted")
    assert [api_http.get(f"pizzas/{pizza}/").status_code for pizza in pizzas] == [404, 404]
