"""The Planner: the one public face of the domain.

Pages, HTTP routes and tests all call these methods; none of them touches SQL. Every method
validates its input before writing, and every write is one transaction (see ``db.py``), so a
refused call changes nothing.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import uuid
from datetime import date, datetime, timedelta
from dataclasses import replace
from pathlib import Path
from typing import Iterable
from zoneinfo import ZoneInfo

from . import checkin, security
from . import registrations as seats
from . import validate as check
from .conflicts import find_conflicts
from .db import Database, from_db_time, now_utc, to_db_time
from .errors import NotFound, StaleEdit, ValidationError
from .models import (
    FORMATS,
    ORGANIZATION_ROLES,
    SPEAKER_ROLES,
    USER_ROLES,
    Conflict,
    Event,
    EventChange,
    EventCounts,
    Attendance,
    CheckInResult,
    DoorPass,
    Scan,
    Registration,
    REGISTRATION_STATUSES,
    EventOrganization,
    Room,
    Speaker,
    Summit,
    User,
    Venue,
)
from .text import clean, match_key

SESSION_IDLE_LIMIT = timedelta(hours=12)
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")  # what security.new_token() makes
SIGN_IN_CODE_LIFETIME = timedelta(minutes=2)
_SESSION_TOUCH_EVERY = timedelta(minutes=1)

# Changing any of these changes what a calendar shows, so the event's SEQUENCE grows.
_SEQUENCE_FIELDS = ("title", "starts_at", "ends_at", "room_id", "online_url")
_EVENT_FIELDS = (
    "title",
    "description",
    "summit_id",
    "room_id",
    "online_url",
    "format",
    "starts_at",
    "ends_at",
    "capacity",
    "timezone",
    "speakers",
    "organizations",
)

_EVENT_SELECT = """
SELECT e.*,
       r.venue_id AS r_venue_id, r.name AS r_name, r.capacity AS r_capacity,
       r.accessibility AS r_accessibility,
       v.name AS v_name, v.address AS v_address, v.timezone AS v_timezone,
       s.name AS s_name, s.city AS s_city, s.timezone AS s_timezone,
       s.starts_on AS s_starts_on, s.ends_on AS s_ends_on
