from __future__ import annotations

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
