"""`manage.py seed --pizzas N`: realistic, deterministic pizzeria data and the API accounts."""

from __future__ import annotations

import datetime
import decimal
import os
import random
from typing import Any

from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pizzeria_api.models import Chef, Menu, Pizza, Review, Special, Tag, Topping

MENUS = [
    ("Classics", "CLA"),
    ("Vegetarian", "VEG"),
    ("Spicy", "SPI"),
    ("Seasonal", "SEA"),
    ("Kids", "KID"),
]
TOPPINGS = [
    ("Tomato sauce", 0.5),
    ("Mozzarella", 1.2),
    ("Basil", 0.3),
    ("Ham", 1.5),
    ("Mushrooms", 0.9),
    ("Olives", 0.8),
    ("Artichokes", 1.4),
    ("Pepperoni", 1.6),
    ("Spicy salami", 1.7),
    ("Anchovies", 1.3),
    ("Capers", 0.6),
    ("Red onion", 0.4),
    ("Peppers", 0.7),
    ("Gorgonzola", 1.8),
    ("Parmesan", 1.5),
    ("Ricotta", 1.1),
    ("Rocket", 0.6),
    ("Prosciutto", 2.2),
    ("Pineapple", 0.9),
    ("Jalapenos", 0.8),
    ("Garlic", 0.2),
    ("Spinach", 0.7),
    ("Egg", 0.6),
    ("Truffle oil", 2.5),
]
CREATORS = [
    ("mario", "Mario", "Rossi"),
    ("luigi", "Luigi", "Verdi"),
    ("sofia", "Sofia", "Bianchi"),
    ("giulia", "Giulia", "Romano"),
    ("marco", "Marco", "Ferrari"),
    ("chiara", "Chiara", "Esposito"),
]
PIZZA_NAMES = [
    "Margherita",
    "Marinara",
    "Napoletana",
    "Quattro Formaggi",
    "Capricciosa",
    "Diavola",
    "Prosciutto e Funghi",
    "Quattro Stagioni",
    "Ortolana",
    "Bufalina",
    "Boscaiola",
    "Tonno e Cipolla",
    "Parmigiana",
    "Carbonara",
    "Pugliese",
    "Siciliana",
    "Romana",
    "Vesuvio",
    "Hawaiian",
    "Calabrese",
]
STYLES = ["", "Speciale", "Bianca", "Piccante", "Gigante", "della Casa", "Rustica", "al Tartufo"]
REVIEWERS = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances"]
COMMENTS = {
    1: "Burnt crust, cold in the middle.",
    2: "Too salty for me.",
    3: "Fine, nothing special.",
    4: "Very good, generous toppings.",
    5: "Best pizza in town!",
}
#: Offers end 1 to 90 days after the seeding day, at 18:00 UTC and up to 4 hours later:
#: never before `from_date` (the seeding day, `auto_now_add`).
OFFER_END = datetime.time(18, 0, tzinfo=datetime.UTC)
BATCH = 500

# The API accounts: `restbridge` may write everything, `guest` may only read (writes get 403).
# Tokens and passwords come from the environment so a deployment can change them.
ACCOUNTS = {
    "restbridge": ("PIZZERIA_API_PASSWORD", "restbridge", "PIZZERIA_API_TOKEN", "restbridge-token"),
    "guest": ("PIZZERIA_GUEST_PASSWORD", "guest", "PIZZERIA_GUEST_TOKEN", "guest-token"),
}


