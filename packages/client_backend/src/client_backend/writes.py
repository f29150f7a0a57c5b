"""Writes: ``INSERT`` / ``UPDATE`` / ``DELETE`` queries as POST / PATCH / DELETE requests.

Bulk routes (the server's ``bulk`` feature) turn ``bulk_create``, ``bulk_update``,
``QuerySet.update()`` and multi-row deletes into one request each; without them every
row costs one request. Nothing here is retried: a write that may have reached the
server is never sent twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any, NamedTuple, cast

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Case, Col, Value, When
from django.db.models.fields.files import FieldFile
from django.db.models.lookups import Exact
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler

from shared_querylang import Leaf, Node, Query

from ._types import APIConnection
from .exceptions import APIIntegrityError, APIProtocolError
from .hyperlinks import is_hyperlinked, link_to
from .reader import Reader
from .reads import plan_filter
from .request import APIRequest, Method, form_fields
from .resources import api_name, model_of, resource_for
from .response import Envelope
from .storage import PendingUpload

__all__ = ["delete_rows", "explicit_pks", "from_api", "insert_rows", "update_rows"]

Body = dict[str, Any]
Files = dict[str, tuple[str, object, str | None]]

#: The marker of a file field left out of a write (unchanged, or empty on create).
_OMIT = object()


class _Answer(NamedTuple):
    model: type[models.Model]
    pk: str
    data: Mapping[str, Any]


# The answer to the last single-object PATCH of each database alias, for
# refresh_after_save. Django runs the compiler and the post_save signal of one save() in
# one thread (or async context), as it keeps one connection per thread and context: a
# context variable hands the answer over without a slot on the connection. Never mutated:
# each change sets a new mapping.
_saved_answers: ContextVar[Mapping[str, _Answer]] = ContextVar("client_backend_saved_answers")


def from_api(connection: BaseDatabaseWrapper, field: models.Field[Any, Any], value: Any) -> Any:
    """Convert a JSON value of ``field`` the way rows read from the API are converted."""
    col = field.get_col(field.model._meta.db_table)
    for converter in [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]:
        value = converter(value, col, connection)
    return value


def refresh_instance(
    connection: BaseDatabaseWrapper, obj: models.Model, data: Mapping[str, Any]
) -> None:
    """Copy the values the server answered (defaults, computed fields) onto ``obj``."""
    for field in obj._meta.concrete_fields:
        name = api_name(field)
        if name in data:
            setattr(obj, field.attname, from_api(connection, field, data[name]))


def explicit_pks(flt: Node | None, pk_name: str) -> list[str] | None:
    """The primary keys a filter names outright (``pk=`` / ``pk__in=``), else ``None``."""
    if isinstance(flt, Leaf) and flt.path == (pk_name,) and flt.op in ("eq", "in"):
        return [str(v) for v in flt.values]
    return None


def _prepare(compiler: SQLCompiler, field: models.Field[Any, Any], value: Any, method: str) -> Any:
    if hasattr(value, "resolve_expression"):
        raise NotSupportedError(
            f"{method} with the expression {value!r} for {field.name!r} is not supported by the"
            " API backend: send plain values."
        )
    prepared = field.get_db_prep_save(value, connection=compiler.connection)
    if prepared is not None and is_hyperlinked(field):
        root = cast(APIConnection, compiler.connection).api_settings.root_url
        return link_to(root, cast("models.ForeignKey[Any, Any]", field), prepared)
    return prepared


def _file_value(value: Any, creating: bool) -> Any:
    """What a file field's value becomes in a write body.

    A file uploaded by :class:`~client_backend.storage.RestApiStorage` becomes an upload
    (a ``(name, content, content type)`` tuple); an empty field is left out of a create
    (the API applies its default) and is ``None`` in an update (it clears the file); the
    stored file of an instance being saved is left out of an update, so the API keeps it.
    """
    name = getattr(value, "name", value)
    if isinstance(name, PendingUpload):
        content = name.content
        content.seek(0)
        return (str(name), content.read(), getattr(content, "content_type", None))
    if not name:
        return _OMIT if creating else None
    if not creating and isinstance(value, FieldFile):
        return _OMIT
    return str(name)


def _split_files(body: Body) -> tuple[Body, Files]:
    """Separate the uploads of a write body from its other values."""
    files = {k: v for k, v in body.items() if isinstance(v, tuple)}
    return {k: v for k, v in body.items() if k not in files}, files


def _write(method: Method, path: str, body: Body, wrap: str | None = None) -> APIRequest:
    """A JSON write (under the key ``wrap`` if given), or multipart with uploads.

    See :func:`_file_value` for the uploads.
    """
    data, files = _split_files(body)
    if not files:
        return APIRequest(method, path, body=body if wrap is None else {wrap: body})
    return APIRequest(method, path, body=form_fields(data), files=tuple(files.items()))


def _send(connection: APIConnection, request: APIRequest, allow: Sequence[int] = ()) -> Any:
    return connection.session.send(request, allow=allow)


def insert_rows(
    compiler: SQLInsertCompiler, returning_fields: Sequence[models.Field[Any, Any]] | None
) -> list[tuple[Any, ...]]:
    """POST the query's objects; refresh them from the answers; return the returning fields."""
    connection = cast("APIConnection", compiler.connection)
    query = compiler.query
    resource = resource_for(model_of(query))
    bodies = [_insert_body(compiler, list(query.fields), obj) for obj in query.objs]
    uploads = any(_split_files(body)[1] for body in bodies)
    if len(bodies) > 1 and not uploads:
        # One list POST, as dynamic-rest and server_kit take it: validated as a whole,
        # so a bad row writes none (django-rest-models sends the same request).
        request = APIRequest("POST", resource.list_path(), body={resource.plural: bodies})
        response = _send(connection, request)
        answers = Envelope.parse(
            response.body, key=resource.plural, detail=False, where=response.where
        ).objects
        if len(answers) != len(bodies):
            raise APIProtocolError(
                f"bulk create answered {len(answers)} objects for {len(bodies)}",
                method="POST",
                url=response.url,
                status=response.status,
            )
    else:
        answers = []
        for body in bodies:
            response = _send(connection, _write("POST", resource.list_path(), body, resource.name))
            envelope = Envelope.parse(
                response.body, key=resource.name, detail=True, where=response.where
            )
            answers.extend(envelope.objects)
    _check_ids(model_of(query), bodies, answers, response)
    for obj, data in zip(query.objs, answers, strict=True):
        refresh_instance(compiler.connection, obj, data)
    if not returning_fields:
        return []
    return [tuple(getattr(obj, f.attname) for f in returning_fields) for obj in query.objs]


