"""Plain DRF: nested `ModelSerializer`s, one view per shape, hand-written prefetching."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.urls import path
from pizzeria_api.models import Menu, Pizza, Review, Topping
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination


class Paginator(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class UserSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("id", "username", "first_name", "last_name")


class MenuSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Menu
        fields = ("id", "name", "code")


class ToppingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Topping
        fields = ("id", "name", "cost")


class PizzaSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Pizza
        fields = ("id", "name", "price", "from_date", "to_date", "creator", "menu", "toppings")


class PizzaNestedSerializer(PizzaSerializer):
    creator = UserSerializer()
    menu = MenuSerializer()
    toppings = ToppingSerializer(many=True)


class PizzaToppingsSerializer(PizzaSerializer):
    toppings = ToppingSerializer(many=True)


class ReviewDeepSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    pizza = PizzaToppingsSerializer()

    class Meta:
        model = Review
        fields = ("id", "pizza", "author", "rating", "comment", "created_at")


def topping_ids() -> Prefetch:
    return Prefetch("toppings", queryset=Topping.objects.only("id"))


class PizzaList(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = PizzaSerializer
    pagination_class = Paginator

    def get_queryset(self) -> QuerySet[Pizza]:
        query = self.request.query_params
        pizzas = Pizza.objects.prefetch_related(topping_ids())
        if "price__gte" in query:
            pizzas = pizzas.filter(price__gte=float(query["price__gte"]))
        if "menu__name" in query:
            pizzas = pizzas.filter(menu__name=query["menu__name"])
        if "ordering" in query:
            return pizzas.order_by(*query["ordering"].split(","))
        return pizzas.order_by("id")


class PizzaIncluded(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = PizzaNestedSerializer
    pagination_class = Paginator
    queryset = (
        Pizza.objects.select_related("creator", "menu").prefetch_related("toppings").order_by("id")
    )


class ReviewDeep(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = ReviewDeepSerializer
    pagination_class = Paginator
    queryset = (
        Review.objects.select_related("pizza").prefetch_related("pizza__toppings").order_by("id")
    )


class PizzaDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = PizzaSerializer
    queryset = Pizza.objects.prefetch_related(topping_ids())


urlpatterns = [
    path("pizzas/", PizzaList.as_view()),
    path("pizzas-included/", PizzaIncluded.as_view()),
    path("reviews-deep/", ReviewDeep.as_view()),
    path("pizzas/<int:pk>/", PizzaDetail.as_view()),
]
