"""read_window against fake servers: offsets, page arithmetic, capped and unpaginated lists."""

from __future__ import annotations

import pytest

from client_backend.paging import first_page, page_size_for, read_window

ROWS = [{"id": i} for i in range(23)]


def server(*, cap=None, paginated=True, offset=True, exclude_count=False):
    calls = []

    def fetch(page):
        calls.append(page)
        if not paginated:
            return ROWS, {}
        size = min(page.size, cap) if cap else page.size
        start = (page.offset or 0) if offset else ((page.number or 1) - 1) * size
        rows = ROWS[start : start + size]
        if exclude_count:
            meta = {"per_page": size, "more_pages": start + size < len(ROWS)}
        else:
            meta = {
                "per_page": size,
                "total_results": len(ROWS),
                "total_pages": -(-len(ROWS) // size),
            }
        return rows, meta

    return fetch, calls


def ids(chunks):
    return [row["id"] for chunk in chunks for row in chunk]


@pytest.mark.parametrize("use_offset", [True, False])
@pytest.mark.parametrize(
    ("low", "high"), [(0, None), (0, 5), (3, 9), (7, None), (20, 40), (30, None)]
)
def test_windows_match_slices(use_offset, low, high):
    fetch, _ = server(offset=use_offset)
    got = ids(read_window(fetch, low=low, high=high, page_size=4, offset=use_offset))
    assert got == list(range(23))[low:high]


def test_any_window_is_one_request_with_offset():
    fetch, calls = server()
    assert ids(read_window(fetch, low=5, high=17, page_size=4, offset=True)) == list(range(5, 17))
    assert len(calls) == 1 and (calls[0].offset, calls[0].size) == (5, 12)


def test_capped_offsets_continue_where_the_server_stopped():
    fetch, calls = server(cap=5)
    assert ids(read_window(fetch, low=2, high=14, page_size=50, offset=True)) == list(range(2, 14))
    assert [(c.offset, c.size) for c in calls] == [(2, 12), (7, 7), (12, 2)]


def test_capped_pages_continue_with_the_servers_size():
    fetch, calls = server(cap=5, offset=False)
    assert ids(read_window(fetch, low=0, high=None, page_size=10, offset=False)) == list(range(23))
    # Page 1 starts at row 0 whatever its size: its rows are kept, not asked for again.
    assert [(c.number, c.size) for c in calls] == [(None, 10), (2, 5), (3, 5), (4, 5), (5, 5)]


@pytest.mark.parametrize("use_offset", [True, False])
@pytest.mark.parametrize(
    ("low", "high"), [(0, None), (0, 5), (3, 9), (4, 12), (7, None), (20, 40), (6, 7)]
)
def test_capped_windows_match_slices(use_offset, low, high):
    fetch, _ = server(cap=5, offset=use_offset)
    got = ids(read_window(fetch, low=low, high=high, page_size=12, offset=use_offset))
    assert got == list(range(23))[low:high]


def test_unpaginated_server_answers_everything_at_once():
    fetch, calls = server(paginated=False)
    assert ids(read_window(fetch, low=3, high=6, page_size=4, offset=False)) == [3, 4, 5]
    assert len(calls) == 1


def test_exclude_count_servers_stop_on_more_pages():
    fetch, calls = server(exclude_count=True, offset=False)
    assert ids(read_window(fetch, low=0, high=None, page_size=23, offset=False)) == list(range(23))
    assert len(calls) == 1


def test_lazy():
    fetch, calls = server(offset=False)
    window = read_window(fetch, low=0, high=None, page_size=4, offset=False)
    next(window)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("low", "high", "size"), [(0, 10, 10), (40, 60, 20), (10, 25, 25), (3, 7, 7)]
)
def test_page_size_for(low, high, size):
    assert page_size_for(low, high) == size
    page = first_page(low=low, high=high, page_size=100, offset=False)
    assert page.size == size and (page.number or 1) == low // size + 1
