from __future__ import annotations

from django.apps import AppConfig


class PizzeriaClientConfig(AppConfig):
    name = "pizzeria_client"
    verbose_name = "Pizzeria (through the API)"
