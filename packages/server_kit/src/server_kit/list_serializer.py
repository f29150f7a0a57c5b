"""``DynamicListSerializer`` (what ``many=True`` builds), envelopes and ``EphemeralObject``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.utils.module_loading import import_string
from rest_framework import serializers

from .settings import api_settings
from .sideloading import Sideloads

__all__ = ["DynamicListSerializer", "EphemeralObject", "envelope"]


class DynamicListSerializer(serializers.ListSerializer):  # type: ignore[type-arg]
    """A ``ListSerializer`` answering its child's names and honouring ``envelope=True``."""

    @classmethod
    def for_child(cls, child_class: type[Any], *args: Any, **kwargs: Any) -> Any:
        """What ``child_class(*args, many=True, **kwargs)`` builds, as DRF's ``many_init``.

        The class is ``Meta.list_serializer_class``, else the ``LIST_SERIALIZER_CLASS``
        setting, else this one.
        """
        list_kwargs = {
            key: kwargs.pop(key)
            for key in serializers.LIST_SERIALIZER_KWARGS_REMOVE
            if kwargs.get(key) is not None
        }
        list_kwargs["child"] = child_class(*args, **kwargs)
        list_kwargs |= {k: v for k, v in kwargs.items() if k in serializers.LIST_SERIALIZER_KWARGS}
        chosen: Any = getattr(child_class.Meta, "list_serializer_class", None)
        chosen = chosen or api_settings.LIST_SERIALIZER_CLASS or cls
        if isinstance(chosen, str):
            chosen = import_string(chosen)
        return chosen(*args, **list_kwargs)

    def get_name(self) -> str:
        child: Any = self.child
        return str(child.get_name())

    def get_plural_name(self) -> str:
        child: Any = self.child
        return str(child.get_plural_name())

    def to_representation(self, data: Any) -> list[Any]:
        child: Any = self.child
        rows = data.all() if isinstance(data, models.Manager) else data
        return [child.to_representation(row) for row in rows]

    @property
    def data(self) -> Any:
        """DRF's list; with the child's ``envelope=True``, the enveloped body."""
        if not getattr(self.child, "envelope", False):
            return super().data
        return envelope(self, lambda: super(DynamicListSerializer, self).data, many=True)


def envelope(serializer: Any, produce: Callable[[], Any], *, many: bool) -> Any:
    """``{name: produce(), <sideloads>...}`` (through the post-processors).

    Included relations rendered by ``produce`` go to the sideloads (unless embedded).
    """
    context = serializer.context
    own = many or isinstance(serializer, serializers.ListSerializer)
    named = serializer.child if own else serializer
    if context.get("sideloads") is None:
        context["sideloads"] = Sideloads(named.get_plural_name())
    data = produce()
    key = named.get_plural_name() if own else named.get_name()
    return context["sideloads"].envelope(key, data)


class EphemeralObject:
    """An object whose attributes are a dict's items; ``pk`` is required."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        if "pk" not in values:
            raise ValueError('EphemeralObject needs a "pk" value')
        self.__dict__.update(values)