FROM events e
LEFT JOIN rooms r ON r.id = e.room_id
LEFT JOIN venues v ON v.id = r.venue_id
LEFT JOIN summits s ON s.id = e.summit_id
"""


class Planner:
    """Plan side events for summits: venues, rooms, events, speakers, organizations, users.

    ``Planner(path)`` creates the database file and its schema if needed. One Planner may be
    shared by many threads (each call opens its own connection).
    """

    def __init__(
        self,
        path: str | Path = "data/planner.db",
        *,
        base_url: str = "http://localhost:8501",
        contact_email: str = "events@example.org",
    ):
        # Links in calendar files, tickets and door passes start with base_url; calendar files
        # name contact_email as the ORGANIZER's address. Both are checked before anything opens.
        self.base_url = check.base_url(base_url)
        self.contact_email = check.email(contact_email, "contact_email")
        self._db = Database(path)
        self.path = self._db.path
        self._checkin_key = checkin.load_key(self.path.parent)
        self._public_cache: tuple[int, list[Event], dict[int, Event]] | None = None
        with self._db.write() as db:  # registrations made before tickets existed get codes
            for (registration_id,) in db.execute("SELECT id FROM registrations WHERE checkin_code IS NULL").fetchall():
                self._set_code(db, registration_id)

    # ------------------------------------------------------------------ summits

    def add_summit(self, *, name: str, city: str = "", timezone: str, starts_on: date, ends_on: date) -> Summit:
        fields = self._summit_fields(name=name, city=city, timezone=timezone, starts_on=starts_on, ends_on=ends_on)
        with self._db.write() as db:
            summit_id = db["summits"].insert(fields).last_pk
        return self.get_summit(summit_id)

    def update_summit(self, summit_id: int, **changes) -> Summit:
        current = self.get_summit(summit_id)
        merged = {
            "name": current.name,
            "city": current.city,
            "timezone": current.timezone,
            "starts_on": current.starts_on,
            "ends_on": current.ends_on,
        }
        _reject_unknown(changes, merged)
        merged.update(changes)
        fields = self._summit_fields(**merged)
        with self._db.write() as db:
            db["summits"].update(summit_id, fields)
            # Events without a room take their zone from the summit.
            if fields["timezone"] != current.timezone:
                _calendar_changed(db, "summit_id = ? AND room_id IS NULL", [summit_id], timezone=fields["timezone"])
        return self.get_summit(summit_id)

    @staticmethod
    def _summit_fields(*, name, city, timezone, starts_on, ends_on) -> dict:
        starts_on = check.day(starts_on, "starts_on", "The first day")
        ends_on = check.day(ends_on, "ends_on", "The last day")
        if ends_on < starts_on:
            raise ValidationError("The last day cannot be before the first day.", "ends_on")
        return {
            "name": check.text(name, "name", "The summit's name"),
            "city": check.text(city, "city", "The city", required=False),
            "timezone": check.timezone(timezone),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        }

    def get_summit(self, summit_id: int) -> Summit:
        with self._db.read() as db:
            row = db.execute("SELECT * FROM summits WHERE id = ?", [_id(summit_id)]).fetchone()
        if row is None:
            raise NotFound(f"There is no summit with id {summit_id}.")
        return _summit(row)

    def list_summits(self) -> list[Summit]:
        with self._db.read() as db:
            rows = db.execute("SELECT * FROM summits ORDER BY starts_on, name").fetchall()
        return [_summit(r) for r in rows]

    # ------------------------------------------------------------------ venues and rooms

    def add_venue(self, *, name: str, address: str = "", timezone: str) -> Venue:
        fields = self._venue_fields(name=name, address=address, timezone=timezone)
        with self._db.write() as db:
            venue_id = db["venues"].insert(fields).last_pk
        return self.get_venue(venue_id)

    def update_venue(self, venue_id: int, **changes) -> Venue:
        current = self.get_venue(venue_id)
        merged = {"name": current.name, "address": current.address, "timezone": current.timezone}
        _reject_unknown(changes, merged)
        merged.update(changes)
        fields = self._venue_fields(**merged)
        with self._db.write() as db:
            db["venues"].update(venue_id, fields)
            # An event's zone is its venue's: a corrected zone carries to its events. Name and
            # address are in its calendar LOCATION.
            if (fields["name"], fields["address"], fields["timezone"]) != (current.name, current.address, current.timezone):
                _calendar_changed(
                    db, "room_id IN (SELECT id FROM rooms WHERE venue_id = ?)", [venue_id], timezone=fields["timezone"]
                )
        return self.get_venue(venue_id)

    @staticmethod
    def _venue_fields(*, name, address, timezone) -> dict:
        return {
            "name": check.text(name, "name", "The venue's name"),
            "address": check.text(address, "address", "The address", required=False, max_length=500, one_line=False),
            "timezone": check.timezone(timezone),
        }

    def get_venue(self, venue_id: int) -> Venue:
        with self._db.read() as db:
            row = db.execute("SELECT * FROM venues WHERE id = ?", [_id(venue_id)]).fetchone()
        if row is None:
            raise NotFound(f"There is no venue with id {venue_id}.")
        return _venue(row)

    def list_venues(self) -> list[Venue]:
        with self._db.read() as db:
            rows = db.execute("SELECT * FROM venues ORDER BY name").fetchall()
        return [_venue(r) for r in rows]

    def add_room(self, *, venue_id: int, name: str, capacity: int, accessibility: str = "") -> Room:
        self.get_venue(venue_id)
        fields = self._room_fields(name=name, capacity=capacity, accessibility=accessibility)
        with self._db.write() as db:
            room_id = db["rooms"].insert({"venue_id": venue_id, **fields}).last_pk
        return self.get_room(room_id)

    def update_room(self, room_id: int, **changes) -> Room:
        current = self.get_room(room_id)
        merged = {"name": current.name, "capacity": current.capacity, "accessibility": current.accessibility}
        _reject_unknown(changes, merged)
        merged.update(changes)
        fields = self._room_fields(**merged)
        with self._db.write() as db:
            db["rooms"].update(room_id, fields)
            if fields["name"] != current.name:  # the room's name is in its events' calendar LOCATION
                _calendar_changed(db, "room_id = ?", [room_id])
            for (event_id,) in db.execute(
                "SELECT id FROM events WHERE room_id = ? AND capacity IS NULL", [room_id]
            ).fetchall():
                seats.promote(db, event_id)
        return self.get_room(room_id)

    @staticmethod
    def _room_fields(*, name, capacity, accessibility) -> dict:
        return {
            "name": check.text(name, "name", "The room's name"),
            "capacity": check.capacity(capacity, required=True),
            "accessibility": check.long_text(accessibility, "accessibility", "The accessibility notes", 2000),
        }

    def get_room(self, room_id: int) -> Room:
        rooms = self._rooms("WHERE r.id = ?", [_id(room_id)])
        if not rooms:
            raise NotFound(f"There is no room with id {room_id}.")
        return rooms[0]

    def list_rooms(self, venue_id: int | None = None) -> list[Room]:
        if venue_id is None:
            return self._rooms("", [])
        return self._rooms("WHERE r.venue_id = ?", [_id(venue_id)])

    def _rooms(self, where: str, params: list) -> list[Room]:
        with self._db.read() as db:
            rows = db.execute(
                "SELECT r.*, v.name AS v_name, v.address AS v_address, v.timezone AS v_timezone"
                f" FROM rooms r JOIN venues v ON v.id = r.venue_id {where} ORDER BY v.name, r.name",
                params,
            ).fetchall()
        return [
            Room(
                id=r["id"],
                venue_id=r["venue_id"],
                name=r["name"],
                capacity=r["capacity"],
                accessibility=r["accessibility"],
                venue=Venue(r["venue_id"], r["v_name"], r["v_address"], r["v_timezone"]),
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ events

    def create_event(
        self,
        *,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        summit_id: int | None = None,
        room_id: int | None = None,
        online_url: str | None = None,
        format: str | None = None,
        capacity: int | None = None,
        description: str = "",
        speakers: Iterable[dict] = (),
        organizations: Iterable[dict] = (),
        timezone: str | None = None,
    ) -> Event:
        """Create a draft event. Times are timezone-aware; they are stored in UTC.

        The event's own time zone is its venue's; without a room, its summit's; without
        either (an online event), ``timezone`` or the zone of ``starts_at``.
        """
        fields = self._event_fields(
            title=title,
            description=description,
            summit_id=summit_id,
            room_id=room_id,
            online_url=online_url,
            format=format,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            speakers=speakers,
            organizations=organizations,
            timezone=timezone,
        )
        now = to_db_time(now_utc())
        with self._db.write() as db:
            event_id = db["events"].insert(
                {
                    **_event_columns(fields),
                    "uid": f"{uuid.uuid4()}@side-event-planner",
                    "status": "draft",
                    "version": 1,
                    "sequence": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            ).last_pk
            _save_people(db, event_id, fields["speakers"])
            _save_organizations(db, event_id, fields["organizations"])
        return self.get_event(event_id)

    def update_event(self, event_id: int, *, version: int, **changes) -> Event:
        """Change an event. ``version`` is the one the caller loaded: if anyone saved since,
        ``StaleEdit`` is raised (carrying the current event) and nothing is written."""
        unknown = set(changes) - set(_EVENT_FIELDS)
        if unknown:
            raise ValidationError(f"Events have no field {', '.join(sorted(unknown))}.", sorted(unknown)[0])
        current = self.get_event(event_id)
        if current.status == "cancelled":
            raise ValidationError("This event is cancelled and can no longer be edited.", None)
        merged = _event_as_fields(current)
        if ("room_id" in changes or "online_url" in changes) and "format" not in changes:
            merged["format"] = None  # derive it again for the new place
        merged.update(changes)
        fields = self._event_fields(**merged)
        if current.room_id is not None and fields["room_id"] is None and fields["capacity"] is None:
            # Leaving a room keeps its number of places: "no limit" would confirm the whole
            # waiting list at once, which cannot be undone. Organizers can change it after.
            fields["capacity"] = current.capacity
        columns = _event_columns(fields)
        old_columns = _event_columns(self._event_fields(**_event_as_fields(current)))
        bump = any(columns[k] != old_columns[k] for k in _SEQUENCE_FIELDS)
        with self._db.write() as db:
            cursor = db.execute(
                "UPDATE events SET "
                + ", ".join(f"{k} = ?" for k in columns)
                + ", version = version + 1, sequence = sequence + ?, updated_at = ?"
                " WHERE id = ? AND version = ?",
                [*columns.values(), 1 if bump else 0, to_db_time(now_utc()), event_id, version],
            )
            if cursor.rowcount == 0:
                raise self._stale(event_id)
            if "speakers" in changes:
                _save_people(db, event_id, fields["speakers"])
            if "organizations" in changes:
                _save_organizations(db, event_id, fields["organizations"])
            # More seats (a higher capacity, a bigger room) move the waiting list up at once.
            seats.promote(db, event_id)
        return self.get_event(event_id)

    def _stale(self, event_id: int) -> StaleEdit:
        latest = self.get_event(event_id)
        return StaleEdit(
            "Someone else saved this event while you were editing it. Your changes are not saved yet: "
            "look at what they changed, then save again.",
            current=latest,
        )

    def duplicate_event(self, event_id: int) -> Event:
        """A new draft with the same details (and a new calendar UID)."""
        source = self.get_event(event_id)
        fields = _event_as_fields(source)
        fields["title"] = _copy_title(source.title)
        return self.create_event(**fields)

    def publish_event(
        self, event_id: int, *, allow_room_clash: bool | Iterable[int] = False, version: int | None = None
    ) -> Event:
        """Make a draft visible on the public programme.

        A room booked twice is refused unless ``allow_room_clash`` says the organizer has
        seen the clash and wants to publish anyway: ``True`` for any clash, or the ids of the
        events the organizer was shown, so a booking made after that is still refused.
        """
        accepted = None if allow_room_clash is True else {_id(i) for i in (allow_room_clash or ())}
        event = self.get_event(event_id)
        if event.status == "cancelled":
            raise ValidationError("A cancelled event cannot be published again. Duplicate it instead.", "status")
        if event.status == "published":
            return event
        # Only events in the same room at overlapping times can clash over the room.
        neighbours = (
            self._events(
                "WHERE e.room_id = ? AND e.id != ? AND e.status != 'cancelled' AND e.starts_at < ? AND e.ends_at > ?",
                [event.room_id, event.id, to_db_time(event.ends_at), to_db_time(event.starts_at)],
            )
            if event.room_id is not None
            else []
        )
        room_clashes = [
            c for c in find_conflicts([event, *neighbours], focus_id=event.id)
            if c.kind == "room" and (accepted is not None and not set(c.event_ids) - {event.id} <= accepted)
        ]
        if room_clashes:
            raise ValidationError(
                room_clashes[0].message + " Confirm that you want to publish anyway.", "room_id"
            )

        def room_still_free(db) -> None:
            """The same question inside the publishing transaction: another organizer may have
            put an event in this room since it was asked above."""
            if accepted is None or event.room_id is None:
                return
            others = db.execute(
                "SELECT id, title FROM events WHERE room_id = ? AND id != ? AND status != 'cancelled'"
                " AND starts_at < ? AND ends_at > ?",
                [event.room_id, event.id, to_db_time(event.ends_at), to_db_time(event.starts_at)],
            ).fetchall()
            other = next((title for other_id, title in others if other_id not in accepted), None)
            if other is not None:
                raise ValidationError(
                    f"The room was just booked for “{other}” at the same time. "
                    "Confirm that you want to publish anyway.",
                    "room_id",
                )

        return self._set_status(event, "published", version=version, guard=room_still_free)

    def cancel_event(self, event_id: int, *, reason: str, version: int | None = None) -> Event:
        """Cancel an event; it stays visible (published ones) with the reason."""
        reason = check.text(reason, "reason", "The reason for cancelling", max_length=500, one_line=False)
        event = self.get_event(event_id)
        if event.status == "cancelled":
            return event
        return self._set_status(event, "cancelled", version=version, reason=reason)

    def _set_status(self, event: Event, status: str, *, version: int | None, reason: str = "", guard=None) -> Event:
        now = to_db_time(now_utc())
        with self._db.write() as db:
            if guard is not None:
                guard(db)
            cursor = db.execute(
                "UPDATE events SET status = ?, cancel_reason = ?, version = version + 1,"
                " sequence = sequence + ?, updated_at = ?,"
                " published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END"
                " WHERE id = ? AND version = ?",
                [
                    status,
                    reason,
                    1 if status == "cancelled" else 0,
                    now,
                    status,
                    now,
                    event.id,
                    event.version if version is None else version,
                ],
            )
            if cursor.rowcount == 0:
                raise self._stale(event.id)
        return self.get_event(event.id)

    def get_event(self, event_id: int) -> Event:
        public = self._public_events()[1].get(_id(event_id))
        if public is not None:  # the public page's rerun: one small query instead of three
            return public
        events = self._events("WHERE e.id = ?", [_id(event_id)])
        if not events:
            raise NotFound(f"There is no event with id {event_id}.")
        return events[0]

    def list_events(self, summit_id: int | None = None, status: str | None = None) -> list[Event]:
        """Events in time order, optionally of one summit and/or one status."""
        where, params = [], []
        if summit_id is not None:
            where.append("e.summit_id = ?")
            params.append(_id(summit_id))
        if status is not None:
            where.append("e.status = ?")
            params.append(check.choice(status, ("draft", "published", "cancelled"), "status", "status"))
        return self._events(("WHERE " + " AND ".join(where)) if where else "", params)

    def programme(
        self,
        *,
        summit_id: int | None = None,
        day: date | None = None,
        organization: str | None = None,
        format: str | None = None,
        query: str | None = None,
    ) -> list[Event]:
        """What the public sees: published events, and published events later cancelled
        (shown as cancelled so people who planned to come find out), in time order.

        ``day`` is a date in each event's own time zone; ``organization`` and ``query``
        match ignoring case and accents.
        """
        events = list(self._public_events()[0])
        if summit_id is not None:
            summit_id = _id(summit_id)
            events = [e for e in events if e.summit_id == summit_id]
        if day is not None:
            events = [e for e in events if e.local_start.date() == day]
        if format:
            events = [e for e in events if e.format == format]
        if organization:
            key = match_key(organization)
            events = [e for e in events if any(match_key(o.name) == key for o in e.organizations)]
        if query and query.strip():
            words = match_key(query).split()
            events = [e for e in events if all(w in _search_text(e) for w in words)]
        return events

    def _public_events(self) -> tuple[list[Event], dict[int, Event]]:
        """The public events, read again only when the programme's tables changed (a counter
        that triggers bump in every writing transaction, whichever process wrote)."""
        with self._db.read() as db:
            version = db.execute("SELECT value FROM meta WHERE key = 'catalog_version'").fetchone()[0]
        cached = self._public_cache
        if cached is None or cached[0] != version:
            events = self._events(
                "WHERE e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL)", []
            )
            cached = self._public_cache = (version, events, {e.id: e for e in events})
        return cached[1], cached[2]

    def organization_names(self) -> list[str]:
        """Every organization known, for pick lists (re-use instead of retyping)."""
        with self._db.read() as db:
            return [r[0] for r in db.execute("SELECT name FROM organizations ORDER BY name_key")]

    def people(self) -> list[dict]:
        """Every speaker known, with their latest affiliation, for pick lists."""
        with self._db.read() as db:
            rows = db.execute("SELECT id, name, email, affiliation FROM people ORDER BY name_key").fetchall()
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ conflicts

    def conflicts(self, event_id: int | None = None) -> list[Conflict]:
        """Clashes among events that are not cancelled (only those of ``event_id`` if given)."""
        if event_id is not None:
            self.get_event(event_id)
        events = self._events("WHERE e.status != 'cancelled'", [])
        return find_conflicts(events, focus_id=event_id)

    def preview_conflicts(self, event_id: int | None = None, **fields) -> list[Conflict]:
        """The clashes an event would have with these fields, before it is saved.

        Validates like ``create_event`` (raising ``ValidationError`` the same way).
        """
        unknown = set(fields) - set(_EVENT_FIELDS)
        if unknown:
            raise ValidationError(f"Events have no field {', '.join(sorted(unknown))}.", sorted(unknown)[0])
        base = _event_as_fields(self.get_event(event_id)) if event_id is not None else {}
        if base and ("room_id" in fields or "online_url" in fields) and "format" not in fields:
            base["format"] = None  # derived again for the new place, as update_event does
        base.update(fields)
        for required, label in (("title", "The title"), ("starts_at", "The start"), ("ends_at", "The end")):
            if base.get(required) is None:
                raise ValidationError(f"{label} is required.", required)
        checked = self._event_fields(**{k: base[k] for k in _EVENT_FIELDS if k in base})
        candidate = self._draft_event(event_id or 0, checked)
        others = [e for e in self._events("WHERE e.status != 'cancelled'", []) if e.id != event_id]
        return find_conflicts([*others, candidate], focus_id=candidate.id)

    def _draft_event(self, event_id: int, fields: dict) -> Event:
        room = self.get_room(fields["room_id"]) if fields["room_id"] else None
        summit = self.get_summit(fields["summit_id"]) if fields["summit_id"] else None
        now = now_utc()
        return Event(
            id=event_id,
            uid="",
            title=fields["title"],
            description=fields["description"],
            summit_id=fields["summit_id"],
            room_id=fields["room_id"],
            online_url=fields["online_url"],
            format=fields["format"],
            timezone=fields["timezone"],
            starts_at=fields["starts_at"],
            ends_at=fields["ends_at"],
            capacity=fields["capacity"] or (room.capacity if room else None),
            capacity_is_default=fields["capacity"] is None,
            status="draft",
            cancel_reason="",
            version=0,
            sequence=0,
            created_at=now,
            updated_at=now,
            published_at=None,
            speakers=tuple(
                Speaker(0, s["name"], s["affiliation"], s["email"], s["role"]) for s in fields["speakers"]
            ),
            organizations=tuple(EventOrganization(0, o["name"], o["role"]) for o in fields["organizations"]),
            room=room,
            venue=room.venue if room else None,
            summit=summit,
        )

    # ------------------------------------------------------------------ event internals

    def _event_fields(
        self,
        *,
        title,
        starts_at,
        ends_at,
        summit_id=None,
        room_id=None,
        online_url=None,
        format=None,
        capacity=None,
        description="",
        speakers=(),
        organizations=(),
        timezone=None,
    ) -> dict:
        """Validate and normalise everything an event is made of (writes nothing)."""
        given_start_zone = getattr(starts_at, "tzinfo", None)
        title = check.text(title, "title", "The title", max_length=check.TITLE_MAX)
        description = check.long_text(description, "description", "The description")
        # Compare instants in UTC (same-zone datetimes compare by wall clock, which is wrong
        # across a clock change), at the second precision that is stored.
        utc = ZoneInfo("UTC")
        starts_at = check.aware(starts_at, "starts_at", "The start").astimezone(utc).replace(microsecond=0)
        ends_at = check.aware(ends_at, "ends_at", "The end").astimezone(utc).replace(microsecond=0)
        if ends_at <= starts_at:
            raise ValidationError("The event must end after it starts.", "ends_at")
        if ends_at - starts_at > timedelta(days=31):
            raise ValidationError("An event can last at most 31 days. Check the dates.", "ends_at")
        online_url = check.web_link(online_url)
        capacity = check.capacity(capacity)
        summit = self.get_summit(summit_id) if summit_id is not None else None
        room = self.get_room(room_id) if room_id is not None else None
        if format is None or format == "":
            format = "hybrid" if room and online_url else "online" if online_url else "in_person"
        else:
            format = check.choice(str(format).replace(" ", "_").replace("-", "_"), FORMATS, "format", "format")
            if format == "online" and room:
                raise ValidationError("An online event has no room. Clear the room or choose hybrid.", "format")
            if format == "in_person" and online_url:
                raise ValidationError(
                    "An in-person event has no online link. Clear the link or choose hybrid.", "format"
                )
        given_zone = check.timezone(timezone) if timezone else None
        if room:
            zone = room.venue.timezone
        elif summit:
            zone = summit.timezone
        else:
            zone = given_zone or getattr(given_start_zone, "key", None) or "UTC"
        return {
            "title": title,
            "description": description,
            "summit_id": summit.id if summit else None,
            "room_id": room.id if room else None,
            "online_url": online_url,
            "format": format,
            "timezone": zone,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "capacity": capacity,
            "speakers": _check_speakers(speakers),
            "organizations": _check_organizations(organizations),
        }

    def _events(self, where: str, params: list) -> list[Event]:
        with self._db.read() as db:
            rows = db.execute(f"{_EVENT_SELECT} {where} ORDER BY e.starts_at, e.id", params).fetchall()
            if not rows:
                return []
            ids = [r["id"] for r in rows]
            speakers, organizations = _event_people(db, ids if len(ids) < 500 else None)
        return [
            _event(r, tuple(speakers.get(r["id"], ())), tuple(organizations.get(r["id"], ()))) for r in rows
        ]

    def event_changes(self, before: Event, after: Event) -> list[EventChange]:
        """What differs between two versions of an event, in words (for stale-save messages)."""
        changes = []

        def add(label, a, b):
            if a != b:
                changes.append(EventChange(label, str(a or "—"), str(b or "—")))

        add("Title", before.title, after.title)
        add("Starts", f"{before.local_start:%a %d %b %Y %H:%M}", f"{after.local_start:%a %d %b %Y %H:%M}")
        add("Ends", f"{before.local_end:%a %d %b %Y %H:%M}", f"{after.local_end:%a %d %b %Y %H:%M}")
        add("Place", before.place, after.place)
        add("Online link", before.online_url, after.online_url)
        add("Capacity", before.capacity, after.capacity)
        add("Status", before.status, after.status)
        add("Description", before.description, after.description)
        add(
            "Speakers",
            "; ".join(f"{s.name} ({s.role})" for s in before.speakers),
            "; ".join(f"{s.name} ({s.role})" for s in after.speakers),
        )
        add(
            "Organizations",
            "; ".join(f"{o.name} ({o.role})" for o in before.organizations),
            "; ".join(f"{o.name} ({o.role})" for o in after.organizations),
        )
        return changes

    # ------------------------------------------------------------------ registrations

    def register(self, event_id: int, *, name: str, email: str, organization: str = "", needs: str = "") -> Registration:
        """RSVP to a published, upcoming event: a seat while there is one, else the waiting list.

        The same email (trimmed, any case) on the same event gets its existing registration
        back, details updated, never a second seat.
        """
        event_id = _id(event_id)
        details = seats.clean_details(name, organization, needs)
        email = seats.clean_email(email)
        token = security.new_token()
        now = to_db_time(now_utc())
        with self._db.write() as db:
            seats.check_open(db, event_id)
            existing = db.execute(
                "SELECT id FROM registrations WHERE event_id = ? AND email = ? AND status != 'cancelled'",
                [event_id, email],
            ).fetchone()
            if existing:
                # Details given replace the old ones, but a blank never erases what is there:
                # whoever types an address may not own it, and must not wipe someone's needs.
                db.execute(
                    "UPDATE registrations SET name = ?, organization = coalesce(nullif(?, ''), organization),"
                    " needs = coalesce(nullif(?, ''), needs), updated_at = ? WHERE id = ?",
                    [details["name"], details["organization"], details["needs"], now, existing[0]],
                )
                (found,) = seats.load(db, "WHERE r.id = ?", [existing[0]])
                return replace(found, already_registered=True)
            capacity = seats.event_capacity(db, event_id)
            full = capacity is not None and seats.count(db, event_id, "confirmed") >= capacity
            registration_id = db["registrations"].insert(
                {
                    "event_id": event_id,
                    **details,
                    "email": email,
                    "status": "waitlisted" if full else "confirmed",
                    "token_hash": security.token_hash(token),
                    "created_at": now,
                    "updated_at": now,
                    "confirmed_at": None if full else now,
                }
            ).last_pk
            self._set_code(db, registration_id)
            (created,) = seats.load(db, "WHERE r.id = ?", [registration_id], token)
        return created

    def registration(self, manage_token: str) -> Registration:
        """The registration a private link names; NotFound for unknown or malformed tokens."""
        with self._db.read() as db:
            return self._by_token(db, manage_token)

    @staticmethod
    def _by_token(db, manage_token) -> Registration:
        if not isinstance(manage_token, str) or not _TOKEN_SHAPE.fullmatch(manage_token):
            raise NotFound("We could not find that registration.")
        found = seats.load(db, "WHERE r.token_hash = ?", [security.token_hash(manage_token)], manage_token)
        if not found:
            raise NotFound("We could not find that registration.")
        return found[0]

    def update_registration(self, manage_token: str, **changes) -> Registration:
        """Change name, organization or needs (the email is the registration's identity)."""
        _reject_unknown(changes, {"name": 0, "organization": 0, "needs": 0})
        with self._db.write() as db:
            current = self._by_token(db, manage_token)
            if current.status == "cancelled":
                raise ValidationError("This registration is cancelled. Register again to come.", "status")
            merged = {"name": current.name, "organization": current.organization, "needs": current.needs, **changes}
            details = seats.clean_details(**merged)
            db.execute(
                "UPDATE registrations SET name = ?, organization = ?, needs = ?, updated_at = ? WHERE id = ?",
                [details["name"], details["organization"], details["needs"], to_db_time(now_utc()), current.id],
            )
            return self._by_token(db, manage_token)

    def cancel_registration(self, manage_token: str) -> Registration:
        """Give up the seat (or waiting-list place); the first person waiting moves up at once."""
        with self._db.write() as db:
            current = self._by_token(db, manage_token)
            self._cancel(db, current)
            return self._by_token(db, manage_token)

    def cancel_registration_for(self, registration_id: int) -> Registration:
        """An organizer cancels a registration on someone's behalf."""
        with self._db.write() as db:
            found = seats.load(db, "WHERE r.id = ?", [_id(registration_id)])
            if not found:
                raise NotFound(f"There is no registration with id {registration_id}.")
            self._cancel(db, found[0])
            return seats.load(db, "WHERE r.id = ?", [found[0].id])[0]

    @staticmethod
    def _cancel(db, registration: Registration) -> None:
        if registration.status == "cancelled":
            return
        now = to_db_time(now_utc())
        db.execute(
            "UPDATE registrations SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
            [now, now, registration.id],
        )
        seats.promote(db, registration.event_id)

    def registrations(self, event_id: int, status: str | None = None, query: str | None = None) -> list[Registration]:
        """An event's registrations in arrival order (for organizers: no tokens); ``query``
        keeps those whose name, email or organization hold every word, ignoring case and accents."""
        self.get_event(event_id)
        where, params = "WHERE r.event_id = ?", [_id(event_id)]
        if status is not None:
            where += " AND r.status = ?"
            params.append(check.choice(status, REGISTRATION_STATUSES, "status", "registration status"))
        with self._db.read() as db:
            found = seats.load(db, where, params)
        words = match_key(query).split() if isinstance(query, str) else []
        return [r for r in found if all(w in match_key(f"{r.name} {r.email} {r.organization}") for w in words)]

    def event_counts(self, event_id: int) -> EventCounts:
        """Confirmed, waitlisted and cancelled registrations and the capacity, in one query
        (every view of the event page reads them)."""
        event_id = _id(event_id)
        with self._db.read() as db:
            row = db.execute(
                "SELECT coalesce(e.capacity, r.capacity),"
                " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'confirmed'),"
                " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'waitlisted'),"
                " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'cancelled')"
                " FROM events e LEFT JOIN rooms r ON r.id = e.room_id WHERE e.id = ?",
                [event_id],
            ).fetchone()
        if row is None:
            raise NotFound(f"There is no event with id {event_id}.")
        return EventCounts(confirmed=row[1], waitlisted=row[2], cancelled=row[3], capacity=row[0])

    def all_event_counts(self) -> dict[int, EventCounts]:
        """Counts for every event in one query (for the organizer's events table)."""
        with self._db.read() as db:
            rows = db.execute(
                "SELECT e.id, coalesce(e.capacity, r.capacity) AS capacity,"
                " sum(g.status = 'confirmed') AS confirmed, sum(g.status = 'waitlisted') AS waitlisted,"
                " sum(g.status = 'cancelled') AS cancelled"
                " FROM events e LEFT JOIN rooms r ON r.id = e.room_id"
                " LEFT JOIN registrations g ON g.event_id = e.id GROUP BY e.id"
            ).fetchall()
        return {
            row["id"]: EventCounts(
                confirmed=row["confirmed"] or 0,
                waitlisted=row["waitlisted"] or 0,
                cancelled=row["cancelled"] or 0,
                capacity=row["capacity"],
            )
            for row in rows
        }

    def capacity_preview(self, event_id: int, capacity: int | None) -> list[Registration]:
        """Who a new capacity would move up from the waiting list (nothing is written).
        Lowering a capacity never removes anyone already confirmed."""
        capacity = check.capacity(capacity)
        event = self.get_event(event_id)
        if capacity is None:
            capacity = event.room.capacity if event.room else None
        with self._db.read() as db:
            ids = seats.would_promote(db, event.id, capacity)
            return seats.load(db, f"WHERE r.id IN ({','.join('?' * len(ids))})", ids) if ids else []

    # ------------------------------------------------------------------ calendars

    def _set_code(self, db, registration_id: int) -> None:
        db.execute(
            "UPDATE registrations SET checkin_code = ? WHERE id = ?",
            [checkin.code_for(self._checkin_key, registration_id), registration_id],
        )

    # ------------------------------------------------------------------ tickets and check-in

    def ticket_url(self, registration: Registration) -> str | None:
        """What the ticket's QR code encodes: the door's check-in page with the code."""
        if registration.ticket_code is None:
            return None
        return f"{self.base_url}/checkin?code={registration.checkin_code}"

    def ticket_qr_png(self, manage_token: str) -> bytes:
        """The ticket's QR code as a PNG (confirmed registrations only)."""
        registration = self.registration(manage_token)
        url = self.ticket_url(registration)
        if url is None:
            raise ValidationError("Only confirmed registrations have a ticket.", "status")
        return _qr_png(url)

    def check_in(self, scanned: str, event_id: int, door: str = "Main door") -> CheckInResult:
        """Let a guest in at most once. ``scanned`` is the QR code's URL, the bare code or a
        typed one (case, spaces and dashes ignored). Every scan, refused ones too, is recorded.
        One transaction: the same code at two doors at once gives exactly one "checked_in"."""
        event_id = _id(event_id)
        door = check.text(door, "door", "The door's name", max_length=100)
        code = checkin.normalize(scanned)
        now = now_utc()
        with self._db.write() as db:
            event = db.execute("SELECT status FROM events WHERE id = ?", [event_id]).fetchone()
            if event is None:
                raise NotFound(f"There is no event with id {event_id}.")
            found = seats.load(db, "WHERE r.checkin_code = ?", [code]) if code else []
            registration = found[0] if found else None
            if event["status"] == "cancelled":
                # Refused below, but recorded like every scan: the organizer sees who still came.
                result = CheckInResult("event_cancelled", registration)
            else:
                result = self._verdict(db, registration, event_id)
            if result.verdict == "checked_in":
                db.execute(
                    "UPDATE registrations SET checked_in_at = ?, checked_in_door = ?, updated_at = ?"
                    " WHERE id = ? AND checked_in_at IS NULL",
                    [to_db_time(now), door, to_db_time(now), registration.id],
                )
                result = replace(result, registration=seats.load(db, "WHERE r.id = ?", [registration.id])[0])
            db["scans"].insert(
                {
                    "event_id": event_id,
                    "registration_id": registration.id if registration else None,
                    "door": door,
                    "verdict": result.verdict,
                    "scanned_at": to_db_time(now),
                }
            )
        if result.verdict == "event_cancelled":
            raise ValidationError("This event is cancelled: nobody is checked in.", "event")
        return result

    @staticmethod
    def _verdict(db, registration: Registration | None, event_id: int) -> CheckInResult:
        if registration is None:
            return CheckInResult("invalid")
        if registration.event_id != event_id:
            title = db.execute("SELECT title FROM events WHERE id = ?", [registration.event_id]).fetchone()[0]
            return CheckInResult("wrong_event", registration, ticket_event_title=title)
        if registration.status in ("cancelled", "waitlisted"):
            return CheckInResult(registration.status, registration)
        if registration.checked_in_at is not None:
            return CheckInResult(
                "already_checked_in", registration, registration.checked_in_at, registration.checked_in_door
            )
        return CheckInResult("checked_in", registration)

    def check_in_registration(self, registration_id: int, event_id: int, door: str = "Main door") -> CheckInResult:
        """One-tap check-in from the guest list (found by name, no code at hand)."""
        with self._db.read() as db:
            found = seats.load(db, "WHERE r.id = ?", [_id(registration_id)])
        if not found:
            raise NotFound(f"There is no registration with id {registration_id}.")
        return self.check_in(found[0].checkin_code, event_id, door)

    def undo_check_in(self, registration_id: int) -> Registration:
        """Take back a check-in made by mistake; an undone walk-in is cancelled."""
        now = to_db_time(now_utc())
        with self._db.write() as db:
            found = seats.load(db, "WHERE r.id = ?", [_id(registration_id)])
            if not found:
                raise NotFound(f"There is no registration with id {registration_id}.")
            registration = found[0]
            if registration.checked_in_at is None:
                raise ValidationError(f"{registration.name} is not checked in.", "registration_id")
            status = "cancelled" if registration.walk_in else registration.status
            db.execute(
                "UPDATE registrations SET checked_in_at = NULL, checked_in_door = NULL, status = ?, updated_at = ?,"
                " cancelled_at = CASE WHEN ? = 'cancelled' THEN ? ELSE cancelled_at END WHERE id = ?",
                [status, now, status, now, registration.id],
            )
            db["scans"].insert(
                {
                    "event_id": registration.event_id,
                    "registration_id": registration.id,
                    "door": registration.checked_in_door or "",
                    "verdict": "undone",
                    "scanned_at": now,
                }
            )
            if status == "cancelled":
                seats.promote(db, registration.event_id)
            return seats.load(db, "WHERE r.id = ?", [registration.id])[0]

    def walk_in(
        self, event_id: int, *, name: str, email: str = "", organization: str = "", force: bool = False,
        door: str = "Main door",
    ) -> Registration:
        """Register and check in a guest at the door. Walk-ins take seats like confirmed
        registrations: past the capacity it is refused unless ``force`` is set."""
        event_id = _id(event_id)
        details = seats.clean_details(name, organization, "")
        email = seats.clean_email(email) if isinstance(email, str) and email.strip() else ""
        door = check.text(door, "door", "The door's name", max_length=100)
        now = to_db_time(now_utc())
        with self._db.write() as db:
            event = db.execute("SELECT status FROM events WHERE id = ?", [event_id]).fetchone()
            if event is None:
                raise NotFound(f"There is no event with id {event_id}.")
            if event["status"] != "published":
                raise ValidationError(
                    "This event is cancelled: nobody can be let in." if event["status"] == "cancelled"
                    else "This event is still a draft: publish it before letting anyone in.",
                    "event",
                )
            if email:
                existing = seats.load(
                    db, "WHERE r.event_id = ? AND r.email = ? AND r.status != 'cancelled'", [event_id, email]
                )
                if existing:
                    # Say no more than that: a door link must not tell whose address this is.
                    raise ValidationError(
                        "This email is already registered for this event: find the guest by name instead.",
                        "email",
                    )
            capacity = seats.event_capacity(db, event_id)
            taken = seats.count(db, event_id, "confirmed")
            if capacity is not None and taken + 1 > capacity and not force:
                raise ValidationError(
                    f"The room is full: {taken} of {capacity} places are taken by confirmed guests and "
                    "walk-ins (some may still arrive). Let them in anyway only if there is space.",
                    "capacity",
                )
            registration_id = db["registrations"].insert(
                {
                    "event_id": event_id,
                    **details,
                    "email": email,
                    "status": "confirmed",
                    "token_hash": security.token_hash(security.new_token()),
                    "created_at": now,
                    "updated_at": now,
                    "confirmed_at": now,
                    "checked_in_at": now,
                    "checked_in_door": door,
                    "walk_in": 1,
                }
            ).last_pk
            self._set_code(db, registration_id)
            db["scans"].insert(
                {"event_id": event_id, "registration_id": registration_id, "door": door, "verdict": "walk_in", "scanned_at": now}
            )
            return seats.load(db, "WHERE r.id = ?", [registration_id])[0]

    def search_guests(self, event_id: int, query: str) -> list[Registration]:
        """Guests whose name or organization matches every word typed, ignoring case and
        accents: confirmed first, then by name."""
        self.get_event(event_id)
        words = match_key(query if isinstance(query, str) else "").split()
        with self._db.read() as db:
            guests = seats.load(db, "WHERE r.event_id = ?", [_id(event_id)])
        found = [g for g in guests if all(w in match_key(f"{g.name} {g.organization}") for w in words)]
        order = {"confirmed": 0, "waitlisted": 1, "cancelled": 2}
        return sorted(found, key=lambda g: (order[g.status], match_key(g.name)))

    def attendance(self, event_id: int) -> Attendance:
        with self._db.read() as db:
            capacity = seats.event_capacity(db, _id(event_id))
            row = db.execute(
                "SELECT sum(status = 'confirmed' AND walk_in = 0), sum(status = 'confirmed' AND checked_in_at IS NOT NULL),"
                " sum(status = 'confirmed' AND walk_in = 1), sum(status = 'waitlisted')"
                " FROM registrations WHERE event_id = ?",
                [event_id],
            ).fetchone()
        return Attendance(
            confirmed=row[0] or 0, checked_in=row[1] or 0, walk_ins=row[2] or 0, waitlisted=row[3] or 0,
            capacity=capacity,
        )

    def scans(self, event_id: int) -> list[Scan]:
        """Every scan at the doors of an event, newest first (refused ones too)."""
        self.get_event(event_id)
        with self._db.read() as db:
            rows = db.execute("SELECT * FROM scans WHERE event_id = ? ORDER BY id DESC", [_id(event_id)]).fetchall()
        return [
            Scan(r["id"], r["event_id"], r["registration_id"], r["door"], r["verdict"], from_db_time(r["scanned_at"]))
            for r in rows
        ]

    def door_list_csv(self, event_id: int) -> bytes:
        """The printable door list for when the network fails: confirmed guests and the
        waiting list, sorted by name, with their codes (pandas writes the CSV)."""
        import pandas as pd

        self.get_event(event_id)
        with self._db.read() as db:
            guests = seats.load(db, "WHERE r.event_id = ? AND r.status != 'cancelled'", [_id(event_id)])
        guests.sort(key=lambda g: match_key(g.name))
        frame = pd.DataFrame(
            [
                {
                    "Name": _no_formula(g.name),
                    "Organization": _no_formula(g.organization),
                    "Status": "walk-in" if g.walk_in else g.status,
                    "Code": g.ticket_code or "",
                    "Checked in": "yes" if g.checked_in_at else "",
                }
                for g in guests
            ],
            columns=["Name", "Organization", "Status", "Code", "Checked in"],
        )
        return frame.to_csv(index=False).encode("utf-8-sig")  # the BOM lets spreadsheet apps read UTF-8

    # ------------------------------------------------------------------ door passes

    def create_door_pass(self, event_id: int, label: str = "Main door") -> DoorPass:
        """A link that opens the check-in page of this one event, for volunteers without an
        account. Its secret is kept so organizers can show the link again. Only published
        events have doors to open."""
        event = self.get_event(event_id)
        if event.status != "published":
            raise ValidationError(
                "This event is cancelled: it needs no door links." if event.status == "cancelled"
                else "This event is still a draft: publish it before making door links.",
                "event_id",
            )
        label = check.text(label, "label", "The door's name", max_length=100)
        with self._db.write() as db:
            pass_id = db["door_passes"].insert(
                {"event_id": event_id, "label": label, "secret": security.new_token(), "created_at": to_db_time(now_utc())}
            ).last_pk
        return self._door_passes("WHERE id = ?", [pass_id])[0]

    def door_passes(self, event_id: int) -> list[DoorPass]:
        self.get_event(event_id)
        return self._door_passes("WHERE event_id = ?", [_id(event_id)])

    def revoke_door_pass(self, door_pass_id: int) -> DoorPass:
        with self._db.write() as db:
            db.execute(
                "UPDATE door_passes SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
                [to_db_time(now_utc()), _id(door_pass_id)],
            )
        found = self._door_passes("WHERE id = ?", [_id(door_pass_id)])
        if not found:
            raise NotFound(f"There is no door pass with id {door_pass_id}.")
        return found[0]

    def door_pass(self, secret: str | None) -> DoorPass | None:
        """The active door pass with this secret, or None (unknown or revoked)."""
        if not isinstance(secret, str) or not _TOKEN_SHAPE.fullmatch(secret):
            return None
        found = self._door_passes("WHERE secret = ? AND revoked_at IS NULL", [secret])
        return found[0] if found else None

    def _door_passes(self, where: str, params: list) -> list[DoorPass]:
        with self._db.read() as db:
            rows = db.execute(f"SELECT * FROM door_passes {where} ORDER BY id", params).fetchall()
        return [
            DoorPass(
                id=r["id"],
                event_id=r["event_id"],
                label=r["label"],
                url=f"{self.base_url}/checkin?pass={r['secret']}",
                created_at=from_db_time(r["created_at"]),
                revoked_at=from_db_time(r["revoked_at"]),
            )
            for r in rows
        ]

    # calendar.py is imported when first needed (it pulls in icalendar, which pages that
    # show no calendar do not need).

    def _public_event(self, event_id) -> Event:
        event = self.get_event(event_id)
        if event.published_at is None:
            raise NotFound(f"There is no public event with id {event_id}.")
        return event

    def event_ics(self, event_id: int) -> bytes:
        """One public event as an iCalendar file (METHOD:PUBLISH)."""
        from . import calendar

        event = self._public_event(event_id)
        return calendar.calendar_bytes(
            [event], base_url=self.base_url, contact_email=self.contact_email, name=event.title
        )

    def programme_ics(self, summit_id: int | None = None) -> bytes:
        """Every public event (of one summit, if given), cancelled ones as CANCELLED."""
        from . import calendar

        name = self.get_summit(summit_id).name if summit_id is not None else "Side events"
        events = self.programme(summit_id=summit_id)
        return calendar.calendar_bytes(events, base_url=self.base_url, contact_email=self.contact_email, name=name)

    def registration_ics(self, manage_token: str) -> bytes:
        """The attendee's own file: the event plus their join link and private page."""
        from . import calendar

        registration = self.registration(manage_token)
        event = self.get_event(registration.event_id)
        personal = calendar.Personal(
            manage_url=f"{self.base_url}/ticket?t={manage_token}",
            join_url=event.online_url if event.format in ("online", "hybrid") else None,
        )
        return calendar.calendar_bytes(
            [event], base_url=self.base_url, contact_email=self.contact_email, name=event.title, personal=personal
        )

    # ------------------------------------------------------------------ users and sign-in

    def add_user(self, *, email: str, name: str, password: str, role: str = "organizer") -> User:
        email = check.email(email)
        name = check.text(name, "name", "The name")
        role = check.choice(role, USER_ROLES, "role", "role")
        _check_password(password)
        hashed = security.hash_password(password)
        try:
            with self._db.write() as db:
                user_id = db["users"].insert(
                    {
                        "email": email,
                        "name": name,
                        "role": role,
                        "password_hash": hashed,
                        "created_at": to_db_time(now_utc()),
                    }
                ).last_pk
        except sqlite3.IntegrityError:
            raise ValidationError(f"There is already an account for {email}.", "email") from None
        return self.get_user(user_id)

    def set_password(self, user_id: int, password: str) -> None:
        self.get_user(user_id)
        _check_password(password)
        hashed = security.hash_password(password)
        with self._db.write() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hashed, user_id])
            db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])

    def remove_user(self, user_id: int) -> None:
        """Delete an account (and sign it out everywhere). The last admin cannot be removed."""
        user = self.get_user(user_id)
        with self._db.write() as db:
            if user.is_admin:
                admins = db.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0]
                if admins <= 1:
                    raise ValidationError("This is the only admin account; add another admin first.", None)
            db.execute("DELETE FROM users WHERE id = ?", [user_id])

    def get_user(self, user_id: int) -> User:
        with self._db.read() as db:
            row = db.execute("SELECT id, email, name, role FROM users WHERE id = ?", [_id(user_id)]).fetchone()
        if row is None:
            raise NotFound(f"There is no account with id {user_id}.")
        return User(**dict(row))

    def list_users(self) -> list[User]:
        with self._db.read() as db:
            rows = db.execute("SELECT id, email, name, role FROM users ORDER BY email").fetchall()
        return [User(**dict(r)) for r in rows]

    def has_admin(self) -> bool:
        with self._db.read() as db:
            return db.execute("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1").fetchone() is not None

    def authenticate(self, email: str, password: str) -> User | None:
        """The user with this email and password, or None (also for unknown emails)."""
        if not isinstance(email, str) or not isinstance(password, str):
            return None
        with self._db.read() as db:
            row = db.execute(
                "SELECT id, email, name, role, password_hash FROM users WHERE email = ?",
                [email.strip().lower()],
            ).fetchone()
        stored = row["password_hash"] if row else security.DUMMY_HASH
        if security.verify_password(password, stored) and row is not None:
            return User(row["id"], row["email"], row["name"], row["role"])
        return None

    def start_session(self, user_id: int) -> str:
        """A new sign-in session; the token goes in an HttpOnly cookie, only its hash is kept."""
        self.get_user(user_id)
        token = security.new_token()
        now = to_db_time(now_utc())
        with self._db.write() as db:
            db["sessions"].insert(
                {"token_hash": security.token_hash(token), "user_id": user_id, "created_at": now, "last_seen_at": now}
            )
        return token

    def session_user(self, token: str | None) -> User | None:
        """Who is signed in with this session token, or None if it is unknown or idle for
        more than 12 hours. Use keeps a session alive."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        key = security.token_hash(token)
        with self._db.read() as db:
            row = db.execute(
                "SELECT u.id, u.email, u.name, u.role, s.last_seen_at FROM sessions s"
                " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                [key],
            ).fetchone()
        if row is None:
            return None
        now = now_utc()
        idle = now - from_db_time(row["last_seen_at"])
        if idle > SESSION_IDLE_LIMIT:
            self.end_session(token)
            return None
        if idle > _SESSION_TOUCH_EVERY:
            with self._db.write() as db:
                db.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", [to_db_time(now), key])
        return User(row["id"], row["email"], row["name"], row["role"])

    def end_session(self, token: str | None) -> None:
        if not token:
            return
        with self._db.write() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", [security.token_hash(token)])

    def issue_sign_in_code(self, user_id: int) -> str:
        """A single-use code, valid two minutes, that the sign-in route swaps for a session
        cookie. (A Streamlit page cannot set cookies; a plain HTTP route can.)"""
        self.get_user(user_id)
        code = security.new_token()
        with self._db.write() as db:
            db.execute("DELETE FROM sign_in_codes WHERE expires_at < ?", [to_db_time(now_utc())])
            db["sign_in_codes"].insert(
                {
                    "code_hash": security.token_hash(code),
                    "user_id": user_id,
                    "expires_at": to_db_time(now_utc() + SIGN_IN_CODE_LIFETIME),
                }
            )
        return code

    def redeem_sign_in_code(self, code: str | None) -> str | None:
        """Swap a sign-in code for a new session token; None if unknown, used or expired."""
        if not code or not isinstance(code, str) or len(code) > 200:
            return None
        with self._db.write() as db:
            row = db.execute(
                "SELECT user_id, expires_at FROM sign_in_codes WHERE code_hash = ?", [security.token_hash(code)]
            ).fetchone()
            db.execute("DELETE FROM sign_in_codes WHERE code_hash = ?", [security.token_hash(code)])
        if row is None or from_db_time(row["expires_at"]) < now_utc():
            return None
        return self.start_session(row["user_id"])


# ---------------------------------------------------------------------- helpers


def _no_formula(text: str) -> str:
    """Text a spreadsheet app will not run as a formula ("=HYPERLINK(…)", "+1 555…")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _check_password(password) -> None:
    if not isinstance(password, str) or len(password) < 10:
        raise ValidationError("Use a password of at least 10 characters.", "password")
    if len(password) > 1000:
        raise ValidationError("That password is too long (at most 1,000 characters).", "password")


