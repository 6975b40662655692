"""The words of the reminders by e-mail, in Norwegian bokmål (the default) and English: a
learner's before and after a deadline, a leader's and a county coordinator's weekly digest.
Dates are dd.mm.yyyy, counts with their plural, and every message ends with the page to act on
and the page that turns reminders off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

Language = Literal["nb", "en"]
DIGEST_LINES = 40  # names listed per section of a leader's digest; the rest counted

WORDS: dict[str, tuple[str, str]] = {
    "hello": ("Hei {name}!", "Hello {name},"),
    "before_subject": ("Påminnelse: frist {due} for {package}", "Reminder: {package} is due {due}"),
    "before_body": (
        "Fristen for å fullføre {package} er {due}, om {days}.",
        "The deadline to complete {package} is {due}, in {days}.",
    ),
    "overdue_subject": (
        "Fristen for {package} er passert",
        "The deadline for {package} has passed",
    ),
    "overdue_body": (
        "Fristen for å fullføre {package} var {due}. Fullfør så snart du kan, eller snakk med "
        "lederen din.",
        "The deadline to complete {package} was {due}. Complete it as soon as you can, or talk "
        "to your leader.",
    ),
    "remaining": ("Dette gjenstår:", "What remains:"),
    "act_learner": (
        "Se hva som gjenstår og meld deg på: {url}",
        "See what remains and sign up: {url}",
    ),
    "leader_subject": (
        "Ukeoversikt for {office}: {overdue} forsinket, {soon} med frist snart",
        "Weekly overview for {office}: {overdue} overdue, {soon} due soon",
    ),
    "leader_overdue": ("Forsinket ({n}):", "Overdue ({n}):"),
    "leader_soon": ("Frist snart ({n}):", "Due soon ({n}):"),
    "line_due": ("{name} – {package} – frist {due}", "{name} – {package} – due {due}"),
    "and_more": ("… og {n} til", "… and {n} more"),
    "act_leader": ("Se kontoret: {url}", "See the office: {url}"),
    "coordinator_subject": (
        "Ukeoversikt for {region}: {behind} kontorer med forsinkede",
        "Weekly overview for {region}: {behind} offices with people overdue",
    ),
    "offices_behind": ("Kontorer med forsinkede:", "Offices with people overdue:"),
    "office_line": (
        "{office}: {overdue} ({people})",
        "{office}: {overdue} ({people})",
    ),
    "none_behind": ("Ingen kontorer har forsinkede.", "No office has anyone overdue."),
    "pipeline": ("Klasseromsmoduler som venter:", "Classroom modules waiting:"),
    "pipeline_line": (
        "{package} – {module}: {placed} har plass i en samling som rekker fristen, "
        "{at_risk} rekker den ikke",
        "{package} – {module}: {placed} have a place in a session that meets their deadline, "
        "{at_risk} cannot make it",
    ),
    "act_coordinator": ("Se fylket: {url}", "See the county: {url}"),
    "opt_out": (
        "Du får denne e-posten fra Kompetanse. Slå av påminnelser: {url}",
        "You get this e-mail from Kompetanse. Turn reminders off: {url}",
    ),
}

_PLURALS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "day": (("dag", "dager"), ("day", "days")),
    "hour": (("time", "timer"), ("hour", "hours")),
    "overdue": (
        ("forsinket krav", "forsinkede krav"),
        ("overdue requirement", "overdue requirements"),
    ),
    "employee": (("ansatt", "ansatte"), ("employee", "employees")),
}


def words(key: str, language: Language, **values: object) -> str:
    nb, en = WORDS[key]
    return (nb if language == "nb" else en).format(**values)


def counted(number: float, unit: str, language: Language) -> str:
    """ "1 dag", "2 dager", "1,5 timer"; "1 day", "2 days"."""
    one, many = _PLURALS[unit][0 if language == "nb" else 1]
    shown = f"{number:g}".replace(".", "," if language == "nb" else ".")
    return f"{shown} {one if number == 1 else many}"


def day(value: date | str) -> str:
    """dd.mm.yyyy."""
    text = value.isoformat() if isinstance(value, date) else value
    year, month, of_month = text[:10].split("-")
    return f"{of_month}.{month}.{year}"


def name_in(value: Mapping[str, str], language: Language) -> str:
    return value.get(language) or value.get("nb") or next(iter(value.values()), "")


def learner_text(
    kind: str,
    language: Language,
    *,
    name: str,
    package: str,
    due: date,
    today: date,
    remaining: Sequence[tuple[str, float]],
    url: str,
    opt_out: str,
) -> tuple[str, str]:
    """Subject and body of a learner's reminder (`before` or `overdue` the deadline)."""
    values: dict[str, Any] = {"package": package, "due": day(due)}
    subject = words(f"{kind}_subject", language, **values)
    values["days"] = counted((due - today).days, "day", language)
    lines = [words("hello", language, name=name), "", words(f"{kind}_body", language, **values)]
    if remaining:
        lines += ["", words("remaining", language)]
        lines += [
            f"- {module} ({counted(hours, 'hour', language)})" if hours else f"- {module}"
            for module, hours in remaining
        ]
    lines += _signed_off(language, "act_learner", url, opt_out)
    return subject, "\n".join(lines)


