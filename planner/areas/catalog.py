"""Summits, venues and rooms: where and when events can happen.

Changing what an event's calendar entry shows through them (a room's name, a venue's name,
address or zone, a summit's zone for events without a room) grows those events' SEQUENCE, so
subscribed calendars take the change; a room's new capacity moves its events' waiting lists up.
Writing functions run inside the caller's transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from .. import clock
from .. import validate as check
from ..db import from_db_time, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import Room, Summit, Venue
from ..text import match_key
from . import registrations


# ---------------------------------------------------------------------- summits


def summit_fields(*, name, city, timezone, starts_on, ends_on, stored_zone=None) -> dict:
    starts_on = check.day(starts_on, "starts_on", N_("First day"))
    ends_on = check.day(ends_on, "ends_on", N_("Last day"))
    if ends_on < starts_on:
        raise ValidationError("summit_days_reversed", field="ends_on")
    return {
        "name": check.text(name, "name", N_("Summit name")),
        "city": check.text(city, "city", N_("City"), required=False),
        "timezone": check.timezone(timezone, stored=stored_zone),
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
    }


def add_summit(db, **fields) -> int:
    """Writes. A name another summit has (capitals and accents aside) is refused."""
    checked = summit_fields(**fields)
    refuse_taken(db, "summits", checked["name"], "summit_name_taken")
    return db["summits"].insert(checked).last_pk


def update_summit(db, summit_id: int, changes: dict) -> None:
    """Writes."""
    current = get_summit(db, summit_id)
    merged = {"name": current.name, "city": current.city, "timezone": current.timezone,
              "starts_on": current.starts_on, "ends_on": current.ends_on}
    reject_unknown(changes, merged)
    fields = summit_fields(**{**merged, **changes}, stored_zone=current.timezone)
    refuse_taken(db, "summits", fields["name"], "summit_name_taken", own_id=current.id)
    db["summits"].update(current.id, fields)
    if fields["timezone"] != current.timezone:  # events without a room take the summit's zone
        calendar_changed(db, "summit_id = ? AND room_id IS NULL", [current.id], timezone=fields["timezone"])


def get_summit(db, summit_id) -> Summit:
    row = db.execute("SELECT * FROM summits WHERE id = ?", [check.id(summit_id)]).fetchone()
    if row is None:
        raise NotFound("no_summit", id=summit_id)
    return summit_from_row(row)


def list_summits(db) -> list[Summit]:
    return [summit_from_row(r) for r in db.execute("SELECT * FROM summits ORDER BY starts_on, name").fetchall()]


def summit_from_row(row) -> Summit:
    return Summit(row["id"], row["name"], row["city"], row["timezone"],
                  date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"]))


# ---------------------------------------------------------------------- venues


def venue_fields(*, name, address, timezone, stored_zone=None) -> dict:
    return {
        "name": check.text(name, "name", N_("Venue name")),
        "address": check.text(address, "address", N_("Address"), required=False, max_length=500, one_line=False),
        "timezone": check.timezone(timezone, stored=stored_zone),
    }


def add_venue(db, **fields) -> int:
    """Writes. A name another venue has (capitals and accents aside) is refused."""
    checked = venue_fields(**fields)
    refuse_taken(db, "venues", checked["name"], "venue_name_taken")
    return db["venues"].insert(checked).last_pk


AT_VENUE = "room_id IN (SELECT id FROM rooms WHERE venue_id = ?)"
NOT_ENDED = "ends_at > ?"  # with to_db_time(clock.now()): what a venue's new zone or a room's capacity still moves


def kept_local(moment: datetime, old: ZoneInfo, new: ZoneInfo) -> datetime:
    """The moment (UTC) whose clock in ``new`` reads what ``moment``'s read in ``old``: 17:00
    New York becomes 17:00 London. A reading the new zone skips (its clocks go forward past it)
    becomes the moment as far after the change as the reading was (02:30 on a night the clocks
    jump from 02:00 to 03:00 is 03:30, Python's rule); a reading it has twice (its clocks go
    back) is the first of the two."""
    return moment.astimezone(old).replace(tzinfo=new, fold=0).astimezone(UTC)


def update_venue(db, venue_id: int, changes: dict, keep_local_times: bool | None = None) -> int:
    """Writes. An event's zone is its venue's: a corrected zone carries to its events; name
    and address are in their calendar LOCATION.

    A new zone for a venue that holds events asks what they keep (``ValidationError
    "venue_zone_moves_events"`` while ``keep_local_times`` is None): their local times
    (``True``: 17:00 New York becomes 17:00 London, a zone entered wrongly, put right) or their
    moments (``False``: the same instant, so 22:00 London). Events that have ended keep their
    moment and are not asked about (what happened, happened then). Returns how many events'
    times were rewritten."""
    current = get_venue(db, venue_id)
    merged = {"name": current.name, "address": current.address, "timezone": current.timezone}
    reject_unknown(changes, merged)
    fields = venue_fields(**{**merged, **changes}, stored_zone=current.timezone)
    refuse_taken(db, "venues", fields["name"], "venue_name_taken", own_id=current.id)
    moved = fields["timezone"] != current.timezone
    held = db.execute(f"SELECT id, starts_at, ends_at FROM events WHERE {AT_VENUE} AND {NOT_ENDED}",
                      [current.id, to_db_time(clock.now())]).fetchall() if moved else []
    if moved and held and keep_local_times is None:
        raise ValidationError("venue_zone_moves_events", field="timezone", count=len(held),
                              old=current.timezone, new=fields["timezone"])
    db["venues"].update(current.id, fields)
    if moved and keep_local_times:
        old, new = ZoneInfo(current.timezone), ZoneInfo(fields["timezone"])
        for row in held:  # the same wall clock in the new zone
            shifted = [to_db_time(kept_local(from_db_time(row[c]), old, new)) for c in ("starts_at", "ends_at")]
            db.execute("UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?", [*shifted, row["id"]])
    if (fields["name"], fields["address"], fields["timezone"]) != (current.name, current.address, current.timezone):
        calendar_changed(db, AT_VENUE, [current.id], timezone=fields["timezone"])
    return len(held) if moved and keep_local_times else 0


def get_venue(db, venue_id) -> Venue:
    row = db.execute("SELECT * FROM venues WHERE id = ?", [check.id(venue_id)]).fetchone()
    if row is None:
        raise NotFound("no_venue", id=venue_id)
    return Venue(row["id"], row["name"], row["address"], row["timezone"])


def list_venues(db) -> list[Venue]:
    return [Venue(r["id"], r["name"], r["address"], r["timezone"])
            for r in db.execute("SELECT * FROM venues ORDER BY name").fetchall()]


# ---------------------------------------------------------------------- rooms


def room_fields(*, name, capacity, accessibility) -> dict:
    return {
        "name": check.text(name, "name", N_("Room name")),
        "capacity": check.capacity(capacity, required=True),
        "accessibility": check.long_text(accessibility, "accessibility", N_("Accessibility notes"), 2000),
    }


def add_room(db, *, venue_id, **fields) -> int:
    """Writes. A name another room of the same venue has (capitals and accents aside) is refused."""
    venue = get_venue(db, venue_id)
    checked = room_fields(**fields)
    refuse_taken(db, "rooms", checked["name"], "room_name_taken", venue=venue)
    return db["rooms"].insert({"venue_id": venue.id, **checked}).last_pk


def update_room(db, room_id: int, changes: dict) -> list[int]:
    """Writes. A bigger room moves the waiting lists of its events (those without a
    capacity of their own) up at once: returns who moved up."""
    current = get_room(db, room_id)
    merged = {"name": current.name, "capacity": current.capacity, "accessibility": current.accessibility}
    reject_unknown(changes, merged)
    fields = room_fields(**{**merged, **changes})
    refuse_taken(db, "rooms", fields["name"], "room_name_taken", own_id=current.id, venue=current.venue)
    db["rooms"].update(current.id, fields)
    if fields["name"] != current.name:  # the room's name is in its events' calendar LOCATION
        calendar_changed(db, "room_id = ?", [current.id])
    moved = []
    for (event_id,) in db.execute("SELECT id FROM events WHERE room_id = ? AND capacity IS NULL", [current.id]).fetchall():
        moved += registrations.promote(db, event_id)
    return moved


def get_room(db, room_id) -> Room:
    rooms = _rooms(db, "WHERE r.id = ?", [check.id(room_id)])
    if not rooms:
        raise NotFound("no_room", id=room_id)
    return rooms[0]


def list_rooms(db, venue_id=None) -> list[Room]:
    if venue_id is None:
        return _rooms(db, "", [])
    return _rooms(db, "WHERE r.venue_id = ?", [check.id(venue_id)])


def _rooms(db, where: str, params: list) -> list[Room]:
    rows = db.execute(
        "SELECT r.*, v.name AS v_name, v.address AS v_address, v.timezone AS v_timezone"
        f" FROM rooms r JOIN venues v ON v.id = r.venue_id {where} ORDER BY v.name, r.name",
        params,
    ).fetchall()
    return [
        Room(r["id"], r["venue_id"], r["name"], r["capacity"], r["accessibility"],
             Venue(r["venue_id"], r["v_name"], r["v_address"], r["v_timezone"]))
        for r in rows
    ]


# ---------------------------------------------------------------------- shared


def calendar_changed(db, where: str, params: list, **set_also) -> None:
    """Writes. Events whose calendar entry changed through their room, venue or summit: their
    SEQUENCE grows and LAST-MODIFIED moves, so subscribed calendars take the new place or time.
    Their ``version`` stays: an organizer editing one meanwhile has lost nothing."""
    assignments = "".join(f", {column} = ?" for column in set_also)
    db.execute(
        f"UPDATE events SET sequence = sequence + 1, updated_at = ?{assignments} WHERE {where}",
        [to_db_time(clock.now()), *set_also.values(), *params],
    )


def refuse_taken(db, table: str, name: str, code: str, *, own_id: int | None = None, venue=None) -> None:
    """Two summits, two venues, or two rooms of one venue with the same name (ignoring capitals,
    accents and spacing) are one added twice by mistake, and pickers could not tell them apart:
    refused with ``code``, naming the one that exists. Run inside the writing transaction."""
    where, params = ("WHERE venue_id = ?", [venue.id]) if venue is not None else ("", [])
    key = match_key(name)
    for row_id, existing in db.execute(f"SELECT id, name FROM {table} {where}", params).fetchall():
        if row_id != own_id and match_key(existing) == key:
            raise ValidationError(code, field="name", name=existing, venue=venue.name if venue else "")


def reject_unknown(changes: dict, known) -> None:
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise ValidationError("unknown_field", field=unknown[0], names=", ".join(unknown))
