"""Exports (issue #11): the tables organizers take away — registrations, the check-in log, the
attendance summary and the programme — of one event, one summit or everything.

Two steps, so the database is held as briefly as possible: ``*_rows`` read with SQL inside the
caller's transaction (counts and waiting-list places are worked out there, by aggregates and a
window function), and ``*_frame`` turn those rows into pandas frames afterwards, with headings
and labels in the active language. Times are stored in UTC; each frame shows them on the wall
clock of the event's own zone (its venue's), named in a "Time zone" column beside them, because
one summit's events may sit in different zones. Writing the files is ``outputs/spreadsheets``'
(formula injection neutralised there); auditing who took personal data is ``face/exports``'.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd

from .. import validate as check
from ..codes import (
    CHECKIN_VERDICTS, EVENT_STATUS_LABELS, FORMAT_LABELS, ORGANIZATION_ROLE_HEADINGS, ORGANIZATION_ROLES,
    REGISTRATION_STATUS_LABELS, SPEAKER_ROLE_HEADINGS, SPEAKER_ROLES, label,
)
from ..db import from_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from . import catalog, questions

# Every export, in the order the page offers them; "all" is one workbook with a sheet of each.
KINDS = ("registrations", "checkins", "attendance", "programme", "all", "participants")
FORMATS = ("csv", "xlsx")
PERSONAL = frozenset({"registrations", "checkins", "all", "participants"})
SHARED = frozenset({"participants"})  # meant for people beyond the organizers: not in "all"  # names and emails: each export is audited
KIND_LABELS = {
    "registrations": N_("Registrations"),
    "checkins": N_("Check-in log"),
    "attendance": N_("Attendance"),
    "programme": N_("Programme"),
    "all": N_("Everything"),
    # issue #12: the one list meant for people beyond the organizers (co-sponsors, funders)
    "participants": N_("Participants list to share (leaves out those who asked)"),
}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# Events that ever took registrations (the registrations page lists the same ones).
TOOK_REGISTRATIONS = "(e.published_at IS NOT NULL OR e.status = 'published')"
REFUSED_VERDICTS = ("wrong_event", "cancelled", "waitlisted", "invalid", "event_cancelled", "not_on_security_list")

COLUMNS = {
    "event": N_("Event"),
    "zone": N_("Time zone"),
    "name": N_("Name"),
    "email": N_("Email"),
    "organization": N_("Organization"),
    "needs": N_("Needs"),
    "status": N_("Status"),
    "position": N_("Place on the waiting list"),
    "walk_in": N_("Walk-in"),
    "registered": N_("Registered"),
    "checked_in": N_("Checked in"),
    "door": N_("Door"),
    "cancelled": N_("Cancelled"),
    "scanned": N_("Scanned"),
    "verdict": N_("Verdict"),
    "guest": N_("Guest"),
    "starts": N_("Starts"),
    "ends": N_("Ends"),
    "capacity": N_("Capacity"),
    "confirmed": N_("Confirmed (registered ahead)"),
    "walk_ins": N_("Walk-ins"),
    "arrived": N_("Checked in (all)"),
    "no_shows": N_("Registered but did not come"),
    "turnout": N_("Share of registered who came (%)"),
    "waitlisted": N_("Waiting list"),
    "scans": N_("Scans"),
    "refused": N_("Scans refused"),
    "format": N_("Format"),
    "summit": N_("Summit"),
    "venue": N_("Venue"),
    "address": N_("Address"),
    "room": N_("Room"),
    "online": N_("Online link"),
    "no_photos": N_("Do not photograph or film"),
    "hide_name": N_("Name kept off shared lists"),
}
YES = N_("yes")
# Translators: a speaker in an exported programme: their name and affiliation ("Ana Pérez (Red Migrante)").
WITH_AFFILIATION = N_("{name} ({affiliation})")


# ---------------------------------------------------------------------- scope


def scope(db, event_id=None, summit_id=None) -> tuple[str, list]:
    """A condition over ``events e`` for one event, one summit, or (neither) every event.
    Unknown ids raise ``NotFound``; both at once ``ValidationError("export_scope")``."""
    if event_id is not None and summit_id is not None:
        raise ValidationError("export_scope", field="scope")
    if event_id is not None:
        event_id = check.id(event_id)
        if db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is None:
            raise NotFound("no_event", id=event_id)
        return "e.id = ?", [event_id]
    if summit_id is not None:
        return "e.summit_id = ?", [catalog.get_summit(db, summit_id).id]
    return "1 = 1", []


def file_name(kind: str, format: str, *, event_id=None, summit_id=None) -> str:
    """"registrations-event-12.csv", "programme-summit-3.xlsx", "export-all.xlsx": plain ASCII,
    so every browser and system keeps it as it is."""
    which = f"event-{check.id(event_id)}" if event_id is not None else (
        f"summit-{check.id(summit_id)}" if summit_id is not None else "all")
    return f"{'export' if kind == 'all' else kind}-{which}.{format}"


# ---------------------------------------------------------------------- reading (inside the caller's transaction)


def registration_rows(db, where: str, params: list) -> list[dict]:
    """Every registration of the events in scope (cancelled ones too), by event then arrival;
    the waiting-list place is counted by SQL, as ``registrations.load`` counts it."""
    rows = _rows(db, (
        "SELECT r.id, e.title, e.timezone, r.name, r.email, r.organization, r.needs, r.status, r.walk_in,"
        " r.no_photos, r.hide_name,"
        " CASE WHEN r.status = 'waitlisted' THEN row_number() OVER"
        "  (PARTITION BY r.event_id, r.status ORDER BY r.id) END AS position,"
        " r.created_at, r.checked_in_at, r.checked_in_door, r.cancelled_at"
        f" FROM registrations r JOIN events e ON e.id = r.event_id WHERE {where}"
        " ORDER BY e.starts_at, e.id, r.id"
    ), params)
    answers = questions.answers_of(db, [r["id"] for r in rows])
    for r in rows:
        r["answers"] = answers.get(r["id"], ())
    return rows


def participant_rows(db, where: str, params: list) -> list[dict]:
    """The confirmed guests of the events in scope who did not ask to keep their name off
    shared lists: the list organizers may hand to co-sponsors and funders."""
    return _rows(db, (
        "SELECT e.title, r.name, r.organization FROM registrations r JOIN events e ON e.id = r.event_id"
        f" WHERE ({where}) AND r.status = 'confirmed' AND r.hide_name = 0 AND r.name != ''"
        " ORDER BY e.starts_at, e.id, r.name, r.id"
    ), params)


def checkin_rows(db, where: str, params: list) -> list[dict]:
    """Every scan at the doors of the events in scope, refused ones too, in the order made."""
    return _rows(db, (
        "SELECT e.title, e.timezone, s.scanned_at, s.door, s.verdict, r.name, r.organization, r.walk_in"
        " FROM scans s JOIN events e ON e.id = s.event_id LEFT JOIN registrations r ON r.id = s.registration_id"
        f" WHERE {where} ORDER BY e.starts_at, e.id, s.id"
    ), params)


def attendance_rows(db, where: str, params: list) -> list[dict]:
    """One row per event that took registrations: the counts, summed by SQL."""
    refused = ",".join("?" * len(REFUSED_VERDICTS))
    return _rows(db, (
        "SELECT e.title, e.status, e.timezone, e.starts_at, coalesce(e.capacity, rm.capacity) AS capacity,"
        " coalesce(sum(g.status = 'confirmed' AND g.walk_in = 0), 0) AS confirmed,"
        " coalesce(sum(g.status = 'confirmed' AND g.walk_in = 1), 0) AS walk_ins,"
        " coalesce(sum(g.status = 'confirmed' AND g.checked_in_at IS NOT NULL), 0) AS arrived,"
        " coalesce(sum(g.status = 'confirmed' AND g.walk_in = 0 AND g.checked_in_at IS NOT NULL), 0) AS came,"
        " coalesce(sum(g.status = 'waitlisted'), 0) AS waitlisted,"
        " coalesce(sum(g.status = 'cancelled'), 0) AS cancelled,"
        " (SELECT count(*) FROM scans s WHERE s.event_id = e.id) AS scans,"
        f" (SELECT count(*) FROM scans s WHERE s.event_id = e.id AND s.verdict IN ({refused})) AS refused"
        " FROM events e LEFT JOIN rooms rm ON rm.id = e.room_id LEFT JOIN registrations g ON g.event_id = e.id"
        f" WHERE ({where}) AND {TOOK_REGISTRATIONS} GROUP BY e.id ORDER BY e.starts_at, e.id"
    ), [*REFUSED_VERDICTS, *params])


def programme_rows(db, where: str, params: list) -> tuple[list[dict], list[dict], list[dict]]:
    """The events in scope (drafts and cancelled ones too, with their status), their speakers
    and their organizations, each in the order the organizer gave."""
    events = _rows(db, (
        "SELECT e.id, e.title, e.status, e.format, e.timezone, e.starts_at, e.ends_at, e.online_url,"
        " coalesce(e.capacity, rm.capacity) AS capacity, s.name AS summit, v.name AS venue, v.address,"
        " rm.name AS room"
        " FROM events e LEFT JOIN rooms rm ON rm.id = e.room_id LEFT JOIN venues v ON v.id = rm.venue_id"
        f" LEFT JOIN summits s ON s.id = e.summit_id WHERE {where} ORDER BY e.starts_at, e.id"
    ), params)
    speakers = _rows(db, (
        "SELECT es.event_id, p.name, es.affiliation, es.role FROM event_speakers es"
        " JOIN people p ON p.id = es.person_id JOIN events e ON e.id = es.event_id"
        f" WHERE {where} ORDER BY es.event_id, es.position"
    ), params)
    organizations = _rows(db, (
        "SELECT eo.event_id, o.name, eo.role FROM event_organizations eo"
        " JOIN organizations o ON o.id = eo.organization_id JOIN events e ON e.id = eo.event_id"
        f" WHERE {where} ORDER BY eo.event_id, eo.position"
    ), params)
    return events, speakers, organizations


def _rows(db, sql: str, params: list) -> list[dict]:
    return [dict(r) for r in db.execute(sql, params).fetchall()]


# ---------------------------------------------------------------------- frames (after the transaction)


def registrations_frame(rows: list[dict]) -> pd.DataFrame:
    c = _headings()
    extra = _answer_columns(rows, c)
    c.update({k: h for k, h in extra.items()})
    return _frame(c, [
        {
            c["event"]: r["title"], c["zone"]: r["timezone"], c["name"]: r["name"], c["email"]: r["email"],
            c["organization"]: r["organization"], c["needs"]: r["needs"],
            c["status"]: label(REGISTRATION_STATUS_LABELS, r["status"]), c["position"]: r["position"],
            c["walk_in"]: str(YES) if r["walk_in"] else "",
            c["registered"]: _local(r["created_at"], r["timezone"]),
            c["checked_in"]: _local(r["checked_in_at"], r["timezone"]), c["door"]: r["checked_in_door"] or "",
            c["cancelled"]: _local(r["cancelled_at"], r["timezone"]),
            c["no_photos"]: str(YES) if r["no_photos"] else "", c["hide_name"]: str(YES) if r["hide_name"] else "",
            **{extra[a.key]: a.shown for a in r["answers"]},
        }
        for r in rows
    ], ["event", "zone", "name", "email", "organization", "needs", "status", "position", "walk_in", "registered",
        "checked_in", "door", "cancelled", "no_photos", "hide_name", *extra], times=("registered", "checked_in",
        "cancelled"), whole=("position",))


def _answer_columns(rows: list[dict], c: dict) -> dict[str, str]:
    """A column per question answered (key → heading), in the order first met: the built-in
    ones by their label, the organizer's by the question's text as last answered."""
    headings: dict[str, str] = {}
    for r in rows:
        for a in r["answers"]:
            headings[a.key] = a.label
    taken, columns = set(c.values()), {}
    for key, heading in headings.items():
        shown, n = heading, 2
        while shown in taken:  # two questions worded alike (in two events): both kept
            shown, n = f"{heading} ({n})", n + 1
        taken.add(shown)
        columns[key] = shown
    return columns


def participants_frame(rows: list[dict]) -> pd.DataFrame:
    c = _headings()
    return _frame(c, [{c["event"]: r["title"], c["name"]: r["name"], c["organization"]: r["organization"]}
                      for r in rows], ["event", "name", "organization"])


def checkins_frame(rows: list[dict]) -> pd.DataFrame:
    c = _headings()
    return _frame(c, [
        {
            c["event"]: r["title"], c["zone"]: r["timezone"], c["scanned"]: _local(r["scanned_at"], r["timezone"]),
            c["door"]: r["door"], c["verdict"]: label(CHECKIN_VERDICTS, r["verdict"]), c["guest"]: r["name"] or "",
            c["organization"]: r["organization"] or "", c["walk_in"]: str(YES) if r["walk_in"] else "",
        }
        for r in rows
    ], ["event", "zone", "scanned", "door", "verdict", "guest", "organization", "walk_in"], times=("scanned",))


def attendance_frame(rows: list[dict]) -> pd.DataFrame:
    c = _headings()
    return _frame(c, [
        {
            c["event"]: r["title"], c["status"]: label(EVENT_STATUS_LABELS, r["status"]),
            c["starts"]: _local(r["starts_at"], r["timezone"]), c["zone"]: r["timezone"], c["capacity"]: r["capacity"],
            c["confirmed"]: r["confirmed"], c["walk_ins"]: r["walk_ins"], c["arrived"]: r["arrived"],
            c["no_shows"]: r["confirmed"] - r["came"],
            c["turnout"]: round(100 * r["came"] / r["confirmed"], 1) if r["confirmed"] else None,
            c["waitlisted"]: r["waitlisted"], c["cancelled"]: r["cancelled"], c["scans"]: r["scans"],
            c["refused"]: r["refused"],
        }
        for r in rows
    ], ["event", "status", "starts", "zone", "capacity", "confirmed", "walk_ins", "arrived", "no_shows", "turnout",
        "waitlisted", "cancelled", "scans", "refused"], times=("starts",),
        whole=("capacity", "confirmed", "walk_ins", "arrived", "no_shows", "waitlisted", "cancelled", "scans",
               "refused"))


def programme_frame(rows: tuple[list[dict], list[dict], list[dict]]) -> pd.DataFrame:
    events, speakers, organizations = rows
    people: dict[tuple[int, str], list[str]] = {}
    for s in speakers:
        shown = WITH_AFFILIATION.format(name=s["name"], affiliation=s["affiliation"]) if s["affiliation"] else s["name"]
        people.setdefault((s["event_id"], s["role"]), []).append(str(shown))
    for o in organizations:
        people.setdefault((o["event_id"], o["role"]), []).append(o["name"])
    c = _headings()
    roles = {**{f"s:{r}": str(SPEAKER_ROLE_HEADINGS[r]) for r in SPEAKER_ROLES},
             **{f"o:{r}": str(ORGANIZATION_ROLE_HEADINGS[r]) for r in ORGANIZATION_ROLES}}
    c.update(roles)
    return _frame(c, [
        {
            c["event"]: e["title"], c["status"]: label(EVENT_STATUS_LABELS, e["status"]),
            c["starts"]: _local(e["starts_at"], e["timezone"]), c["ends"]: _local(e["ends_at"], e["timezone"]),
            c["zone"]: e["timezone"], c["format"]: label(FORMAT_LABELS, e["format"]), c["summit"]: e["summit"] or "",
            c["venue"]: e["venue"] or "", c["address"]: e["address"] or "", c["room"]: e["room"] or "",
            c["capacity"]: e["capacity"], c["online"]: e["online_url"] or "",
            **{heading: "; ".join(people.get((e["id"], key[2:]), [])) for key, heading in roles.items()},
        }
        for e in events
    ], ["event", "status", "starts", "ends", "zone", "format", "summit", "venue", "address", "room", "capacity",
        "online", *roles], times=("starts", "ends"), whole=("capacity",))


FRAMES = {"registrations": (registration_rows, registrations_frame), "checkins": (checkin_rows, checkins_frame),
          "attendance": (attendance_rows, attendance_frame), "programme": (programme_rows, programme_frame),
          "participants": (participant_rows, participants_frame)}


def _headings() -> dict[str, str]:
    """The column headings in the active language."""
    return {key: str(heading) for key, heading in COLUMNS.items()}


def _frame(c: dict, records: list[dict], keys: list[str], *, times=(), whole=()) -> pd.DataFrame:
    """A frame with these columns in this order (also when empty): times as naive datetimes on
    the event's wall clock, counts as whole numbers that may be missing."""
    frame = pd.DataFrame(records, columns=[c[k] for k in keys])
    for key in times:
        frame[c[key]] = pd.to_datetime(frame[c[key]].astype(object))
    for key in whole:
        frame[c[key]] = frame[c[key]].astype("Int64")
    return frame


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(stored: str | None, zone: str) -> datetime | None:
    """A stored UTC time on the wall clock of ``zone`` (naive: the zone has its own column)."""
    moment = from_db_time(stored)
    return None if moment is None else moment.astimezone(_zone(zone)).replace(tzinfo=None)