def leader_text(
    language: Language,
    *,
    name: str,
    office: str,
    overdue: Sequence[tuple[str, str, str]],
    soon: Sequence[tuple[str, str, str]],
    url: str,
    opt_out: str,
) -> tuple[str, str]:
    """A leader's weekly digest: who is overdue and who is due soon, as (name, package, due)."""
    subject = words("leader_subject", language, office=office, overdue=len(overdue), soon=len(soon))
    lines = [words("hello", language, name=name)]
    for key, items in (("leader_overdue", overdue), ("leader_soon", soon)):
        if not items:
            continue
        lines += ["", words(key, language, n=len(items))]
        lines += [
            "- " + words("line_due", language, name=who, package=package, due=day(due))
            for who, package, due in items[:DIGEST_LINES]
        ]
        if len(items) > DIGEST_LINES:
            lines.append(words("and_more", language, n=len(items) - DIGEST_LINES))
    lines += _signed_off(language, "act_leader", url, opt_out)
    return subject, "\n".join(lines)


def coordinator_text(
    language: Language,
    *,
    name: str,
    region: str,
    behind: Sequence[tuple[str, int, int]],
    pipeline: Sequence[tuple[str, str, int, int]],
    url: str,
    opt_out: str,
) -> tuple[str, str]:
    """A county coordinator's weekly digest: the offices with people overdue, as (office,
    overdue, people), and each classroom module's pipeline, as (package, module, placed,
    at risk)."""
    subject = words("coordinator_subject", language, region=region, behind=len(behind))
    lines = [words("hello", language, name=name), ""]
    if behind:
        lines.append(words("offices_behind", language))
        lines += [
            "- "
            + words(
                "office_line",
                language,
                office=office,
                overdue=counted(overdue, "overdue", language),
                people=counted(people, "employee", language),
            )
            for office, overdue, people in behind
        ]
    else:
        lines.append(words("none_behind", language))
    if pipeline:
        lines += ["", words("pipeline", language)]
        lines += [
            "- "
            + words(
                "pipeline_line",
                language,
                package=package,
                module=module,
                placed=placed,
                at_risk=at_risk,
            )
            for package, module, placed, at_risk in pipeline
        ]
    lines += _signed_off(language, "act_coordinator", url, opt_out)
    return subject, "\n".join(lines)


def _signed_off(language: Language, act: str, url: str, opt_out: str) -> list[str]:
    """The end of every reminder: what to do (the phrase `act`, with the page's `url`), the
    signature's dashes and how to stop these messages."""
    return ["", words(act, language, url=url), "", "--", opt_out_line(language, opt_out)]


def opt_out_line(language: Language, url: str) -> str:
    return words("opt_out", language, url=url)
