"""DRF's own relation fields over HTTP (issue 15): a slug FK, a hyperlinked FK, a generic key.

The API's `specials` render their chef as its slug, their pizza as its URL and their tags
(a generic relation) as slugs; `tags` render their target (a generic foreign key) as text.
The client keys `Special.chef` by slug (`to_field`) and reads `Special.pizza`'s id back from
its URL (`APIMeta.hyperlinked`).
"""

from __future__ import annotations

import pytest
from pizzeria_client.models import Chef, Pizza, Special, Tag

pytestmark = pytest.mark.usefixtures("live_api")


def _rows(api_http, path, key):
    response = api_http.get(path)
    assert response.status_code == 200, response.text
    return response.json()[key]


def _content_types(dataset):
    """Content type ids by model: the seed tags its specials first, then pizzas."""
    tags = dataset.rows["pizzeria_api.tag"]
    return {"special": tags[0]["content_type"], "pizza": tags[-1]["content_type"]}


def _tagged(dataset, model, tag):
    content_type = _content_types(dataset)[model]
    return sorted(
        row["object_id"]
        for row in dataset.rows["pizzeria_api.tag"]
        if row["tag"] == tag and row["content_type"] == content_type
    )


def test_a_slug_foreign_key_is_read_as_the_chef_it_names(dataset):
    chefs = {c["id"]: c for c in dataset.rows["pizzeria_api.chef"]}
    for row in dataset.rows["pizzeria_api.special"]:
        special = Special.objects.get(pk=row["id"])
        chef = chefs[row["chef"]]
        assert special.chef_id == chef["slug"]  # the slug, in a column keyed by the slug
        assert special.chef.name == chef["name"]
        assert special.chef.pk == chef["id"]


def test_filters_by_slug_go_to_the_server_as_the_slug(dataset, requests_on):
    mario = Chef.objects.get(slug="mario")
    expected = sorted(
        r["id"] for r in dataset.rows["pizzeria_api.special"] if r["chef"] == mario.pk
    )
    assert expected
    with requests_on() as sent:
        assert sorted(s.pk for s in Special.objects.filter(chef=mario)) == expected
    assert "filter%7Bchef%7D=mario" in sent[0]["sql"] or "filter{chef}=mario" in sent[0]["sql"]
    assert sorted(s.pk for s in Special.objects.filter(chef__slug="mario")) == expected


def test_a_hyperlinked_foreign_key_is_read_back_from_its_url(dataset, api_http):
    row = dataset.rows["pizzeria_api.special"][1]
    raw = api_http.get(f"specials/{row['id']}/").json()["special"]
    assert raw["pizza"].endswith(f"/api/pizzas/{row['pizza']}")  # a URL on the wire
    special = Special.objects.get(pk=row["id"])
    assert special.pizza_id == row["pizza"]  # the id on the model
    assert special.pizza.name == dataset.by_id("pizzas")[row["pizza"]]["name"]
    pizza = Pizza.objects.get(pk=row["pizza"])
    assert [s.pk for s in Special.objects.filter(pizza=pizza)] == [row["id"]]
    # the server takes the URL or the id for a hyperlink
    by_url = _rows(api_http, f"specials/?filter{{pizza}}={raw['pizza']}", "specials")
    assert [s["id"] for s in by_url] == [row["id"]]


def test_writes_send_the_slug_and_the_url(api_http, cleanup):
    luigi = Chef.objects.get(slug="luigi")
    pizza = Pizza.objects.order_by("pk")[3]
    created = Special.objects.create(title="Luigi's new one", chef=luigi, pizza=pizza)
    cleanup.append(f"specials/{created.pk}/")
    stored = api_http.get(f"specials/{created.pk}/").json()["special"]
    assert stored["chef"] == "luigi"
    assert stored["pizza"].endswith(f"/api/pizzas/{pizza.pk}")
    assert created.pizza_id == pizza.pk  # refreshed from the answer, still the id
    created.chef = Chef.objects.get(slug="sofia")
    created.pizza = Pizza.objects.order_by("pk")[4]
    created.save()
    stored = api_http.get(f"specials/{created.pk}/").json()["special"]
    assert stored["chef"] == "sofia"
    assert stored["pizza"].endswith(f"/api/pizzas/{created.pizza_id}")
    assert Special.objects.filter(pk=created.pk).update(pizza=pizza) == 1
    assert Special.objects.get(pk=created.pk).pizza_id == pizza.pk


def test_a_generic_relation_filters_and_a_generic_key_renders(dataset, api_http):
    spicy = _rows(api_http, "specials/?filter{tags}=spicy", "specials")
    assert spicy
    assert sorted(s["id"] for s in spicy) == _tagged(dataset, "special", "spicy")
    assert all("spicy" in s["tags"] for s in spicy)
    tags = list(Tag.objects.order_by("pk"))
    assert len(tags) == len(dataset.rows["pizzeria_api.tag"])
    models = {ct: model for model, ct in _content_types(dataset).items()}
    for tag, row in zip(tags, dataset.rows["pizzeria_api.tag"], strict=True):
        assert tag.tagged_object == f"{models[row['content_type']]}:{row['object_id']}"


def test_options_say_how_each_relation_renders(api_http):
    properties = api_http.options("specials/").json()["properties"]
    assert properties["chef"]["relation"] == {
        "renders": "slug",
        "many": False,
        "slug_field": "slug",
    }
    assert properties["pizza"]["relation"] == {
        "renders": "url",
        "many": False,
        "view_name": "pizzas-detail",
        "lookup_field": "pk",
    }
    assert properties["chef"]["required"] is False
    tagged = api_http.options("tags/").json()["properties"]["tagged_object"]
    assert tagged["relation"] == {"renders": "generic", "many": False}
