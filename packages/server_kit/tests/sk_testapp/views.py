from __future__ import annotations

from django.db.models import Q
from rest_framework.permissions import IsAuthenticated
from rest_framework.throttling import AnonRateThrottle

from server_kit import DynamicModelViewSet

from .serializers import (
    AuthorSerializer,
    BookSerializer,
    CommentSerializer,
    ReviewSerializer,
    TagSerializer,
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
