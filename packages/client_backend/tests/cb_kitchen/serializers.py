from __future__ import annotations

from server_kit import DynamicModelSerializer, DynamicRelationField

from .models import Leaflet, Menu, Pizza, Topping


class MenuSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("PizzaSerializer", many=True, read_only=True)

    class Meta:
        model = Menu
        name = "menu"
        plural_name = "menus"
        fields = ("id", "name", "code", "pizzas")


class ToppingSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("PizzaSerializer", many=True, read_only=True)

    class Meta:
        model = Topping
        name = "topping"
        plural_name = "toppings"
        fields = ("id", "name", "cost", "pizzas")


class PizzaSerializer(DynamicModelSerializer):
    menu = DynamicRelationField(MenuSerializer, required=False, allow_null=True)
    toppings = DynamicRelationField(ToppingSerializer, many=True, required=False)

    class Meta:
        model = Pizza
        name = "pizza"
        plural_name = "pizzas"
        fields = (
            "id",
            "name",
            "price",
            "vegan",
            "from_date",
            "to_date",
            "created",
            "updated",
            "menu",
            "toppings",
        )
        read_only_fields = ("created", "updated")


class OpenMenuSerializer(MenuSerializer):
    """Reverse relations left writable, as a server may (inspectdb must tell the sides apart)."""

    pizzas = DynamicRelationField("OpenPizzaSerializer", many=True, required=False)


class OpenToppingSerializer(ToppingSerializer):
    pizzas = DynamicRelationField("OpenPizzaSerializer", many=True, required=False)


class OpenPizzaSerializer(PizzaSerializer):
    menu = DynamicRelationField(OpenMenuSerializer, required=False, allow_null=True)
    toppings = DynamicRelationField(OpenToppingSerializer, many=True, required=False)


class LeafletSerializer(DynamicModelSerializer):
    class Meta:
        model = Leaflet
        name = "leaflet"
        plural_name = "leaflets"
        fields = ("id", "title", "attachment", "picture")
