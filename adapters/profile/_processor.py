"""The xAPI Profiles processing algorithms (Communication §2): statement template validation
(`validates`) and pattern validation (`follows`), with the JSONPath subset the spec allows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

Outcome = Literal["success", "partial", "failure"]
_UNMATCHABLE = object()
_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_][\w\-]*|\*)          # .name or .*
    | \[(?P<bracket>\s*(?:\*|\d+|'[^']*'|"[^"]*")
         (?:\s*,\s*(?:\*|\d+|'[^']*'|"[^"]*"))*\s*)\]   # [*] [0] ['a'] ['a','b']
    """,
    re.VERBOSE,
)
_KEY = re.compile(r"""\*|\d+|'([^']*)'|"([^"]*)\"""")


def parse_path(expression: str) -> list[list[list[str | int]]]:
    """A JSONPath (`$.a['b'][*]`, joined with `|`) as alternatives of steps of selectors.

    Raises ValueError for anything outside the subset Profiles §8.1 allows (no filters or
    scripts).
    """
    alternatives = []
    for part in expression.split("|"):
        text = part.strip()
        if not text.startswith("$"):
            raise ValueError(f"a JSONPath starts with $: {text!r}")
        steps: list[list[str | int]] = []
        position = 1
        while position < len(text):
            match = _STEP.match(text, position)
            if match is None:
                raise ValueError(f"not a JSONPath this spec allows, at {text[position:]!r}")
            if match["name"] is not None:
                steps.append([match["name"]])
            else:
                steps.append([_key(m) for m in _KEY.finditer(match["bracket"])])
            position = match.end()
        alternatives.append(steps)
    return alternatives


def _key(match: re.Match[str]) -> str | int:
    text = match.group(0)
    if text == "*":
        return "*"
    if text.isdigit():
        return int(text)
    return match.group(1) if match.group(1) is not None else match.group(2)


def apply_path(document: Any, expression: str) -> list[Any]:
    """Every value the path finds in `document` (Communication §2.1 `apply_jsonpath`)."""
    found: list[Any] = []
    for steps in parse_path(expression):
        values = [document]
        for selectors in steps:
            values = [child for value in values for child in _children(value, selectors)]
        found += values
    return found


def _children(value: Any, selectors: list[str | int]) -> list[Any]:
    found = []
    for selector in selectors:
        if selector == "*":
            found += list(value.values()) if isinstance(value, dict) else []
            found += list(value) if isinstance(value, list) else []
        elif isinstance(selector, int) and isinstance(value, list) and selector < len(value):
            found.append(value[selector])
        elif isinstance(selector, str) and isinstance(value, dict) and selector in value:
            found.append(value[selector])
    return found


def normalized(statement: Mapping[str, Any]) -> dict[str, Any]:
    """The statement with singleton context activities as arrays (Profiles §8.1)."""
    copy = dict(statement)
    context = dict(copy.get("context") or {})
    activities = context.get("contextActivities")
    if isinstance(activities, dict):
        context["contextActivities"] = {
            kind: value if isinstance(value, list) else [value]
            for kind, value in activities.items()
        }
        copy["context"] = context
    return copy


def validates(
    statement: Mapping[str, Any], templates: Sequence[Mapping[str, Any]]
) -> tuple[Literal["success", "invalid", "unmatched"], list[str]]:
    """Communication §2.1: which templates a statement matches, or which it matches but breaks."""
    subject = normalized(statement)
    matching: list[str] = []
    failing: list[str] = []
    for template in templates:
        if _determining_properties_match(subject, template):
            (matching if _follows_rules(subject, template) else failing).append(template["id"])
    if failing:
        return "invalid", failing
    return ("success", matching) if matching else ("unmatched", [])


def broken_rules(statement: Mapping[str, Any], template: Mapping[str, Any]) -> list[str]:
    """The locations of the template's rules the statement does not follow (for messages)."""
    subject = normalized(statement)
    return [rule["location"] for rule in template.get("rules", []) if not _follows(subject, rule)]


def _determining_properties_match(statement: dict[str, Any], template: Mapping[str, Any]) -> bool:
    if "verb" in template and statement.get("verb", {}).get("id") != template["verb"]:
        return False
    if "objectActivityType" in template:
        definition = statement.get("object", {}).get("definition", {})
        if definition.get("type") != template["objectActivityType"]:
            return False
    for kind in ("Grouping", "Parent", "Other", "Category"):
        wanted = template.get(f"context{kind}ActivityType")
        if wanted:
            activities = (statement.get("context") or {}).get("contextActivities", {})
            present = {
                a.get("definition", {}).get("type") for a in activities.get(kind.lower(), [])
            }
            if not set(wanted) <= present:
                return False
    wanted = template.get("attachmentUsageType")
    present = {a.get("usageType") for a in statement.get("attachments", [])}
    return not wanted or set(wanted) <= present


