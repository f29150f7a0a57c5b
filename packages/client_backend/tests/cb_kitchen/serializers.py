from __future__ import annotations

from rest_framework import serializers

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


class MenuBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Menu
        fields = ("code", "name")


class PizzaCardSerializer(DynamicModelSerializer):
    """The pizzas again, their relations rendered by DRF's own relation fields."""

    menu = serializers.SlugRelatedField(
        slug_field="code", queryset=Menu.objects.all(), allow_null=True, required=False
    )
    menu_url = serializers.HyperlinkedRelatedField(
        source="menu", view_name="menu-detail", read_only=True
    )
    menu_name = serializers.StringRelatedField(source="menu")
    menu_object = MenuBriefSerializer(source="menu", read_only=True)
    toppings = serializers.SlugRelatedField(
        slug_field="name", many=True, queryset=Topping.objects.all(), required=False
    )

    class Meta:
        model = Pizza
        name = "card"
        plural_name = "cards"
        fields = ("id", "name", "price", "menu", "menu_url", "menu_name", "menu_object", "toppings")
