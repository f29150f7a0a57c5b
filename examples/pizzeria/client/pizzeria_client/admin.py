"""The Django admin over the API: every changelist, search and edit is an HTTP call."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pizzeria_client.models import Creator, Menu, Pizza, Review, Topping


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 1
    fields = ("author", "rating", "comment")


@admin.register(Pizza)
class PizzaAdmin(admin.ModelAdmin):
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
class MenuAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    ordering = ("name",)


@admin.register(Topping)
class ToppingAdmin(admin.ModelAdmin):
    list_display = ("name", "cost")
    search_fields = ("name",)
    ordering = ("name", "id")
    list_per_page = 10


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("pizza", "author", "rating", "created_at")
    search_fields = ("author", "comment", "pizza__name")
    list_filter = ("rating",)
    ordering = ("-id",)
    list_per_page = 25
    list_select_related = ("pizza",)
    raw_id_fields = ("pizza",)


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
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
