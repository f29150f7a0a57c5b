"""A Django database backend whose tables are resources of a REST API.

Configure ``DATABASES["api"] = {"ENGINE": "client_backend", "NAME": "<API root URL>", ...}``
and ``DATABASE_ROUTERS = ["client_backend.routers.APIRouter"]``; models with an inner
``class APIMeta`` then read and write through the API. See ``docs/client.md``.
"""

from __future__ import annotations

from .checks import register_checks

__all__ = ["__version__"]

__version__ = "0.1.0"

# As django-rest-models did on import; the check itself reads its setting when it runs.
register_checks()