def _id(value) -> int:
    """Ids are whole numbers; digit strings (from URLs) are accepted too.

    Anything SQLite cannot hold as an integer (2**63 and up) names nothing, so it is
    NotFound here rather than an OverflowError from the driver.
    """
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 19:
        number = int(value)
    if number is None or not 0 <= number < 2**63:
        raise NotFound(f"“{str(value)[:40]}” is not a valid id.")
    return number


@functools.lru_cache(maxsize=1024)
def _qr_png(url: str) -> bytes:
    """A QR code PNG (about 10 ms to draw). A ticket's URL never changes, so the private page
    reruns (saving details, the cancel step) and the rush draw each code once."""
    import io

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=12, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def _calendar_changed(db, where: str, params: list, **set_also) -> None:
    """Events whose calendar entry changed through their room, venue or summit: their
    SEQUENCE grows and LAST-MODIFIED moves, so subscribed calendars take the new place or
    time. Their ``version`` stays: an organizer editing one meanwhile has lost nothing."""
    assignments = "".join(f", {column} = ?" for column in set_also)
    db.execute(
        f"UPDATE events SET sequence = sequence + 1, updated_at = ?{assignments} WHERE {where}",
        [to_db_time(now_utc()), *set_also.values(), *params],
    )


def _reject_unknown(changes: dict, known: dict) -> None:
    unknown = set(changes) - set(known)
    if unknown:
        raise ValidationError(f"Unknown field: {', '.join(sorted(unknown))}.", sorted(unknown)[0])


