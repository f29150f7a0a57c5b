"""Resource names: ``PizzaTopping`` → ``pizza_topping`` → ``pizza_toppings``."""

from __future__ import annotations

import re

__all__ = ["pluralize", "underscore"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women"}


def underscore(name: str) -> str:
    """``PizzaTopping`` → ``pizza_topping`` (as ``inflection.underscore``)."""
    return _CAMEL.sub("_", name).lower()


def pluralize(word: str) -> str:
    """The English plural of the last ``_``-separated word: ``category`` → ``categories``."""
    head, _, last = word.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in _IRREGULAR:
        return prefix + _IRREGULAR[last]
    if re.search(r"[^aeiou]y$", last):
        return f"{prefix}{last[:-1]}ies"
    if re.search(r"(s|x|z|ch|sh)$", last):
        return f"{prefix}{last}es"
    return f"{prefix}{last}s"
