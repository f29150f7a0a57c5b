"""`/api/` holds every resource; the router answers with and without trailing slashes."""

from __future__ import annotations

from django.urls import include, path

from pizzeria_api import views
from server_kit import DynamicRouter

router = DynamicRouter()
router.register("menus", views.MenuViewSet)
router.register("toppings", views.ToppingViewSet)
router.register("pizzas", views.PizzaViewSet)
router.register("reviews", views.ReviewViewSet)
router.register("users", views.UserViewSet)

urlpatterns = [path("api/", include(router.urls))]
