"""The guided tour: ORM calls on the API models, each with its result and its HTTP requests."""

from __future__ import annotations

import ast
import pprint
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from django.db import connections
from django.db.models import Count, Prefetch, Q
from django.test.utils import CaptureQueriesContext

from pizzeria_client.models import Creator, Menu, Pizza, Review, Topping

RESULT_WIDTH = 100
RESULT_LINES = 8


@dataclass(frozen=True)
class Step:
    """One tour stop: a title and Python source whose last line's value is shown."""

    title: str
    source: str


STEPS = [
    Step("How many pizzas? One small request", "Pizza.objects.count()"),
    Step(
        "Filter and sort",
        'list(Pizza.objects.filter(price__lt=10).order_by("price", "name")[:5])',
    ),
    Step(
        "Lookups through relations (forward FK and many-to-many)",
        'list(Pizza.objects.filter(menu__code="VEG", toppings__name__icontains="o")'
        '.order_by("id").values_list("name", flat=True)[:5])',
    ),
    Step(
        "OR, pushed to the server",
        'Pizza.objects.filter(Q(name__startswith="Margherita") | Q(price__gte=15.5)).count()',
    ),
    Step(
        "NOT over an OR (exclude)",
        'Pizza.objects.exclude(Q(menu__code="SPI") | Q(price__gt=12)).count()',
    ),
    Step("first(): one row", 'pizza = Pizza.objects.order_by("id").first()'),
    Step("get(pk=...): the detail URL", "Pizza.objects.get(pk=pizza.pk)"),
    Step("A forward foreign key, loaded lazily", "pizza.menu"),
    Step("A reverse foreign key", "list(pizza.reviews.all())"),
    Step("A many-to-many relation", "[topping.name for topping in pizza.toppings.all()]"),
    Step(
        "select_related: the menu and creator ride on the same request",
        '[(p.name, p.menu.name, p.creator.username) for p in Pizza.objects.select_related("menu", '
        '"creator").order_by("id")[:3]]',
    ),
    Step(
        "prefetch_related: one request per relation, however many menus",
        '[(menu.name, len(menu.pizzas.all())) for menu in Menu.objects.prefetch_related("pizzas")'
        '.order_by("name")]',
    ),
    Step(
        "Reverse relation filter with a Prefetch queryset",
        'creator = Creator.objects.prefetch_related(Prefetch("pizzas", '
        'queryset=Pizza.objects.order_by("-price"))).get(username="mario")\n'
        "[p.price for p in creator.pizzas.all()][:5]",
    ),
    Step(
        "A window of rows anywhere in the list, one request",
        'list(Pizza.objects.order_by("id").values_list("id", flat=True)[40:45])',
    ),
    Step(
        "Projection with values()",
        'list(Topping.objects.order_by("-cost", "name").values("name", "cost")[:3])',
    ),
    Step("Counting is an aggregate the API answers", 'Review.objects.aggregate(n=Count("id"))'),
    Step("exists()", 'Pizza.objects.filter(name="Pineapple Surprise").exists()'),
    Step(
        "iterator(): pages of OPTIONS['PAGE_SIZE'] rows fetched as needed, constant memory",
        'sum(review.rating for review in Review.objects.order_by("id").iterator())',
    ),
    Step(
        "Create",
        'special = Pizza.objects.create(name="Tour Special", price=12.5, '
        'menu=Menu.objects.get(code="SEA"))',
    ),
    Step(
        "Set its toppings (many-to-many)",
        'special.toppings.set(Topping.objects.filter(name__in=["Mozzarella", "Basil"]))\n'
        'sorted(special.toppings.values_list("name", flat=True))',
    ),
    Step("Update with QuerySet.update()", "Pizza.objects.filter(pk=special.pk).update(price=13.0)"),
    Step(
        "Change and save()",
        'special.name = "Tour Special Deluxe"\nspecial.save()\nPizza.objects.get(pk=special.pk)',
    ),
    Step(
        "bulk_create reviews",
        "reviews = Review.objects.bulk_create(\n"
        '    [Review(pizza=special, author=name, rating=5) for name in ("Ada", "Alan")]\n'
        ")\n[r.pk is not None for r in reviews]",
    ),
    Step("Delete (the reviews cascade)", "special.delete()"),
]


def run_step(step: Step, namespace: dict[str, Any]) -> Any:
    """Execute the step's statements and return the value of its last line.

    A last line that assigns shows the assigned value.
    """
    module = ast.parse(step.source)
    *body, last = module.body
    exec(compile(ast.Module(body=body, type_ignores=[]), "<tour>", "exec"), namespace)
    if isinstance(last, ast.Expr):
        return eval(compile(ast.Expression(last.value), "<tour>", "eval"), namespace)
    exec(compile(ast.Module(body=[last], type_ignores=[]), "<tour>", "exec"), namespace)
    if isinstance(last, ast.Assign) and isinstance(last.targets[0], ast.Name):
        return namespace[last.targets[0].id]
    return None


def shorten(value: Any) -> str:
    text = pprint.pformat(value, width=RESULT_WIDTH, compact=True)
    lines = text.splitlines()
    if len(lines) > RESULT_LINES:
        lines = [*lines[:RESULT_LINES], f"... ({len(lines) - RESULT_LINES} more lines)"]
    return "\n".join(lines)


def run_tour(write: Callable[[str], None], database: str = "api") -> None:
    """Run every step, writing its source, result and HTTP requests."""
    namespace: dict[str, Any] = {
        "Count": Count,
        "Creator": Creator,
        "Menu": Menu,
        "Pizza": Pizza,
        "Prefetch": Prefetch,
        "Q": Q,
        "Review": Review,
        "Topping": Topping,
    }
    connection = connections[database]
    total = 0
    for number, step in enumerate(STEPS, start=1):
        write(f"\n[{number}/{len(STEPS)}] {step.title}")
        for line in step.source.splitlines():
            # Continuation lines of a multi-line statement get the interpreter's "..." prompt.
            write(f"{'...' if line.startswith((' ', ')')) else '>>>'} {line}")
        with CaptureQueriesContext(connection) as captured:
            result = run_step(step, namespace)
        write(shorten(result))
        # Unquoted, `filter{price.lt}=10.0` reads better than its percent-encoding.
        requests = [unquote_plus(query["sql"]) for query in captured.captured_queries]
        total += len(requests)
        write(f"    HTTP requests: {len(requests)}")
        for request in requests:
            write(f"      {request}")
    write(f"\nTour complete: {len(STEPS)} steps, {total} HTTP requests.")
