"""A drf-flex-fields style API on the test models, built with server_kit.flex only."""

from __future__ import annotations

from rest_framework import generics, serializers

from server_kit.flex import (
    FlexFieldsFilterBackend,
    FlexFieldsModelSerializer,
    FlexFieldsModelViewSet,
)

from .models import Author, Book, Review, Tag


class FlexTagSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class FlexAuthorSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "name"]
        expandable_fields = {"mentor": "sk_testapp.flex_api.FlexAuthorSerializer"}


class FlexReviewSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "rating"]


class FlexBookSerializer(FlexFieldsModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title", "price", "author", "tags"]
        expandable_fields = {
            "author": FlexAuthorSerializer,
            "tags": (FlexTagSerializer, {"many": True}),
            "reviews": ("sk_testapp.flex_api.FlexReviewSerializer", {"many": True}),
            "shout": serializers.SerializerMethodField,
        }

    def get_shout(self, book: Book) -> str:
        return book.title.upper()


class FlexBookViewSet(FlexFieldsModelViewSet):
    serializer_class = FlexBookSerializer
    queryset = Book.objects.order_by("id")
    permit_list_expands = ["author", "author.mentor", "tags", "reviews", "shout"]


class FlexBookList(generics.ListAPIView):  # type: ignore[type-arg]
    """A plain DRF view: the serializer reads expand/fields/omit from context["request"]."""

    serializer_class = FlexBookSerializer
    queryset = Book.objects.order_by("id")
    filter_backends = [FlexFieldsFilterBackend]
