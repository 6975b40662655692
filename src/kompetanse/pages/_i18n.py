"""The pages' words in Norwegian bokmål (the default) and English.

Catalog names (packages, areas, roles, methods) come in both languages from the catalog; the
words of the pages themselves are here, one key per phrase, so that a missing translation is a
KeyError in the tests rather than a blank on a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Language = Literal["nb", "en"]
LANGUAGES: tuple[Language, ...] = ("nb", "en")
LANGUAGE_COOKIE = "kompetanse_lang"

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "product": ("Kompetanse", "Kompetanse"),
    "skip": ("Hopp til hovedinnholdet", "Skip to main content"),
    "menu": ("Hovedmeny", "Main menu"),
    "other_language": ("English", "Norsk (bokmål)"),
    "other_language_code": ("en", "nb"),
    "signed_in_as": ("Logget inn som", "Signed in as"),
    "sign_out": ("Logg ut", "Sign out"),
    "footer": (
        "Kompetanse – læringsregister for kompetanseutvikling",
        "Kompetanse – learning record store for competence development",
    ),
    # navigation
    "nav_learner": ("Min læring", "My learning"),
    "nav_office": ("Kontoret", "The office"),
    "nav_region": ("Fylket", "The county"),
    "nav_national": ("Nasjonalt", "National"),
    "nav_catalog": ("Katalog", "Catalog"),
    # sign-in
    "sign_in": ("Logg inn", "Sign in"),
    "sign_in_intro": (
        "Logg inn med brukernavnet og passordet du har fått.",
        "Sign in with the username and password you were given.",
    ),
    "username": ("Brukernavn", "Username"),
    "password": ("Passord", "Password"),
    "wrong_password": ("Feil brukernavn eller passord.", "Wrong username or password."),
    "sign_in_with": ("Logg inn med {provider}", "Sign in with {provider}"),
    "sign_in_local": (
        "Eller med en lokal konto (små installasjoner og administrasjon):",
        "Or with a local account (small installations and administration):",
    ),
    "locked": (
        "For mange mislykkede innlogginger. Prøv igjen om {seconds}.",
        "Too many failed sign-ins. Try again in {seconds}.",
    ),
    "missing_credentials": (
        "Fyll inn brukernavn og passord.",
        "Enter your username and password.",
    ),
    "signed_out": ("Du er logget ut.", "You are signed out."),
    "sign_in_needed": ("Logg inn for å se siden.", "Sign in to see the page."),
    # errors
    "error": ("Noe gikk galt", "Something went wrong"),
    "error_403": ("Du har ikke tilgang", "You do not have access"),
    "error_404": ("Fant ikke siden", "Page not found"),
    "error_400": ("Ugyldig forespørsel", "Invalid request"),
    "error_back": ("Gå til forsiden", "Go to the front page"),
    "not_bound": (
        "Denne kontoen er ikke knyttet til en person, så den har ingen egen læring.",
        "This account is not bound to a person, so it has no learning of its own.",
    ),
    "csrf": (
        "Skjemaet var utløpt. Last siden på nytt og prøv igjen.",
        "The form had expired. Reload the page and try again.",
    ),
    # statuses
    "status": ("Status", "Status"),
    "status_not_started": ("Ikke startet", "Not started"),
    "status_in_progress": ("Påbegynt", "In progress"),
    "status_completed": ("Fullført", "Completed"),
    "status_due_soon": ("Frist snart", "Due soon"),
    "status_overdue": ("Forfalt", "Overdue"),
    "status_waived": ("Fritatt", "Exempted"),
    "status_expired": ("Utløpt", "Expired"),
    "status_none": ("Gjelder ikke", "Does not apply"),
    # priorities
    "priority_skal": ("Skal", "Must"),
    "priority_bør": ("Bør", "Should"),
    "priority_kan": ("Kan", "May"),
    "priority_skal_long": ("Dette skal du gjennomføre", "What you must complete"),
    "priority_bør_long": ("Dette bør du gjennomføre", "What you should complete"),
    "priority_kan_long": ("Dette kan du gjennomføre", "What you may complete"),
    "nothing_here": ("Ingenting her.", "Nothing here."),
    # learner
    "learner_title": ("Min læring", "My learning"),
    "hours_this_year": ("Timer med læring i {year}", "Hours of learning in {year}"),
    "taught_title": ("Jeg har lært bort", "What I have taught"),
    "compliance": ("Etterlevelse per pakke", "Compliance per package"),
    "compliance_intro": (
        "Andel av dem pakken gjelder som har fullført innen fristen, etter fristen, er i rute, "
        "har passert fristen eller er fritatt. Ny i NAV måles for dem som begynte de siste "
        "tolv månedene.",
        "Share of the people the package applies to who completed it within the deadline, "
        "after it, are on track, are past the deadline or are exempt. Ny i NAV is measured "
        "for those who started in the last twelve months.",
    ),
    "measured": ("Gjelder", "Measured"),
    "completed_on_time": ("Innen fristen", "On time"),
    "completed_late": ("Etter fristen", "Late"),
    "on_track": ("I rute", "On track"),
    "exempt": ("Fritatt", "Exempt"),
    "download": ("Last ned", "Download"),
    "projection_behind": (
        "Tallene oppdateres: de nyeste registreringene (omtrent {seconds}) er ikke med ennå.",
        "The figures are being updated: the newest records (about {seconds}) are not included yet.",
    ),
    "taught_hours": (
        "som instruktør, veileder eller fadder i {year}",
        "as instructor, mentor or buddy in {year}",
    ),
    "taught_learners": ("Deltakere", "Learners"),
    "hours_unit": ("timer", "hours"),
    "package": ("Pakke", "Package"),
    "due": ("Frist", "Due"),
    "completed_at": ("Fullført", "Completed"),
    "expires": ("Utløper", "Expires"),
    "estimated_hours": ("Beregnet tid", "Estimated time"),
    "next_session": ("Neste samling", "Next session"),
    "next_session_meets": (
        "{date} (rekker fristen; {free} av {seats})",
        "{date} (meets the deadline; {free} of {seats})",
    ),
    "no_session_meets": (
        "Ingen planlagt samling rekker fristen",
        "No scheduled session meets the deadline",
    ),
    "booked": ("Påmeldt {date}", "Booked {date}"),
    "waitlisted": ("På venteliste {date}", "Waitlisted {date}"),
    # learner: progress per module, sessions, learning at work
    "progress_title": ("Moduler: gjort og gjenstår", "Modules: done and remaining"),
    "progress_intro": (
        "For hver pakke: modulene du har fullført, og hva som gjenstår, med lenke for å starte.",
        "For each package: the modules you have completed, and what remains, with a link to start.",
    ),
    "progress_summary": ("{done} av {total} fullført", "{done} of {total} done"),
    "module_done": ("Fullført {date}", "Completed {date}"),
    "module_remaining": ("Gjenstår", "Remaining"),
    "module_start": ("Start {module}", "Start {module}"),
    "module_no_link": (
        "Ingen lenke til modulen i katalogen.",
        "The catalog has no link to the module.",
    ),
    "session_booked": (
        "Du har plass på samlingen {date}.",
        "You have a seat in the session on {date}.",
    ),
    "session_waitlisted": (
        "Du står på venteliste til samlingen {date}.",
        "You are on the waitlist for the session on {date}.",
    ),
    "session_meets": ("rekker fristen {due}", "meets the deadline {due}"),
    "session_after": ("etter fristen {due}", "after the deadline {due}"),
    "session_no_due": ("ingen frist", "no deadline"),
    "session_free": ("{free} av {seats}", "{free} of {seats}"),
    "session_full": ("fullt, venteliste {n}", "full, waitlist {n}"),
    "session_none": (
        "Ingen planlagte samlinger i fylket ditt ennå.",
        "No sessions are scheduled in your county yet.",
    ),
    "sign_up": ("Meld meg på {date}", "Sign me up for {date}"),
    "join_waitlist": ("Sett meg på venteliste {date}", "Put me on the waitlist for {date}"),
    "cancel_seat": ("Meld meg av {date}", "Cancel my seat on {date}"),
    "cancel_waitlist": ("Gå av ventelisten {date}", "Leave the waitlist for {date}"),
    "done_enrolled": (
        "Du er påmeldt samlingen {date}.",
        "You are signed up for the session on {date}.",
    ),
    "done_waitlisted": (
        "Samlingen {date} er full. Du står på ventelisten og får plass når noen melder seg av.",
        "The session on {date} is full. You are on the waitlist and get a seat when someone "
        "cancels.",
    ),
    "done_cancelled": ("Du er meldt av samlingen {date}.", "You have left the session on {date}."),
    "work_title": ("Registrer læring på jobben", "Record learning at work"),
    "work_intro": (
        "Læring på jobben teller også. Velg opplæringsform, fyll inn og oppgi kollegaen eller "
        "lederen som kan bekrefte det (ansattnummer eller e-postadresse).",
        "Learning at work counts too. Choose the training method, fill in the form and name the "
        "colleague or leader who can confirm it (employee id or e-mail address).",
    ),
    "work_submit": ("Registrer", "Record"),
    "work_done": (
        "Registrert: {method}. Det står nå under «Det jeg har gjort» og venter på bekreftelse.",
        "Recorded: {method}. It is now under “My record”, awaiting confirmation.",
    ),
    "work_field_colleague": (
        "Kollega du lærte av (bekrefter)",
        "Colleague you learned from (confirms)",
    ),
    "work_field_mentor": ("Veileder (bekrefter)", "Mentor (confirms)"),
    "work_field_confirmed_by": (
        "Bekreftes av (kollega eller leder)",
        "Confirmed by (colleague or leader)",
    ),
    "work_field_task": ("Oppgave", "Task"),
    "work_field_topic": ("Tema", "Topic"),
    "work_field_host_unit": ("Enhet du hospiterte hos", "Unit you shadowed at"),
    "work_field_purpose": ("Formål", "Purpose"),
    "work_field_network": ("Nettverk eller forum", "Network or forum"),
    "work_field_material": ("Hva du leste eller øvde på", "What you read or practised"),
    "work_field_learned_on": ("Dato", "Date"),
    "work_field_guided_on": ("Dato", "Date"),
    "work_field_met_on": ("Dato for møtet", "Date of the meeting"),
    "work_field_studied_on": ("Dato", "Date"),
    "work_field_started_on": ("Første dag", "First day"),
    "work_field_shared_on": (
        "Delt på kontoret (dato, valgfritt)",
        "Shared at your office (date, optional)",
    ),
    "work_field_days": ("Antall dager", "Number of days"),
    "work_field_team": ("Teamets navn", "The team's name"),
    "work_field_members": ("Andre i teamet", "Others in the team"),
    "work_field_work": (
        "Hva teamet arbeidet med (uten personopplysninger om brukere)",
        "What the team worked on (no personal data about users)",
    ),
    "work_field_worked_on": ("Dato", "Date"),
    "work_field_institution": ("Lærested", "Institution"),
    "work_field_course_name": ("Emne", "Course"),
    "work_field_course_code": ("Emnekode (valgfritt)", "Course code (optional)"),
    "work_field_ects": ("Studiepoeng", "Credits (ECTS)"),
    "work_field_passed": ("Jeg bestod", "I passed"),
    "work_field_grade": ("Karakter (valgfritt)", "Grade (optional)"),
    "work_field_finished_on": ("Eksamensdato", "Date of the exam"),
    "work_hint_number": ("For eksempel 7,5", "For example 7.5"),
    "work_hint_people": (
        "Ansattnummer eller e-postadresse, flere skilt med semikolon (;)",
        "Employee ids or e-mail addresses, separated by semicolons (;)",
    ),
    "work_hint_grade": ("A–F, bestått eller ikke bestått", "A–F, passed or failed"),
    "work_invalid_code": ("Skriv høyst 40 tegn.", "Write at most 40 characters."),
    "work_invalid_grade": (
        "Skriv en karakter fra A til F, bestått eller ikke bestått.",
        "Write a grade from A to F, passed or failed.",
    ),
    "work_invalid_number": (
        "Skriv et tall større enn 0 og høyst 300, for eksempel 7,5.",
        "Write a number above 0 and at most 300, for example 7.5.",
    ),
    "work_invalid_people": (
        "Skriv minst én annen i teamet: ansattnummer eller e-postadresse, skilt med semikolon.",
        "Name at least one other in the team: employee ids or e-mail addresses, separated by "
        "semicolons.",
    ),
    "work_whole_etter-og-videreutdanning": (
        "Karakteren stemmer ikke med om du bestod.",
        "The grade does not match whether you passed.",
    ),
    "work_whole_kompetansenettverk": (
        "Du kan ikke ha delt det på kontoret før møtet.",
        "You cannot have shared it at your office before the meeting.",
    ),
    # confirming colleagues' learning at work
    "confirm_title": ("Venter på din bekreftelse", "Awaiting your confirmation"),
    "confirm_intro": (
        "Kolleger har oppgitt deg som den som kan bekrefte at de har lært dette. Bekreft det "
        "som stemmer; det du ikke bekrefter, står som ubekreftet hos dem.",
        "Colleagues have named you as the one who can confirm they learned this. Confirm what "
        "is right; what you do not confirm stays unconfirmed in their record.",
    ),
    "confirm_action": ("Bekreft", "Confirm"),
    "confirm_button": ("Bekreft for {name}", "Confirm for {name}"),
    "confirm_done": (
        "Bekreftet. Det står nå som bekreftet hos kollegaen din.",
        "Confirmed. It now shows as confirmed in your colleague's record.",
    ),
    "state_awaiting": ("Venter på bekreftelse fra {name}", "Awaiting confirmation from {name}"),
    "state_confirmed": ("Bekreftet av {name} {date}", "Confirmed by {name} on {date}"),
    "work_field_hours": ("Timer (valgfritt)", "Hours (optional)"),
    "work_field_completed": ("Jeg er ferdig med dette", "I have finished this"),
    "work_hint_day": ("dd.mm.åååå", "dd.mm.yyyy"),
    "work_hint_hours": ("For eksempel 1,5", "For example 1.5"),
    "work_hint_person": (
        "Ansattnummer (A123456) eller e-postadresse",
        "Employee id (A123456) or e-mail address",
    ),
    "work_required": ("Fyll inn feltet.", "Fill in the field."),
    "work_invalid_day": ("Skriv datoen som dd.mm.åååå.", "Write the date as dd.mm.yyyy."),
    "work_invalid_hours": (
        "Skriv et tall større enn 0, for eksempel 1,5.",
        "Write a number above 0, for example 1.5.",
    ),
    "work_invalid_person": (
        "Skriv et ansattnummer (A123456) eller en e-postadresse.",
        "Write an employee id (A123456) or an e-mail address.",
    ),
    "work_invalid_text": ("Skriv mellom 1 og 500 tegn.", "Write between 1 and 500 characters."),
    "work_invalid_flag": ("Velg ja eller nei.", "Choose yes or no."),
    "work_future": ("Datoen er fram i tid.", "The date is in the future."),
    "work_confirm_self": (
        "Du kan ikke bekrefte din egen læring. Oppgi en kollega eller leder.",
        "You cannot confirm your own learning. Name a colleague or leader.",
    ),
    "work_record": (
        "Registreringen kan ikke lagres: {problem}",
        "The entry cannot be saved: {problem}",
    ),
    "work_conflict": (
        "Dette er allerede registrert med andre opplysninger. Kontakt lederen din for å rette det.",
        "This is already recorded with other details. Ask your leader to correct it.",
    ),
    "work_problems": ("Rett opp dette:", "Please correct the following:"),
    "my_record": ("Det jeg har gjort", "My record"),
    "by_area": ("Etter kompetanseområde", "By competence area"),
    "by_method": ("Etter opplæringsform", "By training method"),
    "outside_catalog": ("Utenfor katalogen", "Outside the catalog"),
    "unknown_method": ("Ukjent opplæringsform", "Unknown training method"),
    "date": ("Dato", "Date"),
    "what": ("Hva", "What"),
    "activity": ("Aktivitet", "Activity"),
    "hours": ("Timer", "Hours"),
    "no_record": ("Ingen registrert læring ennå.", "No learning recorded yet."),
    # office
    "people": ("Personer", "People"),
    "name": ("Navn", "Name"),
    "roles": ("Roller", "Roles"),
    "role": ("Rolle", "Role"),
    "all": ("Alle", "All"),
    "filter": ("Filtrer", "Filter"),
    "filters": ("Filtre", "Filters"),
    "sort": ("Sorter", "Sort"),
    "sort_name": ("Navn", "Name"),
    "sort_attention": ("Flest forfalte først", "Most overdue first"),
    "sort_due": ("Nærmeste frist først", "Nearest deadline first"),
    "apply": ("Bruk", "Apply"),
    "matrix": ("Status per person og pakke", "Status per person and package"),
    "matrix_caption": (
        "{people} personer og {packages} pakker. Status står som tekst i hver celle.",
        "{people} people and {packages} packages. The status is written in each cell.",
    ),
    "no_people": ("Ingen personer passer filteret.", "No people match the filter."),
    "overdue_list": ("Forfalte", "Overdue"),
    "due_soon_list": ("Frist snart", "Due soon"),
    "coverage": ("Dekning per kompetanseområde og rolle", "Coverage per competence area and role"),
    "coverage_caption": (
        "Antall som har kompetansen av antall som skal ha den, og gapet. Fargen følger andelen.",
        "People who have the competence out of those who must, and the gap. "
        "The colour follows the share.",
    ),
    "competence_area": ("Kompetanseområde", "Competence area"),
    "gap": ("gap {gap}", "gap {gap}"),
    "hours_by_month": (
        "Timer med læring per måned i {year}",
        "Hours of learning per month in {year}",
    ),
    "hours_chart_label": (
        "Stolpediagram: timer med fullført læring per måned i {year}, til sammen {total}.",
        "Bar chart: hours of completed learning per month in {year}, {total} in all.",
    ),
    "month": ("Måned", "Month"),
    "assigned": (
        "Pakker som gjelder kontoret, fra alle nivåer",
        "Packages for the office, from every level",
    ),
    "owner": ("Eier", "Owner"),
    "owner_directorate": ("Direktoratet", "Directorate"),
    "owner_county": ("Fylket", "County"),
    "owner_office": ("Kontoret", "Office"),
    "hours_per_person": ("Timer per person", "Hours per person"),
    "hours_required": ("Timer som skal brukes", "Hours required"),
    "export": ("Last ned", "Download"),
    "export_csv": ("Matrisen som CSV", "The matrix as CSV"),
    "export_xlsx": ("Matrisen som Excel (XLSX)", "The matrix as Excel (XLSX)"),
    # person
    "back_to_office": ("Tilbake til {office}", "Back to {office}"),
    "start_date": ("Startdato", "Start date"),
    "exemption": ("Gi fritak", "Grant an exemption"),
    "exemption_intro": (
        "Fritak registreres med hvem som ga det og når.",
        "An exemption is recorded with who granted it and when.",
    ),
    "reason": ("Begrunnelse", "Reason"),
    "reason_missing": ("Skriv en begrunnelse for fritaket.", "Write a reason for the exemption."),
    "exempted": ("{package} er registrert som fritatt.", "{package} is recorded as exempted."),
    "choose_package": ("Velg pakke", "Choose a package"),
    # county
    "offices": ("Kontorer", "Offices"),
    "office": ("Kontor", "Office"),
    "completion": ("Fullført", "Completed"),
    "overdue_count": ("Forfalte", "Overdue"),
    "due_soon_count": ("Frist snart", "Due soon"),
    "pipeline": ("Ny i NAV-løypa", "The Ny i NAV pipeline"),
    "pipeline_intro": (
        "Nyansatte som trenger en samling, fordelt på planlagte samlinger. "
        "De som ikke rekker fristen står først.",
        "New hires who need a classroom session, placed in the scheduled sessions. "
        "Those who cannot make the deadline come first.",
    ),
    "at_risk": (
        "Rekker ikke fristen med planlagte samlinger ({n})",
        "Cannot make the deadline with the scheduled sessions ({n})",
    ),
    "placed": ("Får plass i tide ({n})", "Placed in time ({n})"),
    "module": ("Modul", "Module"),
    "sessions": ("Samlinger", "Sessions"),
    "starts": ("Dato", "Date"),
    "seats": ("Plasser", "Seats"),
    "enrolled": ("Påmeldt", "Enrolled"),
    "waitlist": ("Venteliste", "Waitlist"),
    "no_sessions": ("Ingen planlagte samlinger.", "No scheduled sessions."),
    # national
    "national_title": ("Nasjonalt", "National"),
    "counties": ("Fylker", "Counties"),
    "county": ("Fylke", "County"),
    # catalog
    "catalog_title": ("Katalog", "Catalog"),
    "catalog_intro": (
        "Opplæringspakker, modulene deres, kompetanseområdene de bygger, og hvem de gjelder for.",
        "Training packages, their modules, the competence areas they build and whom they apply to.",
    ),
    "modules": ("Moduler", "Modules"),
    "method": ("Opplæringsform", "Training method"),
    "classroom": ("Samling", "Classroom"),
    "yes": ("Ja", "Yes"),
    "no": ("Nei", "No"),
    "applies_to": ("Gjelder for", "Applies to"),
    "everyone": ("alle ansatte", "all employees"),
    "new_hires": ("nyansatte", "new hires"),
    "employers_state": ("statlig ansatte", "state employees"),
    "employers_municipal": ("kommunalt ansatte", "municipal employees"),
    "due_rule": ("Frist", "Deadline"),
    "due_start_date": ("{period} etter startdato", "{period} after the start date"),
    "due_assignment": ("{period} etter tildeling", "{period} after assignment"),
    "due_office_opening": ("{period} før kontoret åpner", "{period} before the office opens"),
    "due_fixed": ("{date}", "{date}"),
    "no_due": ("Ingen frist", "No deadline"),
    "validity": ("Gyldighet", "Validity"),
    "validity_text": (
        "Utløper {period} etter fullføring; fornyes innen {window} før",
        "Expires {period} after completion; renewed within {window} before",
    ),
    "completion_rule": ("Fullført når", "Completed when"),
    "completion_all": ("alle modulene er fullført", "every module is completed"),
    "completion_any": ("én av modulene er fullført", "any one module is completed"),
    "completion_at_least": (
        "minst {count} er fullført",
        "at least {count} are completed",
    ),
    "illustrative": ("Illustrerende eksempel", "Illustrative example"),
    "filter_area": ("Kompetanseområde", "Competence area"),
    # administration (administrators only): a person's data and the audit log
    "nav_admin": ("Administrasjon", "Administration"),
    "admin_title": ("Personvern og revisjonslogg", "Privacy and the audit log"),
    "admin_intro": (
        "Innsyn i og sletting av det som er lagret om en person, og loggen over hvem som "
        "har sett og endret hva.",
        "Access to and erasure of what is held about a person, and the log of who saw and "
        "changed what.",
    ),
    "admin_person_lookup": ("Finn en person", "Find a person"),
    "employee_id": ("Ansattnummer", "Employee id"),
    "show": ("Vis", "Show"),
    "admin_export": ("Innsyn (GDPR art. 15)", "Access (GDPR art. 15)"),
    "admin_export_intro": (
        "Alt som er lagret om personen, som én JSON-fil. Nedlastingen føres i revisjonsloggen. "
        "Utsagn fra andre som nevner personen, nevner også andre: se gjennom før utlevering.",
        "Everything held about the person, as one JSON file. The download is recorded in the "
        "audit log. Others' statements naming the person name others too: review before "
        "handing them over.",
    ),
    "admin_export_link": (
        "Last ned det som er lagret om {name}",
        "Download what is held about {name}",
    ),
    "admin_erase": ("Sletting (GDPR art. 17)", "Erasure (GDPR art. 17)"),
    "admin_erase_intro": (
        "Sletter personen overalt: utsagn, dokumenter, vedlegg, status, fritak og kontoer. "
        "Kan ikke angres. Skriv begrunnelsen uten navn; ta vare på kvitteringsnummeret.",
        "Erases the person everywhere: statements, documents, attachments, statuses, "
        "exemptions and accounts. Cannot be undone. Write the reason without names; keep the "
        "receipt id.",
    ),
    "admin_erase_button": ("Slett {name} for godt", "Erase {name} for good"),
    "erase_reason_missing": (
        "Skriv en begrunnelse for slettingen.",
        "Write a reason for the erasure.",
    ),
    "receipt_title": ("Kvittering for sletting", "Erasure receipt"),
    "receipt_id": ("Kvitteringsnummer", "Receipt id"),
    "erased_at": ("Slettet", "Erased"),
    "erased_by": ("Slettet av", "Erased by"),
    "removed": ("Fjernet", "Removed"),
    "redacted": ("Anonymisert", "Redacted"),
    "audit_title": ("Revisjonslogg", "Audit log"),
    "audit_filters": ("Filtrer loggen", "Filter the log"),
    "audit_person": ("Gjelder (ansattnummer, brukernavn)", "About (employee id, username)"),
    "audit_actor": ("Utført av (brukernavn)", "Done by (username)"),
    "audit_action": ("Handling", "Action"),
    "audit_any_action": ("Alle handlinger", "Every action"),
    "audit_since": ("Fra og med (dd.mm.åååå)", "From (dd.mm.yyyy)"),
    "audit_since_bad": (
        "Skriv datoen som dd.mm.åååå, for eksempel 01.03.2026.",
        "Write the date as dd.mm.yyyy, for example 01.03.2026.",
    ),
    "audit_csv": ("Last ned som CSV", "Download as CSV"),
    "audit_caption": ("De nyeste: {entries}", "The newest: {entries}"),
    "audit_none": ("Ingen oppføringer passer.", "No entries match."),
    "audit_at": ("Tidspunkt (UTC)", "When (UTC)"),
    "audit_target": ("Gjelder", "About"),
    "audit_detail": ("Detaljer", "Details"),
}


def words(table: dict[str, tuple[str, str]]) -> None:
    """Adds a page module's own phrases (its module-level table, nb and en per key), so each
    page keeps its words beside it; a key defined twice is an error at import, not a page
    showing the other module's phrase."""
    clash = sorted(set(table) & set(TEXT))
    if clash:
        raise KeyError(f"phrases defined twice: {', '.join(clash)}")
    TEXT.update(table)


def text(key: str, language: Language, **values: object) -> str:
    """The phrase `key` in `language`, with `{name}` placeholders filled from `values`."""
    nb, en = TEXT[key]
    phrase = nb if language == "nb" else en
    return phrase.format(**values) if values else phrase


def localized(value: Mapping[str, str] | None, language: Language) -> str:
    """A language map (catalog names, xAPI display) in `language`, falling back sensibly."""
    if not value:
        return ""
    for key in (language, "nb", "nb-NO", "no", "en", "en-US", "en-GB", "und"):
        if value.get(key):
            return value[key]
    return next(iter(value.values()))


def choose(cookie: str | None) -> Language:
    return "en" if cookie == "en" else "nb"
