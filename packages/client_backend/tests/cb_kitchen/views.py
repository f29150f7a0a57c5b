from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend

from server_kit import DynamicModelViewSet

from .serializers import (
    MenuSerializer,
    OpenMenuSerializer,
    OpenPizzaSerializer,
    OpenToppingSerializer,
    PizzaSerializer,
    ToppingSerializer,
)

#: What a plain dynamic-rest 2.x server offers: no NOT over groups, no where=, offset or bulk.
PLAIN = ("include[]", "exclude[]", "filter{}", "page", "per_page", "sort[]", "sideloading")


class MenuViewSet(DynamicModelViewSet):
    serializer_class = MenuSerializer


class ToppingViewSet(DynamicModelViewSet):
    serializer_class = ToppingSerializer


class PizzaViewSet(DynamicModelViewSet):
    serializer_class = PizzaSerializer


class PlainMenuViewSet(MenuViewSet):
    features = PLAIN


class PlainToppingViewSet(ToppingViewSet):
    features = PLAIN


class PlainPizzaViewSet(PizzaViewSet):
    features = PLAIN


class OpenMenuViewSet(DynamicModelViewSet):
    serializer_class = OpenMenuSerializer


class OpenToppingViewSet(DynamicModelViewSet):
    serializer_class = OpenToppingSerializer


class OpenPizzaViewSet(DynamicModelViewSet):
    serializer_class = OpenPizzaSerializer


class DjangoFilterPizzaViewSet(PizzaViewSet):
    """DRF's usual way to add django-filter, which drops the dynamic backends."""

    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["name"]
