"""What an error page says: the catalog's and the LRS's refusals are English with ids (the
JSON API's clients read them); a page says them in the chosen language, with the names of the
office, county, package, module and person instead of their ids.

Each kind of refusal is recognised by the shape of its message (`KINDS`) and becomes one
phrase. A person is named only to those who may see them (`catalog._access`): to anyone else
"the person", so an error page tells no more than the refusal did. A message of no known kind
keeps a translated sentence for its status, with the message itself as a technical detail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog import Reports, Viewer
from catalog._access import may_see_person_id
from kompetanse.pages._format import day
from kompetanse.pages._i18n import TEXT, Language, localized, text, words

words(
    {
        "error_text_400": (
            "Forespørselen kunne ikke behandles.",
            "The request could not be handled.",
        ),
        "error_text_401": ("Logg inn for å se siden.", "Sign in to see the page."),
        "error_text_403": ("Du har ikke tilgang til dette.", "You do not have access to this."),
        "error_text_404": ("Vi fant ikke det du ba om.", "We could not find what you asked for."),
        "error_text_409": (
            "Endringen strider mot det som er lagret.",
            "The change contradicts what is stored.",
        ),
        "error_text_429": ("For mange forsøk. Vent litt.", "Too many attempts. Wait a while."),
        "error_text_other": (
            "Noe gikk galt. Prøv igjen senere.",
            "Something went wrong. Try again later.",
        ),
        "error_technical": ("Teknisk melding (engelsk)", "Technical message"),
        "error_the_person": ("personen", "the person"),
        "error_office_forbidden": (
            "Du har ikke tilgang til {office}.",
            "You may not see {office}.",
        ),
        "error_county_forbidden": (
            "Du har ikke tilgang til {county}.",
            "You may not see {county}.",
        ),
        "error_sessions_forbidden": (
            "Bare fylkets kompetansekoordinator kan endre samlingene i {county}.",
            "Only the county's competence coordinator may change the sessions of {county}.",
        ),
        "error_person_forbidden": (
            "Du har ikke tilgang til denne personens opplysninger.",
            "You may not see this person's record.",
        ),
        "error_nation_forbidden": (
            "Bare direktoratet og administratorer ser hele landet.",
            "Only the directorate and administrators see the whole country.",
        ),
        "error_own_county": (
            "Du kan bare melde deg på samlinger i ditt eget fylke.",
            "You can only sign up for sessions in your own county.",
        ),
        "error_package_missing": (
            "Katalogen har ingen pakke «{package}».",
            "The catalog has no package “{package}”.",
        ),
        "error_office_missing": ("Fant ikke kontoret «{office}».", "No office “{office}”."),
        "error_county_missing": ("Fant ikke fylket «{county}».", "No county “{county}”."),
        "error_person_missing": ("Fant ikke personen.", "No such person."),
        "error_person_not_at_office": (
            "Fant ingen slik person ved {office}.",
            "No such person at {office}.",
        ),
        "error_session_missing": ("Fant ikke samlingen.", "No such session."),
        "error_no_seat": (
            "{person} har verken plass eller venteliste på samlingen.",
            "{person} has no seat or place on the waitlist of the session.",
        ),
        "error_no_form": (
            "Det finnes ikke noe registreringsskjema for «{form}».",
            "There is no form for “{form}”.",
        ),
        "error_completed": (
            "{person} har allerede fullført {module} i {package}.",
            "{person} has already completed {module} in {package}.",
        ),
        "error_session_started": (
            "Samlingen startet {date}, så den kan ikke endres nå.",
            "The session started on {date}, so it cannot be changed now.",
        ),
        "error_other_county": (
            "{person} arbeider i et annet fylke enn samlingen.",
            "{person} works in another county than the session.",
        ),
        "error_session_cancelled": ("Samlingen er avlyst.", "The session is cancelled."),
        "error_session_cancelled_on": (
            "Samlingen {date} er avlyst.",
            "The session on {date} is cancelled.",
        ),
        "error_no_exemption": (
            "{person} har ikke fritak fra {package} som kan trekkes tilbake.",
            "{person} has no exemption from {package} to revoke.",
        ),
        "error_no_provider": (
            "Innlogging med identitetsleverandør er ikke satt opp her.",
            "Sign-in with an identity provider is not set up here.",
        ),
        "error_not_confirmer": (
            "Denne registreringen venter ikke på din bekreftelse.",
            "This entry is not awaiting your confirmation.",
        ),
    }
)

_ID = r"'?(?P<{}>[^'\s/]+)'?"
KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern.format(person=_ID.format("person"), package=_ID.format("package"))), key)
    for pattern, key in (
        (r"^you may not see office (?P<office>\S+)$", "error_office_forbidden"),
        (r"^you may not see county (?P<county>\S+)$", "error_county_forbidden"),
        (r"^you may not see the sessions of county (?P<county>\S+)$", "error_sessions_forbidden"),
        (r"^you may not see the record of {person}$", "error_person_forbidden"),
        (r"^you may not see (?:every county|everyone|the nation)$", "error_nation_forbidden"),
        (r"^you may not see sessions in another county$", "error_own_county"),
        (r"^(?:package: )?no package {package}$", "error_package_missing"),
        (r"^no office '(?P<office>[^']*)'$", "error_office_missing"),
        (r"^no county '(?P<county>[^']*)'$", "error_county_missing"),
        (r"^no person {person} at office '(?P<office>[^']*)'$", "error_person_not_at_office"),
        (r"^(?:person: )?no person {person}$", "error_person_missing"),
        (r"^no session '[^']*'$", "error_session_missing"),
        (r"^{person} has no seat or place in session '[^']*'$", "error_no_seat"),
        (r"^no form for '(?P<form>[^']*)'$", "error_no_form"),
        (r"^{person} has completed {package}/(?P<module>\S+)$", "error_completed"),
        (
            r"^(?:session|to): the session started on (?P<date>\d{{4}}-\d{{2}}-\d{{2}})$",
            "error_session_started",
        ),
        (r"^person: {person} works in another county than the session$", "error_other_county"),
        (r"^session '[^']*' is cancelled$", "error_session_cancelled"),
        (
            r"^the session of (?P<date>\d{{4}}-\d{{2}}-\d{{2}}) is cancelled$",
            "error_session_cancelled_on",
        ),
        (r"^package: {person} has no exemption from {package} to revoke$", "error_no_exemption"),
        (r"^sign-in with an identity provider is not set up$", "error_no_provider"),
    )
)


@dataclass(frozen=True)
class Explanation:
    """What the page says, and the original message when no phrase says it (else None)."""

    text: str
    detail: str | None = None


async def explain(
    reports: Reports, viewer: Viewer | None, status_code: int, message: str, lang: Language
) -> Explanation:
    """The refusal `message` in `lang`, with names for ids."""
    if message in _phrases():
        return Explanation(message)  # said by the pages already, in the chosen language
    for pattern, key in KINDS:
        found = pattern.match(message)
        if found is not None:
            values = await _names(reports, viewer, found.groupdict(), lang)
            return Explanation(text(key, lang, **values))
    key = f"error_text_{status_code}"
    return Explanation(text(key if key in TEXT else "error_text_other", lang), message)


async def _names(
    reports: Reports, viewer: Viewer | None, ids: Mapping[str, str], lang: Language
) -> dict[str, Any]:
    values: dict[str, Any] = dict(ids)
    if "office" in ids or "county" in ids:
        units = await reports.store.unit_names()
        for kind in ("office", "county"):
            if kind in ids:
                values[kind] = units.get(ids[kind], ids[kind])
    if "package" in ids:
        package = next((p for p in reports.catalog.packages if p.id == ids["package"]), None)
        if package is not None:
            values["package"] = localized(package.name.model_dump(), lang)
            if "module" in ids:
                module = next((m for m in package.modules if m.id == ids["module"]), None)
                if module is not None:
                    values["module"] = localized(module.name.model_dump(), lang)
    if "person" in ids:
        values["person"] = await _person_name(reports, viewer, ids["person"], lang)
    if "date" in ids:
        values["date"] = day(ids["date"])
    return values


async def _person_name(reports: Reports, viewer: Viewer | None, person: str, lang: Language) -> str:
    """The person's name to one who may see them; "the person" to anyone else."""
    document = await reports.store.person_document(person)
    unit = None if document is None else (document["office"], document["region"])
    if viewer is None or document is None or not may_see_person_id(viewer, person, unit):
        return text("error_the_person", lang).capitalize()
    return str(document["name"])


def _phrases() -> frozenset[str]:
    return frozenset(phrase for pair in TEXT.values() for phrase in pair)
