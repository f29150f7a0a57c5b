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
)
PLAIN = ("include[]", "exclude[]", "filter{}", "page", "per_page", "sort[]")


def readable(line: str) -> str:
    """A request line with its query string percent-decoded."""
    return unquote_plus(line)


def names(queryset):
    return sorted(p.name for p in queryset)
