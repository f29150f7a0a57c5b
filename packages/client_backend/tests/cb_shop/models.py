"""Client side of the tests: django-rest-models style mirrors with APIMeta."""

from __future__ import annotations

from django.db import models

from client_backend.queryset import APIManager
from client_backend.storage import RestApiStorage


class Menu(models.Model):
    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3)

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "menus"
        resource_name = "menu"
        resource_name_plural = "menus"


class Topping(models.Model):
    name = models.CharField(max_length=125)
    cost = models.FloatField()

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "toppings"
        resource_name = "topping"
        resource_name_plural = "toppings"


class Pizza(models.Model):
    name = models.CharField(max_length=125)
    price = models.FloatField()
    vegan = models.BooleanField(default=False)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(null=True, blank=True)
    menu = models.ForeignKey(
        Menu,
        null=True,
        blank=True,
        related_name="pizzas",
        on_delete=models.CASCADE,
        db_column="menu",
    )
    toppings = models.ManyToManyField(Topping, related_name="pizzas", blank=True)

    objects = APIManager()

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "pizzas"
        resource_name = "pizza"
        resource_name_plural = "pizzas"


class PlainPizza(models.Model):
    """The same resource on a server with only plain dynamic-rest features."""

    name = models.CharField(max_length=125)
    price = models.FloatField()
    vegan = models.BooleanField(default=False)
    menu = models.ForeignKey(
        Menu, null=True, blank=True, related_name="+", on_delete=models.DO_NOTHING, db_column="menu"
    )

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "/plain/pizzas"
        resource_name = "pizza"
        resource_name_plural = "pizzas"
        db_name = "api"


class Local(models.Model):
    """A model of the local database, to check the router refuses mixed relations."""

    label = models.CharField(max_length=20)

    class Meta:
        app_label = "cb_shop"


class HiddenPizza(models.Model):
    """Its toppings have no reverse name (``related_name="+"``)."""

    name = models.CharField(max_length=125)
    toppings = models.ManyToManyField(Topping, related_name="+", blank=True)

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "pizzas"
        resource_name = "pizza"
        resource_name_plural = "pizzas"


class CodedMenu(models.Model):
    """The menus keyed by their (unique) code, as the ``cards`` resource renders them."""

    name = models.CharField(max_length=135)
    code = models.CharField(max_length=3, unique=True)

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "menus"
        resource_name = "menu"
        resource_name_plural = "menus"


class Card(models.Model):
    """A pizza whose menu the API renders as the menu's code (a SlugRelatedField)."""

    name = models.CharField(max_length=125)
    price = models.FloatField()
    menu = models.ForeignKey(
        CodedMenu,
        to_field="code",
        null=True,
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_column="menu",
    )
    menu_name = models.CharField(max_length=135, null=True)
    # The API renders it as the menu's URL; APIMeta.hyperlinked reads the id back from it.
    menu_url = models.ForeignKey(
        Menu, null=True, related_name="+", on_delete=models.DO_NOTHING, db_column="menu_url"
    )

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        hyperlinked = ("menu_url",)
        resource_path = "cards"
        resource_name = "card"
        resource_name_plural = "cards"


class Leaflet(models.Model):
    """File fields stored by the API (django-rest-models' RestApiStorage)."""

    title = models.CharField(max_length=100)
    attachment = models.FileField(storage=RestApiStorage(), blank=True)
    picture = models.ImageField(storage=RestApiStorage(), blank=True, null=True)

    class Meta:
        app_label = "cb_shop"

    class APIMeta:
        resource_path = "leaflets"
        resource_name = "leaflet"
        resource_name_plural = "leaflets"
