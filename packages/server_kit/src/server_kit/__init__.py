"""Dynamic-rest-compatible serializers, viewsets and router, with drf-flex-fields parameters.

Add ``"server_kit"`` to ``INSTALLED_APPS`` (for the system check) and build an API with
:class:`DynamicModelSerializer`, :class:`DynamicModelViewSet` and :class:`DynamicRouter`,
or all at once with :func:`emit_api`.
"""

from __future__ import annotations

from .emitter import EmittedAPI, emit_api
from .exceptions import (
    InvalidBody,
    InvalidPage,
    InvalidQuery,
    InvalidValue,
    LimitExceeded,
    RestbridgeError,
    UnknownField,
    exception_handler,
)
from .fields import DynamicMethodField, DynamicRelationField
from .filtering import DynamicFilterBackend
from .metadata import DynamicMetadata
from .pagination import DynamicPageNumberPaginator
from .plan import Plan
from .routers import DynamicRouter
from .selection import build_plan
from .serializers import DynamicModelSerializer
from .sorting import DynamicSortingFilter
from .viewsets import FEATURES, DynamicModelViewSet, WithDynamicViewSetMixin

__all__ = [
    "FEATURES",
    "DynamicFilterBackend",
    "DynamicMetadata",
    "DynamicMethodField",
    "DynamicModelSerializer",
    "DynamicModelViewSet",
    "DynamicPageNumberPaginator",
    "DynamicRelationField",
    "DynamicRouter",
    "DynamicSortingFilter",
    "EmittedAPI",
    "InvalidBody",
    "InvalidPage",
    "InvalidQuery",
    "InvalidValue",
    "LimitExceeded",
    "Plan",
    "RestbridgeError",
    "UnknownField",
    "WithDynamicViewSetMixin",
    "build_plan",
    "emit_api",
    "exception_handler",
]
