"""DRF relation fields on the client (issue 15): keys read right, or refused at ``check``."""

from __future__ import annotations

import pytest
from cb_shop.models import Card, CodedMenu, HiddenPizza, Menu
from django.db import DataError, NotSupportedError, models
from django.test.utils import isolate_apps

from client_backend.testing import InProcessTransport, MockAPI, api_transport
from client_backend.validation import _model_messages

pytestmark = pytest.mark.django_db(databases=["default", "api"])


def test_a_slug_keyed_foreign_key_reads_and_filters_by_the_slug(kitchen_data):
    with api_transport(InProcessTransport()) as connection:
        assert _model_messages(connection, Card) == []
        regina = Card.objects.get(name="regina")
        assert regina.menu_id == "IT"  # the slug, in a column keyed by the slug
        assert regina.menu.name == "Italian"
        italian = CodedMenu.objects.get(code="IT")
        # the StringRelatedField (str() of the server's row), mapped as a plain field
        assert regina.menu_name == f"Menu object ({italian.pk})"
        names = sorted(Card.objects.filter(menu=italian).values_list("name", flat=True))
        assert names == ["margherita", "napoli", "quattro", "regina"]
        assert Card.objects.filter(menu__isnull=True).get().name == "marinara"


def test_a_hyperlinked_foreign_key_reads_the_id_back_from_the_url(kitchen_data):
    with api_transport(InProcessTransport()) as connection:
        assert _model_messages(connection, Card) == []
        regina = Card.objects.get(name="regina")
        italian = Menu.objects.get(code="IT")
        assert regina.menu_url_id == italian.pk
        assert regina.menu_url.name == "Italian"
        assert Card.objects.get(name="marinara").menu_url_id is None
        names = sorted(Card.objects.filter(menu_url=italian).values_list("name", flat=True))
        assert names == ["margherita", "napoli", "quattro", "regina"]


def test_a_url_of_another_resource_is_a_data_error():
    row = {"id": 1, "name": "regina", "price": 1.0, "menu": None, "menu_name": None}
    row["menu_url"] = "http://api.test/pizzas/1"  # a pizza's URL where a menu's is due
    with MockAPI(features=["filter{}"]).serve() as api:
        api.add("GET", "cards", {"cards": [row], "meta": {"total_results": 1}})
        with pytest.raises(DataError, match="is not a URL of the '/menus/' resource"):
            list(Card.objects.all())


@isolate_apps("cb_shop")
def test_representations_the_client_cannot_key_on_are_refused_at_check(kitchen_data):
    class ClientMenu(models.Model):
        code = models.CharField(max_length=3, unique=True)

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "menus"

    class ClientTopping(models.Model):
        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "toppings"

    def fk(**kwargs):
        return models.ForeignKey(
            ClientMenu, null=True, on_delete=models.DO_NOTHING, related_name="+", **kwargs
        )

    class BadCard(models.Model):
        name = models.CharField(max_length=10)
        price = models.FloatField()
        menu = fk(db_column="menu")  # a slug read as an id
        menu_url = fk(db_column="menu_url")
        menu_name = fk(db_column="menu_name")
        menu_object = fk(db_column="menu_object")
        toppings = models.ManyToManyField(ClientTopping, related_name="+")

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "cards"
            hyperlinked = ("price",)  # not a foreign key

    with api_transport(InProcessTransport()) as connection:
        messages = _model_messages(connection, BadCard)
    found = {m.msg.split(":")[0]: m for m in messages}
    assert {m.id for m in messages} == {"client_backend.E010"}
    assert sorted(found) == [
        "cb_shop.BadCard",
        *(
            f"cb_shop.BadCard.{name}"
            for name in sorted(["menu", "menu_url", "menu_name", "menu_object", "toppings"])
        ),
    ]
    assert "APIMeta.hyperlinked names 'price'" in found["cb_shop.BadCard"].msg
    assert "as 'slug', slug_field 'code'" in found["cb_shop.BadCard.menu"].msg
    assert "to_field='code'" in found["cb_shop.BadCard.menu"].hint
    assert "as a URL (lookup_field 'pk')" in found["cb_shop.BadCard.menu_url"].msg
    assert "APIMeta.hyperlinked" in found["cb_shop.BadCard.menu_url"].hint
    assert "as 'string'" in found["cb_shop.BadCard.menu_name"].msg
    assert "as 'object'" in found["cb_shop.BadCard.menu_object"].msg
    assert "plain field" in found["cb_shop.BadCard.menu_object"].hint


def test_a_many_to_many_without_reverse_name_is_not_supported_and_says_which(kitchen_data):
    with api_transport(InProcessTransport()):
        regina = HiddenPizza.objects.get(name="regina")
        with pytest.raises(
            NotSupportedError, match=r"cb_shop.HiddenPizza.toppings has related_name='\+'"
        ):
            list(regina.toppings.all())
        with pytest.raises(NotSupportedError, match="HiddenPizza.toppings"):
            list(HiddenPizza.objects.prefetch_related("toppings"))
        # filtering forward through it needs no reverse name
        assert sorted(
            HiddenPizza.objects.filter(toppings__name="ham").values_list("name", flat=True)
        ) == ["regina", "teriyaki"]


@isolate_apps("cb_shop")
def test_the_cardinality_of_a_plain_drf_relation_is_checked(kitchen_data):
    class ClientTopping(models.Model):
        name = models.CharField(max_length=30, unique=True)

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "toppings"

    class WrongCard(models.Model):
        # the API's toppings are SlugRelatedField(many=True): a list of names, not one
        toppings = models.ForeignKey(
            ClientTopping, to_field="name", null=True, on_delete=models.DO_NOTHING, related_name="+"
        )

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "cards"

    with api_transport(InProcessTransport()) as connection:
        messages = _model_messages(connection, WrongCard)
    assert [(m.id, m.msg.split(":")[0]) for m in messages] == [
        ("client_backend.E005", "cb_shop.WrongCard.toppings")
    ]
