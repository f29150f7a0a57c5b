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
router.register_resource(views.PosterViewSet)
router.register("selected", views.SelectedCommentViewSet, basename="selected")
router.register("inprint", views.InPrintBookViewSet, basename="inprint")
router.register("unfiltered", views.UnfilteredReviewViewSet, basename="unfiltered")
router.register("locked", views.LockedTagViewSet, basename="locked")
router.register("plainbooks", views.PlainBookViewSet, basename="plain_books")
router.register("narrowbooks", views.NarrowBookViewSet)
router.register("taggedbooks", views.TaggedBookViewSet)
router.register("throttled", views.ThrottledTagViewSet, basename="throttled")
router.register("djfilter-only", views.DjangoFilterOnlyBookViewSet, basename="djfilter-only")
router.register("djfilter-beside", views.DjangoFilterBesideBookViewSet, basename="djfilter-beside")
for viewset in (
    views.AlbumViewSet,
    views.ArtistViewSet,
    views.TrackViewSet,
    views.LinerNotesViewSet,
    views.TaggedItemViewSet,
    views.BookmarkViewSet,
):
    router.register_resource(viewset)
router.register("slugged-artists", views.SluggedArtistViewSet, basename="slugged-artist")
router.register("writable-albums", views.WritableAlbumViewSet, basename="writable-albums")
router.register("selected-albums", views.SelectedAlbumViewSet, basename="selected-albums")

urlpatterns = [path("", include(router.urls))]
