"""The pizzeria API with one change its consumers would notice, as a URLconf per change."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.urls import include, path
from pizzeria_api import views
from pizzeria_api.models import Menu
from pizzeria_api.serializers import PizzaSerializer
from rest_framework import serializers

from server_kit import DynamicRouter


class WithoutToDate(PizzaSerializer):
    class Meta(PizzaSerializer.Meta):
        fields = tuple(name for name in PizzaSerializer.Meta.fields if name != "to_date")


class PriceAsText(PizzaSerializer):
    price = serializers.CharField()


class MenuBySlug(PizzaSerializer):
    menu = serializers.SlugRelatedField(
        slug_field="code", queryset=Menu.objects.all(), required=False, allow_null=True
    )


class WithRating(PizzaSerializer):
    rating = serializers.IntegerField(read_only=True, default=0)

    class Meta(PizzaSerializer.Meta):
        fields = (*PizzaSerializer.Meta.fields, "rating")


def urlconf(serializer: type[PizzaSerializer] = PizzaSerializer, **attributes: Any) -> Any:
    """The API's URLconf with pizzas served by ``serializer`` (and viewset ``attributes``)."""
    pizzas = type(
        "ChangedPizzaViewSet", (views.PizzaViewSet,), {"serializer_class": serializer, **attributes}
    )
    router = DynamicRouter()
    for viewset in (
        views.MenuViewSet,
        views.ToppingViewSet,
        pizzas,
        views.ReviewViewSet,
        views.UserViewSet,
        views.ChefViewSet,
        views.SpecialViewSet,
        views.TagViewSet,
    ):
        router.register_resource(viewset)
    return SimpleNamespace(urlpatterns=[path("api/", include(router.urls))])


REMOVED = urlconf(WithoutToDate)
RETYPED = urlconf(PriceAsText)
SLUGS = urlconf(MenuBySlug)
NO_NOT = urlconf(features=tuple(f for f in views.PizzaViewSet.features if f != "filter{}.not"))
ADDED = urlconf(WithRating)
