from __future__ import annotations

from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.permissions import IsAuthenticated
from rest_framework.throttling import AnonRateThrottle

from server_kit import DynamicModelViewSet

from .serializers import (
    AlbumSerializer,
    ArtistSerializer,
    AuthorSerializer,
    BookmarkSerializer,
    BookSerializer,
    CommentSerializer,
    LinerNotesSerializer,
    PlainBookSerializer,
    PosterSerializer,
    ReviewSerializer,
    TaggedItemSerializer,
    TagSerializer,
    TrackSerializer,
    WritableAlbumSerializer,
)


class AuthorViewSet(DynamicModelViewSet):
    serializer_class = AuthorSerializer


class BookViewSet(DynamicModelViewSet):
    serializer_class = BookSerializer


class TagViewSet(DynamicModelViewSet):
    serializer_class = TagSerializer


class ReviewViewSet(DynamicModelViewSet):
    serializer_class = ReviewSerializer


class UnfilteredReviewViewSet(DynamicModelViewSet):
    """No filter backends: the row hook belongs to the viewset's pipeline, not to a backend."""

    serializer_class = ReviewSerializer
    filter_backends = ()


class CommentViewSet(DynamicModelViewSet):
    serializer_class = CommentSerializer


class SelectedCommentViewSet(DynamicModelViewSet):
    """Its queryset selects the review: the hidden one must still not show."""

    serializer_class = CommentSerializer
    queryset = CommentSerializer.Meta.model.objects.select_related("review")


class LockedTagViewSet(DynamicModelViewSet):
    serializer_class = TagSerializer
    permission_classes = [IsAuthenticated]


class ThrottledTagViewSet(DynamicModelViewSet):
    serializer_class = TagSerializer
    throttle_classes = [AnonRateThrottle]
    throttle_scope = "anon"

    def get_throttles(self):
        throttle = AnonRateThrottle()
        throttle.rate = "2/min"
        throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
        return [throttle]


class InPrintBookViewSet(DynamicModelViewSet):
    """dynamic-rest's ``get_extra_filters``: only books in print, plus ``?cheap`` below 10."""

    serializer_class = BookSerializer

    def get_extra_filters(self, request):
        q = Q(in_print=True)
        return q & Q(price__lt=10) if "cheap" in request.query_params else q


class DjangoFilterOnlyBookViewSet(DynamicModelViewSet):
    """DRF's usual way to add django-filter: it drops the dynamic backends."""

    serializer_class = BookSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["title"]


class DjangoFilterBesideBookViewSet(DynamicModelViewSet):
    """django-filter beside the dynamic backends, as docs/server.md says."""

    serializer_class = BookSerializer
    filter_backends = (*DynamicModelViewSet.filter_backends, DjangoFilterBackend)
    filterset_fields = ["title", "in_print"]


class PosterViewSet(DynamicModelViewSet):
    serializer_class = PosterSerializer


class AlbumViewSet(DynamicModelViewSet):
    serializer_class = AlbumSerializer


class ArtistViewSet(DynamicModelViewSet):
    serializer_class = ArtistSerializer


class SluggedArtistViewSet(DynamicModelViewSet):
    """Artists by slug: where ``HyperlinkedRelatedField(lookup_field="slug")`` points."""

    serializer_class = ArtistSerializer
    lookup_field = "slug"


class WritableAlbumViewSet(DynamicModelViewSet):
    serializer_class = WritableAlbumSerializer


class TrackViewSet(DynamicModelViewSet):
    serializer_class = TrackSerializer


class LinerNotesViewSet(DynamicModelViewSet):
    serializer_class = LinerNotesSerializer


class TaggedItemViewSet(DynamicModelViewSet):
    serializer_class = TaggedItemSerializer


class BookmarkViewSet(DynamicModelViewSet):
    serializer_class = BookmarkSerializer


class SelectedAlbumViewSet(DynamicModelViewSet):
    """Its queryset loads the artist and the tracks itself: the loader adds nothing to them."""

    serializer_class = AlbumSerializer
    queryset = AlbumSerializer.Meta.model.objects.select_related("artist").prefetch_related(
        "tracks"
    )


class PlainBookViewSet(DynamicModelViewSet):
    serializer_class = PlainBookSerializer


class NarrowBookViewSet(DynamicModelViewSet):
    """A view that leaves include[], exclude[] and sort[] out of its features."""

    serializer_class = BookSerializer
    features = (DynamicModelViewSet.FILTER, DynamicModelViewSet.PAGE)


class TaggedBookViewSet(DynamicModelViewSet):
    """``?tag=<name>``: books with that tag, through ``get_extra_filters``."""

    serializer_class = BookSerializer

    def get_extra_filters(self, request):
        tag = request.query_params.get("tag")
        return Q(tags__name=tag) if tag else None
