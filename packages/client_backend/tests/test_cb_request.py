"""``APIRequest`` rendering: the query string is exactly ``urllib.parse.urlencode``'s."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client_backend.request import APIRequest

pairs = st.lists(st.tuples(st.text(), st.text()), max_size=20)


@given(pairs)
def test_query_string_is_urlencode(params):
    target = APIRequest("GET", "pizzas", params=tuple(params)).target()
    assert target == (f"pizzas?{urlencode(params)}" if params else "pizzas")


@pytest.mark.parametrize(
    "value",
    ["12", "a b", "x&y=z", "100%", "é", "~._-", "a+b", "{}", "", "2030-01-01 00:00:00+00:00"],
)
def test_repeated_names_and_escapes(value):
    params = (("filter{id.in}", value), ("filter{id.in}", "7"), ("include[]", value))
    assert APIRequest("GET", "p", params=params).target() == f"p?{urlencode(params)}"
