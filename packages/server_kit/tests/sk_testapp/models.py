from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=100, blank=True, default="")
    password_hash = models.CharField(max_length=100, default="secret-hash")
    birthday = models.DateField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    mentor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees"
    )


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Book(models.Model):
    title = models.CharField(max_length=200)
    price = models.FloatField(default=10.0)
    published = models.DateField(null=True, blank=True)
    in_print = models.BooleanField(default=True)
    summary = models.TextField(blank=True, default="")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="edited_books"
    )
    tags = models.ManyToManyField(Tag, related_name="books", blank=True)


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    rating = models.IntegerField()
    text = models.CharField(max_length=200, blank=True, default="")
    hidden = models.BooleanField(default=False)


class Comment(models.Model):
    """Points at a review (whose serializer hides some rows) and, through a dotted source, on."""

    review = models.ForeignKey(Review, null=True, on_delete=models.CASCADE, related_name="comments")
    body = models.CharField(max_length=200, default="")


class Poster(models.Model):
    """A file field: rendered as its URL, uploaded as multipart."""

    title = models.CharField(max_length=100)
    file = models.FileField(upload_to="posters/", blank=True)


# -- every DRF relation field (issue 15): the models of DRF's "Serializer relations" page ------


class Artist(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class TaggedItem(models.Model):
    """Tags any row through a generic foreign key."""

    tag_name = models.SlugField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    tagged_object = GenericForeignKey("content_type", "object_id")

    def __str__(self) -> str:
        return self.tag_name


class Album(models.Model):
    album_name = models.CharField(max_length=100)
    # No related_name: the reverse field is the auto-built ``album_set``.
    artist = models.ForeignKey(Artist, null=True, blank=True, on_delete=models.SET_NULL)
    tags = GenericRelation(TaggedItem)

    def __str__(self) -> str:
        return self.album_name


class Track(models.Model):
    album = models.ForeignKey(Album, related_name="tracks", on_delete=models.CASCADE)
    order = models.IntegerField()
    title = models.CharField(max_length=100)
    duration = models.IntegerField(default=0)

    class Meta:
        unique_together = ("album", "order")
        ordering = ("order",)

    def __str__(self) -> str:
        return f"{self.order}: {self.title}"


class LinerNotes(models.Model):
    """One per album at most: the album's reverse one-to-one ``liner_notes``."""

    album = models.OneToOneField(Album, related_name="liner_notes", on_delete=models.CASCADE)
    text = models.CharField(max_length=200, default="")


class Bookmark(models.Model):
    url = models.URLField()
    tags = GenericRelation(TaggedItem)
