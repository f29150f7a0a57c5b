"""The one comparison of contract tests: an expectation against what a server offers."""

from __future__ import annotations

from shared_querylang.contract import (
    BASELINE_FEATURES,
    Break,
    additions,
    breaks,
    expectation_of,
    offered_features,
)

OFFER = {
    "features": sorted(BASELINE_FEATURES | {"where"}),
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "status": {"type": "choice"},
        "menu": {
            "type": "one",
            "related_to": "menus",
            "relation": {"renders": "pk", "many": False},
        },
        "toppings": {"type": "many", "related_to": "toppings"},
    },
}


def expectation(**fields):
    return {"model": "shop.Pizza", "path": "/api/pizzas", "features": ["where"], "fields": fields}


def value(*types, model_field="f"):
    return {"model_field": model_field, "kind": "value", "types": list(types)}


def relation(kind, model_field="r", **extra):
    return {"model_field": model_field, "kind": kind, **extra}


def lines(expected, offer=OFFER):
    return [str(found) for found in breaks(expected, offer)]


def test_an_offer_meeting_the_expectation_has_no_break():
    expected = expectation(
        id=value("integer"),
        name=value("string", "email"),
        status=value("integer"),  # DRF's "choice" says nothing about the type
        menu=relation("one", related_to="menus", key="id", key_is_pk=True),
        toppings=relation("many", related_to="toppings"),  # no "relation": ids
    )
    assert breaks(expected, OFFER) == []


def test_a_missing_resource_feature_field_and_relations():
    expected = expectation(
        gone=value("string", model_field="gone_field"),
        chef=relation("one", model_field="chef"),
        reviews=relation("many", model_field="reviews", backward=True),
    )
    assert lines(expected, None) == ["shop.Pizza: the API has no resource '/api/pizzas'."]
    assert lines(expected, {"features": ["page"], "properties": []}) == [
        "shop.Pizza: the API resource '/api/pizzas' lacks the features ['where'].",
        "shop.Pizza.chef: the API resource '/api/pizzas' has no relation 'chef'.",
        "shop.Pizza.gone_field: the API resource '/api/pizzas' has no field 'gone'.",
        "shop.Pizza.reviews: the API resource '/api/pizzas' has no backward relation 'reviews'.",
    ]
    assert [found.code for found in breaks(expected, {})] == [
        "features",
        "relation",
        "field",
        "backward",
    ]


def test_type_cardinality_rendering_and_target_changes():
    expected = expectation(
        name=value("integer"),
        menu=relation("many", model_field="menu"),
        toppings=relation("many", related_to="extras"),
    )
    assert breaks(expected, OFFER)[0] == Break(
        "cardinality", "shop.Pizza.menu", "the API relation 'menu' is 'one', the model expects"
        " 'many'."
    )  # fmt: skip
    assert lines(expected)[1:] == [
        "shop.Pizza.f: the API field 'name' is 'string', expected ['integer'].",
        "shop.Pizza.r: the API relation 'toppings' points to 'toppings', the model expects"
        " 'extras'.",
    ]


def test_an_offer_without_features_is_a_dynamic_rest_server():
    assert offered_features({}) == BASELINE_FEATURES
    assert offered_features({"features": ["where"]}) == {"where"}
    assert lines({"model": "m", "path": "p", "features": sorted(BASELINE_FEATURES)}, {}) == []


def test_an_offer_as_an_expectation_is_met_by_itself_and_lists_additions():
    promised = expectation_of(OFFER, "/api/pizzas", "/api/pizzas")
    assert promised["fields"]["menu"] == {
        "model_field": "menu", "kind": "one", "related_to": "menus", "hyperlinked": False,
        "key": None, "key_is_pk": False,
    }  # fmt: skip
    assert breaks(promised, OFFER) == []
    assert expectation_of({}, "s", "p") == {
        "model": "s", "path": "p", "features": sorted(BASELINE_FEATURES), "fields": {}
    }  # fmt: skip
    bigger = {**OFFER, "features": [*OFFER["features"], "bulk"]}
    bigger["properties"] = {**OFFER["properties"], "size": {"type": "integer"}}
    assert additions(OFFER, bigger, "/api/pizzas") == [
        "/api/pizzas: new feature 'bulk'.",
        "/api/pizzas: new field 'size'.",
    ]
    assert additions({}, {}, "x") == []


def rendered(renders, many=False, **keys):
    """A plain DRF relation's ``properties`` entry (server_kit's ``relation`` object)."""
    return {
        "type": "field",
        "related_to": None,
        "relation": {"renders": renders, "many": many, **keys},
    }


def test_how_a_relation_renders_must_name_the_key_the_field_holds():
    offer = {
        "properties": {
            "slug": rendered("slug", slug_field="code"),
            "url": rendered("url", lookup_field="pk"),
            "text": rendered("string"),
            "tags": rendered("pk", many=True),
        }
    }
    fits = expectation(
        slug=relation("one", model_field="slug", key="code"),
        url=relation("one", model_field="url", key="id", key_is_pk=True, hyperlinked=True),
        tags=relation("many", model_field="tags"),
    )
    assert breaks({**fits, "features": []}, offer) == []
    wrong = expectation(
        slug=relation("one", model_field="slug", key="id", key_is_pk=True),
        url=relation("one", model_field="url", key="id", key_is_pk=True),
        text=relation("one", model_field="text", key="id"),
        tags=relation("one", model_field="tags"),
    )
    found = breaks({**wrong, "features": []}, offer)
    assert [(b.code, b.subject) for b in found] == [
        ("representation", "shop.Pizza.slug"),
        ("cardinality", "shop.Pizza.tags"),
        ("representation", "shop.Pizza.text"),
        ("representation", "shop.Pizza.url"),
    ]
    assert "as 'slug', slug_field 'code', not as ids" in found[0].message
    assert "to_field='code'" in found[0].hint
    assert "plain field" in found[2].hint
    assert "as a URL (lookup_field 'pk')" in found[3].message
    assert "APIMeta.hyperlinked" in found[3].hint


def test_a_hyperlinked_field_needs_urls_ending_with_its_key():
    offer = {"properties": {"a": rendered("pk"), "b": rendered("url", lookup_field="slug")}}
    expected = expectation(
        a=relation("one", model_field="a", key="id", hyperlinked=True),
        b=relation("one", model_field="b", key="id", key_is_pk=True, hyperlinked=True),
    )
    found = breaks({**expected, "features": []}, offer)
    assert [b.message for b in found] == [
        "is declared in APIMeta.hyperlinked, but the API renders 'a' as 'pk'.",
        "the API's URLs of 'b' end with 'slug', not with the key it holds.",
    ]
    assert [b.hint for b in found] == [
        "Remove 'a' from APIMeta.hyperlinked.",
        "Declare ForeignKey(..., to_field='slug'), or map it as a plain URLField.",
    ]


def test_renderings_a_client_cannot_key_on_are_promised_as_values():
    offer = {
        "properties": {
            "slug": rendered("slug", slug_field="code"),
            "url": rendered("url", lookup_field="pk"),
            "urls": rendered("url", many=True, lookup_field="pk"),
            "text": rendered("string"),
        }
    }
    promised = expectation_of(offer, "s", "p")
    assert {name: field["kind"] for name, field in promised["fields"].items()} == {
        "slug": "one", "url": "one", "urls": "value", "text": "value"
    }  # fmt: skip
    assert promised["fields"]["slug"]["key"] == "code"
    assert breaks(promised, offer) == []
