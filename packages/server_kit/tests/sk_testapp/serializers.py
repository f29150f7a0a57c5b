from __future__ import annotations

from rest_framework import serializers

from server_kit import DynamicMethodField, DynamicModelSerializer, DynamicRelationField

from .models import (
    Album,
    Artist,
    Author,
    Book,
    Bookmark,
    Comment,
    LinerNotes,
    Poster,
    Review,
    Tag,
    TaggedItem,
    Track,
)


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


# -- every DRF relation field (issue 15) ------------------------------------------------------


class TrackListingField(serializers.RelatedField):
    """DRF's custom relational field example: a track as one line of text."""

    def to_representation(self, value):
        minutes, seconds = divmod(value.duration, 60)
        return f"Track {value.order}: {value.title} ({minutes:02d}:{seconds:02d})"


class TaggedObjectRelatedField(serializers.RelatedField):
    """DRF's generic relationship example: the tagged row, whatever its model."""

    def to_representation(self, value):
        if isinstance(value, Album):
            return f"Album: {value.album_name}"
        if isinstance(value, Bookmark):
            return f"Bookmark: {value.url}"
        raise TypeError(f"Unexpected type of tagged object: {type(value).__name__}")


class TrackSerializer(DynamicModelSerializer):
    class Meta:
        model = Track
        fields = ("id", "order", "title", "duration", "album")


class NestedTrackSerializer(serializers.ModelSerializer):
    """A plain DRF nested serializer (no server_kit field in it)."""

    class Meta:
        model = Track
        fields = ("order", "title")


class ArtistBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ("slug", "name")


class LinerNotesSerializer(DynamicModelSerializer):
    album = DynamicRelationField("AlbumSerializer")

    class Meta:
        model = LinerNotes
        fields = ("id", "text", "album")


class ArtistSerializer(DynamicModelSerializer):
    class Meta:
        model = Artist
        # album_set: the reverse field ModelSerializer builds (a ManyRelatedField of pks).
        fields = ("id", "slug", "name", "album_set")


class AlbumSerializer(DynamicModelSerializer):
    """One field of each relation class DRF documents, all on ``Album``."""

    url = serializers.HyperlinkedIdentityField(view_name="albums-detail")
    # queryset=: what writes may link (DRF's rule); reads show any artist.
    artist = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Artist.objects.exclude(slug__startswith="retired-"),
        allow_null=True,
        required=False,
    )
    artist_pk = serializers.PrimaryKeyRelatedField(source="artist", read_only=True)
    artist_url = serializers.HyperlinkedRelatedField(
        source="artist", view_name="artists-detail", read_only=True
    )
    artist_link = serializers.HyperlinkedRelatedField(
        source="artist", view_name="slugged-artist-detail", lookup_field="slug", read_only=True
    )
    artist_name = serializers.StringRelatedField(source="artist")
    artist_object = ArtistBriefSerializer(source="artist", read_only=True)
    artist_full = ArtistSerializer(source="artist", read_only=True)  # a dynamic one, nested
    note_objects = LinerNotesSerializer(source="liner_notes", read_only=True)
    track_ids = serializers.PrimaryKeyRelatedField(source="tracks", many=True, read_only=True)
    track_titles = serializers.SlugRelatedField(
        source="tracks", slug_field="title", many=True, read_only=True
    )
    track_names = serializers.StringRelatedField(source="tracks", many=True)
    track_listing = TrackListingField(source="tracks", many=True, read_only=True)
    track_objects = NestedTrackSerializer(source="tracks", many=True, read_only=True)
    tag_names = serializers.SlugRelatedField(
        source="tags", slug_field="tag_name", many=True, read_only=True
    )
    tags = DynamicRelationField("TaggedItemSerializer", many=True, read_only=True)
    liner_notes = DynamicRelationField(LinerNotesSerializer, read_only=True)

    class Meta:
        model = Album
        fields = (
            "id",
            "album_name",
            "url",
            "artist",
            "artist_pk",
            "artist_url",
            "artist_link",
            "artist_name",
            "artist_object",
            "artist_full",
            "note_objects",
            "track_ids",
            "track_titles",
            "track_names",
            "track_listing",
            "track_objects",
            "tag_names",
            "tags",
            "liner_notes",
        )


class WritableAlbumSerializer(DynamicModelSerializer):
    """A writable nested serializer: an album posted with its tracks."""

    tracks = NestedTrackSerializer(many=True)

    class Meta:
        model = Album
        name = "album"
        plural_name = "albums"
        fields = ("id", "album_name", "artist", "tracks")

    def create(self, validated_data):
        tracks = validated_data.pop("tracks")
        album = Album.objects.create(**validated_data)
        Track.objects.bulk_create([Track(album=album, **track) for track in tracks])
        return album


class TaggedItemSerializer(DynamicModelSerializer):
    tagged_object = TaggedObjectRelatedField(read_only=True)

    class Meta:
        model = TaggedItem
        fields = ("id", "tag_name", "tagged_object")


class BookmarkSerializer(DynamicModelSerializer):
    tags = DynamicRelationField(TaggedItemSerializer, many=True, read_only=True)

    class Meta:
        model = Bookmark
        fields = ("id", "url", "tags")


class PlainBookSerializer(DynamicModelSerializer):
    """Relations declared as dynamic-rest projects do: no required/allow_null flags."""

    author = DynamicRelationField(AuthorSerializer)
    editor = DynamicRelationField(  # null=True FK: optional, nullable
        AuthorSerializer, link=lambda name, field, data, book: f"/authors/{book.editor_id}/"
    )
    tags = DynamicRelationField(TagSerializer, many=True)
    labels = DynamicRelationField(TagSerializer, source="tags", many=True)
    reviews = DynamicRelationField(ReviewSerializer, many=True)  # reverse: optional
    review_count = DynamicMethodField(requires=["reviews.*"], deferred=True)

    class Meta:
        model = Book
        name = "plain_book"
        fields = ("id", "title", "author", "editor", "tags", "labels", "reviews", "review_count")

    def get_review_count(self, book: Book) -> int:
        return len(book.reviews.all())
