"""dynamic-rest viewsets: `/api/users` requires authentication, as on the server_kit API."""

from __future__ import annotations

from django.contrib.auth.models import User
from dynamic_rest.viewsets import DynamicModelViewSet
from pizzeria_api.models import Menu, Pizza, Review, Topping
from rest_framework.permissions import IsAuthenticated

from dr_api.serializers import (
    MenuSerializer,
    PizzaSerializer,
    ReviewSerializer,
    ToppingSerializer,
    UserSerializer,
)


class MenuViewSet(DynamicModelViewSet):
    queryset = Menu.objects.all()
    serializer_class = MenuSerializer


class ToppingViewSet(DynamicModelViewSet):
    queryset = Topping.objects.all()
    serializer_class = ToppingSerializer


class PizzaViewSet(DynamicModelViewSet):
    queryset = Pizza.objects.all()
    serializer_class = PizzaSerializer


class ReviewViewSet(DynamicModelViewSet):
    queryset = Review.objects.all()
    serializer_class = ReviewSerializer


class UserViewSet(DynamicModelViewSet):
    queryset = User.objects.filter(is_active=True)
    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "head", "options"]
