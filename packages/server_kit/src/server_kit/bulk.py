"""Bulk create, update and delete on the list route, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.db import IntegrityError, models, transaction
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ._types import SerializerClass
from .exceptions import InvalidBody, LimitExceeded, UnknownField
from .keys import key_reader
from .settings import api_settings

__all__ = ["BulkHost", "BulkWriteMixin"]


class BulkHost(Protocol):
    """The view :class:`BulkWriteMixin` is mixed into (DRF's and the viewset's methods)."""

    def get_serializer_class(self) -> SerializerClass: ...

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any: ...

    def get_queryset(self) -> models.QuerySet[Any]: ...

    def filter_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]: ...

    def render_written(self, instances: Any, *, key: str) -> dict[str, Any]: ...

    def perform_create(self, serializer: Any) -> None: ...

    def perform_update(self, serializer: Any) -> None: ...

    def perform_destroy(self, instance: models.Model) -> None: ...

    def unwrap_list(self, body: Any) -> list[Any] | None: ...


class BulkWriteMixin:
    """List-route writes for a :class:`~server_kit.viewsets.WithDynamicViewSetMixin` view.

    Its methods take the view as a :class:`BulkHost`.
    """

    def unwrap_list(self: BulkHost, body: Any) -> list[Any] | None:
        """The items of a bulk body (a list, or ``{"<plural>": [...]}``), else ``None``."""
        plural = self.get_serializer_class().plural_name()
        if isinstance(body, dict) and set(body) == {plural} and isinstance(body[plural], list):
            body = body[plural]
        if not isinstance(body, list):
            return None
        limit = api_settings.MAX_BULK_ITEMS
        if len(body) > limit:
            raise LimitExceeded(
                f"The body has {len(body)} items; the limit MAX_BULK_ITEMS is {limit}.",
                limit="MAX_BULK_ITEMS",
                value=len(body),
            )
        return body

    def bulk_create(self: BulkHost, items: list[Any]) -> Response:
        """Create every item or none: 201 ``{"<plural>": [...]}``."""
        if not all(isinstance(item, dict) for item in items):
            raise InvalidBody("Every item of a bulk create must be an object.")
        made = [self.get_serializer(data=item, plan=None) for item in items]
        _validate_all(made)
        instances = _save_all(made, self.perform_create)
        return _rendered_list(self, instances, status.HTTP_201_CREATED)

    def bulk_update(self: BulkHost, items: list[Any], *, partial: bool) -> Response:
        """Update every listed object or none: 200 ``{"<plural>": [...]}``."""
        ids = _ids(items, objects_only=True)
        made = []
        for item, instance in zip(items, _existing(self, ids), strict=True):
            changes = {key: value for key, value in item.items() if key not in ("id", "pk")}
            made.append(self.get_serializer(instance, data=changes, partial=partial, plan=None))
        _validate_all(made)
        instances = _save_all(made, self.perform_update)
        return _rendered_list(self, instances, status.HTTP_200_OK)

    def bulk_destroy(self: BulkHost, body: Any) -> Response:
        """Delete every listed object or none: 204."""
        items = self.unwrap_list(body)
        if items is None:
            raise InvalidBody("A bulk delete body is a list of ids or of objects with an id.")
        found = {obj.pk: obj for obj in _existing(self, _ids(items, objects_only=False))}
        with transaction.atomic():
            for instance in found.values():
                self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def patch_all(self: BulkHost, request: Request, mode: str) -> Response:
        """``PATCH <list>?<filters>&patch-all=query|true`` with one flat object."""
        if not isinstance(request.data, dict) or not request.data:
            raise InvalidBody("patch-all takes one object of field values.")
        serializer = self.get_serializer(data=request.data, partial=True, plan=None)
        _check_writable(serializer, request.data)
        serializer.is_valid(raise_exception=True)
        queryset = self.filter_queryset(self.get_queryset())
        pks = list(queryset.order_by().values_list("pk", flat=True))
        targets = queryset.model._default_manager.filter(pk__in=pks)
        with transaction.atomic():
            if mode == "query":
                to_many = [
                    name
                    for name, value in serializer.validated_data.items()
                    if isinstance(value, list)
                ]
                if to_many:
                    raise InvalidBody(
                        f"patch-all=query cannot set to-many relations ({', '.join(to_many)}); "
                        "use patch-all=true.",
                        field=to_many[0],
                    )
                updated = targets.update(**serializer.validated_data)
            else:
                updated = 0
                for instance in targets:
                    serializer.update(instance, dict(serializer.validated_data))
                    updated += 1
        return Response({"meta": {"updated": updated}})


def _validate_all(serializers_: Sequence[serializers.BaseSerializer[Any]]) -> None:
    errors: list[Any] = []
    for serializer in serializers_:
        errors.append({} if serializer.is_valid() else serializer.errors)
    if any(errors):
        raise serializers.ValidationError(errors)


def _save_all(serializers_: Sequence[Any], perform: Callable[[Any], None]) -> list[models.Model]:
    with transaction.atomic():
        for index, serializer in enumerate(serializers_):
            try:
                with transaction.atomic():
                    perform(serializer)
            except IntegrityError as error:
                raise InvalidBody(
                    f"item {index}: the database refused it ({error}).",
                    code="integrity_error",
                    index=index,
                ) from None
    return [serializer.instance for serializer in serializers_]


def _rendered_list(host: BulkHost, instances: list[models.Model], status_code: int) -> Response:
    plural = host.get_serializer_class().plural_name()
    return Response(host.render_written(instances, key=plural), status=status_code)


def _ids(items: list[Any], *, objects_only: bool) -> list[Any]:
    ids = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and ("id" in item or "pk" in item):
            ids.append(item.get("id", item.get("pk")))
        elif not objects_only and isinstance(item, str | int) and not isinstance(item, bool):
            ids.append(item)
        else:
            raise InvalidBody(f"item {index}: give the object's id.", field="id", index=index)
    return ids


def _existing(host: BulkHost, ids: list[Any]) -> list[models.Model]:
    queryset = host.filter_queryset(host.get_queryset())
    keys = []
    read = key_reader(queryset.model)
    for index, raw in enumerate(ids):
        try:
            keys.append(read(raw))
        except ValueError as error:
            raise InvalidBody(f"item {index}: {error}", field="id", index=index) from None
    found = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=keys)}
    for index, key in enumerate(keys):
        if key not in found:
            raise InvalidBody(
                f"item {index}: no object with id {key!r} (or not visible to you).",
                code="not_found",
                field="id",
                index=index,
            )
    return [found[key] for key in keys]


def _check_writable(serializer: Any, data: dict[str, Any]) -> None:
    """Refuse names that are not writable fields: a patch-all must not half-apply."""
    fields = serializer.fields
    for name in data:
        field = fields.get(name)
        if field is None:
            raise UnknownField(f"{name!r} is not a field of {serializer.get_name()!r}.", field=name)
        if field.read_only:
            raise InvalidBody(f"{name!r} is read-only: patch-all cannot set it.", field=name)
