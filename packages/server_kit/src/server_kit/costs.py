"""What one request may cost, checked on the query string before any SQL runs.

Relation depth is counted as include/expand count it: the relations a path crosses before
its last name. ``filter{menu.pizzas.name}`` and ``sort[]=menu.pizzas.name`` cross 2 (as
``include[]=menu.pizzas.name`` loads 2 levels); ``any(menu.pizzas, c)`` crosses 2 and the
paths of ``c`` continue from there, as do those of ``filter{menu|c}`` / ``where[menu]``
from ``menu``. A path ending on a relation (``filter{menu}=3``) compares its ids.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import NamedTuple

from shared_querylang import And, Leaf, Node, Not, Or, Path, Query

from .exceptions import LimitExceeded
from .settings import api_settings

__all__ = ["check_query_cost", "check_query_length"]


class _Reach(NamedTuple):
    """A path as written (``own``) under the relations it is nested in (``prefix``)."""

    prefix: Path
    own: Path
    crosses: int  # relations ``own`` crosses itself

    @property
    def depth(self) -> int:
        return len(self.prefix) + self.crosses


def check_query_length(query_string: str) -> None:
    """Refuse a query string longer than ``MAX_QUERY_LENGTH``, before parsing it."""
    limit = api_settings.MAX_QUERY_LENGTH
    if len(query_string) > limit:
        raise LimitExceeded(
            f"The query string is {len(query_string)} bytes long; "
            f"the limit MAX_QUERY_LENGTH is {limit}.",
            limit="MAX_QUERY_LENGTH",
            value=len(query_string),
        )


def _reaches(node: Node, prefix: Path) -> Iterator[_Reach]:
    """Every leaf and quantifier relation of ``node``, under the relation path ``prefix``."""
    if isinstance(node, Leaf):
        yield _Reach(prefix, node.path, len(node.path) - 1)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _reaches(child, prefix)
    elif isinstance(node, Not):
        yield from _reaches(node.child, prefix)
    else:
        yield _Reach(prefix, node.relation, len(node.relation))
        yield from _reaches(node.condition, (*prefix, *node.relation))


def _filter_parameter(parameters: Collection[str], own: Path) -> str:
    """The parameter a filter path came from (the first that names it), for the message."""
    dotted = ".".join(own)
    for key in parameters:
        if key.startswith(("filter{", "where[")) and dotted in key:
            return key
    return "where" if "where" in parameters else "filter{}"


def _all_reaches(query: Query, parameters: Collection[str]) -> Iterator[tuple[str, _Reach]]:
    """Every path of the filter, the relation filters and the sort, with its parameter."""
    if query.filter is not None:
        for reach in _reaches(query.filter, ()):
            yield _filter_parameter(parameters, reach.own), reach
    for scoped in query.relation_filters:
        parameter = _filter_parameter(parameters, scoped.relation)
        yield parameter, _Reach((), scoped.relation, len(scoped.relation))
        for reach in _reaches(scoped.condition, scoped.relation):
            yield parameter, reach
    sort = "sort[]" if "sort[]" in parameters else "sort"
    for key in query.sort:
        yield sort, _Reach((), key.path, len(key.path) - 1)


def check_query_cost(query: Query, parameters: Collection[str]) -> None:
    """Refuse a query whose filter or sort paths reach too deep or cross too many relations.

    Args:
        query: the parsed query string.
        parameters: the names of the request's query parameters, to name the culprit.

    Raises:
        LimitExceeded: a path crossing more than ``MAX_DEPTH`` relations, or paths crossing
            more than ``MAX_JOINS`` relations together.
    """
    depth_limit, joins_limit = api_settings.MAX_DEPTH, api_settings.MAX_JOINS
    joins = 0
    for parameter, reach in _all_reaches(query, parameters):
        if reach.depth > depth_limit:
            dotted = ".".join((*reach.prefix, *reach.own))
            raise LimitExceeded(
                f"{parameter}: {dotted!r} crosses {reach.depth} relations; "
                f"the limit MAX_DEPTH is {depth_limit}.",
                parameter=parameter,
                limit="MAX_DEPTH",
                value=reach.depth,
                field=dotted,
            )
        joins += reach.crosses
        if joins > joins_limit:
            raise LimitExceeded(
                f"{parameter}: the filter and sort paths cross more than {joins_limit} "
                f"relations together; the limit MAX_JOINS is {joins_limit}.",
                parameter=parameter,
                limit="MAX_JOINS",
                value=joins,
            )
