"""A compact, JSON-able description of a Query, independent of the package's serializer."""

from __future__ import annotations

import datetime as dt

from shared_querylang import And, Leaf, Not, Quantified


def value(v):
    if isinstance(v, dt.datetime):
        return {"datetime": v.isoformat()}
    if isinstance(v, dt.date):
        return {"date": v.isoformat()}
    return v


def node(n):
    if isinstance(n, Leaf):
        return ["leaf", ".".join(n.path), n.op, *map(value, n.values)]
    if isinstance(n, Not):
        return ["not", node(n.child)]
    if isinstance(n, Quantified):
        return [n.quantifier, ".".join(n.relation), node(n.condition)]
    return ["and" if isinstance(n, And) else "or", *map(node, n.children)]


def describe(query):
    out = {}
    if query.filter is not None:
        out["filter"] = node(query.filter)
    if query.relation_filters:
        out["relations"] = {".".join(r.relation): node(r.condition) for r in query.relation_filters}
    for name in ("include", "exclude", "fields", "omit", "expand"):
        paths = getattr(query.selection, name)
        if paths:
            out[name] = [".".join(p) for p in paths]
    if query.sort:
        out["sort"] = [
            ["-" if k.descending else "+", ".".join(k.path), k.nulls] for k in query.sort
        ]
    page = {
        k: getattr(query.page, k)
        for k in ("number", "size", "offset", "exclude_count")
        if getattr(query.page, k) is not None and getattr(query.page, k) is not False
    }
    if page:
        out["page"] = page
    if query.sideloading is not None:
        out["sideloading"] = query.sideloading
    for flag in ("debug", "exclude_links", "distinct"):
        if getattr(query, flag):
            out[flag] = True
    return out
