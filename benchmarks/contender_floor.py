"""The floor: `values()` plus `json.dumps`, no serializer, the same JSON as restbridge sends."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path
from pizzeria_api.models import Menu, Pizza, Review, Topping

PIZZA_FIELDS = ("id", "name", "price", "from_date", "to_date", "creator", "menu")
REVIEW_FIELDS = ("id", "pizza", "author", "rating", "comment", "created_at")


def respond(body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(body, cls=DjangoJSONEncoder), content_type="application/json")


def with_topping_ids(pizzas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    through = Pizza.toppings.through.objects
    links = through.filter(pizza_id__in=[p["id"] for p in pizzas]).values_list(
        "pizza_id", "topping_id"
    )
    ids: dict[int, list[int]] = defaultdict(list)
    for pizza_id, topping_id in links.order_by("id"):
        ids[pizza_id].append(topping_id)
    for pizza in pizzas:
        pizza["toppings"] = ids[pizza["id"]]
    return pizzas


def page(request: HttpRequest, rows: QuerySet[Any], fields: Iterable[str]) -> tuple[list, dict]:
    per_page = int(request.GET.get("per_page", 100))
    number = int(request.GET.get("page", 1))
    total = rows.count()
    window = list(rows.values(*fields)[(number - 1) * per_page : number * per_page])
    meta = {
        "page": number,
        "per_page": per_page,
        "total_results": total,
        "total_pages": math.ceil(total / per_page),
    }
    return window, meta


def pizzas(request: HttpRequest) -> HttpResponse:
    rows = Pizza.objects.all()
    if "price__gte" in request.GET:
        rows = rows.filter(price__gte=float(request.GET["price__gte"]))
    if "menu__name" in request.GET:
        rows = rows.filter(menu__name=request.GET["menu__name"])
    rows = rows.order_by(*request.GET.get("ordering", "id").split(","))
    window, meta = page(request, rows, PIZZA_FIELDS)
    return respond({"pizzas": with_topping_ids(window), "meta": meta})


def pizzas_included(request: HttpRequest) -> HttpResponse:
    window, meta = page(request, Pizza.objects.order_by("id"), PIZZA_FIELDS)
    with_topping_ids(window)
    topping_ids = {t for p in window for t in p["toppings"]}
    return respond(
        {
            "pizzas": window,
            "toppings": list(
                Topping.objects.filter(id__in=topping_ids).values("id", "name", "cost")
            ),
            "menus": list(
                Menu.objects.filter(id__in={p["menu"] for p in window}).values("id", "name", "code")
            ),
            "users": list(
                User.objects.filter(id__in={p["creator"] for p in window}).values(
                    "id", "username", "first_name", "last_name"
                )
            ),
            "meta": meta,
        }
    )


def reviews_deep(request: HttpRequest) -> HttpResponse:
    window, meta = page(request, Review.objects.order_by("id"), REVIEW_FIELDS)
    pizza_rows = with_topping_ids(
        list(Pizza.objects.filter(id__in={r["pizza"] for r in window}).values(*PIZZA_FIELDS))
    )
    topping_ids = {t for p in pizza_rows for t in p["toppings"]}
    return respond(
        {
            "reviews": window,
            "pizzas": pizza_rows,
            "toppings": list(
                Topping.objects.filter(id__in=topping_ids).values("id", "name", "cost")
            ),
            "meta": meta,
        }
    )


def pizza_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = Pizza.objects.values(*PIZZA_FIELDS).get(pk=pk)
    return respond({"pizza": with_topping_ids([row])[0]})


urlpatterns = [
    path("pizzas/", pizzas),
    path("pizzas-included/", pizzas_included),
    path("reviews-deep/", reviews_deep),
    path("pizzas/<int:pk>/", pizza_detail),
]