def _follows_rules(statement: dict[str, Any], template: Mapping[str, Any]) -> bool:
    target = statement.get("object", {})
    if "objectStatementRefTemplate" in template and target.get("objectType") != "StatementRef":
        return False
    if "contextStatementRefTemplate" in template and not (statement.get("context") or {}).get(
        "statement"
    ):
        return False
    return all(_follows(statement, rule) for rule in template.get("rules", []))


def _follows(statement: dict[str, Any], rule: Mapping[str, Any]) -> bool:
    strict = True
    values = apply_path(statement, rule["location"])
    if "selector" in rule:
        selected: list[Any] = []
        for value in values:
            selection = apply_path(value, rule["selector"])
            selected += selection or [_UNMATCHABLE]
        values = selected
    presence = rule.get("presence")
    matchable = [value for value in values if value is not _UNMATCHABLE]
    if presence == "included" and (not values or len(matchable) < len(values)):
        return False
    if presence == "excluded" and matchable:
        return False
    if presence == "recommended":
        strict = False
    if not (strict or values):
        return True
    if "any" in rule and not any(_member(value, rule["any"]) for value in matchable):
        return False
    if "all" in rule and (
        len(matchable) < len(values) or not all(_member(v, rule["all"]) for v in matchable)
    ):
        return False
    return not ("none" in rule and any(_member(value, rule["none"]) for value in matchable))


def _member(value: Any, choices: Sequence[Any]) -> bool:
    return any(value == choice and type(value) is type(choice) for choice in choices)


def follows(
    statements: Sequence[Mapping[str, Any]],
    templates: Sequence[Mapping[str, Any]],
    patterns: Sequence[Mapping[str, Any]],
) -> bool:
    """Communication §2.2: do statements of one registration, in order, follow a primary
    pattern? Every statement must validate against the templates first."""
    matched: list[list[str]] = []
    for statement in statements:
        validity, ids = validates(statement, templates)
        if validity != "success":
            return False
        matched.append(ids)
    by_id = {p["id"]: p for p in patterns}
    for pattern in patterns:
        if pattern.get("primary"):
            outcome, remaining = _matches(matched, pattern, by_id)
            if outcome == "success" and not remaining:
                return True
    return False


def _matches(
    statements: list[list[str]], element: Mapping[str, Any] | str, patterns: Mapping[str, Any]
) -> tuple[Outcome, list[list[str]]]:
    if isinstance(element, str):
        if element in patterns:
            return _matches(statements, patterns[element], patterns)
        if not statements:
            return "partial", []
        return ("success", statements[1:]) if element in statements[0] else ("failure", statements)
    if "sequence" in element:
        rest = statements
        for member in element["sequence"]:
            outcome, rest = _matches(rest, member, patterns)
            if outcome == "failure":
                return "failure", statements
            if outcome == "partial":
                return "partial", []
        return "success", rest
    if "alternates" in element:
        best: Outcome = "failure"
        rest = statements
        for member in element["alternates"]:
            outcome, remaining = _matches(statements, member, patterns)
            if outcome == "success":
                if best != "success" or len(remaining) < len(rest):
                    rest = remaining
                best = "success"
            elif outcome == "partial" and best == "failure":
                best = "partial"
        return (best, []) if best == "partial" else (best, rest)
    if "oneOrMore" in element:
        return _one_or_more(statements, element["oneOrMore"], patterns)
    if "zeroOrMore" in element:
        return _zero_or_more(statements, element["zeroOrMore"], patterns)
    if not statements:
        return "success", []
    outcome, rest = _matches(statements, element["optional"], patterns)
    return (outcome, rest) if outcome != "failure" else ("success", statements)


def _one_or_more(
    statements: list[list[str]], member: str, patterns: Mapping[str, Any]
) -> tuple[Outcome, list[list[str]]]:
    result: Outcome = "failure"
    last = statements
    while True:
        outcome, rest = _matches(last, member, patterns)
        if outcome == "success":
            result = "success"
        elif result == "failure" and outcome == "partial":
            return "partial", []
        else:
            return ("partial", last) if outcome == "partial" and last else (result, last)
        if len(rest) == len(last):
            return "success", rest
        last = rest


def _zero_or_more(
    statements: list[list[str]], member: str, patterns: Mapping[str, Any]
) -> tuple[Outcome, list[list[str]]]:
    last = statements
    while True:
        outcome, rest = _matches(last, member, patterns)
        if outcome == "failure":
            return "success", last
        if outcome == "partial" and rest:
            return "partial", rest
        if len(rest) == len(last):
            return "success", rest
        last = rest
