"""The feature names a server advertises in OPTIONS, and the filter dialect each one enables."""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = ["Dialect", "Feature", "filter_form"]


class Dialect(enum.IntEnum):
    """How much of the grammar a server understands, oldest first.

    A query needs the smallest dialect that can express its filter; a client compares
    :meth:`Query.dialect` with what the server advertises before sending anything.
    """

    #: ``filter{path.op}`` leaves with ``-`` negation, ANDed (every dynamic-rest).
    LEAVES = 1
    #: ``filter{}`` JSON trees with ``.or`` / ``.and`` (dynamic-rest 2.1.7+).
    JSON = 2
    #: ``.not`` inside JSON trees (restbridge servers).
    JSON_NOT = 3
    #: ``where=`` expressions, quantifiers and date literals (restbridge servers).
    WHERE = 4


class Feature(enum.StrEnum):
    """One name of the ``features`` list of an OPTIONS answer, spelled as on the wire."""

    # dynamic-rest's names.
    DEBUG = "debug"
    INCLUDE = "include[]"
    EXCLUDE = "exclude[]"
    FILTER = "filter{}"
    PAGE = "page"
    PER_PAGE = "per_page"
    SORT = "sort[]"
    SIDELOADING = "sideloading"
    # restbridge's additions.
    #: ``.not`` inside ``filter{}`` JSON trees.
    FILTER_NOT = "filter{}.not"
    #: ``where=`` expressions with ``any`` / ``all`` quantifiers.
    WHERE = "where"
    #: ``offset=N`` windows with ``per_page``.
    OFFSET = "offset"
    #: List-route bulk POST / PATCH / DELETE in one transaction.
    BULK = "bulk"
    #: ``PATCH <list>?<filters>&patch-all=query`` with one flat object.
    PATCH_ALL = "patch-all"
    #: ``exclude_count`` skips the count (``meta.more_pages`` instead of ``total_results``).
    EXCLUDE_COUNT = "exclude_count"
    #: ``distinct=true``: a list of the selected own fields, each combination once.
    DISTINCT = "distinct"

    @property
    def dialect(self) -> Dialect | None:
        """The filter dialect this feature lets a server read; ``None`` for the others."""
        return _DIALECTS.get(self)


# ``filter{}`` trees came with dynamic-rest 2.1.7; older servers advertised the same name
# but read leaves only. Clients assume 2.1.7+ (see filter_form).
_DIALECTS: dict[str, Dialect] = {
    Feature.FILTER: Dialect.JSON,
    Feature.FILTER_NOT: Dialect.JSON_NOT,
    Feature.WHERE: Dialect.WHERE,
}


def filter_form(features: Iterable[str], needed: Dialect) -> Dialect | None:
    """The dialect to send a filter needing ``needed`` in, given the advertised ``features``.

    Leaves and JSON trees count as read by every server, advertised or not (dynamic-rest
    2.1.7+). The oldest readable dialect that can express the filter wins, so a JSON tree
    is sent rather than ``where=`` when both are read: dynamic-rest-style tooling reads it.

    Args:
        features: the advertised names; names that are not a :class:`Feature` are ignored.
        needed: what the filter needs, :meth:`Query.dialect`.

    Returns:
        The dialect to send, or ``None`` when the server reads none able to express it.
    """
    readable = {Dialect.LEAVES, Dialect.JSON}
    readable.update(_DIALECTS[name] for name in features if name in _DIALECTS)
    return min((dialect for dialect in readable if dialect >= needed), default=None)
