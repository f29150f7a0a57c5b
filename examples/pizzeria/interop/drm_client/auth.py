"""A bearer-token auth for django-rest-models, through its documented `AUTH` extension point.

django-rest-models ships HTTP Basic and OAuth2 client credentials only. The pizzeria API
accepts Basic too, but hashes the password on every request (about a second each here), so
the interop client sends the seeded DRF token as the pizzeria client does.
"""

from __future__ import annotations

from typing import Any

from requests import PreparedRequest
from rest_models.backend.auth import ApiAuthBase


class BearerToken(ApiAuthBase):  # type: ignore[misc]
    """`Authorization: Bearer <PASSWORD>` on every request."""

    def __call__(self, request: PreparedRequest) -> Any:
        request.headers["Authorization"] = f"Bearer {self.settings_dict['PASSWORD']}"
        return request
