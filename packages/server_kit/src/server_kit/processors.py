"""Post-processors: functions run on every enveloped response body, last (dynamic-rest's hook).

>>> @register_post_processor
... def stamp(data):
...     data["stamped"] = True
...     return data
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["POST_PROCESSORS", "post_process", "register_post_processor"]

PostProcessor = Callable[[Any], Any]
_P = TypeVar("_P", bound=PostProcessor)

#: Registered post-processors by function name (a second registration replaces the first).
POST_PROCESSORS: dict[str, PostProcessor] = {}


def register_post_processor(func: _P) -> _P:
    """Run ``func(body) -> body`` on every enveloped response body; usable as a decorator."""
    POST_PROCESSORS[func.__name__] = func
    return func


def post_process(data: Any) -> Any:
    """``data`` through every registered post-processor, in registration order."""
    for processor in POST_PROCESSORS.values():
        data = processor(data)
    return data
