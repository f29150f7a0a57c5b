"""Size limits that keep parsing cheap and bounded, whatever a client sends."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "MAX_DEPTH_CEILING", "Limits"]

#: The largest ``max_depth`` allowed.
MAX_DEPTH_CEILING = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds :func:`~shared_querylang.parse` enforces; exceeding one is a syntax error.

    Attributes:
        max_query_length: characters in the whole query (keys and values, decoded).
        max_nodes: leaves, groups, negations and quantifiers in one ``where=`` or
            ``filter{}`` value.
        max_depth: nesting of parentheses, ``not`` and quantifiers in ``where=``, and of
            objects and lists in ``filter{}`` JSON.
        max_in_values: values of one ``in`` leaf, in every filter form.
        max_selection_depth: segments of an ``include[]``, ``exclude[]``, ``fields``,
            ``omit`` or ``expand`` path.
    """

    max_query_length: int = 65536
    max_nodes: int = 512
    max_depth: int = 32
    max_in_values: int = 1000
    max_selection_depth: int = 10

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, not {value!r}")
        if self.max_depth > MAX_DEPTH_CEILING:
            # The parsers recurse a few frames per level; stay far from RecursionError.
            raise ValueError(f"max_depth must be at most {MAX_DEPTH_CEILING}, not {self.max_depth}")


#: What :func:`~shared_querylang.parse` uses when given no limits.
DEFAULT_LIMITS = Limits()
