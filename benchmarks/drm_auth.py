"""A bearer-token auth for django-rest-models, so that it sends what client_backend sends."""

from __future__ import annotations

from typing import Any

from rest_models.backend.auth import ApiAuthBase


class BearerToken(ApiAuthBase):  # type: ignore[misc]
    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self.settings_dict['PASSWORD']}"
        return request
