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
PIZZA_FIELDS = (
    "include[]=created&include[]=from_date&include[]=id&include[]=menu&include[]=name"
    "&include[]=price&include[]=to_date&include[]=updated&include[]=vegan&exclude[]=*"
)


def readable(line: str) -> str:
    """A request line with its query string percent-decoded."""
    return unquote_plus(line)


def envelope(plural, objects, *, total=None, page=1, per_page=4, **sideloads):
    total = len(objects) if total is None else total
    meta = {
        "page": page,
        "per_page": per_page,
        "total_results": total,
        "total_pages": -(-total // per_page) or 1,
    }
    return {plural: objects, **sideloads, "meta": meta}
