"""One viewset per resource; `/api/users` is the endpoint that requires authentication."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.views.static import serve
from rest_framework.permissions import IsAuthenticated

from pizzeria_api.models import Chef, Menu, Pizza, Review, Special, Tag, Topping
from pizzeria_api.serializers import (
    ChefSerializer,
    MenuSerializer,
    PizzaSerializer,
    SpecialSerializer,
    TagSerializer,
    ToppingSerializer,
    UserSerializer,
    reviews,
)
from server_kit import DynamicModelViewSet


class MenuViewSet(DynamicModelViewSet):
    queryset = Menu.objects.all()
    serializer_class = MenuSerializer


class ToppingViewSet(DynamicModelViewSet):
    queryset = Topping.objects.all()
    serializer_class = ToppingSerializer


class PizzaViewSet(DynamicModelViewSet):
    queryset = Pizza.objects.all()
    serializer_class = PizzaSerializer


class UserViewSet(DynamicModelViewSet):
    """Pizza creators: readable by any authenticated account, never writable through the API."""

    queryset = User.objects.filter(is_active=True)
    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "head", "options"]


ReviewViewSet = reviews.viewsets[Review]


class ChefViewSet(DynamicModelViewSet):
    queryset = Chef.objects.all()
    serializer_class = ChefSerializer


class SpecialViewSet(DynamicModelViewSet):
    queryset = Special.objects.all()
    serializer_class = SpecialSerializer


class TagViewSet(DynamicModelViewSet):
    """Read-only: a tag's target is a generic foreign key, which DRF renders but cannot write."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    http_method_names = ["get", "head", "options"]


def media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded file (a pizza photo): Django's static view, for the example only.

    A production deployment serves MEDIA_ROOT from its web server instead.
    """
    return serve(request, path, document_root=settings.MEDIA_ROOT)
