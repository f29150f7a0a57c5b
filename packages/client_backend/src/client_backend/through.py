"""Auto-created many-to-many tables, served by the owner resource's list field.

The API has no route for ``Pizza.toppings.through``: the relation is the ``toppings``
list of each pizza. Reads of the through table become a GET of the owners with that
field; inserts and deletes become PATCHes of the owners with the new full list
(``add``, ``remove``, ``set``, ``clear``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, models
from django.db.models.expressions import Col
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import MULTI

from shared_querylang import Leaf, Node, Query, Selection, all_of, conjuncts, leaf

from ._types import APIConnection
from .pending import PendingRemoval
from .reader import Reader
from .relations import AliasPaths
from .request import APIRequest
from .resources import api_name, model_of, resource_for, through_owner
from .where import WhereTranslator

__all__ = ["ThroughTable"]


@dataclass(frozen=True, slots=True)
class _Constraints:
    owners: list[str] | None
    targets: list[str] | None
    #: Filtered by one ``__in`` list, the shape of Django's cascade from deleted objects.
    one_in: bool


class ThroughTable:
    """One auto-created through model, mapped onto its owner's list field."""

    def __init__(self, compiler: SQLCompiler) -> None:
        model = model_of(compiler.query)
        found = through_owner(model)
        if found is None:
            raise NotSupportedError(f"{model._meta.label} has no API resource.")
        self.compiler = compiler
        self.model = model
        self.connection = cast("APIConnection", compiler.connection)
        self.owner, m2m = found
        self.source = cast(
            "models.ForeignKey[Any, Any]", model._meta.get_field(m2m.m2m_field_name())
        )
        self.target = cast(
            "models.ForeignKey[Any, Any]", model._meta.get_field(m2m.m2m_reverse_field_name())
        )
        self.field_name = api_name(m2m)
        self.resource = resource_for(self.owner)
        self.pk_name = api_name(self.owner._meta.pk)

    @classmethod
    def applies(cls, model: type[models.Model]) -> bool:
        """Whether ``model`` is an auto-created through table of an API model."""
        return through_owner(model) is not None

    def _constraints(self) -> _Constraints:
        query = self.compiler.query
        flt = WhereTranslator(AliasPaths(query), self.compiler.connection).translate(query.where)
        owners = targets = None
        ops = []
        for node in conjuncts(flt):
            if not isinstance(node, Leaf) or node.op not in ("eq", "in") or len(node.path) != 1:
                raise NotSupportedError(
                    f"Filtering the {self.field_name!r} M2M table by {node!r} is not supported."
                )
            values = [str(v) for v in node.values]
            if node.path == (api_name(self.source),):
                owners = values
            elif node.path == (api_name(self.target),):
                targets = values
            else:
                raise NotSupportedError(
                    f"Filtering the M2M table by {node.path!r} is not supported."
                )
            ops.append(node.op)
        return _Constraints(owners, targets, ops == ["in"])

    def _owner_lists(
        self, owners: list[str] | None, targets: list[str] | None
    ) -> Iterator[tuple[str, list[Any]]]:
        conditions: list[Node] = []
        if owners is not None:
            conditions.append(leaf((self.pk_name,), "in", *owners))
        if targets is not None:
            conditions.append(leaf((self.field_name,), "in", *targets))
        selection = Selection(include=((self.pk_name,), (self.field_name,)), exclude=(("*",),))
        query = Query(filter=all_of(*conditions) if conditions else None, selection=selection)
        reader = Reader(self.connection)
        request = reader.list_request(self.resource, query)
        for objects, _, _ in reader.objects(request, self.resource, 0, None):
            for obj in objects:
                yield str(obj[self.pk_name]), list(obj.get(self.field_name) or [])

    def select_rows(self) -> Iterator[list[list[Any]]]:
        """Rows of the through table, in the compiler's select order."""
        self._send_pending()
        try:
            constraints = self._constraints()
        except EmptyResultSet:
            return
        ends = self._ends()
        columns: list[object] = []
        for expression, _, _ in self.compiler.select[: self.compiler.col_count]:
            columns.append(expression.target if isinstance(expression, Col) else None)
        wanted = None if constraints.targets is None else set(constraints.targets)
        pairs: list[dict[object, Any]] = []
        for owner, values in self._owner_lists(constraints.owners, constraints.targets):
            for value in values:
                if wanted is None or str(value) in wanted:
                    # The API has no id for a link: its id is the pair, as text, so that
                    # rows stay distinct (Django's delete collector keeps them in sets).
                    link = {self.model._meta.pk: f"{owner}:{value}"}
                    pairs.append(link | {self.source: owner, self.target: value})
        yield [[pair.get(column) for column in columns] for pair in self._joined(pairs, ends)]

    def _ends(self) -> list[tuple[models.ForeignKey[Any, Any], list[Any]]]:
        """The ends ``select_related()`` asks for, each with its selected fields."""
        ends = []
        for related in (self.compiler.klass_info or {}).get("related_klass_infos", []):
            end = related["field"]
            if related.get("related_klass_infos") or end not in (self.source, self.target):
                raise NotSupportedError(
                    f"select_related() on the {self.field_name!r} M2M table reaches only "
                    "its two ends."
                )
            ends.append(
                (end, [self.compiler.select[i][0].target for i in related["select_fields"]])
            )
        return ends

    def _joined(
        self,
        pairs: list[dict[object, Any]],
        ends: list[tuple[models.ForeignKey[Any, Any], list[Any]]],
    ) -> list[dict[object, Any]]:
        """Fill the columns of ``select_related()`` ends: one read per end, by primary key.

        Django's admin collects what a delete takes with ``select_related()`` on the
        through rows. A row whose end is gone is dropped, as the SQL inner join drops it.
        """
        for end, fields in ends:
            found = end.related_model._base_manager.using(self.connection.alias).filter(
                pk__in=sorted({str(pair[end]) for pair in pairs})
            )
            names = [field.attname for field in fields]
            pk_at = names.index(end.target_field.attname)
            rows = found.values_list(*names).query.get_compiler(self.connection.alias)
            by_key = {str(row[pk_at]): row for chunk in rows.execute_sql(MULTI) for row in chunk}
            pairs = [
                pair | dict(zip(fields, by_key[str(pair[end])], strict=True))
                for pair in pairs
                if str(pair[end]) in by_key
            ]
        return pairs

    def insert(self, objs: list[models.Model]) -> None:
        """Add (owner, target) pairs: one GET of the owners, then PATCH their lists."""
        self._send_pending()
        additions: dict[str, list[Any]] = {}
        for obj in objs:
            additions.setdefault(str(getattr(obj, self.source.attname)), []).append(
                getattr(obj, self.target.attname)
            )
        changes = {}
        for owner, current in self._owner_lists(list(additions), None):
            known = {str(v) for v in current}
            changes[owner] = current + [v for v in additions[owner] if str(v) not in known]
        self._patch(changes)

    def delete(self) -> int:
        """Remove pairs: PATCH each owner's list without them.

        Deleting an object, Django's collector first deletes its through rows by one
        ``__in`` list, then the object, in one ``atomic()`` block. The server drops an
        object's links with the object, so such a delete waits for the end of the block
        and is sent only for objects still there (none, for a cascade): it costs no
        request when it is a cascade, and happens when it is a user's own delete.
        """
        try:
            constraints = self._constraints()
        except EmptyResultSet:
            return 0
        if constraints.one_in and self.connection.in_atomic_block:
            owners_side = constraints.owners is not None
            model = self.owner if owners_side else self.target.related_model
            values = constraints.owners if owners_side else constraints.targets
            pending = PendingRemoval(self.model, model, set(values or ()), owners_side)
            self.connection.pending_removals.hold(pending)
            self.connection.on_commit(partial(self._finish, pending))
            return 0
        self._send_pending()
        return self._remove(constraints)

    def _send_pending(self) -> None:
        """Send this table's held deletes now: what follows must see them done."""
        for pending in self.connection.pending_removals.of_table(self.model):
            self._finish(pending)

    def _finish(self, pending: PendingRemoval) -> None:
        values = self.connection.pending_removals.release(pending)
        if values:
            owners_side = pending.owners_side
            self._remove(
                _Constraints(values if owners_side else None, None if owners_side else values, True)
            )

    def _remove(self, constraints: _Constraints) -> int:
        if constraints.targets is None:
            if constraints.owners is None:
                raise NotSupportedError(
                    f"Deleting every row of the {self.field_name!r} M2M table is not supported."
                )
            self._patch({owner: [] for owner in constraints.owners})
            return len(constraints.owners)
        removed = {str(v) for v in constraints.targets}
        changes = {}
        count = 0
        for owner, current in self._owner_lists(constraints.owners, constraints.targets):
            kept = [v for v in current if str(v) not in removed]
            count += len(current) - len(kept)
            changes[owner] = kept
        self._patch(changes)
        return count

    def _patch(self, changes: dict[str, list[Any]]) -> None:
        pk = self.owner._meta.pk
        if len(changes) > 1 and self.connection.server_features(self.resource).bulk:
            body = [{self.pk_name: pk.to_python(o), self.field_name: v} for o, v in changes.items()]
            self.connection.session.send(APIRequest("PATCH", self.resource.list_path(), body=body))
            return
        for owner, values in changes.items():
            request = APIRequest(
                "PATCH", self.resource.detail_path(owner), body={self.field_name: values}
            )
            self.connection.session.send(request)
