"""Shared constants of the client_backend tests."""

from __future__ import annotations

from urllib.parse import unquote_plus

FULL = (
    "include[]",
    "exclude[]",
    "filter{}",
    "page",
    "per_page",
    "sort[]",
    "filter{}.not",
    "where",
    "offset",
    "bulk",
    "distinct",
)
#: One pizza as the API sends it (canned answers of MockAPI tests).
ROW = {
    "id": 1,
    "name": "regina",
    "price": 11.0,
    "vegan": False,
    "from_date": "2024-03-01",
    "to_date": "2030-01-01T00:00:00Z",
    "created": "2024-03-01T10:00:00Z",
    "updated": None,
    "menu": None,
}

PLAIN = ("include[]", "exclude[]", "filter{}", "page", "per_page", "sort[]")


def readable(line: str) -> str:
    """A request line with its query string percent-decoded."""
    return unquote_plus(line)


def names(queryset):
    return sorted(p.name for p in queryset)
