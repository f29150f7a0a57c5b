"""Fetch a window of a list route page by page, lazily.

With the server's ``offset`` feature any window ``[low:high]`` is one request
(``offset=low&per_page=high-low``); otherwise windows map to ``page`` / ``per_page``
arithmetic choosing a page size that covers the window in one page when one exists
nearby, else two. Unbounded iteration fetches ``PAGE_SIZE`` rows per request, only as
the caller consumes them, so ``.iterator()`` holds one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from shared_querylang import Page

__all__ = ["Fetch", "first_page", "page_size_for", "read_window"]

Objects = Sequence[Mapping[str, Any]]
#: Fetch one page: returns the objects and the response ``meta`` (empty if unpaginated).
Fetch = Callable[[Page], tuple[Objects, Mapping[str, Any]]]


def page_size_for(low: int, high: int) -> int:
    """A page size whose single page covers ``[low:high]``, else the window size."""
    size = high - low
    for candidate in range(size, 2 * size + 1):
        if low // candidate == (high - 1) // candidate:
            return candidate
    return size


def first_page(*, low: int, high: int | None, page_size: int, offset: bool) -> Page:
    """The page :func:`read_window` requests first."""
    if offset:
        return Page(size=page_size if high is None else high - low, offset=low or None)
    per = page_size if high is None else page_size_for(low, high)
    number = low // per + 1
    return Page(number=number if number > 1 else None, size=per)


def _last(
    meta: Mapping[str, Any], served: int, asked: int, position: int, page: int | None
) -> bool:
    if meta.get("more_pages") is False:
        return True
    total = meta.get("total_results")
    if isinstance(total, int) and position >= total:
        return True
    pages = meta.get("total_pages")
    if page is not None and isinstance(pages, int) and page >= pages:
        return True
    return served < asked


def read_window(
    fetch: Fetch, *, low: int, high: int | None, page_size: int, offset: bool
) -> Iterator[Objects]:
    """Yield the objects of ``[low:high]`` (``high=None``: to the end), one page at a time."""
    position = low
    per = first_page(low=low, high=high, page_size=page_size, offset=offset).size or page_size
    while high is None or position < high:
        if offset:
            asked = per if high is None else high - position
            number, skip = None, 0
            page = Page(size=asked, offset=position or None)
        else:
            asked = per
            number = position // per + 1
            skip = position - (number - 1) * per
            page = Page(number=number if number > 1 else None, size=per)
        objects, meta = fetch(page)
        if not meta:
            # An unpaginated server sent the whole list.
            yield objects[position:high] if high is not None else objects[position:]
            return
        served = meta.get("per_page")
        if not offset and isinstance(served, int) and 0 < served < per:
            per = served  # the server caps page sizes: follow its size
            if number != 1 or skip >= served:
                continue  # this page sits elsewhere at the server's size: ask again
            asked = served  # page 1 starts at row 0 whatever its size: keep its rows
        chunk = objects[skip:]
        if high is not None:
            chunk = chunk[: high - position]
        if chunk:
            yield chunk
        position += len(chunk)
        capped = offset and isinstance(served, int) and len(objects) == served < asked
        if not chunk or (not capped and _last(meta, len(objects), asked, position, number)):
            return
        # Let this page go before fetching the next: .iterator() holds one page at a time.
        del objects, chunk
