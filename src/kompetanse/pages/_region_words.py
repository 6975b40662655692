"""Fylket's phrases in bokmål and English (`kompetanse.pages._region` registers them): the
filter, the offices and the pipeline, the sessions and their form, its problems field by
field, the confirmations and the downloads' headers and sheets. Keys start with `rg_`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # the filter
    "rg_filters": ("Utvalg", "Selection"),
    "rg_all_offices": ("Alle kontorer", "All offices"),
    "rg_all_packages": ("Alle pakker", "All packages"),
    "rg_only_at_risk": (
        "Bare de som ikke rekker fristen",
        "Only those who cannot make the deadline",
    ),
    "rg_show": ("Vis", "Show"),
    "rg_filter_applied": (
        "Tabellene og nedlastingene viser utvalget.",
        "The tables and the downloads show the selection.",
    ),
    # offices
    "rg_offices_caption": (
        "Per kontor: fullført av dem det gjelder, og forfalte, i alt og per pakke.",
        "Per office: completed of those it applies to, and overdue, in all and per package.",
    ),
    "rg_overdue_one": ("1 forfalt", "1 overdue"),
    "rg_overdue_many": ("{n} forfalte", "{n} overdue"),
    # pipeline
    "rg_pipeline_intro": (
        "Alle som fortsatt trenger en samling, med kontor og frist. De som ikke rekker "
        "fristen med planlagte samlinger står først. Plasser dem i en samling, eller flytt "
        "dem til en annen.",
        "Everyone who still needs a classroom session, with office and deadline. Those who "
        "cannot make the deadline with the scheduled sessions come first. Place them in a "
        "session, or move them to another.",
    ),
    "rg_pipeline_caption": (
        "{package}: {module}. {people} trenger modulen, {risk} rekker ikke fristen.",
        "{package}: {module}. {people} need the module, {risk} cannot make the deadline.",
    ),
    "rg_people_one": ("1 person", "1 person"),
    "rg_people_many": ("{n} personer", "{n} people"),
    "rg_package_module": ("Pakke og modul", "Package and module"),
    "rg_situation": ("Situasjon", "Situation"),
    "rg_action": ("Plasser i samling", "Place in a session"),
    "rg_at_risk_word": ("Rekker ikke fristen", "Cannot make the deadline"),
    "rg_suggested": ("Kan få plass i tide", "Can get a seat in time"),
    "rg_suggested_session": ("ledig plass {date}", "a free seat on {date}"),
    "rg_booked": ("Påmeldt", "Enrolled"),
    "rg_waitlisted": ("På venteliste", "Waitlisted"),
    "rg_meets": ("rekker fristen", "meets the deadline"),
    "rg_misses": ("etter fristen", "after the deadline"),
    "rg_released": (
        "Samlingen {date} ble avlyst: trenger ny plass",
        "The session on {date} was cancelled: needs a new seat",
    ),
    "rg_place_label": ("Samling for {name}", "Session for {name}"),
    "rg_move_label": ("Flytt {name} til", "Move {name} to"),
    "rg_place_button": ("Plasser", "Place"),
    "rg_move_button": ("Flytt", "Move"),
    "rg_option": (
        "{date}{place} – {deadline} – {seats}",
        "{date}{place} – {deadline} – {seats}",
    ),
    "rg_option_meets": ("rekker fristen {due}", "meets the deadline {due}"),
    "rg_option_misses": ("etter fristen {due}", "after the deadline {due}"),
    "rg_free_one": ("1 ledig plass", "1 free seat"),
    "rg_free_many": ("{n} ledige plasser", "{n} free seats"),
    "rg_full": ("fullt, venteliste", "full, waitlist"),
    "rg_no_options": (
        "Ingen samling å plassere i: planlegg en ny.",
        "No session to place in: schedule a new one.",
    ),
    # sessions
    "rg_new_session": ("Planlegg en samling", "Schedule a session"),
    "rg_ends": ("Siste dag", "Last day"),
    "rg_days": ("Dager", "Days"),
    "rg_place": ("Sted", "Place"),
    "rg_instructors": ("Instruktører", "Instructors"),
    "rg_open_session": ("Samlingen {date}", "The session on {date}"),
    "rg_cancelled_title": ("Avlyste samlinger", "Cancelled sessions"),
    "rg_released_count": ("Frigitt", "Released"),
    "rg_session_title": ("Samling {date}", "Session on {date}"),
    "rg_back": ("Tilbake til {county}", "Back to {county}"),
    "rg_people_title": ("Deltakere", "Participants"),
    "rg_people_caption": (
        "{seats} av {total} plasser tatt, {waiting} på venteliste.",
        "{seats} of {total} seats taken, {waiting} waitlisted.",
    ),
    "rg_seat_enrolled": ("Plass", "Seat"),
    "rg_seat_waitlisted": ("Venteliste", "Waitlist"),
    "rg_seat_released": ("Frigitt (avlyst)", "Released (cancelled)"),
    "rg_no_people": ("Ingen påmeldte ennå.", "No one enrolled yet."),
    "rg_is_cancelled": (
        "Samlingen er avlyst. Disse hadde plass eller sto på ventelisten, og trenger ny plass:",
        "The session is cancelled. These had a seat or were waitlisted, and need a new seat:",
    ),
    "rg_edit_title": ("Endre samlingen", "Change the session"),
    "rg_save": ("Lagre endringene", "Save the changes"),
    "rg_create": ("Planlegg samlingen", "Schedule the session"),
    "rg_cancel_title": ("Avlys samlingen", "Cancel the session"),
    "rg_cancel_intro": (
        "{enrolled} med plass og {waiting} på ventelisten mister plassen. De vises igjen i "
        "løypa som uten plass, så du kan plassere dem i en annen samling. Det kan ikke angres.",
        "{enrolled} with a seat and {waiting} on the waitlist lose their place. They show "
        "in the pipeline again as without a seat, so you can place them in another "
        "session. It cannot be undone.",
    ),
    "rg_cancel_button": ("Avlys samlingen {date}", "Cancel the session on {date}"),
    "rg_cancel_confirm": (
        "Ja, avlys samlingen og frigi plassene",
        "Yes, cancel the session and release the seats",
    ),
    "rg_cancel_unconfirmed": (
        "Kryss av for at du vil avlyse samlingen.",
        "Tick the box to say you want to cancel the session.",
    ),
    "rg_seat_column": ("Påmelding", "Enrolment"),
    # the form
    "rg_f_module": ("Modul", "Module"),
    "rg_f_starts": ("Første dag", "First day"),
    "rg_f_ends": ("Siste dag (valgfritt)", "Last day (optional)"),
    "rg_f_days": ("Dager samlingen møtes (valgfritt)", "Days the session meets (optional)"),
    "rg_f_place": ("Sted", "Place"),
    "rg_f_instructors": ("Instruktører (valgfritt)", "Instructors (optional)"),
    "rg_f_seats": ("Plasser", "Seats"),
    "rg_hint_day": ("dd.mm.åååå", "dd.mm.yyyy"),
    "rg_hint_ends": ("dd.mm.åååå. Tomt: én dag.", "dd.mm.yyyy. Empty: one day."),
    "rg_hint_days": (
        "Datoer (dd.mm.åååå) skilt med komma. Tomt: hver ukedag fra første til siste dag.",
        "Dates (dd.mm.yyyy) separated by commas. Empty: every weekday from the first day "
        "to the last.",
    ),
    "rg_hint_instructors": (
        "Ansattnumre i fylket, skilt med komma",
        "Employee ids in the county, separated by commas",
    ),
    "rg_problems": ("Rett opp dette:", "Please correct the following:"),
    "rg_required": ("Fyll inn feltet.", "Fill in the field."),
    "rg_bad_day": ("Skriv datoen som dd.mm.åååå.", "Write the date as dd.mm.yyyy."),
    "rg_bad_days": (
        "Skriv hver dato som dd.mm.åååå, skilt med komma.",
        "Write each date as dd.mm.yyyy, separated by commas.",
    ),
    "rg_bad_seats": ("Skriv et helt tall, for eksempel 25.", "Write a whole number, e.g. 25."),
    "rg_p_module_unknown": (
        "Velg en samlingsmodul fra katalogen.",
        "Choose a classroom module of the catalog.",
    ),
    "rg_p_module_has_people": (
        "Noen har plass eller står på venteliste. Flytt dem før du bytter modul.",
        "People hold seats or places. Move them before changing the module.",
    ),
    "rg_p_starts_past": ("Første dag er passert.", "The first day has passed."),
    "rg_p_ends_before_start": (
        "Siste dag er før første dag.",
        "The last day is before the first.",
    ),
    "rg_p_ends_too_far": (
        "En samling varer høyst 31 dager.",
        "A session lasts at most 31 days.",
    ),
    "rg_p_days_outside": (
        "Alle dagene må være mellom første og siste dag.",
        "Every day must be between the first day and the last.",
    ),
    "rg_p_place_too_long": ("Skriv høyst 200 tegn.", "Write at most 200 characters."),
    "rg_p_instructors_unknown": (
        "Oppgi ansattnumre for personer i fylket.",
        "Give the employee ids of people in the county.",
    ),
    "rg_p_seats_too_few": ("Minst 1 plass.", "At least 1 seat."),
    "rg_p_seats_too_many": ("Høyst 500 plasser.", "At most 500 seats."),
    "rg_p_seats_below_enrolled": (
        "Færre plasser enn påmeldte ({n}). Flytt eller meld av noen først.",
        "Fewer seats than people enrolled ({n}). Move or cancel some first.",
    ),
    # confirmations
    "rg_done_created": ("Samlingen {date} er planlagt.", "The session on {date} is scheduled."),
    "rg_done_edited": ("Samlingen {date} er endret.", "The session on {date} is changed."),
    "rg_done_promoted_one": (
        "1 fra ventelisten fikk plass.",
        "1 person on the waitlist got a seat.",
    ),
    "rg_done_promoted_many": (
        "{n} fra ventelisten fikk plass.",
        "{n} people on the waitlist got a seat.",
    ),
    "rg_done_cancelled": (
        "Samlingen {date} er avlyst. {people} er frigitt og trenger ny plass; de står i løypa.",
        "The session on {date} is cancelled. {people} released need a new seat; they are "
        "in the pipeline.",
    ),
    "rg_done_placed": (
        "Plassert på samlingen {date}.",
        "Placed in the session on {date}.",
    ),
    "rg_done_waitlisted": (
        "Samlingen {date} er full: satt på ventelisten.",
        "The session on {date} is full: put on the waitlist.",
    ),
    "rg_done_all_one": ("1 person har fått plass.", "1 person got a seat."),
    "rg_done_all_many": ("{n} personer har fått plass.", "{n} people got a seat."),
    "rg_done_left_one": (
        "1 person er fortsatt uten plass: planlegg en samling til.",
        "1 person is still without a seat: schedule another session.",
    ),
    "rg_done_left_many": (
        "{n} personer er fortsatt uten plass: planlegg en samling til.",
        "{n} people are still without a seat: schedule another session.",
    ),
    "rg_place_all": (
        "Gi plass til alle uten plass ({n})",
        "Give a seat to everyone without one ({n})",
    ),
    "rg_place_all_intro": (
        "Hver får plass på samlingen løypa foreslår, ellers på den første med ledig plass "
        "(etter fristen). Ingen settes på venteliste.",
        "Each gets a seat in the session the pipeline suggests, else in the first with a seat "
        "free (after the deadline). No one is put on a waitlist.",
    ),
    "rg_done_moved": ("Flyttet til samlingen {date}.", "Moved to the session on {date}."),
    "rg_done_moved_waiting": (
        "Flyttet til ventelisten for samlingen {date}.",
        "Moved to the waitlist of the session on {date}.",
    ),
    "rg_done_moved_up": (
        "Plassen som ble ledig gikk til den første på ventelisten.",
        "The seat freed went to the first on the waitlist.",
    ),
    # downloads
    "rg_downloads": ("Last ned", "Download"),
    "rg_table_kontorer": ("Kontorer", "Offices"),
    "rg_table_etterlevelse": ("Etterlevelse", "Compliance"),
    "rg_table_loypa": ("Løypa", "Pipeline"),
    "rg_table_samlinger": ("Samlinger med deltakere", "Sessions with participants"),
    "rg_sheet_samlinger": ("Samlinger", "Sessions"),
    "rg_sheet_people": ("Deltakere", "Participants"),
    "rg_sheet_filter": ("Utvalg", "Selection"),
    "rg_x_office_id": ("Kontor-id", "Office id"),
    "rg_x_completed_of": ("{package} – fullført", "{package} – completed"),
    "rg_x_overdue_of": ("{package} – forfalte", "{package} – overdue"),
    "rg_x_situation": ("Situasjon", "Situation"),
    "rg_x_session": ("Samling", "Session"),
    "rg_x_seat": ("Plass", "Seat"),
    "rg_x_deadline": ("Rekker fristen", "Meets the deadline"),
    "rg_x_filter": ("Filter", "Filter"),
    "rg_x_value": ("Verdi", "Value"),
    "rg_x_taken": ("Hentet", "Taken"),
    "rg_x_shown": ("Løypa viser", "The pipeline shows"),
    "rg_not_in_county": ("ingen slik samling i fylket", "no such session in the county"),
}
