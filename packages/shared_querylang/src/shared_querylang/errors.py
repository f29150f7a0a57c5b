"""The one error type of the query language.

Hierarchy::

    ValueError
     └── QuerySyntaxError   bad parameter key or value; carries .param and .position
"""

from __future__ import annotations

__all__ = ["QuerySyntaxError"]


class QuerySyntaxError(ValueError):
    """A query parameter that cannot be parsed.

    Attributes:
        param: the parameter name as received (``"filter{price.gte}"``, ``"where"``).
        position: the 0-based offset in the parameter's value where the problem starts
            (or in the key, for a malformed key); ``None`` when the whole value is wrong.
        reason: the message without the parameter and position prefix.
    """

    def __init__(self, reason: str, *, param: str, position: int | None = None) -> None:
        self.reason = reason
        self.param = param
        self.position = position
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"{param}{where}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:  # keep pickling working with keyword-only args
        return (_rebuild, (self.reason, self.param, self.position))


def _rebuild(reason: str, param: str, position: int | None) -> QuerySyntaxError:
    return QuerySyntaxError(reason, param=param, position=position)
