"""Request-body parsing whose cost and failures are bounded, whatever a client sends.

DRF's ``JSONParser`` hands the body to ``json.load``, which recurses once per nesting level:
``"[" * 100000`` is a ``RecursionError`` (a 500). :class:`BoundedJSONParser` refuses bodies
nested deeper than ``MAX_BODY_DEPTH`` before decoding them, and numbers no float can hold
(``1e400`` would be ``inf``). Our viewsets use it in place of DRF's (``get_parsers``); list
it in ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`` for other views.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from shared_querylang.jsontree import nests_deeper

from .exceptions import LimitExceeded
from .settings import api_settings

__all__ = ["BoundedJSONParser"]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:40]!r} is out of range")
    return number


class BoundedJSONParser(JSONParser):
    """DRF's ``JSONParser`` with a nesting limit (``MAX_BODY_DEPTH``) and finite numbers."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
        limit = api_settings.MAX_BODY_DEPTH
        if nests_deeper(text, limit):
            raise LimitExceeded(
                f"The body nests objects and lists more than {limit} deep; "
                f"the limit MAX_BODY_DEPTH is {limit}.",
                parameter="body",
                limit="MAX_BODY_DEPTH",
            )
        constant = _reject_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=constant, parse_float=_finite)
        except ValueError as error:  # also an integer of more than 4300 digits
            raise ParseError(f"JSON parse error - {error}") from None
