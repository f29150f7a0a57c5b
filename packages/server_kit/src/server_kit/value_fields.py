"""Non-relation fields under dynamic-rest's names: plain values, counts, hash ids, generic links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from rest_framework import serializers

__all__ = ["CountField", "DynamicField", "DynamicGenericRelationField", "DynamicHashIdField"]


class DynamicField(serializers.Field):  # type: ignore[type-arg]
    """A value read from ``source`` (dotted paths allowed) and written back as given.

    Args:
        requires: what the value reads (dynamic-rest's syntax, ``"profile.name"``).
        deferred: absent unless included.
        field_type: the Python type of the value (documentation for OPTIONS).
        immutable: writable on create only.
        **kwargs: DRF field arguments.
    """

    def __init__(
        self,
        *args: Any,
        requires: Iterable[str] | None = None,
        deferred: bool | None = None,
        field_type: type | None = None,
        immutable: bool = False,
        **kwargs: Any,
    ) -> None:
        self.requires = tuple(requires or ())
        self.deferred = bool(deferred)
        self.field_type = field_type
        self.immutable = immutable
        super().__init__(*args, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value

    def to_internal_value(self, data: Any) -> Any:
        return data


class CountField(DynamicField):
    """The number of (distinct, unless ``unique=False``) items another field renders."""

    def __init__(self, serializer_source: str, *args: Any, unique: bool = True, **kwargs: Any):
        kwargs["source"] = "*"
        kwargs["requires"] = [f"{serializer_source}.*"]
        self.serializer_source = serializer_source
        self.unique = unique
        super().__init__(*args, field_type=int, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        parent: Any = self.parent
        counted = parent.fields.get(self.serializer_source)
        if counted is None:
            return None
        items = counted.to_representation(counted.get_attribute(instance))
        if items is None:
            return None
        if not isinstance(items, list | set | tuple):
            raise TypeError(f"CountField {self.field_name!r} counts a list, not {type(items)}")
        if self.unique:
            try:
                return len(set(items))
            except TypeError:  # unhashable items (objects) are counted as they are
                pass
        return len(items)

    def to_representation(self, value: Any) -> Any:
        return value


def _hashids() -> Any:
    from hashids import Hashids  # an optional dependency of this field only

    from .conf import settings

    salt = settings.HASHIDS_SALT
    if not settings.ENABLE_HASHID_FIELDS or salt is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "DynamicHashIdField needs ENABLE_HASHID_FIELDS=True and a HASHIDS_SALT setting."
        )
    return Hashids(salt=salt)


class DynamicHashIdField(DynamicField):
    """A primary key rendered as an opaque hash of (content type, id), with ``hashids``.

    Args:
        model: the model the ids belong to (default: the serializer's ``Meta.model``).
    """

    default_error_messages = {"malformed_hash_id": "That is not a valid HashId"}

    def __init__(self, *args: Any, model: type[models.Model] | str | None = None, **kwargs: Any):
        self._model = model
        super().__init__(*args, **kwargs)

    def get_model(self) -> type[models.Model]:
        parent: Any = self.parent
        model = self._model or parent.Meta.model
        if isinstance(model, str):
            from django.apps import apps

            model = apps.get_model(model)
        return model

    def _content_type_id(self) -> int:
        from django.contrib.contenttypes.models import ContentType

        return int(ContentType.objects.get_for_model(self.get_model()).pk)

    def to_representation(self, value: Any) -> Any:
        pk = value.pk if isinstance(value, models.Model) else value
        return str(_hashids().encode(self._content_type_id(), int(pk)))

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int):
            return data  # an internal id: accepted as dynamic-rest does
        decoded = _hashids().decode(str(data))
        if len(decoded) != 2 or decoded[0] != self._content_type_id():
            self.fail("malformed_hash_id")
        return decoded[1]


class DynamicGenericRelationField(DynamicField):
    """A generic foreign key rendered as ``{"type": <resource>, "id": <pk>}``.

    ``type`` is the plural name of the target's canonical serializer (the one routed with
    ``register_resource``), else the model's class name. Included with a trailing dot
    (``include[]=favorite_pet.``) the targets are sideloaded under those plural names.
    Written as ``{"type": <name or plural name>, "id": <pk>}``.
    """

    def __init__(self, *args: Any, embed: bool = False, **kwargs: Any) -> None:
        if kwargs.get("requires"):
            raise ValueError("DynamicGenericRelationField loads its targets itself: no requires=")
        self.embed = embed
        #: Render the targets as objects (sideloaded); set by the serializer from the plan.
        self.load_objects = False
        super().__init__(*args, **kwargs)

    def to_representation(self, value: Any) -> Any:
        if value is None:
            return None
        serializer_class = _canonical_for_model(type(value))
        if serializer_class is None:
            return {"type": type(value).__name__, "id": value.pk}
        if self.load_objects:
            self._sideload(serializer_class, value)
        return {"type": serializer_class.plural_name(), "id": value.pk}

    def _sideload(self, serializer_class: Any, value: Any) -> None:
        sideloads = self.context.get("sideloads")
        if sideloads is None:
            return
        child = serializer_class(context=self.context)  # its default fields
        sideloads.add(child, value.pk, child.to_representation(value))

    def to_internal_value(self, data: Any) -> Any:
        if data is None:
            return None
        if not isinstance(data, dict) or "type" not in data or "id" not in data:
            raise serializers.ValidationError("Expected an object with 'type' and 'id'.")
        from .registry import canonical_serializers

        for serializer_class in canonical_serializers():
            if data["type"] in (serializer_class.resource_name(), serializer_class.plural_name()):
                model = serializer_class.Meta.model
                found = model._default_manager.filter(pk=data["id"]).first()
                if found is not None:
                    return found
                break
        raise serializers.ValidationError(f"{data['type']} {data['id']!r} not found.")


def _canonical_for_model(model: type[models.Model]) -> Any:
    from .registry import canonical_serializers

    for serializer_class in canonical_serializers():
        if serializer_class.Meta.model is model:
            return serializer_class
    return None
