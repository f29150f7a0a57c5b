"""The plain pizzas route served by a view whose filter_backends are django-filter's alone."""

from __future__ import annotations

from django.urls import include, path

from server_kit import DynamicRouter

from . import views

router = DynamicRouter()
router.register("pizzas", views.DjangoFilterPizzaViewSet, basename="djfilter-pizza")

urlpatterns = [path("plain/", include(router.urls))]
