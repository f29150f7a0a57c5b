"""Contracts between an API and its consumers, as plain JSON-shaped data.

An *offer* is what the server says of one resource: its OPTIONS body, or the same entry of
its committed contract file (``features``, ``properties``, ``resource_name`` ...). An
*expectation* is what one consumer model relies on::

    {"model": "shop.Pizza", "path": "/api/pizzas", "features": ["filter{}", ...],
     "fields": {"name": {"model_field": "name", "kind": "value", "types": ["string"]},
                "menu": {"model_field": "menu", "kind": "one", "related_to": "menus",
                         "backward": false, "hyperlinked": false,
                         "key": "id", "key_is_pk": true}}}

A relation's ``key`` is the related field its column holds (``None`` for reverse and
many-to-many relations), ``hyperlinked`` whether the column holds the key a URL ends with.
The offer says how it renders in server_kit's ``relation`` entry (``{"renders": "pk"|"slug"|
"url"|"string"|"object"|"generic"|"custom", "many": ..., "slug_field"/"lookup_field": ...}``);
servers that give none (dynamic-rest) render ids.

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
    ``cardinality``, ``type``, ``representation``, ``target``; ``subject`` names the model (and
    field) that relies on what broke; ``hint`` says how to fix this one, when its code alone
    does not.
    """

    code: str
    subject: str
    message: str
    hint: str = ""

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
    kind, offered, relation = field["kind"], prop.get("type"), prop.get("relation")
    if offered not in ("one", "many") and isinstance(relation, Mapping):
        offered = "many" if relation.get("many") else "one"  # a plain DRF relation field
    if offered in ("one", "many") and offered != kind:
        return [
            Break(
                "cardinality",
                subject,
                f"the API relation {name!r} is {offered!r}, the model expects {kind!r}.",
            )
        ]
    represented = _representation_break(subject, name, field, relation)
    if represented is not None:
        return [represented]
    target, expected_target = prop.get("related_to"), field.get("related_to")
    if target and expected_target and target != expected_target:
        return [
            Break(
                "target",
                subject,
                f"the API relation {name!r} points to {target!r}, the"
                f" model expects {expected_target!r}.",
            )
        ]
    return []


def _representation_break(
    subject: str, name: str, field: Mapping[str, Any], relation: Any
) -> Break | None:
    """A break when the API renders relation ``name`` as something the field cannot key on.

    Ids always fit. A slug fits a to-one field whose ``key`` is the slug field, a URL a
    ``hyperlinked`` one whose key the URL ends with. Text, nested objects and generic or
    custom renderings name no row a relation field can key on.
    """
    if not isinstance(relation, Mapping):
        return None  # dynamic-rest: ids
    renders, key = relation.get("renders"), field.get("key")
    hyperlinked = bool(field.get("hyperlinked"))
    if hyperlinked or (renders == "url" and key is not None):
        return _hyperlink_break(subject, name, field, relation)
    if renders == "pk" or (
        renders == "slug" and key is not None and key == relation.get("slug_field")
    ):
        return None
    slug_field, model_field = relation.get("slug_field"), field["model_field"]
    if renders == "slug" and key is not None:
        fix = (
            f"Declare ForeignKey(..., to_field={slug_field!r}) (unique on the target) so"
            f" that {model_field!r} holds the slug, or render the relation as ids on the API."
        )
    else:
        fix = (
            "Render the relation as ids on the API (DynamicRelationField or"
            f" PrimaryKeyRelatedField), or map {name!r} on the client as a plain field"
            " (CharField, JSONField) instead of a relation: the API ignores writes to it."
        )
    detail = "".join(
        f", {k} {relation[k]!r}" for k in ("slug_field", "lookup_field") if k in relation
    )
    return Break(
        "representation",
        subject,
        f"the API renders {name!r} as {renders!r}{detail}, not as ids: the client would read"
        " it as a key of the related row.",
        fix,
    )


def _hyperlink_break(
    subject: str, name: str, field: Mapping[str, Any], relation: Mapping[str, Any]
) -> Break | None:
    """A ``hyperlinked`` field needs URLs that end with the key its column holds."""
    renders, lookup, key = relation.get("renders"), relation.get("lookup_field"), field.get("key")
    keyed = key is not None and (lookup == key or (lookup == "pk" and bool(field.get("key_is_pk"))))
    model_field = field["model_field"]
    if renders != "url":
        problem = f"is declared in APIMeta.hyperlinked, but the API renders {name!r} as {renders!r}"
        fix = f"Remove {model_field!r} from APIMeta.hyperlinked."
    elif not field.get("hyperlinked"):
        problem = f"the API renders {name!r} as a URL (lookup_field {lookup!r}), not as ids"
        fix = (
            f"Add {model_field!r} to APIMeta.hyperlinked (the column then holds the key the URL"
            " ends with), or map it as a plain URLField."
        )
    elif not keyed or relation.get("many"):
        problem = f"the API's URLs of {name!r} end with {lookup!r}, not with the key it holds"
        fix = f"Declare ForeignKey(..., to_field={lookup!r}), or map it as a plain URLField."
    else:
        return None
    return Break("representation", subject, f"{problem}.", fix)


def expectation_of(offer: Mapping[str, Any], subject: str, path: str) -> dict[str, Any]:
    """Everything ``offer`` promises, as an expectation (to compare two versions of an API)."""
    fields: dict[str, Any] = {}
    for name, prop in sorted((offer.get("properties") or {}).items()):
        fields[name] = _promised(name, prop)
    return {
        "model": subject,
        "path": path,
        "features": sorted(offered_features(offer)),
        "fields": fields,
    }


def _promised(name: str, prop: Mapping[str, Any]) -> dict[str, Any]:
    """The expectation one ``properties`` entry meets exactly."""
    kind, relation = prop.get("type"), prop.get("relation")
    relation = relation if isinstance(relation, Mapping) else {"renders": "pk"}
    renders = relation.get("renders")
    if kind not in ("one", "many") and "relation" in prop:
        kind = "many" if relation.get("many") else "one"
    if (
        kind not in ("one", "many")
        or renders not in ("pk", "slug", "url")
        or (renders != "pk" and relation.get("many"))
    ):
        # Text, objects and custom renderings are read as plain values.
        return {"model_field": name, "kind": "value", "types": [prop.get("type")]}
    key = {"slug": relation.get("slug_field"), "url": relation.get("lookup_field")}.get(renders)
    return {
        "model_field": name,
        "kind": kind,
        "related_to": prop.get("related_to"),
        "hyperlinked": renders == "url",
        "key": key,
        "key_is_pk": key == "pk",
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
