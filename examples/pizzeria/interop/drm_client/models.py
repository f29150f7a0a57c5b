"""The mirrored pizzeria for django-rest-models 3.1.1 on the server_kit API (database `drm`)."""

from __future__ import annotations

import mirror


class Creator(mirror.Creator):
    class APIMeta(mirror.Creator.APIMeta):
        db_name = "drm"


class Menu(mirror.Menu):
    class APIMeta(mirror.Menu.APIMeta):
        db_name = "drm"


class Topping(mirror.Topping):
    class APIMeta(mirror.Topping.APIMeta):
        db_name = "drm"


class Pizza(mirror.Pizza):
    class APIMeta(mirror.Pizza.APIMeta):
        db_name = "drm"


class Review(mirror.Review):
    class APIMeta(mirror.Review.APIMeta):
        db_name = "drm"