def _check_ids(
    model: type[models.Model],
    bodies: Sequence[Body],
    answers: Sequence[Mapping[str, Any]],
    response: Any,
) -> None:
    """An id sent with a create must be the id created, not silently another one."""
    pk = api_name(model._meta.pk)
    for body, data in zip(bodies, answers, strict=True):
        if pk in body and str(data.get(pk)) != str(body[pk]):
            raise APIIntegrityError(
                f"The API created {model._meta.label} {data.get(pk)!r}, not the {pk}"
                f" {body[pk]!r} it was sent: it assigns ids itself. Create without an id"
                " (a fixture's ids cannot be kept on this API)",
                method=response.method,
                url=response.url,
                status=response.status,
            )


def _insert_body(
    compiler: SQLInsertCompiler, fields: Sequence[models.Field[Any, Any]], obj: models.Model
) -> Body:
    body: Body = {}
    for field in fields:
        value = compiler.pre_save_val(field, obj)
        if value is None and not field.has_default():
            # Unset on the client: let the server apply its own default, which the
            # answer then copies back onto the instance.
            continue
        if isinstance(field, models.FileField):
            value = _file_value(value, creating=True)
            if value is not _OMIT:
                body[api_name(field)] = value
            continue
        body[api_name(field)] = _prepare(compiler, field, value, "Model.save()")
    return body


