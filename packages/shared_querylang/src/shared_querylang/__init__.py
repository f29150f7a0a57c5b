"""One grammar and one AST for dynamic-rest / drf-flex-fields query strings.

>>> from shared_querylang import parse
>>> q = parse("filter{price.gte}=10&sort[]=-price&include[]=menu.*")
>>> q.to_querystring()
'filter%7Bprice.gte%7D=10&include%5B%5D=menu.%2A&sort%5B%5D=-price'
"""

from __future__ import annotations

from .errors import QuerySyntaxError
from .features import Dialect, Feature, filter_form
from .limits import Limits
from .nodes import (
    And,
    Leaf,
    Node,
    Not,
    Or,
    Path,
    Quantified,
    Value,
    all_in,
    all_of,
    any_in,
    any_of,
    conjuncts,
    leaf,
    negate,
    parse_path,
)
from .operators import OPERATORS
from .parser import parse
from .query import Page, Query, RelationFilter, Selection, SortKey

__all__ = [
    "OPERATORS",
    "And",
    "Dialect",
    "Feature",
    "Leaf",
    "Limits",
    "Node",
    "Not",
    "Or",
    "Page",
    "Path",
    "Quantified",
    "Query",
    "QuerySyntaxError",
    "RelationFilter",
    "Selection",
    "SortKey",
    "Value",
    "all_in",
    "all_of",
    "any_in",
    "any_of",
    "conjuncts",
    "filter_form",
    "leaf",
    "negate",
    "parse",
    "parse_path",
]
