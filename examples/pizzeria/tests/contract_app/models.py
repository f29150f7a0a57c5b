"""A client model that drifted from the API: `spiciness` does not exist on `/pizzas`."""

from __future__ import annotations

from django.db import models


class DriftedPizza(models.Model):
    name = models.CharField(max_length=125)
    price = models.FloatField()
    spiciness = models.IntegerField(default=0)

    class APIMeta:
        resource_path = "pizzas"
        resource_name = "pizza"
        resource_name_plural = "pizzas"
