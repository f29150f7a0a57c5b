"""Each contender under its own prefix; only those of this process's environment are imported."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import include, path

urlpatterns: list[Any] = []
if settings.BENCH_SET == "restbridge":
    import contender_drf
    import contender_floor
    from django.contrib.auth.models import User
    from pizzeria_api import views
    from rest_framework.permissions import AllowAny

    from server_kit import DynamicRouter

    class OpenUserViewSet(views.UserViewSet):
        """Every creator, to anyone, as the peers show them: the same work is measured.

        The pizzeria's users need a login, and the bench's requests are anonymous: its creators
        would render as null (docs/server.md, "Permissions across relations").
        """

        queryset = User.objects.all()
        permission_classes = [AllowAny]

    router = DynamicRouter()
    for viewset in (
        views.MenuViewSet,
        views.ToppingViewSet,
        views.PizzaViewSet,
        views.ReviewViewSet,
        OpenUserViewSet,
    ):
        router.register_resource(viewset)
    urlpatterns += [
        path("sk/", include(router.urls)),
        path("drf/", include(contender_drf.urlpatterns)),
        path("floor/", include(contender_floor.urlpatterns)),
    ]
elif settings.BENCH_SET == "dynamic-rest":
    import contender_dynamic_rest

    urlpatterns += [path("dr/", include(contender_dynamic_rest.urlpatterns))]
elif settings.BENCH_SET == "drf-flex-fields":
    import contender_flex

    urlpatterns += [path("flex/", include(contender_flex.urlpatterns))]
