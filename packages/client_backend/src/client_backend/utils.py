"""django-rest-models' ``utils`` names under the migration rule.

Both ``rest_models.utils`` and ``rest_models.backend.utils`` become
``client_backend.utils``: the fixture helpers (:mod:`client_backend.fixtures`), the
test password hasher and ``JSONField``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher
from django.db.models import JSONField

from .fixtures import JsonFixtures, Path, dict_contains

__all__ = ["JSONField", "JsonFixtures", "NullPasswordHasher", "Path", "dict_contains"]


class NullPasswordHasher(BasePasswordHasher):
    """Stores passwords in clear: for test settings only, where hashing is wasted time."""

    algorithm = "null"

    def salt(self) -> str:
        return ""

    def encode(self, password: str, salt: str) -> str:
        return f"{self.algorithm}${salt}${password}"

    def decode(self, encoded: str) -> dict[str, str]:
        algorithm, salt, password = encoded.split("$", 2)
        if algorithm != self.algorithm:
            raise ValueError(f"{encoded!r} was not encoded by NullPasswordHasher.")
        return {"algorithm": algorithm, "salt": salt, "password": password}

    def verify(self, password: str, encoded: str) -> bool:
        return self.encode(password, self.decode(encoded)["salt"]) == encoded

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        decoded = self.decode(encoded)
        return {"algorithm": decoded["algorithm"], "salt": decoded["salt"], "hash": "*"}

    def harden_runtime(self, password: str, encoded: str) -> None:
        """Nothing to slow down."""
