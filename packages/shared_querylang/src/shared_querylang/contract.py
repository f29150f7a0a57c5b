"""Contracts between an API and its consumers, as plain JSON-shaped data.

An *offer* is what the server says of one resource: its OPTIONS body, or the same entry of
its committed contract file (``features``, ``properties``, ``resource_name`` ...). An
*expectation* is what one consumer model relies on::

    {"model": "shop.Pizza", "path": "/api/pizzas", "features": ["filter{}", ...],
     "fields": {"name": {"model_field": "name", "kind": "value", "types": ["string"]},
                "menu": {"model_field": "menu", "kind": "one", "related_to": "menus",
                         "renders": "ids", "backward": false}}}

:func:`breaks` is the one comparison: the client's system check (live OPTIONS or a
contract file) and the server's verification of consumer files both call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .features import Feature

__all__ = [
    "BASELINE_FEATURES",
    "FORMAT_VERSION",
    "Break",
    "additions",
    "breaks",
    "expectation_of",
    "offered_features",
]

#: Written into every contract and expectation file as ``"restbridge_contract"``.
FORMAT_VERSION = 1

#: What every dynamic-rest server understands, advertised or not.
BASELINE_FEATURES: frozenset[str] = frozenset(
    feature.value
    for feature in (
        Feature.INCLUDE,
        Feature.EXCLUDE,
        Feature.FILTER,
        Feature.PAGE,
        Feature.PER_PAGE,
        Feature.SORT,
    )
)

#: Offered types that say nothing checkable (DRF's generic labels).
_ANY_TYPE = frozenset({"field", "choice"})


@dataclass(frozen=True, slots=True)
class Break:
    """One broken expectation.

    ``code`` is one of ``resource``, ``features``, ``field``, ``relation``, ``backward``,
    ``cardinality``, ``type``, ``renders``, ``target``; ``subject`` names the model (and
    field) that relies on what broke.
    """

    code: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def offered_features(offer: Mapping[str, Any]) -> frozenset[str]:
    """The features an offer advertises; an offer without a list is a dynamic-rest server."""
    names = offer.get("features")
    if not isinstance(names, list):
        return BASELINE_FEATURES
    return frozenset(str(name) for name in names)


def breaks(expected: Mapping[str, Any], offer: Mapping[str, Any] | None) -> list[Break]:
    """Every way ``offer`` fails ``expected`` (``None``: the resource is gone)."""
    model, path = expected["model"], expected["path"]
    if offer is None:
        return [Break("resource", model, f"the API has no resource {path!r}.")]
    found: list[Break] = []
    missing = sorted(set(expected.get("features", ())) - offered_features(offer))
    if missing:
        found.append(
            Break("features", model, f"the API resource {path!r} lacks the features {missing}.")
        )
    properties = offer.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for name, field in sorted(expected.get("fields", {}).items()):
        prop = properties.get(name)
        found.extend(_field_breaks(f"{model}.{field['model_field']}", path, name, field, prop))
    return found


def _field_breaks(
    subject: str, path: str, name: str, field: Mapping[str, Any], prop: Any
) -> list[Break]:
    kind = field["kind"]
    if kind == "value":
        if not isinstance(prop, Mapping):
            return [Break("field", subject, f"the API resource {path!r} has no field {name!r}.")]
        types, offered = field.get("types") or [], prop.get("type")
        if types and offered not in _ANY_TYPE and offered not in types:
            return [
                Break("type", subject, f"the API field {name!r} is {offered!r}, expected {types}.")
            ]
        return []
    if not isinstance(prop, Mapping):
        backward = bool(field.get("backward"))
        code, side = ("backward", "backward ") if backward else ("relation", "")
        return [Break(code, subject, f"the API resource {path!r} has no {side}relation {name!r}.")]
    return _relation_breaks(subject, name, field, prop)


def _relation_breaks(
    subject: str, name: str, field: Mapping[str, Any], prop: Mapping[str, Any]
) -> list[Break]:
    kind, offered = field["kind"], prop.get("type")
    if offered != kind:
        return [
            Break(
                "cardinality",
                subject,
                f"the API relation {name!r} is {offered!r}, the model expects {kind!r}.",
            )
        ]
    found: list[Break] = []
    # Servers that do not say how a relation renders (dynamic-rest) render ids.
    renders, expected_renders = prop.get("renders") or "ids", field.get("renders") or "ids"
    if renders != expected_renders:
        found.append(
            Break(
                "renders",
                subject,
                f"the API relation {name!r} renders {renders!r}, the"
                f" model expects {expected_renders!r}.",
            )
        )
    target, expected_target = prop.get("related_to"), field.get("related_to")
    if target and expected_target and target != expected_target:
        found.append(
            Break(
                "target",
                subject,
                f"the API relation {name!r} points to {target!r}, the"
                f" model expects {expected_target!r}.",
            )
        )
    return found


def expectation_of(offer: Mapping[str, Any], subject: str, path: str) -> dict[str, Any]:
    """Everything ``offer`` promises, as an expectation (to compare two versions of an API)."""
    fields: dict[str, Any] = {}
    for name, prop in sorted((offer.get("properties") or {}).items()):
        kind = prop.get("type")
        if kind in ("one", "many"):
            fields[name] = {
                "model_field": name,
                "kind": kind,
                "related_to": prop.get("related_to"),
                "renders": prop.get("renders") or "ids",
            }
        else:
            fields[name] = {"model_field": name, "kind": "value", "types": [kind]}
    return {
        "model": subject,
        "path": path,
        "features": sorted(offered_features(offer)),
        "fields": fields,
    }


def additions(old: Mapping[str, Any], new: Mapping[str, Any], subject: str) -> list[str]:
    """What ``new`` offers that ``old`` did not: features and fields (additive changes)."""
    found = [
        f"{subject}: new feature {name!r}."
        for name in sorted(offered_features(new) - offered_features(old))
    ]
    old_props = old.get("properties") or {}
    found.extend(
        f"{subject}: new field {name!r}."
        for name in sorted(new.get("properties") or {})
        if name not in old_props
    )
    return found
