"""The structural rules of an xAPI Profile document (Profiles Part Two §4-§9).

`profile_problems` lists every rule a profile breaks, each as ``path: what is wrong``.
Beyond the spec, our own rule: names and definitions are given in Norwegian (nb) and English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from adapters.profile._processor import parse_path

CONTEXT = "https://w3id.org/xapi/profiles/context"
ACTIVITY_CONTEXT = "https://w3id.org/xapi/profiles/activity-context"
CONFORMS_TO = "https://w3id.org/xapi/profiles#1.0"
LANGUAGES = ("nb", "en")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_RELATION = ("broader", "broadMatch", "narrower", "narrowMatch", "related", "relatedMatch")
_CONCEPT_TYPES = {
    "Verb": "semantic",
    "ActivityType": "semantic",
    "AttachmentUsageType": "semantic",
    "ContextExtension": "extension",
    "ResultExtension": "extension",
    "ActivityExtension": "extension",
    "StateResource": "document",
    "AgentProfileResource": "document",
    "ActivityProfileResource": "document",
    "Activity": "activity",
}
_PATTERN_KINDS = ("alternates", "optional", "oneOrMore", "sequence", "zeroOrMore")
_TEMPLATE_TYPES = {
    "verb": "Verb",
    "objectActivityType": "ActivityType",
    "contextGroupingActivityType": "ActivityType",
    "contextParentActivityType": "ActivityType",
    "contextOtherActivityType": "ActivityType",
    "contextCategoryActivityType": "ActivityType",
    "attachmentUsageType": "AttachmentUsageType",
}
_EXTENSION_PLACES = {
    "context.extensions": "ContextExtension",
    "result.extensions": "ResultExtension",
}


def profile_problems(profile: Mapping[str, Any]) -> list[str]:
    """Every structural rule the profile breaks (an empty list: the profile is well formed)."""
    problems = [f"{path}: must not be empty or null" for path in _empty_values(profile, "$")]
    problems += _profile(profile)
    version = _current_version(profile)
    concepts = {c.get("id"): c for c in profile.get("concepts", [])}
    templates = {t.get("id"): t for t in profile.get("templates", [])}
    patterns = {p.get("id"): p for p in profile.get("patterns", [])}
    ids = [
        item.get("id")
        for kind in ("concepts", "templates", "patterns")
        for item in profile.get(kind, [])
    ]
    problems += [
        f"{i}: defined more than once" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    own = _base(profile)
    for concept in profile.get("concepts", []):
        problems += _concept(concept, version, concepts)
    for template in profile.get("templates", []):
        problems += _template(template, version, concepts, templates, own)
    for pattern in profile.get("patterns", []):
        problems += _pattern(pattern, version, templates, patterns)
    return problems


def _profile(profile: Mapping[str, Any]) -> list[str]:
    problems = _required(profile, "profile", ("id", "@context", "type", "conformsTo", "versions"))
    problems += _labels(profile, "profile", required=True)
    context = profile.get("@context")
    if context != CONTEXT and not (isinstance(context, list) and CONTEXT in context):
        problems.append(f"profile.@context: must be {CONTEXT}")
    if profile.get("type") != "Profile":
        problems.append("profile.type: must be Profile")
    if profile.get("conformsTo") != CONFORMS_TO:
        problems.append(f"profile.conformsTo: must be {CONFORMS_TO}")
    author = profile.get("author")
    if not isinstance(author, dict) or author.get("type") not in ("Organization", "Person"):
        problems.append("profile.author: an Organization or Person is required")
    elif not author.get("name"):
        problems.append("profile.author.name: required")
    versions = profile.get("versions") or []
    seen = [v.get("id") for v in versions if isinstance(v, dict)]
    for index, version in enumerate(versions):
        where = f"profile.versions[{index}]"
        if not _is_iri(version.get("id")) or version.get("id") == profile.get("id"):
            problems.append(f"{where}.id: an IRI other than the profile's is required")
        if not _TIMESTAMP.match(str(version.get("generatedAtTime", ""))):
            problems.append(f"{where}.generatedAtTime: a timestamp is required")
        for earlier in version.get("wasRevisionOf", []):
            if earlier not in seen:
                problems.append(f"{where}.wasRevisionOf: {earlier} is not a version listed")
    if len(set(seen)) != len(seen):
        problems.append("profile.versions: version ids must be unique")
    if len([v for v in seen if not any(v in w.get("wasRevisionOf", []) for w in versions)]) != 1:
        problems.append("profile.versions: exactly one version must be current")
    return problems


def _concept(
    concept: Mapping[str, Any], version: str | None, concepts: Mapping[str, Any]
) -> list[str]:
    where = str(concept.get("id", "concept"))
    kind = _CONCEPT_TYPES.get(str(concept.get("type")))
    problems = _required(concept, where, ("id", "type", "inScheme"))
    problems += _in_scheme(concept, where, version)
    if kind is None:
        return [*problems, f"{where}.type: {concept.get('type')!r} is not a concept type"]
    if kind != "activity":
        problems += _labels(concept, where, required=True)
    if kind == "semantic":
        for relation in _RELATION:
            for other in concept.get(relation, []):
                same_profile = relation in ("broader", "narrower", "related")
                if same_profile and concepts.get(other, {}).get("type") != concept["type"]:
                    problems.append(f"{where}.{relation}: {other} is no {concept['type']} here")
        if concept.get("related") and not concept.get("deprecated"):
            problems.append(f"{where}.related: only on deprecated concepts")
    if kind == "extension":
        if "recommendedActivityTypes" in concept and concept["type"] != "ActivityExtension":
            problems.append(f"{where}.recommendedActivityTypes: only on an ActivityExtension")
        if "recommendedVerbs" in concept and concept["type"] == "ActivityExtension":
            problems.append(f"{where}.recommendedVerbs: not on an ActivityExtension")
    if kind in ("extension", "document") and "schema" in concept and "inlineSchema" in concept:
        problems.append(f"{where}: at most one of schema and inlineSchema")
    if kind == "document" and not concept.get("contentType"):
        problems.append(f"{where}.contentType: required")
    if kind == "activity":
        definition = concept.get("activityDefinition") or {}
        if ACTIVITY_CONTEXT not in _as_list(definition.get("@context")):
            problems.append(f"{where}.activityDefinition.@context: must be {ACTIVITY_CONTEXT}")
    return problems


def _template(
    template: Mapping[str, Any],
    version: str | None,
    concepts: Mapping[str, Any],
    templates: Mapping[str, Any],
    own: str,
) -> list[str]:
    where = str(template.get("id", "template"))
    problems = _required(template, where, ("id", "type", "inScheme"))
    problems += _labels(template, where, required=True) + _in_scheme(template, where, version)
    if template.get("type") != "StatementTemplate":
        problems.append(f"{where}.type: must be StatementTemplate")
    if "objectStatementRefTemplate" in template and "objectActivityType" in template:
        problems.append(f"{where}: not both objectStatementRefTemplate and objectActivityType")
    for prop, kind in _TEMPLATE_TYPES.items():
        for iri in _as_list(template.get(prop)):
            problems += _reference(f"{where}.{prop}", iri, kind, concepts, own)
    for prop in ("objectStatementRefTemplate", "contextStatementRefTemplate"):
        problems += [
            f"{where}.{prop}: {ref} is not a template of this profile"
            for ref in template.get(prop, [])
            if ref not in templates
        ]
    for index, rule in enumerate(template.get("rules", [])):
        problems += _rule(rule, f"{where}.rules[{index}]", concepts, own)
    return problems


def _rule(rule: Mapping[str, Any], where: str, concepts: Mapping[str, Any], own: str) -> list[str]:
    problems = []
    for prop in ("location", "selector"):
        if prop in rule:
            try:
                parse_path(str(rule[prop]))
            except ValueError as exc:
                problems.append(f"{where}.{prop}: {exc}")
    if "location" not in rule:
        problems.append(f"{where}.location: required")
    if not any(k in rule for k in ("presence", "any", "all", "none")):
        problems.append(f"{where}: needs one of presence, any, all, none")
    if rule.get("presence", "included") not in ("included", "excluded", "recommended"):
        problems.append(f"{where}.presence: included, excluded or recommended")
    for place, kind in _EXTENSION_PLACES.items():
        for key in re.findall(rf"\$\.{re.escape(place)}\['([^']+)'\]", str(rule.get("location"))):
            problems += _reference(f"{where}.location", key, kind, concepts, own)
    return problems


def _pattern(
    pattern: Mapping[str, Any],
    version: str | None,
    templates: Mapping[str, Any],
    patterns: Mapping[str, Any],
) -> list[str]:
    where = str(pattern.get("id", "pattern"))
    problems = _required(pattern, where, ("id", "type"))
    if pattern.get("type") != "Pattern":
        problems.append(f"{where}.type: must be Pattern")
    if "inScheme" in pattern:
        problems += _in_scheme(pattern, where, version)
    problems += _labels(pattern, where, required=bool(pattern.get("primary")))
    kinds = [kind for kind in _PATTERN_KINDS if kind in pattern]
    if len(kinds) != 1:
        return [*problems, f"{where}: exactly one of {', '.join(_PATTERN_KINDS)}"]
    members = _as_list(pattern[kinds[0]])
    for member in members:
        if member not in templates and member not in patterns:
            problems.append(f"{where}.{kinds[0]}: {member} is no template or pattern here")
    if kinds[0] == "alternates":
        if len(members) < 2:
            problems.append(f"{where}.alternates: at least two members")
        for member in members:
            if {"optional", "zeroOrMore"} & set(patterns.get(member, {})):
                problems.append(f"{where}.alternates: {member} is optional or zeroOrMore")
    if kinds[0] == "sequence" and len(members) < 2:
        used = any(where in _as_list(p.get(k)) for p in patterns.values() for k in _PATTERN_KINDS)
        if not (pattern.get("primary") and members and members[0] in templates and not used):
            problems.append(f"{where}.sequence: at least two members")
    if where in _reachable(where, patterns):
        problems.append(f"{where}: contains itself")
    return problems


def _reachable(start: str, patterns: Mapping[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = [m for k in _PATTERN_KINDS for m in _as_list(patterns.get(start, {}).get(k))]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += [m for k in _PATTERN_KINDS for m in _as_list(patterns.get(current, {}).get(k))]
    return seen


def _reference(where: str, iri: Any, kind: str, concepts: Mapping[str, Any], own: str) -> list[str]:
    """A concept a template uses: ours must be defined here with the right type; reused ones
    (ADL, cmi5, Tin Can) are only referenced, as the spec asks."""
    if not _is_iri(iri):
        return [f"{where}: {iri!r} is not an IRI"]
    if iri in concepts and concepts[iri].get("type") != kind:
        return [f"{where}: {iri} is a {concepts[iri].get('type')}, not a {kind}"]
    if iri not in concepts and str(iri).startswith(own):
        return [f"{where}: {iri} is not defined in the profile"]
    return []


def _current_version(profile: Mapping[str, Any]) -> str | None:
    versions = [v for v in profile.get("versions", []) if isinstance(v, dict)]
    earlier = {e for v in versions for e in v.get("wasRevisionOf", [])}
    current = [v.get("id") for v in versions if v.get("id") not in earlier]
    return str(current[0]) if len(current) == 1 else None


def _base(profile: Mapping[str, Any]) -> str:
    """The IRI prefix the profile's author mints under (the profile id's parent)."""
    return str(profile.get("id", "")).rsplit("/", 1)[0] + "/"


def _in_scheme(item: Mapping[str, Any], where: str, version: str | None) -> list[str]:
    if version is not None and item.get("inScheme") != version:
        return [f"{where}.inScheme: must be the current version {version}"]
    return []


def _labels(item: Mapping[str, Any], where: str, *, required: bool) -> list[str]:
    problems = []
    for prop in ("prefLabel", "definition"):
        labels = item.get(prop)
        if labels is None and not required:
            continue
        if not isinstance(labels, dict) or not all(isinstance(t, str) for t in labels.values()):
            problems.append(f"{where}.{prop}: a language map is required")
            continue
        missing = [language for language in LANGUAGES if language not in labels]
        if missing:
            problems.append(f"{where}.{prop}: give it in {' and '.join(missing)} too")
    return problems


def _required(item: Mapping[str, Any], where: str, names: tuple[str, ...]) -> list[str]:
    return [f"{where}.{name}: required" for name in names if name not in item]


def _empty_values(value: Any, path: str) -> Iterator[str]:
    if value is None or value in ("", {}, []):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _empty_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _empty_values(item, f"{path}[{index}]")


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
