from __future__ import annotations

from django.urls import include, path

from server_kit import DynamicRouter

from . import views

full = DynamicRouter()
full.register("menus", views.MenuViewSet, basename="menu")
full.register("toppings", views.ToppingViewSet, basename="topping")
full.register("pizzas", views.PizzaViewSet, basename="pizza")
full.register("leaflets", views.LeafletViewSet, basename="leaflet")
full.register("cards", views.PizzaCardViewSet, basename="card")

plain = DynamicRouter()
plain.register("menus", views.PlainMenuViewSet, basename="plain-menu")
plain.register("toppings", views.PlainToppingViewSet, basename="plain-topping")
plain.register("pizzas", views.PlainPizzaViewSet, basename="plain-pizza")

# Reverse relations not read-only: what inspectdb must still read right.
open_ = DynamicRouter()
open_.register("menus", views.OpenMenuViewSet, basename="open-menu")
open_.register("toppings", views.OpenToppingViewSet, basename="open-topping")
open_.register("pizzas", views.OpenPizzaViewSet, basename="open-pizza")

urlpatterns = [
    path("api/", include(full.urls)),
    path("plain/", include(plain.urls)),
    path("open/", include(open_.urls)),
    path("media/<path:path>", views.media),
]
