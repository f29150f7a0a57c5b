"""dynamic-rest's ``links`` module: where relation ``links`` blocks point.

Every relation field of an object rendered by a routed serializer gets
``links[<field>] = /<plural name>/<pk>/<field>/`` (see ``ENABLE_LINKS``).
"""

from __future__ import annotations

__all__ = ["relation_link"]


def relation_link(base: str, pk: object, field_name: str) -> str:
    """The relation route of ``field_name`` on the object ``pk`` under the list route ``base``."""
    return f"{base}/{pk}/{field_name}/"
