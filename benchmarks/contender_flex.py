"""drf-flex-fields 1.0.2: expandable serializers and its query-optimizing filter backend."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from pizzeria_api.models import Menu, Pizza, Review, Topping
from rest_flex_fields import FlexFieldsModelSerializer
from rest_flex_fields.filter_backends import FlexFieldsFilterBackend
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import SimpleRouter
from rest_framework.viewsets import ReadOnlyModelViewSet


class Paginator(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class UserSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "first_name", "last_name")


class MenuSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Menu
        fields = ("id", "name", "code")


class ToppingSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Topping
        fields = ("id", "name", "cost")


class PizzaSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Pizza
        fields = ("id", "name", "price", "from_date", "to_date", "creator", "menu", "toppings")
        expandable_fields = {
            "creator": UserSerializer,
            "menu": MenuSerializer,
            "toppings": (ToppingSerializer, {"many": True}),
        }


class ReviewSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Review
        fields = ("id", "pizza", "author", "rating", "comment", "created_at")
        expandable_fields = {"pizza": PizzaSerializer}


class PizzaViewSet(ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = PizzaSerializer
    pagination_class = Paginator
    filter_backends = [FlexFieldsFilterBackend, OrderingFilter]
    ordering_fields = ("name", "price", "id")

    def get_queryset(self) -> QuerySet[Pizza]:
        # flex-fields has no filter language: the filters are hand-written, as its users do.
        query = self.request.query_params
        filters: dict[str, Any] = {}
        if "price__gte" in query:
            filters["price__gte"] = float(query["price__gte"])
        if "menu__name" in query:
            filters["menu__name"] = query["menu__name"]
        return Pizza.objects.filter(**filters).order_by("id")


class ReviewViewSet(ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Review.objects.order_by("id")
    serializer_class = ReviewSerializer
    pagination_class = Paginator
    filter_backends = [FlexFieldsFilterBackend]


router = SimpleRouter()
router.register("pizzas", PizzaViewSet, basename="pizza")
router.register("reviews", ReviewViewSet, basename="review")
urlpatterns = router.urls
