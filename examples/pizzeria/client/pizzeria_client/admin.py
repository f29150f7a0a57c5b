"""The Django admin over the API: every changelist, search and edit is an HTTP call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db import models
from django.forms import Textarea, TextInput
from django.http import HttpRequest

from pizzeria_client.models import Creator, Menu, Pizza, Review, Topping

# The admin classes are generic only for type checkers (django-stubs); at runtime they are not
# subscriptable without django-stubs-ext's monkeypatch, which the example does without.
if TYPE_CHECKING:
    ReviewInlineBase = admin.TabularInline[Review, Pizza]
    PizzaAdminBase = admin.ModelAdmin[Pizza]
    MenuAdminBase = admin.ModelAdmin[Menu]
    ToppingAdminBase = admin.ModelAdmin[Topping]
    ReviewAdminBase = admin.ModelAdmin[Review]
    CreatorAdminBase = admin.ModelAdmin[Creator]
else:
    ReviewInlineBase = admin.TabularInline
    PizzaAdminBase = MenuAdminBase = ToppingAdminBase = admin.ModelAdmin
    ReviewAdminBase = CreatorAdminBase = admin.ModelAdmin


class ReviewInline(ReviewInlineBase):
    model = Review
    extra = 1
    fields = ("author", "rating", "comment")
    # Django's default textarea (40 x 10) and text inputs made the change form wider than
    # a 1280 px window; these fit beside the admin's navigation sidebar.
    formfield_overrides = {
        models.CharField: {"widget": TextInput(attrs={"size": 16})},
        models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 32})},
    }


@admin.register(Pizza)
class PizzaAdmin(PizzaAdminBase):
    list_display = ("name", "price", "menu", "creator", "from_date", "to_date")
    list_display_links = ("name",)
    search_fields = ("name", "menu__name", "creator__username")
    list_filter = ("menu", "creator")
    ordering = ("name", "id")
    list_per_page = 20
    list_select_related = ("menu", "creator")
    filter_horizontal = ("toppings",)
    inlines = [ReviewInline]


@admin.register(Menu)
class MenuAdmin(MenuAdminBase):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    ordering = ("name",)


@admin.register(Topping)
class ToppingAdmin(ToppingAdminBase):
    list_display = ("name", "cost")
    search_fields = ("name",)
    ordering = ("name", "id")
    list_per_page = 10


@admin.register(Review)
class ReviewAdmin(ReviewAdminBase):
    list_display = ("pizza", "author", "rating", "created_at")
    search_fields = ("author", "comment", "pizza__name")
    list_filter = ("rating",)
    ordering = ("-id",)
    list_per_page = 25
    list_select_related = ("pizza",)
    raw_id_fields = ("pizza",)


@admin.register(Creator)
class CreatorAdmin(CreatorAdminBase):
    """Read-only: the API does not let anyone edit its users."""

    list_display = ("username", "first_name", "last_name")
    search_fields = ("username", "first_name", "last_name")
    ordering = ("username",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Creator | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Creator | None = None) -> bool:
        return False
