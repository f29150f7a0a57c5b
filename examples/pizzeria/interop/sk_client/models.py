"""The mirrored pizzeria for client_backend on the server_kit pizzeria API (database `api`)."""

from __future__ import annotations

import mirror


class Creator(mirror.Creator):
    class APIMeta(mirror.Creator.APIMeta):
        db_name = "api"


class Menu(mirror.Menu):
    class APIMeta(mirror.Menu.APIMeta):
        db_name = "api"


class Topping(mirror.Topping):
    class APIMeta(mirror.Topping.APIMeta):
        db_name = "api"


class Pizza(mirror.Pizza):
    class APIMeta(mirror.Pizza.APIMeta):
        db_name = "api"


class Review(mirror.Review):
    class APIMeta(mirror.Review.APIMeta):
        db_name = "api"
