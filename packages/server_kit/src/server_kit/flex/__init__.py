"""server_kit.flex: a drf-flex-fields drop-in (replace ``rest_flex_fields`` by ``server_kit.flex``).

``EXPAND_PARAM``, ``FIELDS_PARAM``, ``OMIT_PARAM``, ``WILDCARD_VALUES`` ... are read from the
``REST_FLEX_FIELDS`` settings when first asked for, never at import time.
"""

from __future__ import annotations

from typing import Any

from .filter_backends import FlexFieldsDocsFilterBackend, FlexFieldsFilterBackend
from .serializers import FlexFieldsModelSerializer, FlexFieldsSerializerMixin
from .utils import (
    DEFAULTS,
    WILDCARD_ALL,
    WILDCARD_ASTERISK,
    flex_setting,
    is_expanded,
    is_included,
)
from .views import FlexFieldsMixin, FlexFieldsModelViewSet


def __getattr__(name: str) -> Any:
    if name in DEFAULTS:
        return flex_setting(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "WILDCARD_ALL",
    "WILDCARD_ASTERISK",
    "FlexFieldsDocsFilterBackend",
    "FlexFieldsFilterBackend",
    "FlexFieldsMixin",
    "FlexFieldsModelSerializer",
    "FlexFieldsModelViewSet",
    "FlexFieldsSerializerMixin",
    "is_expanded",
    "is_included",
]
