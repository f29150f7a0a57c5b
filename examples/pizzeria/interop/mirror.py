"""The pizzeria as a client sees it: abstract models that every interop client app makes concrete.

One shape for every peer pair, so that a difference in results can only come from the backend
and the server. Foreign keys carry `db_column` = the API field name, as django-rest-models
requires. Each concrete model adds `class APIMeta(<abstract>.APIMeta): db_name = "<alias>"`.
"""

from __future__ import annotations

from django.db import models


class Creator(models.Model):
    username = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True

    class APIMeta:
        resource_path = "users"
        resource_name = "user"
        resource_name_plural = "users"


class Menu(models.Model):
    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3)

    class Meta:
        abstract = True

    class APIMeta:
        resource_path = "menus"
        resource_name = "menu"
        resource_name_plural = "menus"


class Topping(models.Model):
    name = models.CharField(max_length=125)
    cost = models.FloatField()

    class Meta:
        abstract = True

    class APIMeta:
        resource_path = "toppings"
        resource_name = "topping"
        resource_name_plural = "toppings"


class Pizza(models.Model):
    name = models.CharField(max_length=125)
    price = models.FloatField()
    from_date = models.DateField(auto_now_add=True)
    to_date = models.DateTimeField()
    creator = models.ForeignKey(
        "Creator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pizzas",
        db_column="creator",
    )
    toppings = models.ManyToManyField("Topping", related_name="pizzas", blank=True)
    menu = models.ForeignKey(
        "Menu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pizzas",
        db_column="menu",
    )

    class Meta:
        abstract = True

    class APIMeta:
        resource_path = "pizzas"
        resource_name = "pizza"
        resource_name_plural = "pizzas"


class Review(models.Model):
    pizza = models.ForeignKey(
        "Pizza", on_delete=models.CASCADE, related_name="reviews", db_column="pizza"
    )
    author = models.CharField(max_length=80)
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    class APIMeta:
        resource_path = "reviews"
        resource_name = "review"
        resource_name_plural = "reviews"
