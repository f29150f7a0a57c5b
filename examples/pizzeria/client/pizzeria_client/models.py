"""The pizzeria's models, mirrored from the API: `APIMeta` puts them on the `api` database."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from client_backend.storage import RestApiStorage


def five_days_from_now() -> datetime.datetime:
    """Default end of a pizza's offer, as on the API."""
    return timezone.now() + datetime.timedelta(days=5)


class Creator(models.Model):
    """An API user who created pizzas (the API's `/users` resource, read-only)."""

    username = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)

    class APIMeta:
        resource_path = "users"
        resource_name = "user"
        resource_name_plural = "users"
        db_name = "api"

    def __str__(self) -> str:
        return self.username


class Menu(models.Model):
    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3)

    class APIMeta:
        resource_path = "menus"
        resource_name = "menu"
        resource_name_plural = "menus"
        db_name = "api"

    def __str__(self) -> str:
        return self.name


class Topping(models.Model):
    name = models.CharField(max_length=125)
    cost = models.FloatField()

    class APIMeta:
        resource_path = "toppings"
        resource_name = "topping"
        resource_name_plural = "toppings"
        db_name = "api"

    def __str__(self) -> str:
        return self.name


class Pizza(models.Model):
    name = models.CharField(max_length=125)
    # Money: exact decimals (the API sends them as strings, "12.50").
    price = models.DecimalField(max_digits=6, decimal_places=2)
    from_date = models.DateField(auto_now_add=True)
    to_date = models.DateTimeField(default=five_days_from_now)

    # db_column is the API field name, as django-rest-models clients write it.
    creator = models.ForeignKey(
        Creator,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pizzas",
        db_column="creator",
    )
    toppings = models.ManyToManyField(Topping, related_name="pizzas", blank=True)
    menu = models.ForeignKey(
        Menu,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pizzas",
        db_column="menu",
    )
    # Stored by the API: uploaded with the pizza's own write, read from the URL it gives.
    photo = models.ImageField(storage=RestApiStorage(), blank=True, null=True)

    class APIMeta:
        resource_path = "pizzas"
        resource_name = "pizza"
        resource_name_plural = "pizzas"
        db_name = "api"

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    pizza = models.ForeignKey(
        Pizza, on_delete=models.CASCADE, related_name="reviews", db_column="pizza"
    )
    author = models.CharField(max_length=80)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class APIMeta:
        resource_path = "reviews"
        resource_name = "review"
        resource_name_plural = "reviews"
        db_name = "api"

    def __str__(self) -> str:
        return f"{self.author}: {self.rating}/5"


class Chef(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    class APIMeta:
        db_name = "api"
        resource_path = "chefs"
        resource_name = "chef"
        resource_name_plural = "chefs"

    def __str__(self) -> str:
        return self.name


class Special(models.Model):
    """The API renders the chef as its slug and the pizza as its URL."""

    title = models.CharField(max_length=100)
    # The column holds the chef's slug, as the API renders it: to_field says so.
    chef = models.ForeignKey(
        Chef,
        to_field="slug",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_column="chef",
    )
    # The API renders the pizza as its URL: APIMeta.hyperlinked reads the id back from it
    # and writes send the pizza's URL. DO_NOTHING: the API cascades a pizza's deletion to its
    # specials itself, and Django's collector cannot read through a hyperlinked key.
    pizza = models.ForeignKey(
        Pizza, on_delete=models.DO_NOTHING, related_name="+", db_column="pizza"
    )

    class APIMeta:
        db_name = "api"
        hyperlinked = ("pizza",)
        resource_path = "specials"
        resource_name = "special"
        resource_name_plural = "specials"

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """A tag on any row: the API renders its target (a generic key) as `<model>:<id>`."""

    tag = models.SlugField()
    tagged_object = models.CharField(max_length=100, editable=False)

    class APIMeta:
        db_name = "api"
        resource_path = "tags"
        resource_name = "tag"
        resource_name_plural = "tags"

    def __str__(self) -> str:
        return self.tag
