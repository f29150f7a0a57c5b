"""The mirrored pizzeria for client_backend on the dynamic-rest 2.3.0 API (database `dr`)."""

from __future__ import annotations

import mirror


class Creator(mirror.Creator):
    class APIMeta(mirror.Creator.APIMeta):
        db_name = "dr"


class Menu(mirror.Menu):
    class APIMeta(mirror.Menu.APIMeta):
        db_name = "dr"


class Topping(mirror.Topping):
    class APIMeta(mirror.Topping.APIMeta):
        db_name = "dr"


class Pizza(mirror.Pizza):
    class APIMeta(mirror.Pizza.APIMeta):
        db_name = "dr"


class Review(mirror.Review):
    class APIMeta(mirror.Review.APIMeta):
        db_name = "dr"
