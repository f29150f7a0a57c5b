"""dynamic-rest serializers for the pizzeria: every relation on both sides, as peers require."""

from __future__ import annotations

from django.contrib.auth.models import User
from dynamic_rest.fields import DynamicRelationField
from dynamic_rest.serializers import DynamicModelSerializer
from pizzeria_api.models import Menu, Pizza, Review, Topping


class UserSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("dr_api.serializers.PizzaSerializer", many=True, read_only=True)

    class Meta:
        model = User
        name = "user"
        plural_name = "users"
        fields = ("id", "username", "first_name", "last_name", "pizzas")
        deferred_fields = ("pizzas",)


class MenuSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("dr_api.serializers.PizzaSerializer", many=True, read_only=True)

    class Meta:
        model = Menu
        name = "menu"
        plural_name = "menus"
        fields = ("id", "name", "code", "pizzas")
        deferred_fields = ("pizzas",)


class ToppingSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("dr_api.serializers.PizzaSerializer", many=True, read_only=True)

    class Meta:
        model = Topping
        name = "topping"
        plural_name = "toppings"
        fields = ("id", "name", "cost", "pizzas")
        deferred_fields = ("pizzas",)


class PizzaSerializer(DynamicModelSerializer):
    creator = DynamicRelationField(UserSerializer, required=False, allow_null=True)
    menu = DynamicRelationField(MenuSerializer, required=False, allow_null=True)
    toppings = DynamicRelationField(ToppingSerializer, many=True, required=False)
    reviews = DynamicRelationField("dr_api.serializers.ReviewSerializer", many=True, read_only=True)

    class Meta:
        model = Pizza
        name = "pizza"
        plural_name = "pizzas"
        fields = (
            "id",
            "name",
            "price",
            "from_date",
            "to_date",
            "creator",
            "menu",
            "toppings",
            "reviews",
        )
        deferred_fields = ("reviews",)
        read_only_fields = ("from_date",)


class ReviewSerializer(DynamicModelSerializer):
    pizza = DynamicRelationField(PizzaSerializer)

    class Meta:
        model = Review
        name = "review"
        plural_name = "reviews"
        fields = ("id", "pizza", "author", "rating", "comment", "created_at")
        read_only_fields = ("created_at",)
