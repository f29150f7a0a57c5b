"""Token authentication under the standard `Bearer` scheme (DRF's own says `Token`)."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <key>` against DRF's token table."""

    keyword = "Bearer"
