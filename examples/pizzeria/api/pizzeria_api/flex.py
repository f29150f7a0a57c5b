"""The drf-flex-fields flavour of the menu: `/api/flex/pizzas/` and `/api/flex/reviews/`.

Bare objects and lists, nested expansion (`?expand=menu`, `?expand=pizza.menu`), sparse fields;
written with `server_kit.flex` exactly as a drf-flex-fields project writes them.
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from pizzeria_api.models import Menu, Pizza, Review, Topping
from server_kit.flex import FlexFieldsModelSerializer, FlexFieldsModelViewSet


class FlexMenuSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Menu
        fields = ["id", "name", "code"]


class FlexToppingSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Topping
        fields = ["id", "name", "cost"]


class FlexPizzaSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Pizza
        fields = ["id", "name", "price", "menu", "toppings"]
        expandable_fields = {
            "menu": FlexMenuSerializer,
            "toppings": (FlexToppingSerializer, {"many": True}),
        }


class FlexReviewSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "author", "rating", "pizza"]
        expandable_fields = {"pizza": "pizzeria_api.flex.FlexPizzaSerializer"}


class FlexPizzaViewSet(FlexFieldsModelViewSet):
    queryset = Pizza.objects.order_by("id")
    serializer_class = FlexPizzaSerializer
    permit_list_expands = ["menu", "toppings"]


class FlexReviewViewSet(FlexFieldsModelViewSet):
    queryset = Review.objects.order_by("id")
    serializer_class = FlexReviewSerializer
    permit_list_expands = ["pizza", "pizza.menu", "pizza.toppings"]
    http_method_names = ["get", "head", "options"]


router = SimpleRouter()
router.register("pizzas", FlexPizzaViewSet, basename="flex-pizza")
router.register("reviews", FlexReviewViewSet, basename="flex-review")
