"""``DynamicEphemeralSerializer``: a dynamic-rest serializer for objects that are not rows."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from .list_serializer import DynamicListSerializer, EphemeralObject, envelope
from .naming import pluralize

__all__ = ["DynamicEphemeralSerializer"]


class DynamicEphemeralSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Renders dicts or :class:`EphemeralObject` s; ``Meta.name`` names the envelope key.

    Args:
        envelope: ``.data`` is ``{name: data, ...}``.
        request_fields: ``True`` renders the object's ``pk`` only.
    """

    def __init__(
        self,
        instance: Any = None,
        data: Any = empty,
        *,
        envelope: bool = False,
        request_fields: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(instance, data, **kwargs)
        self.envelope = envelope
        self.request_fields = request_fields

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> DynamicListSerializer:
        return DynamicListSerializer.for_child(cls, *args, **kwargs)  # type: ignore[no-any-return]

    @classmethod
    def get_name(cls) -> str:
        return str(cls.Meta.name)

    @classmethod
    def get_plural_name(cls) -> str:
        return getattr(cls.Meta, "plural_name", None) or pluralize(cls.get_name())

    def to_representation(self, instance: Any) -> Any:
        if isinstance(instance, dict):
            instance = EphemeralObject(instance)
        if self.request_fields is True:
            return instance.pk
        return super().to_representation(instance)

    @property
    def data(self) -> Any:
        if not self.envelope:
            return super().data
        return envelope(self, lambda: super(DynamicEphemeralSerializer, self).data, many=False)
