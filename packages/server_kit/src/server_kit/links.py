"""``links`` blocks: where each relation of an object can be fetched on its own.

A relation gets a link unless its field says ``link=False``/``None``, or it has no relation
route (a forward to-one relation, a dotted or computed source), or it is rendered
with its objects (sideloaded or embedded), or it is a to-one relation rendered as an id,
or it is rendered and empty. The link is host-relative (``/v2/cats/1/foobar/``, under the
serializer's canonical route, see ``DynamicRouter.register_resource``) unless
``ENABLE_HOST_RELATIVE_LINKS`` is off (``foobar/``); ``link=<callable>`` computes it as
``link(name, field, data, instance)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fields import DynamicRelationField
from .registry import canonical_basename, list_path
from .settings import api_settings

__all__ = ["link_fields", "merge_link_object"]


def _list_path(serializer: Any) -> str:
    """The serializer's canonical list route, else the one named by its plural name."""
    for basename in (canonical_basename(type(serializer)), serializer.plural_name()):
        path = list_path(basename) if basename is not None else None
        if path is not None:
            return path
    return ""


def link_fields(serializer: Any) -> tuple[str, dict[str, DynamicRelationField]]:
    """The list route of ``serializer``'s objects and its fields that may get a link.

    ``("", {})`` when the serializer is not routed (no relation routes to promise).
    """
    base = _list_path(serializer)
    if not base:
        return "", {}
    shown = serializer.fields
    linked = {}
    for name, field in serializer.field_map().items():
        if not isinstance(field, DynamicRelationField) or not field.link:
            continue
        relation = field.relation
        if not callable(field.link) and (relation is None or relation.attname is not None):
            continue  # a dotted, computed or forward to-one source has no relation route
        rendered = shown.get(name)
        if rendered is not None and (rendered.child_plan is not None or not field.many):
            continue  # its objects or its id are in the data already
        linked[name] = field
    return base, linked


def merge_link_object(
    serializer: Any, data: dict[str, Any], instance: Any, *, base: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """``data`` with ``data["links"]`` for ``fields`` (see the module docstring)."""
    pk = getattr(instance, "pk", None)
    if pk is None:
        return data
    host_relative = api_settings.ENABLE_HOST_RELATIVE_LINKS
    links = {}
    for name, field in fields.items():
        if name in data and not data[name]:
            continue  # included and empty: nothing to follow
        if callable(field.link):
            links[name] = field.link(name, field, data, instance)
        else:
            links[name] = f"{base}/{pk}/{name}/" if host_relative else f"{name}/"
    if links:
        data["links"] = links
    return data