def _copy_title(title: str) -> str:
    copy = f"{title} (copy)"
    return copy if len(copy) <= check.TITLE_MAX else title


def _check_speakers(speakers) -> list[dict]:
    if speakers is None:
        return []
    result = []
    for n, s in enumerate(speakers, start=1):
        if not isinstance(s, dict):
            raise ValidationError(f"Speaker {n} must be given as name, affiliation, email and role.", "speakers")
        name = check.text(s.get("name"), "speakers", f"Speaker {n}'s name")
        result.append(
            {
                "name": name,
                "affiliation": check.text(
                    s.get("affiliation"), "speakers", f"{name}'s affiliation", required=False
                ),
                "email": check.email(s.get("email"), "speakers", required=False),
                "role": check.choice(s.get("role") or "speaker", SPEAKER_ROLES, "speakers", "speaker role"),
            }
        )
    return result


def _check_organizations(organizations) -> list[dict]:
    if organizations is None:
        return []
    result, seen = [], set()
    for n, o in enumerate(organizations, start=1):
        if not isinstance(o, dict):
            raise ValidationError(f"Organization {n} must be given as a name and a role.", "organizations")
        name = check.text(o.get("name"), "organizations", f"Organization {n}'s name")
        role = check.choice(o.get("role") or "co-sponsor", ORGANIZATION_ROLES, "organizations", "organization role")
        if (match_key(name), role) in seen:
            continue
        seen.add((match_key(name), role))
        result.append({"name": name, "role": role})
    return result


