from __future__ import annotations

from django.apps import AppConfig


class PizzeriaApiConfig(AppConfig):
    name = "pizzeria_api"
    verbose_name = "Pizzeria API"
