"""Imports (issue #11): events, and an event's guest list, from a CSV or XLSX file.

A file is read (``outputs/tabular_in.py``), then every row is checked by the validators the
forms use — ``events.check_fields`` for an event, ``registrations.clean_details`` and
``clean_email`` for a guest — so an import accepts exactly what typing it in would. A row
that fails is refused with its row number and the validator's sentence; the others are
either ready or already there (skipped, not an error).

**Duplicates**: an event with the same title (ignoring case and accents), start and room as
one in the database, or on an earlier row of the file, is skipped; so is a guest whose email
is already registered (not cancelled) for the event, or on an earlier row. Importing the same
file twice therefore changes nothing the second time.

**Guests** go in in file order, as if each had registered then: confirmed while places last
(the event's capacity less confirmed guests and places held), then on the waiting list. Only
events open for registration take them (the same rule as ``registrations.register``).

Checking reads only; ``write_events`` and ``write_guests`` run inside the caller's
``BEGIN IMMEDIATE``, after the rows were checked again in that same transaction, so what the
organizer previewed cannot have been overtaken by another write, and a failure anywhere writes
nothing. Guests are written with one ``executemany`` (10,000 rows in well under a second).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

import pandas as pd

from .. import clock, security
from .. import validate as check
from ..db import to_db_time
from ..errors import PlannerError, ValidationError
from ..i18n import N_
from ..models import Room, Summit
from ..outputs.tabular_in import Column, match_columns, parse_date, parse_time, parse_whole_number
from ..text import match_key, parse_rows
from . import catalog, events, registrations, ticket_codes

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 250

EVENT_COLUMNS = (
    Column("title", N_("Title"), required=True),
    Column("date", N_("Date"), required=True),
    Column("start", N_("Start"), required=True),
    Column("end", N_("End"), required=True),
    Column("time zone", N_("Time zone")),
    Column("summit", N_("Summit")),
    Column("venue", N_("Venue")),
    Column("room", N_("Room")),
    Column("online link", N_("Online link")),
    Column("capacity", N_("Capacity")),
    Column("speakers", N_("Speakers")),
    Column("organizations", N_("Organizations")),
    Column("description", N_("Description")),
)
GUEST_COLUMNS = (
    Column("name", N_("Name"), required=True),
    Column("email", N_("Email"), required=True),
    Column("organization", N_("Organization")),
    Column("needs", N_("Access or interpretation needs")),
)
COLUMNS = {"events": EVENT_COLUMNS, "guests": GUEST_COLUMNS}


@dataclass(frozen=True)
class RowProblem:
    """A refused row: its number as a spreadsheet shows it (the heading is row 1) and why."""

    row: int
    error: PlannerError

    @property
    def reason(self) -> str:
        """The sentence, in the active language."""
        return str(self.error)


@dataclass(frozen=True)
class ImportRow:
    """A row that would be written (or was skipped as already there): its number and what it
    holds, as the preview shows it (``title``, ``starts_at``, ``place`` for an event; ``name``,
    ``email``, ``organization`` and the ``status`` it gets for a guest)."""

    row: int
    values: dict


@dataclass(frozen=True)
class ImportPreview:
    kind: str  # "events" or "guests"
    filename: str
    rows: int  # rows with anything in them
    ready: tuple[ImportRow, ...]
    skipped: tuple[ImportRow, ...]
    refused: tuple[RowProblem, ...]
    fields: tuple = field(default=(), repr=False, compare=False)  # checked values of ``ready``, for writing

    @property
    def confirmed(self) -> int:
        return sum(1 for r in self.ready if r.values.get("status") == "confirmed")

    @property
    def waitlisted(self) -> int:
        return sum(1 for r in self.ready if r.values.get("status") == "waitlisted")


@dataclass(frozen=True)
class ImportResult:
    kind: str
    filename: str
    created: int
    skipped: int
    refused: int
    ids: tuple[int, ...]  # the events or registrations made, in file order
    confirmed: int = 0
    waitlisted: int = 0
    messages: int = 0  # confirmations written to the outbox


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


def _cells(frame: pd.DataFrame, names: dict[str, str], columns) -> list[tuple[int, dict]]:
    """(row number, {column key: text}) for each row; absent optional columns read as ""."""
    keys = [c.key for c in columns]
    series = [frame[names[k]].tolist() if k in names else [""] * len(frame) for k in keys]
    return [(row, dict(zip(keys, values))) for row, *values in zip(frame.index.tolist(), *series)]


# ---------------------------------------------------------------------- events


class _Places:
    """Summits, venues and rooms by name (case and accents ignored): a file names places that
    exist, and never creates one."""

    def __init__(self, db):
        self.summits: dict[str, list[Summit]] = {}
        for s in catalog.list_summits(db):
            self.summits.setdefault(match_key(s.name), []).append(s)
        self.rooms: list[Room] = catalog.list_rooms(db)
        self.venues = {match_key(r.venue.name) for r in self.rooms} | {
            match_key(v.name) for v in catalog.list_venues(db)}

    def summit(self, name: str) -> Summit | None:
        if not name.strip():
            return None
        found = self.summits.get(match_key(name))
        if not found:
            raise ValidationError("import_unknown_summit", field="summit", name=name.strip()[:100])
        return found[0]

    def room(self, venue: str, room: str) -> Room | None:
        venue_key, room_key = match_key(venue), match_key(room)
        if venue_key and venue_key not in self.venues:
            raise ValidationError("import_unknown_venue", field="venue", name=venue.strip()[:100])
        if not room_key:
            if venue_key:
                raise ValidationError("import_room_needed", field="room", venue=venue.strip()[:100])
            return None
        found = [r for r in self.rooms if match_key(r.name) == room_key
                 and (not venue_key or match_key(r.venue.name) == venue_key)]
        if not found:
            if venue_key:
                raise ValidationError("import_unknown_room_in_venue", field="room", name=room.strip()[:100],
                                      venue=venue.strip()[:100])
            raise ValidationError("import_unknown_room", field="room", name=room.strip()[:100])
        if len(found) > 1:
            raise ValidationError("import_room_ambiguous", field="room", name=room.strip()[:100])
        return found[0]


def _people(text: str, columns: list[str]) -> list[dict]:
    """"Name; affiliation; role" lines (tabs work too) → the dicts ``check_fields`` takes."""
    found = parse_rows(text.replace("\r\n", "\n").replace("\r", "\n"), columns)
    for person in found:
        person["role"] = person["role"].lower() or None
    return found


def event_fields(db, cells: dict, places: _Places, default_summit: Summit | None) -> dict:
    """One row as ``events.check_fields`` returns it (the validator of the event form),
    dated in the event's own zone: its venue's, else its summit's, else the row's time zone.
    An end earlier than the start is on the next day (22:00–01:00)."""
    for key, label in (("date", N_("Date")), ("start", N_("Start")), ("end", N_("End"))):
        if not cells[key].strip():
            raise ValidationError("required", field=key, label=label)
    day = parse_date(cells["date"])
    if day is None:
        raise ValidationError("import_bad_date", field="date", value=cells["date"].strip()[:40])
    times = []
    for key, label in (("start", N_("Start")), ("end", N_("End"))):
        moment = parse_time(cells[key])
        if moment is None:
            raise ValidationError("import_bad_time", field=key, label=label, value=cells[key].strip()[:40])
        times.append(moment)
    summit = places.summit(cells["summit"]) or default_summit
    room = places.room(cells["venue"], cells["room"])
    given_zone = cells["time zone"].strip()
    if room is not None:
        zone = room.venue.timezone
    elif summit is not None:
        zone = summit.timezone
    elif given_zone:
        zone = check.timezone(given_zone)
    else:
        raise ValidationError("import_no_timezone", field="time zone")
    tz = ZoneInfo(zone)
    starts_at = datetime.combine(day, times[0], tzinfo=tz)
    ends_at = datetime.combine(day, times[1], tzinfo=tz)
    if times[1] < times[0]:
        ends_at = datetime.combine(day + timedelta(days=1), times[1], tzinfo=tz)
    fields = events.check_fields(
        db, title=cells["title"], starts_at=starts_at, ends_at=ends_at,
        summit_id=summit.id if summit else None, room_id=room.id if room else None,
        online_url=cells["online link"].strip() or None, capacity=parse_whole_number(cells["capacity"]),
        description=cells["description"], speakers=_people(cells["speakers"], ["name", "affiliation", "role"]),
        organizations=_people(cells["organizations"], ["name", "role"]), timezone=zone,
    )
    events.confirm_date(fields["starts_at"], fields["timezone"], allow_past=False)
    return fields


def _event_key(fields: dict) -> tuple:
    return match_key(fields["title"]), to_db_time(fields["starts_at"]), fields["room_id"]


def check_events(db, frame: pd.DataFrame, filename: str, summit_id=None,
                 progress: Progress | None = None) -> ImportPreview:
    """Reads only. Each row ready, skipped (already there) or refused with its reason."""
    names = match_columns(frame, EVENT_COLUMNS)
    default_summit = catalog.get_summit(db, summit_id) if summit_id is not None else None
    places = _places = _Places(db)
    seen = {(match_key(t), s, r) for t, s, r in db.execute("SELECT title, starts_at, room_id FROM events")}
    rooms = {r.id: r for r in _places.rooms}
    ready, skipped, refused, checked = [], [], [], []
    rows = _cells(frame, names, EVENT_COLUMNS)
    for done, (row, cells) in enumerate(rows, start=1):
        try:
            fields = event_fields(db, cells, places, default_summit)
        except PlannerError as err:
            refused.append(RowProblem(row, err))
        else:
            room = rooms.get(fields["room_id"])
            shown = ImportRow(row, {
                "title": fields["title"], "starts_at": fields["starts_at"].astimezone(ZoneInfo(fields["timezone"])),
                "ends_at": fields["ends_at"].astimezone(ZoneInfo(fields["timezone"])),
                "place": room.label if room else (fields["online_url"] or ""),
            })
            key = _event_key(fields)
            if key in seen:
                skipped.append(shown)
            else:
                seen.add(key)
                ready.append(shown)
                checked.append(fields)
        _tick(progress, done, len(rows))
    return ImportPreview("events", filename, len(rows), tuple(ready), tuple(skipped), tuple(refused), tuple(checked))


def write_events(db, preview: ImportPreview, progress: Progress | None = None) -> list[int]:
    """Writes the ready events as drafts (inside the caller's transaction); their ids."""
    ids = []
    for done, fields in enumerate(preview.fields, start=1):
        ids.append(events.create(db, fields, allow_past=False))
        _tick(progress, done, len(preview.fields))
    return ids


# ---------------------------------------------------------------------- guests


def check_guests(db, event_id: int, frame: pd.DataFrame, filename: str,
                 progress: Progress | None = None) -> ImportPreview:
    """Reads only. Refuses the whole file if the event takes no registrations; else each row
    ready (with the status it would get), skipped (already registered) or refused."""
    event_id = check.id(event_id)
    registrations.check_open(db, event_id)
    names = match_columns(frame, GUEST_COLUMNS)
    seen = {r[0] for r in db.execute(
        "SELECT email FROM registrations WHERE event_id = ? AND status != 'cancelled'", [event_id])}
    capacity = registrations.offered(db, event_id)  # the overbooking allowance too (issue #12)
    free = None if capacity is None else max(capacity - registrations.taken(db, event_id), 0)
    ready, skipped, refused, checked = [], [], [], []
    rows = _cells(frame, names, GUEST_COLUMNS)
    for done, (row, cells) in enumerate(rows, start=1):
        try:
            details = registrations.clean_details(cells["name"], cells["organization"], cells["needs"])
            email = registrations.clean_email(cells["email"])
        except PlannerError as err:
            refused.append(RowProblem(row, err))
        else:
            shown = {"name": details["name"], "email": email, "organization": details["organization"]}
            if email in seen:
                skipped.append(ImportRow(row, shown))
            else:
                seen.add(email)
                status = "confirmed" if free is None or len(ready) < free else "waitlisted"
                ready.append(ImportRow(row, {**shown, "status": status}))
                checked.append((details, email, status))
        _tick(progress, done, len(rows))
    return ImportPreview("guests", filename, len(rows), tuple(ready), tuple(skipped), tuple(refused), tuple(checked))


def write_guests(db, event_id: int, preview: ImportPreview, *, checkin_key: bytes, language: str,
                 progress: Progress | None = None) -> list[int]:
    """Writes the ready guests in file order (inside the caller's transaction, which checked
    them): one ``executemany``, each row with its check-in code and private link derived from
    the id it is given (the ids after the largest, which nobody else can take while this
    transaction holds the write lock). Returns their ids."""
    now = to_db_time(clock.now())
    first = (db.execute("SELECT coalesce(max(id), 0) FROM registrations").fetchone()[0] or 0) + 1
    values, ids = [], []
    for offset, (details, email, status) in enumerate(preview.fields):
        registration_id = first + offset
        ids.append(registration_id)
        token = ticket_codes.link_token(checkin_key, registration_id)
        values.append((
            registration_id, event_id, details["name"], email, details["organization"], details["needs"], status,
            security.token_hash(token), ticket_codes.code_for(checkin_key, registration_id), language,
            now, now, now if status == "confirmed" else None,
        ))
    chunk = max(PROGRESS_EVERY * 4, 1)
    for start in range(0, len(values), chunk):
        db.conn.executemany(
            "INSERT INTO registrations (id, event_id, name, email, organization, needs, status, token_hash,"
            " checkin_code, link_derived, language, created_at, updated_at, confirmed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
            values[start:start + chunk],
        )
        _tick(progress, min(start + chunk, len(values)), len(values))
    return ids


# ---------------------------------------------------------------------- templates


def template_frame(kind: str) -> pd.DataFrame:
    """The template of ``kind``: its headings in the active language, one example row."""
    columns = COLUMNS[kind]
    if kind == "events":
        example = {
            "title": str(N_("Human rights at international borders: a civil society dialogue")),
            "date": "20/10/2026", "start": "17:00", "end": "19:00", "time zone": "America/New_York",
            "summit": "", "venue": "", "room": "", "online link": "https://example.org/join", "capacity": 80,
            "speakers": "Ana Pérez; Red Migrante; chair\nLuis Quispe; CELS; speaker",
            "organizations": "Coalición Andina; host\nFondo Verde; co-sponsor",
            "description": str(N_(
                "Dates are day first: 20/10/2026, 20.10.2026 or 2026-10-20 (month first only when the first "
                "number cannot be a day, as in 10/20/2026). Times are 24-hour, 17:00, in the event's own time "
                "zone: its venue's, else its summit's, else the Time zone column's. Summit, venue and room must "
                "already exist in the planner; speakers are “Name; affiliation; role” lines (role: chair, "
                "moderator, speaker or video message), organizations “Name; role” lines (host, co-sponsor or "
                "endorser). Delete this example row.")),
        }
    else:
        example = {"name": "Ana Pérez", "email": "ana@example.org", "organization": "Red Migrante",
                   "needs": str(N_("Wheelchair space"))}
    return pd.DataFrame([{str(c.label): example[c.key] for c in columns}])