def _event_columns(fields: dict) -> dict:
    return {
        "title": fields["title"],
        "description": fields["description"],
        "summit_id": fields["summit_id"],
        "room_id": fields["room_id"],
        "online_url": fields["online_url"],
        "format": fields["format"],
        "timezone": fields["timezone"],
        "starts_at": to_db_time(fields["starts_at"]),
        "ends_at": to_db_time(fields["ends_at"]),
        "capacity": fields["capacity"],
    }


def _event_as_fields(event: Event) -> dict:
    return {
        "title": event.title,
        "description": event.description,
        "summit_id": event.summit_id,
        "room_id": event.room_id,
        "online_url": event.online_url,
        "format": event.format,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "capacity": None if event.capacity_is_default else event.capacity,
        "timezone": event.timezone,
        "speakers": [
            {"name": s.name, "affiliation": s.affiliation, "email": s.email, "role": s.role} for s in event.speakers
        ],
        "organizations": [{"name": o.name, "role": o.role} for o in event.organizations],
    }


def _save_people(db, event_id: int, speakers: list[dict]) -> None:
    """Store an event's speakers, re-using the person already known by email or name."""
    db.execute("DELETE FROM event_speakers WHERE event_id = ?", [event_id])
    for position, s in enumerate(speakers):
        key = match_key(s["name"])
        row = None
        if s["email"]:
            row = db.execute("SELECT id FROM people WHERE email = ?", [s["email"]]).fetchone()
            if row is None:
                row = db.execute(
                    "SELECT id FROM people WHERE name_key = ? AND email IS NULL ORDER BY id LIMIT 1", [key]
                ).fetchone()
        else:
            row = db.execute("SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1", [key]).fetchone()
        if row is None:
            person_id = db["people"].insert(
                {"name": s["name"], "name_key": key, "email": s["email"], "affiliation": s["affiliation"]}
            ).last_pk
        else:
            person_id = row[0]
            db.execute(
                "UPDATE people SET email = coalesce(email, ?),"
                " affiliation = CASE WHEN ? != '' THEN ? ELSE affiliation END WHERE id = ?",
                [s["email"], s["affiliation"], s["affiliation"], person_id],
            )
        db.execute(
            "INSERT INTO event_speakers (event_id, position, person_id, role, affiliation) VALUES (?, ?, ?, ?, ?)",
            [event_id, position, person_id, s["role"], s["affiliation"]],
        )


