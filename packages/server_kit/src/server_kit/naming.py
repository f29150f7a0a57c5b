"""Resource names: ``PizzaTopping`` → ``pizza_topping`` → ``pizza_toppings``.

The rules are ``inflection``'s, as in dynamic-rest, so that every resource keeps the name
dynamic-rest gave it (``series``, ``news``, ``quizzes``, ``data``, ``mice``).
"""

from __future__ import annotations

import inflection

__all__ = ["pluralize", "underscore"]


def underscore(name: str) -> str:
    """``PizzaTopping`` → ``pizza_topping``."""
    return inflection.underscore(name)


def pluralize(word: str) -> str:
    """The English plural of a resource name: ``category`` → ``categories``."""
    return inflection.pluralize(word)
