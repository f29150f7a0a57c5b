from __future__ import annotations

from server_kit import DynamicModelViewSet

from .serializers import MenuSerializer, PizzaCardSerializer, PizzaSerializer, ToppingSerializer

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


class PizzaCardViewSet(DynamicModelViewSet):
    serializer_class = PizzaCardSerializer
