"""Server side of the integration tests: the models the API serves (default database)."""

from __future__ import annotations

import datetime as dt

from django.db import models


def _in_five_days() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=5)


class Menu(models.Model):
    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3)

    class Meta:
        app_label = "cb_kitchen"


class Topping(models.Model):
    name = models.CharField(max_length=125)
    cost = models.FloatField()

    class Meta:
        app_label = "cb_kitchen"


class Pizza(models.Model):
    name = models.CharField(max_length=125)
    price = models.FloatField()
    vegan = models.BooleanField(default=False)
    from_date = models.DateField(default=dt.date.today)
    to_date = models.DateTimeField(default=_in_five_days)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    menu = models.ForeignKey(
        Menu, null=True, blank=True, related_name="pizzas", on_delete=models.CASCADE
    )
    toppings = models.ManyToManyField(Topping, related_name="pizzas", blank=True)

    class Meta:
        app_label = "cb_kitchen"


class Leaflet(models.Model):
    """Files: a plain one and a picture (a FileField here, an ImageField on the client)."""

    title = models.CharField(max_length=100)
    attachment = models.FileField(upload_to="leaflets/", blank=True)
    picture = models.FileField(upload_to="pictures/", blank=True, null=True)

    class Meta:
        app_label = "cb_kitchen"
