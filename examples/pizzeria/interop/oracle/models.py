"""The oracle: the same pizzeria read straight from the API's SQLite file with Django's ORM.

Unmanaged models on the API's own tables (`routers.OracleRouter` sends them to the `oracle`
database), with the mirror's field and relation names, so one ORM expression runs unchanged on
the oracle and on every API client, and the oracle's answer is the expected one.
"""

from __future__ import annotations

from django.db import models


class Creator(models.Model):
    username = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)

    class Meta:
        managed = False
        db_table = "auth_user"


class Menu(models.Model):
    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3)

    class Meta:
        managed = False
        db_table = "pizzeria_api_menu"


class Topping(models.Model):
    name = models.CharField(max_length=125)
    cost = models.FloatField()

    class Meta:
        managed = False
        db_table = "pizzeria_api_topping"


class Pizza(models.Model):
    name = models.CharField(max_length=125)
    price = models.FloatField()
    from_date = models.DateField()
    to_date = models.DateTimeField()
    creator = models.ForeignKey(
        Creator, null=True, on_delete=models.SET_NULL, related_name="pizzas"
    )
    toppings = models.ManyToManyField(
        Topping, related_name="pizzas", db_table="pizzeria_api_pizza_toppings"
    )
    menu = models.ForeignKey(Menu, null=True, on_delete=models.SET_NULL, related_name="pizzas")

    class Meta:
        managed = False
        db_table = "pizzeria_api_pizza"


class Review(models.Model):
    pizza = models.ForeignKey(Pizza, on_delete=models.CASCADE, related_name="reviews")
    author = models.CharField(max_length=80)
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "pizzeria_api_review"
