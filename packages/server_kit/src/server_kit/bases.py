"""dynamic-rest's ``bases`` module: the base classes a project may test fields against."""

from __future__ import annotations

from .serializers import DynamicModelSerializer

__all__ = ["DynamicSerializerBase"]

#: dynamic-rest's marker base of its serializers (``isinstance(x, DynamicSerializerBase)``).
DynamicSerializerBase = DynamicModelSerializer