def _save_organizations(db, event_id: int, organizations: list[dict]) -> None:
    """Store an event's organizations, re-using the organization already known by name."""
    db.execute("DELETE FROM event_organizations WHERE event_id = ?", [event_id])
    for position, o in enumerate(organizations):
        key = match_key(o["name"])
        row = db.execute("SELECT id FROM organizations WHERE name_key = ?", [key]).fetchone()
        org_id = row[0] if row else db["organizations"].insert({"name": o["name"], "name_key": key}).last_pk
        db.execute(
            "INSERT INTO event_organizations (event_id, position, organization_id, role) VALUES (?, ?, ?, ?)",
            [event_id, position, org_id, o["role"]],
        )


def _event_people(db, ids: list[int] | None) -> tuple[dict, dict]:
    """Speakers and organizations of the given events (of all events when ids is None)."""
    where, params = "", []
    if ids is not None:
        where = f"WHERE event_id IN ({','.join('?' * len(ids))})"
        params = ids
    speakers: dict[int, list[Speaker]] = {}
    for r in db.execute(
        "SELECT es.event_id, es.person_id, p.name, es.affiliation, p.email, es.role"
        f" FROM event_speakers es JOIN people p ON p.id = es.person_id {where.replace('event_id', 'es.event_id')}"
        " ORDER BY es.event_id, es.position",
        params,
    ):
        speakers.setdefault(r[0], []).append(Speaker(r[1], r[2], r[3], r[4], r[5]))
    organizations: dict[int, list[EventOrganization]] = {}
    for r in db.execute(
        "SELECT eo.event_id, eo.organization_id, o.name, eo.role FROM event_organizations eo"
        f" JOIN organizations o ON o.id = eo.organization_id {where.replace('event_id', 'eo.event_id')}"
        " ORDER BY eo.event_id, eo.position",
        params,
    ):
        organizations.setdefault(r[0], []).append(EventOrganization(r[1], r[2], r[3]))
    return speakers, organizations


