"""The interfaces server_kit's lower modules are typed against (no behaviour here).

Fields, selection, paths, filters, sorts and the loader call a serializer class through a
small interface (its field map, names, row hook, model). Typing them against these
Protocols rather than :class:`~server_kit.serializers.DynamicModelSerializer` keeps every
import pointing down: nothing below ``serializers.py`` imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeAlias

from django.db import models
from rest_framework.fields import Field

from shared_querylang import Query

__all__ = ["AnyField", "SerializerClass", "SerializerHost", "ViewHost"]

#: A bound DRF field of any kind (the stubs make ``Field`` generic over four types).
AnyField: TypeAlias = "Field[Any, Any, Any, Any]"


class SerializerHost(Protocol):
    """A dynamic serializer (an instance; its class is a :data:`SerializerClass`)."""

    # Constructed as DRF serializers are (``plan=``, ``context=``, ``many=`` ...).
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    @property
    def context(self) -> Mapping[str, Any]: ...

    @property
    def fields(self) -> Mapping[str, AnyField]: ...

    @property
    def data(self) -> Any: ...

    def to_representation(self, instance: Any) -> dict[str, Any]: ...

    @classmethod
    def model_class(cls) -> type[models.Model]: ...

    @classmethod
    def resource_name(cls) -> str: ...

    @classmethod
    def plural_name(cls) -> str: ...

    @classmethod
    def field_map(cls) -> Mapping[str, AnyField]: ...

    @classmethod
    def deferred_names(cls) -> frozenset[str]: ...

    @classmethod
    def has_row_filter(cls) -> bool: ...

    @classmethod
    def filter_rows(
        cls, queryset: models.QuerySet[Any], context: Mapping[str, Any]
    ) -> models.QuerySet[Any]: ...


#: What the lower modules take where a serializer class is meant.
SerializerClass: TypeAlias = type[SerializerHost]


class ViewHost(Protocol):
    """What the filter and sorting backends and the paginator read from the view."""

    def get_query(self) -> Query: ...

    def get_serializer_class(self) -> SerializerClass: ...

    def get_serializer_context(self) -> dict[str, Any]: ...
