"""`/api/<plural>` for every resource, through dynamic-rest's own router."""

from __future__ import annotations

from django.urls import include, path
from dynamic_rest.routers import DynamicRouter

from dr_api import views

router = DynamicRouter()
router.register_resource(views.MenuViewSet)
router.register_resource(views.ToppingViewSet)
router.register_resource(views.PizzaViewSet)
router.register_resource(views.ReviewViewSet)
router.register_resource(views.UserViewSet)

urlpatterns = [path("api/", include(router.urls))]
