"""dynamic-rest 2.3.0: the pizzeria's serializers, written as its documentation shows."""

from __future__ import annotations

from django.contrib.auth.models import User
from dynamic_rest.fields import DynamicRelationField
from dynamic_rest.routers import DynamicRouter
from dynamic_rest.serializers import DynamicModelSerializer
from dynamic_rest.viewsets import DynamicModelViewSet
from pizzeria_api.models import Menu, Pizza, Review, Topping


class UserSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("PizzaSerializer", many=True, deferred=True)

    class Meta:
        model = User
        name = "user"
        fields = ("id", "username", "first_name", "last_name", "pizzas")


class MenuSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("PizzaSerializer", many=True, deferred=True)

    class Meta:
        model = Menu
        name = "menu"
        fields = ("id", "name", "code", "pizzas")


class ToppingSerializer(DynamicModelSerializer):
    pizzas = DynamicRelationField("PizzaSerializer", many=True, deferred=True)

    class Meta:
        model = Topping
        name = "topping"
        fields = ("id", "name", "cost", "pizzas")


class PizzaSerializer(DynamicModelSerializer):
    creator = DynamicRelationField(UserSerializer)
    menu = DynamicRelationField(MenuSerializer)
    toppings = DynamicRelationField(ToppingSerializer, many=True)
    reviews = DynamicRelationField("ReviewSerializer", many=True, deferred=True)

    class Meta:
        model = Pizza
        name = "pizza"
        fields = ("id", "name", "price", "from_date", "to_date", "creator", "menu", "toppings",
                  "reviews")  # fmt: skip


class ReviewSerializer(DynamicModelSerializer):
    pizza = DynamicRelationField(PizzaSerializer)

    class Meta:
        model = Review
        name = "review"
        fields = ("id", "pizza", "author", "rating", "comment", "created_at")


class PizzaViewSet(DynamicModelViewSet):
    queryset = Pizza.objects.order_by("id")
    serializer_class = PizzaSerializer


class ReviewViewSet(DynamicModelViewSet):
    queryset = Review.objects.order_by("id")
    serializer_class = ReviewSerializer


router = DynamicRouter()
router.register("pizzas", PizzaViewSet)
router.register("reviews", ReviewViewSet)
urlpatterns = router.urls