def pizza_name(index: int) -> str:
    """The index-th pizza name: every base, then every base in every style, then numbered."""
    base = PIZZA_NAMES[index % len(PIZZA_NAMES)]
    style = STYLES[(index // len(PIZZA_NAMES)) % len(STYLES)]
    round_ = index // (len(PIZZA_NAMES) * len(STYLES))
    name = f"{base} {style}".strip()
    return f"{name} {round_ + 1}" if round_ else name


class Command(BaseCommand):
    help = "Fill the pizzeria with deterministic data and create the API accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pizzas", type=int, default=50, help="How many pizzas (default 50).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush", action="store_true", help="Delete existing pizzeria data first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["pizzas"]
        if count < 0:
            raise CommandError("--pizzas must be zero or more.")
        with transaction.atomic():
            if options["flush"]:
                self.flush()
            elif Pizza.objects.exists() or Menu.objects.exists():
                raise CommandError("The pizzeria already has data. Add --flush to replace it.")
            self.create_accounts()
            self.create_pizzas(count, random.Random(options["seed"]))
        self.stdout.write(
            f"Seeded {Menu.objects.count()} menus, {Topping.objects.count()} toppings, "
            f"{Pizza.objects.count()} pizzas, {Review.objects.count()} reviews."
        )

    def flush(self) -> None:
        Tag.objects.all().delete()
        Special.objects.all().delete()
        Chef.objects.all().delete()
        Review.objects.all().delete()
        Pizza.objects.all().delete()
        Menu.objects.all().delete()
        Topping.objects.all().delete()
        User.objects.filter(username__in=[c[0] for c in CREATORS]).delete()

    def create_accounts(self) -> None:
        writer = Permission.objects.filter(
            content_type__app_label="pizzeria_api",
            codename__regex=r"^(add|change|delete|view)_",
        )
        for username, (pw_env, pw_default, token_env, token_default) in ACCOUNTS.items():
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(os.environ.get(pw_env, pw_default))
            user.save()
            if username == "restbridge":
                user.user_permissions.set(writer)
            Token.objects.filter(user=user).delete()
            Token.objects.create(user=user, key=os.environ.get(token_env, token_default))

    def create_pizzas(self, count: int, rng: random.Random) -> None:
        creators = [
            User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )[0]
            for username, first, last in CREATORS
        ]
        menus = Menu.objects.bulk_create(Menu(name=n, code=c) for n, c in MENUS)
        toppings = Topping.objects.bulk_create(Topping(name=n, cost=c) for n, c in TOPPINGS)
        first_end = datetime.datetime.combine(timezone.now().date(), OFFER_END)
        pizzas = Pizza.objects.bulk_create(
            (
                Pizza(
                    name=pizza_name(i),
                    price=decimal.Decimal(rng.randint(13, 32)) / 2,
                    to_date=first_end + datetime.timedelta(days=1 + i % 90, hours=i % 5),
                    menu=rng.choice(menus),
                    creator=rng.choice(creators),
                )
                for i in range(count)
            ),
            batch_size=BATCH,
        )
        through = Pizza.toppings.through
        through.objects.bulk_create(
            (
                through(pizza_id=pizza.pk, topping_id=topping.pk)
                for pizza in pizzas
                for topping in rng.sample(toppings, 3)
            ),
            batch_size=BATCH,
        )
        reviews = []
        for pizza in pizzas:
            for _ in range(2):
                rating = rng.randint(1, 5)
                reviews.append(
                    Review(
                        pizza=pizza,
                        author=rng.choice(REVIEWERS),
                        rating=rating,
                        comment=COMMENTS[rating],
                    )
                )
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        self.create_specials(pizzas)

    def create_specials(self, pizzas: list[Pizza]) -> None:
        """A special per chef (the first pizzas), tagged; some pizzas tagged too."""
        chefs = Chef.objects.bulk_create(
            Chef(slug=username, name=f"{first} {last}") for username, first, last in CREATORS
        )
        specials = Special.objects.bulk_create(
            Special(title=f"{chef.name}'s special", chef=chef, pizza=pizza)
            for chef, pizza in zip(chefs, pizzas, strict=False)
        )
        tagged: list[Pizza | Special] = [*specials, *pizzas[: len(specials)]]
        Tag.objects.bulk_create(
            Tag(tagged_object=row, tag=tag)
            for index, row in enumerate(tagged)
            for tag in (("spicy", "new") if index % 2 else ("classic",))
        )
