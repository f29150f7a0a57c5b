"""Through-table deletes held until the end of their atomic block (see ``through.py``)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from django.db import models

__all__ = ["PendingRemoval", "PendingRemovals"]


@dataclass(eq=False)
class PendingRemoval:
    """A through-table delete by one ``__in`` list, held until the end of its atomic block.

    ``model`` is the side the list names; objects of it deleted meanwhile leave ``pks``
    (the server already dropped their links). Weakly referenced by the connection, it
    lives as long as its ``on_commit`` hook: a rolled-back block forgets it. A later read
    or write of the same ``through`` table sends it first, so writes keep their order.
    """

    through: type[models.Model]
    model: type[models.Model]
    pks: set[str] = field(default_factory=set)
    owners_side: bool = True


class PendingRemovals:
    """The held deletes of one connection, each kept only as long as its hook."""

    def __init__(self) -> None:
        self._held: weakref.WeakSet[PendingRemoval] = weakref.WeakSet()

    def hold(self, removal: PendingRemoval) -> None:
        """Keep ``removal`` until :meth:`release` (or until its hook is dropped)."""
        self._held.add(removal)

    def of_table(self, through: type[models.Model]) -> list[PendingRemoval]:
        """The held deletes of the ``through`` table."""
        return [removal for removal in self._held if removal.through is through]

    def release(self, removal: PendingRemoval) -> list[str]:
        """Stop holding ``removal``; the keys still to remove, sorted (each given once)."""
        self._held.discard(removal)
        pks, removal.pks = sorted(removal.pks), set()
        return pks

    def objects_deleted(self, model: type[models.Model], pks: list[str]) -> None:
        """These objects (and their links) are gone: no held delete needs to send them."""
        for removal in list(self._held):
            if removal.model is model:
                removal.pks.difference_update(pks)
