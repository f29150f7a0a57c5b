"""`/api/` holds every resource, each under its serializer's plural name.

The router answers with and without trailing slashes. `/media/` serves the uploaded
photos (the example has no separate file server).
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from pizzeria_api import flex, views
from server_kit import DynamicRouter

router = DynamicRouter()
router.register_resource(views.MenuViewSet)
router.register_resource(views.ToppingViewSet)
router.register_resource(views.PizzaViewSet)
router.register_resource(views.ReviewViewSet)
router.register_resource(views.UserViewSet)
router.register_resource(views.ChefViewSet)
router.register_resource(views.SpecialViewSet)
router.register_resource(views.TagViewSet)

urlpatterns = [
    path("api/flex/", include(flex.router.urls)),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("media/<path:path>", views.media),
]
