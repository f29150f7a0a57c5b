from __future__ import annotations

from server_kit import DynamicMethodField, DynamicModelSerializer, DynamicRelationField

from .models import Author, Book, Comment, Poster, Review, Tag


class AuthorSerializer(DynamicModelSerializer):
    mentor = DynamicRelationField("AuthorSerializer", required=False, allow_null=True)
    mentees = DynamicRelationField("AuthorSerializer", many=True, read_only=True)
    books = DynamicRelationField("BookSerializer", many=True, read_only=True)
    edited_books = DynamicRelationField(
        "sk_testapp.serializers.BookSerializer", many=True, deferred=True, read_only=True
    )

    class Meta:
        model = Author
        fields = (
            "id",
            "name",
            "email",
            "birthday",
            "created",
            "mentor",
            "mentees",
            "books",
            "edited_books",
        )


class TagSerializer(DynamicModelSerializer):
    books = DynamicRelationField("BookSerializer", many=True, required=False)

    class Meta:
        model = Tag
        fields = ("id", "name", "books")


class ReviewSerializer(DynamicModelSerializer):
    book = DynamicRelationField("BookSerializer")

    class Meta:
        model = Review
        fields = ("id", "rating", "text", "book")

    def filter_queryset(self, queryset):
        return queryset.filter(hidden=False)


class BookSerializer(DynamicModelSerializer):
    author = DynamicRelationField(AuthorSerializer)
    editor = DynamicRelationField(AuthorSerializer, required=False, allow_null=True)
    tags = DynamicRelationField(TagSerializer, many=True, required=False)
    reviews = DynamicRelationField(ReviewSerializer, many=True, read_only=True)
    shout = DynamicMethodField(deferred=True)

    class Meta:
        model = Book
        name = "book"
        plural_name = "books"
        fields = (
            "id",
            "title",
            "price",
            "published",
            "in_print",
            "summary",
            "author",
            "editor",
            "tags",
            "reviews",
            "shout",
        )
        deferred_fields = ("summary",)

    def get_shout(self, obj):
        return obj.title.upper()


class CommentSerializer(DynamicModelSerializer):
    review = DynamicRelationField(ReviewSerializer, reverse_optional="test: hooked to-one target")
    review_book = DynamicRelationField(
        BookSerializer, source="review.book", read_only=True, reverse_optional="test: dotted"
    )
    review_book_author = DynamicRelationField(
        AuthorSerializer, source="review.book.author", read_only=True, reverse_optional="test"
    )

    class Meta:
        model = Comment
        fields = ("id", "body", "review", "review_book", "review_book_author")


class PosterSerializer(DynamicModelSerializer):
    class Meta:
        model = Poster
        fields = ("id", "title", "file")
