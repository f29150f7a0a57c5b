"""The test API with private authors: a login to read them, and only those with an email.

Reviews rated 3 are unlisted (``get_extra_filters``). Tags take no login at all (no
authentication classes), so only anonymous requests, which they refuse. Other resources are
as in ``urls.py``; ``publicbooks`` shows author ids to all.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import include, path
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from server_kit import DynamicModelViewSet, DynamicRelationField, DynamicRouter

from . import views
from .serializers import AuthorSerializer, BookSerializer, ReviewSerializer, TagSerializer


class CountedPermission(BasePermission):
    """Lets everyone in, counting the checks (once per request, however many paths)."""

    checks = 0

    def has_permission(self, request, view):
        type(self).checks += 1
        return True


class ReadOnly(BasePermission):
    """Authors are not written through the API (a relation to them is read, whatever the method)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


class NotAnnsPage(BasePermission):
    """Ann's own page is private: DRF asks this on detail routes only."""

    def has_object_permission(self, request, view, obj):
        return obj.name != "Ann"


class PrivateAuthorViewSet(DynamicModelViewSet):
    serializer_class = AuthorSerializer
    permission_classes = [CountedPermission, IsAuthenticated, ReadOnly, NotAnnsPage]

    def get_queryset(self):
        return super().get_queryset().exclude(email="")


class NoLoginTagViewSet(DynamicModelViewSet):
    serializer_class = TagSerializer
    authentication_classes = ()
    permission_classes = [IsAuthenticated]


class NoThreesReviewViewSet(DynamicModelViewSet):
    """dynamic-rest's ``get_extra_filters``: reviews rated 3 are not listed."""

    serializer_class = ReviewSerializer

    def get_extra_filters(self, request):
        return ~Q(rating=3)


class PublicIdBookSerializer(BookSerializer):
    author = DynamicRelationField(AuthorSerializer, public_ids=True)


class PublicIdBookViewSet(DynamicModelViewSet):
    serializer_class = PublicIdBookSerializer


router = DynamicRouter()
router.register_resource(PrivateAuthorViewSet)
router.register_resource(views.BookViewSet)
router.register_resource(NoLoginTagViewSet)
router.register_resource(NoThreesReviewViewSet)
router.register_resource(views.CommentViewSet)
router.register("publicbooks", PublicIdBookViewSet, basename="publicbooks")

urlpatterns = [path("", include(router.urls))]