def _summit(row) -> Summit:
    return Summit(
        id=row["id"],
        name=row["name"],
        city=row["city"],
        timezone=row["timezone"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
    )


def _venue(row) -> Venue:
    return Venue(id=row["id"], name=row["name"], address=row["address"], timezone=row["timezone"])


def _event(r, speakers: tuple, organizations: tuple) -> Event:
    venue = room = summit = None
    if r["room_id"] is not None:
        venue = Venue(r["r_venue_id"], r["v_name"], r["v_address"], r["v_timezone"])
        room = Room(r["room_id"], r["r_venue_id"], r["r_name"], r["r_capacity"], r["r_accessibility"], venue)
    if r["summit_id"] is not None:
        summit = Summit(
            r["summit_id"],
            r["s_name"],
            r["s_city"],
            r["s_timezone"],
            date.fromisoformat(r["s_starts_on"]),
            date.fromisoformat(r["s_ends_on"]),
        )
    capacity = r["capacity"] if r["capacity"] is not None else (room.capacity if room else None)
    return Event(
        id=r["id"],
        uid=r["uid"],
        title=r["title"],
        description=r["description"],
        summit_id=r["summit_id"],
        room_id=r["room_id"],
        online_url=r["online_url"],
        format=r["format"],
        timezone=r["timezone"],
        starts_at=from_db_time(r["starts_at"]),
        ends_at=from_db_time(r["ends_at"]),
        capacity=capacity,
        capacity_is_default=r["capacity"] is None,
        status=r["status"],
        cancel_reason=r["cancel_reason"],
        version=r["version"],
        sequence=r["sequence"],
        created_at=from_db_time(r["created_at"]),
        updated_at=from_db_time(r["updated_at"]),
        published_at=from_db_time(r["published_at"]),
        speakers=speakers,
        organizations=organizations,
        room=room,
        venue=venue,
        summit=summit,
    )


def _search_text(event: Event) -> str:
    parts = [event.title, event.description, event.place]
    parts += [f"{s.name} {s.affiliation}" for s in event.speakers]
    parts += [o.name for o in event.organizations]
    if event.summit:
        parts.append(event.summit.name)
    return match_key(" ".join(parts))
