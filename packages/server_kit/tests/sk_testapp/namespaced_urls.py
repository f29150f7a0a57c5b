"""The private-authors API under a URL namespace (a versioned API): the same rules hold."""

from __future__ import annotations

from django.urls import include, path

from .private_urls import router

urlpatterns = [path("v1/", include((router.urls, "v1"), namespace="v1"))]
