"""Write client models (with ``APIMeta``) from an API's root directory and OPTIONS metadata.

The root answers ``{"<plural>": "<list URL>", ...}``; each list route's OPTIONS gives
``resource_name``, ``resource_name_plural`` and ``properties`` (type, nullability,
relations). Relations become ``ForeignKey`` / ``ManyToManyField`` with ``db_column`` set to
the API name and ``related_name`` set to the related resource's field for the other side;
reverse sides (server_kit's ``reverse``, else read-only relations) are written as comments.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .exceptions import APIProtocolError
from .request import APIRequest
from .session import Session

__all__ = ["ResourceInfo", "describe_api", "render_models"]

#: DRF metadata type label -> (model field class, fixed arguments).
_FIELD_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "integer": ("models.IntegerField", ()),
    "float": ("models.FloatField", ()),
    "decimal": ("models.DecimalField", ("max_digits=20", "decimal_places=6")),
    "boolean": ("models.BooleanField", ()),
    "date": ("models.DateField", ()),
    "datetime": ("models.DateTimeField", ()),
    "time": ("models.TimeField", ()),
    "duration": ("models.DurationField", ()),
    "email": ("models.EmailField", ()),
    "url": ("models.URLField", ()),
    "uuid": ("models.UUIDField", ()),
    "json": ("models.JSONField", ()),
}


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """One resource: its route, names and OPTIONS ``properties``."""

    path: str
    name: str
    plural: str
    properties: Mapping[str, Mapping[str, Any]]

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_")) or "Resource"


def describe_api(session: Session) -> list[ResourceInfo]:
    """GET the API root, then OPTIONS every resource it lists."""
    root = session.send(APIRequest("GET", "", params=(("format", "json"),)))
    if not isinstance(root.body, Mapping):
        raise APIProtocolError(
            "API root is not a JSON directory of resources", method="GET", url=root.url
        )
    root_path = urlsplit(session.settings.root_url).path
    resources = []
    for key, url in sorted(root.body.items()):
        path = urlsplit(str(url)).path
        path = path[len(root_path) :] if path.startswith(root_path) else path
        options = session.send(APIRequest("OPTIONS", path.strip("/") or str(key))).body
        options = options if isinstance(options, Mapping) else {}
        properties = options.get("properties")
        resources.append(
            ResourceInfo(
                path=path.strip("/") or str(key),
                name=str(options.get("resource_name") or key),
                plural=str(options.get("resource_name_plural") or key),
                properties=properties if isinstance(properties, Mapping) else {},
            )
        )
    return resources


def _identifier(name: str) -> str:
    return f"{name}_field" if keyword.iskeyword(name) else name


def _is_reverse(prop: Mapping[str, Any]) -> bool:
    """Whether a relation property is the reverse side of one declared elsewhere.

    server_kit says so (``reverse``); other servers only mark it read-only.
    """
    reverse = prop.get("reverse")
    return bool(prop.get("read_only")) if reverse is None else bool(reverse)


def _field_line(
    name: str, prop: Mapping[str, Any], by_plural: Mapping[str, ResourceInfo], owner: ResourceInfo
) -> str:
    null = ["null=True", "blank=True"] if prop.get("nullable") else []
    kind = prop.get("type")
    attribute = _identifier(name)
    if kind in ("one", "many"):
        target = by_plural.get(str(prop.get("related_to")))
        target_name = f'"{target.class_name}"' if target else '"UNKNOWN"'
        if _is_reverse(prop):
            return f"    # {name}: the reverse side of a relation declared on {target_name}"
        reverse = _reverse_name(owner, name, prop, target)
        if reverse is None and kind == "many":
            # A many-to-many is read through its reverse relation: without one it cannot be.
            return (
                f"    # {name}: a many-to-many to {target_name} whose reverse relation the API"
                " does not expose (the client reads it through that relation): expose it on"
                " the server, then run inspectdb again"
            )
        related = f'related_name="{reverse or "+"}"'
        if kind == "one":
            args = [target_name, "models.DO_NOTHING", f'db_column="{name}"', related, *null]
            return f"    {attribute} = models.ForeignKey({', '.join(args)})"
        return f"    {attribute} = models.ManyToManyField({target_name}, {related}, blank=True)"
    field_class, fixed = _FIELD_TYPES.get(str(kind), ("models.TextField", ()))
    return f"    {attribute} = {field_class}({', '.join([*fixed, *null])})"


def _reverse_name(
    owner: ResourceInfo, name: str, prop: Mapping[str, Any], target: ResourceInfo | None
) -> str | None:
    """The target's to-many property for the other side of ``owner.name`` (the related_name)."""
    if target is None:
        return None
    if "related_field" in prop:  # server_kit names it
        found = prop["related_field"]
        return str(found) if found and found in target.properties else None
    for other, back in target.properties.items():
        if (
            back.get("type") == "many"
            and _is_reverse(back)
            and back.get("related_to") == owner.plural
            and other != name
        ):
            return other
    return None


def render_models(resources: list[ResourceInfo]) -> Iterator[str]:
    """The source lines of a ``models.py`` for ``resources``."""
    by_plural = {r.plural: r for r in resources}
    yield "# Generated by `manage.py inspectdb` from the API's metadata (client_backend)."
    yield "# Check field types and relations, then move the models where they belong."
    yield "from django.db import models"
    for resource in resources:
        yield ""
        yield ""
        yield f"class {resource.class_name}(models.Model):"
        for name, prop in resource.properties.items():
            if name == "id" and prop.get("type") == "integer":
                continue
            if isinstance(prop, Mapping):
                yield _field_line(name, prop, by_plural, resource)
        yield ""
        yield "    class APIMeta:"
        yield f'        resource_path = "{resource.path}"'
        yield f'        resource_name = "{resource.name}"'
        yield f'        resource_name_plural = "{resource.plural}"'
