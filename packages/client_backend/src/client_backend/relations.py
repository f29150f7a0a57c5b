"""Turn the join aliases of a Django ``Query`` into API relation paths.

Filters, ordering and ``select_related`` across relations make Django add ``Join`` s to
``query.alias_map``; each alias here becomes the dotted path of serializer field names
that reaches it (``("menu",)``, ``("pizzas", "toppings")``). Hops through an
auto-created many-to-many table collapse into the field's own name, the way the API
exposes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import NotSupportedError, models
from django.db.models.expressions import Col
from django.db.models.fields.related import ForeignObjectRel
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import Query

from .resources import api_name, model_of, through_owner

__all__ = ["AliasInfo", "AliasPaths"]

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AliasInfo:
    """Where one alias sits: its path from the base model, its model, and its cardinality.

    ``many`` is true once the path crossed a to-many hop. ``through_name`` is set for the
    alias of an M2M table: the API name of the relation it stands for.
    """

    path: Path
    model: type[models.Model]
    many: bool
    through_name: str | None = None
    first_many: str | None = None
    hop_models: tuple[type[models.Model], ...] = ()

    def hop(self, name: str, model: type[models.Model], **changes: Any) -> AliasInfo:
        """Extend this alias by one relation hop to ``model``."""
        values: dict[str, Any] = {
            "path": self.path + (name,),
            "model": model,
            "many": self.many,
            "through_name": None,
            "first_many": self.first_many,
            "hop_models": self.hop_models + (model,),
        }
        values.update(changes)
        return AliasInfo(**values)


class AliasPaths:
    """Resolve aliases of one ``Query``, caching each answer.

    ``bases`` places aliases that start the query elsewhere than at the root: the inner
    query of an ``exclude()`` across a to-many relation starts below an outer alias.
    """

    def __init__(self, query: Query, bases: dict[str, AliasInfo] | None = None) -> None:
        self.query = query
        self._cache: dict[str, AliasInfo] = dict(bases or {})

    def info(self, alias: str) -> AliasInfo:
        """Describe ``alias``."""
        cached = self._cache.get(alias)
        if cached is None:
            cached = self._cache[alias] = self._resolve(alias)
        return cached

    def _resolve(self, alias: str) -> AliasInfo:
        join = self.query.alias_map.get(alias)
        if not isinstance(join, Join):
            return AliasInfo((), model_of(self.query), False)
        parent = self.info(join.parent_alias)
        field: Any = join.join_field  # a relation field or a reverse relation
        if parent.through_name is not None:
            # Leaving an M2M table towards the far model: the hop is the M2M field itself.
            return parent.hop(parent.through_name, field.related_model, many=True)
        if isinstance(field, ForeignObjectRel):
            owner = through_owner(field.field.model)
            if owner is not None:
                _, m2m = owner
                forward = field.field.name == m2m.m2m_field_name()
                name = api_name(m2m) if forward else api_name(m2m.remote_field)
                return replace(
                    parent,
                    model=field.field.model,
                    many=True,
                    through_name=name,
                    first_many=parent.first_many or alias,
                )
            first_many = parent.first_many or (alias if field.multiple else None)
            return parent.hop(
                api_name(field),
                field.related_model,
                many=parent.many or field.multiple,
                first_many=first_many,
            )
        return parent.hop(api_name(field), field.related_model)

    def correlated(self, outer_alias: str, outer_field: Any, inner_field: Any) -> AliasInfo:
        """Where an inner query's table sits, given ``inner.inner_field = outer.outer_field``.

        ``inner_field`` is a foreign key on the inner table towards the outer row (directly,
        or to the object the outer row's foreign key ``outer_field`` points at).
        """
        info = self.info(outer_alias)
        if outer_field.is_relation and not outer_field.primary_key:
            info = info.hop(api_name(outer_field), outer_field.related_model)
        if inner_field.primary_key:
            # exclude(pizzas=None): the inner query restarts at that row itself.
            return info
        owner = through_owner(inner_field.model)
        if owner is not None:
            _, m2m = owner
            forward = inner_field.name == m2m.m2m_field_name()
            name = api_name(m2m) if forward else api_name(m2m.remote_field)
            return replace(info, model=inner_field.model, many=True, through_name=name)
        return info.hop(api_name(inner_field.remote_field), inner_field.model, many=True)

    def column_path(self, col: Col) -> Path:
        """The API path of a column: its alias's path plus the field's API name."""
        info = self.info(col.alias)
        target = col.target
        if info.through_name is not None:
            # A column of the M2M table: the far foreign key stands for the relation's ids.
            join = self.query.alias_map[col.alias]
            if target == getattr(getattr(join, "join_field", None), "field", None):
                raise NotSupportedError(
                    f"Filtering on the near side of the {info.through_name!r} M2M table"
                    " is not supported."
                )
            return info.path + (info.through_name,)
        return info.path + (api_name(target),)
