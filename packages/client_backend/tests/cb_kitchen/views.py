from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.static import serve
from django_filters.rest_framework import DjangoFilterBackend

from server_kit import DynamicModelViewSet

from .serializers import (
    LeafletSerializer,
    MenuSerializer,
    OpenMenuSerializer,
    OpenPizzaSerializer,
    OpenToppingSerializer,
    PizzaCardSerializer,
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


class LeafletViewSet(DynamicModelViewSet):
    serializer_class = LeafletSerializer


def media(request: HttpRequest, path: str) -> HttpResponse:
    """The uploaded files (MEDIA_ROOT is read per request: tests change it)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


class PizzaCardViewSet(DynamicModelViewSet):
    serializer_class = PizzaCardSerializer
