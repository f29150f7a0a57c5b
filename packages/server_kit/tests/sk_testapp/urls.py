from __future__ import annotations

from django.urls import include, path

from server_kit import DynamicRouter

from . import views

router = DynamicRouter()
router.register_resource(views.AuthorViewSet)
router.register_resource(views.BookViewSet)
router.register_resource(views.TagViewSet)
router.register_resource(views.ReviewViewSet)
router.register_resource(views.CommentViewSet)
router.register("selected", views.SelectedCommentViewSet, basename="selected")
router.register("inprint", views.InPrintBookViewSet, basename="inprint")
router.register("unfiltered", views.UnfilteredReviewViewSet, basename="unfiltered")
router.register("locked", views.LockedTagViewSet, basename="locked")
router.register("throttled", views.ThrottledTagViewSet, basename="throttled")

urlpatterns = [path("", include(router.urls))]