def _case_values(field: models.Field[Any, Any], case: Case) -> dict[str, Any]:
    """Decode ``bulk_update``'s resolved ``Case(When(pk=..., then=Value(...)))``: pk -> value."""
    values: dict[str, Any] = {}
    for when in case.cases:
        lookup = None
        if isinstance(when, When) and len(getattr(when.condition, "children", ())) == 1:
            lookup = when.condition.children[0]
        result = when.result if isinstance(when, When) else None
        if (
            not isinstance(lookup, Exact)
            or not isinstance(lookup.lhs, Col)
            or not lookup.lhs.target.primary_key
            or not isinstance(result, Value)
        ):
            raise NotSupportedError(
                f"QuerySet.update() with Case/When on {field.name!r} is only supported in the"
                " form bulk_update() uses (When(pk=..., then=value))."
            )
        values[str(lookup.rhs)] = result.value
    return values


def _update_bodies(
    compiler: SQLCompiler, values: Sequence[tuple[Any, Any, Any]]
) -> tuple[Body, dict[str, Body], list[FieldFile]]:
    """The body common to all rows, the bodies per pk (``bulk_update``) and the uploads."""
    common: Body = {}
    per_pk: dict[str, Body] = {}
    uploads: list[FieldFile] = []
    for field, _, value in values:
        if isinstance(value, Case):
            for pk, case_value in _case_values(field, value).items():
                prepared = _prepare(compiler, field, case_value, "bulk_update()")
                per_pk.setdefault(pk, {})[api_name(field)] = prepared
            continue
        if hasattr(value, "prepare_database_save") and field.remote_field:
            value = value.prepare_database_save(field)
        if isinstance(field, models.FileField):
            sent = _file_value(value, creating=False)
            if sent is not _OMIT:
                common[api_name(field)] = sent
            if isinstance(sent, tuple) and isinstance(value, FieldFile):
                uploads.append(value)
            continue
        common[api_name(field)] = _prepare(compiler, field, value, "QuerySet.update()")
    return common, per_pk, uploads


def _uploaded(connection: BaseDatabaseWrapper, uploads: list[FieldFile]) -> None:
    """Give saved instances the names (URLs) the API gave their uploads.

    Django hands the update compiler values, not the instance, but a file field's value
    knows its instance; without this, ``.url`` after ``save()`` would be the local name.
    """
    saved = _saved_answers.get({}).get(connection.alias)
    if saved is None:
        return
    for fieldfile in uploads:
        name = api_name(fieldfile.field)
        if name in saved.data:
            value = from_api(connection, fieldfile.field, saved.data[name])
            setattr(fieldfile.instance, fieldfile.field.attname, value)


def update_rows(compiler: SQLCompiler) -> int:
    """PATCH the rows matched by the query; return how many were updated."""
    connection = cast("APIConnection", compiler.connection)
    query: Any = compiler.query  # an UpdateQuery; its stubs lack related_updates and values
    if query.related_updates:
        raise NotSupportedError(
            "QuerySet.update() of parent-model fields (multi-table inheritance) is not supported."
        )
    model = model_of(query)
    pk_name = api_name(model._meta.pk)
    common, per_pk, uploads = _update_bodies(compiler, query.values)
    try:
        resource, flt = plan_filter(compiler)
    except EmptyResultSet:
        return 0
    pks = explicit_pks(flt, pk_name)
    if per_pk:
        rows = [{pk_name: pk, **common, **body} for pk, body in per_pk.items()]
        return _patch_each(connection, model, rows, pk_name)
    if pks is not None and len(pks) == 1:
        count = _patch_each(connection, model, [{pk_name: pks[0], **common}], pk_name)
        _uploaded(compiler.connection, uploads)
        return count
    reader = Reader(connection)
    # A patch-all whose URL would be too long becomes a list PATCH of the ids.
    if connection.server_features(resource).bulk and reader.fits(resource, flt):
        base = reader.list_request(resource, Query(filter=flt))
        request = APIRequest(
            "PATCH", base.path, base.query, base.where, (("patch-all", "query"),), body=common
        )
        response = _send(connection, request)
        body = response.body
        updated = body.get("meta", {}).get("updated") if isinstance(body, Mapping) else None
        if not isinstance(updated, int):
            raise APIProtocolError(
                "patch-all answered without meta.updated", method="PATCH", url=response.url
            )
        return updated
    if pks is None:
        pks = reader.ids(resource, pk_name, flt)
    return _patch_each(connection, model, [{pk_name: pk, **common} for pk in pks], pk_name)


