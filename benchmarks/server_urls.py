"""Each contender under its own prefix; only those of this process's environment are imported."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import include, path

urlpatterns: list[Any] = []
if settings.BENCH_SET == "restbridge":
    import contender_drf
    import contender_floor
    from pizzeria_api.urls import router

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
