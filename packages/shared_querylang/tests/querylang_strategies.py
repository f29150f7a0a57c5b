"""Hypothesis strategies for valid ASTs and whole queries."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from shared_querylang import (
    OPERATORS,
    Page,
    Query,
    RelationFilter,
    Selection,
    SortKey,
    all_in,
    all_of,
    any_in,
    any_of,
    leaf,
    negate,
)

# Keyword-looking and operator-named segments are the interesting ones.
TRICKY_NAMES = ["and", "or", "not", "any", "all", "true", "false", "null", "in", "eq", "year", "ne"]
names = st.one_of(
    st.sampled_from(TRICKY_NAMES),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True),
)
paths = st.lists(names, min_size=1, max_size=3).map(tuple)

timezones = st.one_of(
    st.none(),
    st.just(dt.UTC),
    st.timedeltas(
        min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
    ).map(dt.timezone),
)
text_values = st.text(st.characters(exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", " ", "+", "'", "''", "%", "%2B", "a&b=c", "é", "💡", "null", "1"]
)
json_values = st.one_of(
    text_values,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
values = st.one_of(
    text_values,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=timezones),
)


@st.composite
def leaves(draw, source=values):
    op = draw(st.sampled_from(sorted(OPERATORS)))
    if op == "in":
        vals = draw(st.lists(source, max_size=3))
    elif op == "range":
        vals = draw(st.lists(source, min_size=2, max_size=2))
    else:
        vals = [draw(source)]
    return leaf(draw(paths), op, *vals)


def trees(source=values, quantifiers=True):
    def extend(children):
        groups = [
            st.lists(children, min_size=1, max_size=3).map(lambda ns: all_of(*ns)),
            st.lists(children, min_size=1, max_size=3).map(lambda ns: any_of(*ns)),
            children.map(negate),
        ]
        if quantifiers:
            groups += [st.builds(any_in, paths, children), st.builds(all_in, paths, children)]
        return st.one_of(groups)

    return st.recursive(leaves(source), extend, max_leaves=8)


@st.composite
def plain_leaf_trees(draw):
    """AND of (negated) text leaves: the filter{} leaf form."""
    nodes = draw(st.lists(leaves(text_values), min_size=1, max_size=4))
    nodes = [draw(st.sampled_from([n, negate(n)])) for n in nodes]
    return all_of(*nodes)


filters = st.one_of(st.none(), trees(), trees(json_values, quantifiers=False), plain_leaf_trees())

selection_paths = st.lists(st.one_of(names, st.just("*")), min_size=1, max_size=3).map(tuple)
selections = st.builds(
    Selection,
    include=st.lists(selection_paths, max_size=3).map(tuple),
    exclude=st.lists(selection_paths, max_size=3).map(tuple),
    fields=st.lists(selection_paths, max_size=3).map(tuple),
    omit=st.lists(selection_paths, max_size=3).map(tuple),
    expand=st.lists(selection_paths, max_size=3).map(tuple),
)
sort_keys = st.builds(SortKey, paths, st.booleans(), st.sampled_from([None, "first", "last"]))
sizes = st.integers(min_value=1, max_value=10**6)
pages = st.one_of(
    st.builds(
        Page,
        number=st.none() | st.just("last") | sizes,
        size=st.none() | sizes,
        exclude_count=st.booleans(),
    ),
    st.builds(
        Page,
        size=st.none() | sizes,
        offset=st.integers(min_value=0, max_value=10**6),
        exclude_count=st.booleans(),
    ),
)


@st.composite
def relation_filters(draw):
    relations = draw(st.lists(paths, max_size=2, unique=True))
    return tuple(
        RelationFilter(relation, draw(st.one_of(trees(), plain_leaf_trees())))
        for relation in relations
    )


queries = st.builds(
    Query,
    filter=filters,
    relation_filters=relation_filters(),
    selection=selections,
    sort=st.lists(sort_keys, max_size=3).map(tuple),
    page=pages,
    sideloading=st.none() | st.booleans(),
    debug=st.booleans(),
    exclude_links=st.booleans(),
    distinct=st.booleans(),
)