def _patch_each(
    connection: APIConnection, model: type[models.Model], rows: list[Body], pk_name: str
) -> int:
    resource = resource_for(model)
    uploads = any(_split_files(row)[1] for row in rows)
    if len(rows) > 1 and not uploads and connection.server_features(resource).bulk:
        model_pk = model._meta.pk
        typed = [{**row, pk_name: model_pk.to_python(row[pk_name])} for row in rows]
        request = APIRequest("PATCH", resource.list_path(), body=typed)
        response = _send(connection, request)
        return len(
            Envelope.parse(
                response.body, key=resource.plural, detail=False, where=response.where
            ).objects
        )
    updated = 0
    for row in rows:
        body = {k: v for k, v in row.items() if k != pk_name}
        request = _write("PATCH", resource.detail_path(row[pk_name]), body)
        response = _send(connection, request, allow=(404,))
        updated += response.status != 404
        if response.status != 404 and len(rows) == 1 and response.body:
            answer = Envelope.parse(
                response.body, key=resource.name, detail=True, where=response.where
            )
            answered = _Answer(model, str(row[pk_name]), answer.objects[0])
            _saved_answers.set({**_saved_answers.get({}), connection.alias: answered})
    return updated


def refresh_after_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    using: str,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    """``post_save`` receiver: copy the server's answer to an update onto the instance.

    Django's ``save()`` hands the compiler values, not the instance, so the PATCH answer
    waits (in a context variable) until this receiver (installed by ``client_backend``'s app
    config) applies it: fields the server computes on update (``auto_now`` and the
    like) reach the instance as they do after a create.
    """
    answers = _saved_answers.get({})
    saved = answers.get(using)
    if created or saved is None:
        return
    _saved_answers.set({alias: answer for alias, answer in answers.items() if alias != using})
    model, pk, data = saved
    if model is sender and pk == str(instance.pk):
        if update_fields is not None:
            names = {api_name(instance._meta.get_field(name)) for name in update_fields}
            data = {key: value for key, value in data.items() if key in names}
        refresh_instance(connections[using], instance, data)


def delete_rows(compiler: SQLCompiler) -> int:
    """DELETE the rows matched by the query; return how many were deleted."""
    connection = cast("APIConnection", compiler.connection)
    model = model_of(compiler.query)
    try:
        resource, flt = plan_filter(compiler)
    except EmptyResultSet:
        return 0
    pk_name = api_name(model._meta.pk)
    pks = explicit_pks(flt, pk_name)
    if pks is None:
        pks = Reader(connection).ids(resource, pk_name, flt)
    # Their many-to-many links go with them (a 404 means they were gone already).
    connection.pending_removals.objects_deleted(model, pks)
    if len(pks) > 1 and connection.server_features(resource).bulk:
        model_pk = model._meta.pk
        body = [model_pk.to_python(pk) for pk in pks]
        _send(connection, APIRequest("DELETE", resource.list_path(), body=body))
        return len(pks)
    deleted = 0
    for pk in pks:
        response = _send(connection, APIRequest("DELETE", resource.detail_path(pk)), allow=(404,))
        deleted += response.status != 404
    return deleted
