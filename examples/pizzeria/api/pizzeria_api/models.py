"""The pizzeria: the django-rest-models quick-start models, plus reviews."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


def five_days_from_now() -> datetime.datetime:
    """Default end of a pizza's offer (the seed's `auto_now_plus_5d`)."""
    return timezone.now() + datetime.timedelta(days=5)


class Menu(models.Model):
    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3)

    def __str__(self) -> str:
        return self.name


class Topping(models.Model):
    name = models.CharField(max_length=125)
    cost = models.FloatField()

    def __str__(self) -> str:
        return self.name


class Pizza(models.Model):
    name = models.CharField(max_length=125)
    # Money: exact decimals (the API sends them as strings, "12.50").
    price = models.DecimalField(max_digits=6, decimal_places=2)
    from_date = models.DateField(auto_now_add=True)
    to_date = models.DateTimeField(default=five_days_from_now)

    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="pizzas"
    )
    toppings = models.ManyToManyField(Topping, related_name="pizzas")
    menu = models.ForeignKey(Menu, null=True, on_delete=models.SET_NULL, related_name="pizzas")
    photo = models.ImageField(upload_to="pizzas/", blank=True, null=True)

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    pizza = models.ForeignKey(Pizza, on_delete=models.CASCADE, related_name="reviews")
    author = models.CharField(max_length=80)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.author} on {self.pizza_id}: {self.rating}/5"


class Chef(models.Model):
    """Known by a unique slug: specials render their chef as it."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A tag on any row (a generic foreign key)."""

    tag = models.SlugField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    tagged_object = GenericForeignKey("content_type", "object_id")

    def __str__(self) -> str:
        return self.tag


class Special(models.Model):
    """A pizza of the day: DRF's own relation fields (slug, hyperlink, generic) on the wire."""

    title = models.CharField(max_length=100)
    chef = models.ForeignKey(
        Chef, null=True, blank=True, on_delete=models.SET_NULL, related_name="specials"
    )
    pizza = models.ForeignKey(Pizza, on_delete=models.CASCADE, related_name="specials")
    tags = GenericRelation(Tag)

    def __str__(self) -> str:
        return self.title
