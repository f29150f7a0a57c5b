"""``DynamicEphemeralSerializer``: a dynamic-rest serializer for objects that are not rows."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from .fields import DynamicRelationField
from .list_serializer import DynamicListSerializer, EphemeralObject, envelope
from .naming import pluralize
from .plan import Plan

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
        plan: Plan | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(instance, data, **kwargs)
        self.envelope = envelope
        self.request_fields = request_fields
        self._plan = plan

    def _nest(self) -> None:
        """Relations named with a dict in ``request_fields`` (or the plan) render objects."""
        nested = self.request_fields if isinstance(self.request_fields, dict) else {}
        if self._plan is not None:
            nested = {**nested, **dict.fromkeys(self._plan.children, {})}
        for name, wanted in nested.items():
            field = self.fields.get(name)
            if isinstance(wanted, dict) and isinstance(field, DynamicRelationField):
                if field.child_plan is None:
                    target = field.serializer_class
                    field.expand(Plan(target, tuple(target().fields)), embed=True)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> DynamicListSerializer:
        return DynamicListSerializer.for_child(cls, *args, **kwargs)  # type: ignore[no-any-return]

    @classmethod
    def get_name(cls) -> str:
        return str(_meta(cls).name)

    @classmethod
    def get_plural_name(cls) -> str:
        return getattr(_meta(cls), "plural_name", None) or pluralize(cls.get_name())

    resource_name = get_name
    plural_name = get_plural_name

    def to_representation(self, instance: Any) -> Any:
        if isinstance(instance, dict):
            instance = EphemeralObject(instance)
        if self.request_fields is True:
            return instance.pk
        self._nest()
        return super().to_representation(instance)

    @property
    def data(self) -> Any:
        if not self.envelope:
            return super().data
        return envelope(self, lambda: super(DynamicEphemeralSerializer, self).data, many=False)


def _meta(cls: type[DynamicEphemeralSerializer]) -> Any:
    """The serializer's ``Meta`` (declared by subclasses: ``name``, ``plural_name``)."""
    return getattr(cls, "Meta", None)
