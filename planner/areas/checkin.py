"""The door: check-in by code or by name, walk-ins, undoing, the headcount, door passes.

A check-in is one ``BEGIN IMMEDIATE`` transaction: the same code at two doors at the same
moment gives exactly one "checked_in" and one "already_checked_in". Every scan, refused ones
too, is recorded with its door and verdict (a code of ``codes.CHECKIN_VERDICTS``). A refused
ticket is an answer for the door, so ``check_in`` returns its verdict, never an exception —
an event cancelled meanwhile included ("event_cancelled"). Writing functions run inside the
caller's transaction.
"""

from __future__ import annotations

from dataclasses import replace

from .. import clock, security
from .. import validate as check
from ..db import from_db_time, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import Attendance, CheckInResult, DoorPass, Registration, Scan
from ..text import match_key
from . import registrations, security_list, ticket_codes

DOOR_MAX = 100


def door_name(value, field: str = "door") -> str:
    return check.text(value, field, N_("Door name"), max_length=DOOR_MAX)


def check_in(db, scanned, event_id: int, door: str, anyway: bool = False) -> CheckInResult:
    """Writes. Let a guest in at most once; ``scanned`` is the QR code's URL, the bare code or
    a typed one. At an event cancelled meanwhile the scan is recorded and refused ("event_cancelled").
    A confirmed guest missing from the security list sent to the host (``security_list``) is
    not let in ("not_on_security_list"), unless ``anyway`` ("let_in_anyway")."""
    code = ticket_codes.normalize(scanned)
    now = to_db_time(clock.now())
    event = db.execute("SELECT status FROM events WHERE id = ?", [event_id]).fetchone()
    if event is None:
        raise NotFound("no_event", id=event_id)
    found = registrations.load(db, "WHERE r.checkin_code = ?", [code]) if code else []
    registration = found[0] if found else None
    if event["status"] == "cancelled":
        # Refused below, but recorded like every scan: the organizer sees who still came.
        result = CheckInResult("event_cancelled", registration)
    else:
        result = _verdict(db, registration, event_id)
    if result.verdict == "checked_in" and security_list.not_on_list(db, registration):  # issue #12
        result = CheckInResult("let_in_anyway" if anyway else "not_on_security_list", registration)
    if result.verdict in ("checked_in", "let_in_anyway") and room_is_full(db, event_id):
        result = CheckInResult("room_full", registration)  # the ticket stays good for when there is room
    if result.verdict in ("checked_in", "let_in_anyway"):
        db.execute(
            "UPDATE registrations SET checked_in_at = ?, checked_in_door = ?, updated_at = ?"
            " WHERE id = ? AND checked_in_at IS NULL",
            [now, door, now, registration.id],
        )
        result = replace(result, registration=registrations.by_id(db, registration.id))
    record_scan(db, event_id, registration.id if registration else None, door, result.verdict, now)
    return result


def inside(db, event_id: int) -> int:
    """Everyone let in at the door so far, walk-ins included (nobody is counted out)."""
    return db.execute(
        "SELECT count(*) FROM registrations WHERE event_id = ? AND status = 'confirmed' AND checked_in_at IS NOT NULL",
        [event_id],
    ).fetchone()[0]


def room_is_full(db, event_id: int) -> bool:
    """The door counts people inside against the room's real capacity (``event_capacity``),
    never the places offered beyond it (issue #12): overbooking fills the list, not the room."""
    capacity = registrations.event_capacity(db, event_id)
    return capacity is not None and inside(db, event_id) >= capacity


def _verdict(db, registration: Registration | None, event_id: int) -> CheckInResult:
    if registration is None:
        return CheckInResult("invalid")
    if registration.event_id != event_id:
        title = db.execute("SELECT title FROM events WHERE id = ?", [registration.event_id]).fetchone()[0]
        return CheckInResult("wrong_event", registration, ticket_event_title=title)
    if registration.status in ("cancelled", "waitlisted"):
        return CheckInResult(registration.status, registration)
    if registration.checked_in_at is not None:
        return CheckInResult("already_checked_in", registration, registration.checked_in_at,
                             registration.checked_in_door)
    return CheckInResult("checked_in", registration)


def record_scan(db, event_id: int, registration_id: int | None, door: str, verdict: str, at: str) -> None:
    """Writes one line of the door's record."""
    db["scans"].insert(
        {"event_id": event_id, "registration_id": registration_id, "door": door, "verdict": verdict, "scanned_at": at}
    )


def undo(db, registration_id) -> tuple[Registration, list[int]]:
    """Writes. Takes back a check-in made by mistake; an undone walk-in is cancelled (and its
    seat goes to the waiting list: the ids moved up come back too)."""
    registration = registrations.by_id(db, registration_id)
    if registration.checked_in_at is None:
        raise ValidationError("not_checked_in", field="registration_id", name=registration.name)
    now = to_db_time(clock.now())
    status = "cancelled" if registration.walk_in else registration.status
    db.execute(
        "UPDATE registrations SET checked_in_at = NULL, checked_in_door = NULL, status = ?, updated_at = ?,"
        " cancelled_at = CASE WHEN ? = 'cancelled' THEN ? ELSE cancelled_at END WHERE id = ?",
        [status, now, status, now, registration.id],
    )
    record_scan(db, registration.event_id, registration.id, registration.checked_in_door or "", "undone", now)
    moved = registrations.promote(db, registration.event_id) if status == "cancelled" else []
    return registrations.by_id(db, registration.id), moved


def walk_in(db, event_id: int, *, name, email, organization, force: bool, door: str, checkin_key: bytes) -> Registration:
    """Writes. Registers and checks in a guest at the door. Walk-ins take seats like confirmed
    registrations: past the places offered (capacity and overbooking) it is refused unless
    ``force`` is set, and so it is when the people inside fill the room's real capacity (the
    door's own eyes decide: someone may have left)."""
    details = registrations.clean_details(name, organization, "", name_label=N_("Name"))  # a volunteer types it
    email = registrations.clean_email(email) if isinstance(email, str) and email.strip() else ""
    event = db.execute("SELECT status FROM events WHERE id = ?", [event_id]).fetchone()
    if event is None:
        raise NotFound("no_event", id=event_id)
    if event["status"] != "published":
        raise ValidationError(
            "walk_in_event_cancelled" if event["status"] == "cancelled" else "walk_in_event_draft", field="event"
        )
    if email and registrations.load(
        db, "WHERE r.event_id = ? AND r.email = ? AND r.status != 'cancelled'", [event_id, email]
    ):
        # Say no more than that: a door link must not tell whose address this is.
        raise ValidationError("walk_in_email_taken", field="email")
    capacity = registrations.event_capacity(db, event_id)
    if room_is_full(db, event_id) and not force:  # the room's real capacity, not the places offered
        raise ValidationError("walk_in_room_full", field="capacity", capacity=capacity)
    offered = registrations.offered(db, event_id)  # confirmed guests may still arrive
    taken = registrations.taken(db, event_id)  # places held for a confirmation by email too
    if offered is not None and taken + 1 > offered and not force:
        raise ValidationError("walk_in_full", field="capacity", taken=taken, capacity=offered)
    now = to_db_time(clock.now())
    registration_id = db["registrations"].insert(
        {
            "event_id": event_id, **details, "email": email, "status": "confirmed",
            "token_hash": security.token_hash(security.new_token()), "link_derived": 1,
            "created_at": now, "updated_at": now, "confirmed_at": now,
            "checked_in_at": now, "checked_in_door": door, "walk_in": 1,
        }
    ).last_pk
    registrations.set_code(db, registration_id, checkin_key)
    record_scan(db, event_id, registration_id, door, "walk_in", now)
    return registrations.by_id(db, registration_id)


def search_guests(db, event_id: int, query) -> list[Registration]:
    """Guests whose name or organization holds every word typed, ignoring case and accents:
    confirmed first, then by name."""
    words = match_key(query if isinstance(query, str) else "").split()
    guests = registrations.load(db, "WHERE r.event_id = ?", [event_id])
    found = [g for g in guests if all(w in match_key(f"{g.name} {g.organization}") for w in words)]
    order = {"confirmed": 0, "waitlisted": 1, "cancelled": 2}
    return sorted(found, key=lambda g: (order[g.status], match_key(g.name)))


def door_guests(db, event_id: int) -> list[Registration]:
    """Everyone expected at the door (confirmed and waiting), sorted by name."""
    guests = registrations.load(db, "WHERE r.event_id = ? AND r.status != 'cancelled'", [event_id])
    return sorted(guests, key=lambda g: match_key(g.name))


def attendance(db, event_id: int) -> Attendance:
    capacity = registrations.event_capacity(db, event_id)
    row = db.execute(
        "SELECT sum(status = 'confirmed' AND walk_in = 0), sum(status = 'confirmed' AND checked_in_at IS NOT NULL),"
        " sum(status = 'confirmed' AND walk_in = 1), sum(status = 'waitlisted')"
        " FROM registrations WHERE event_id = ?",
        [event_id],
    ).fetchone()
    return Attendance(confirmed=row[0] or 0, checked_in=row[1] or 0, walk_ins=row[2] or 0, waitlisted=row[3] or 0,
                      capacity=capacity)


def scans(db, event_id: int) -> list[Scan]:
    rows = db.execute("SELECT * FROM scans WHERE event_id = ? ORDER BY id DESC", [event_id]).fetchall()
    return [Scan(r["id"], r["event_id"], r["registration_id"], r["door"], r["verdict"], from_db_time(r["scanned_at"]))
            for r in rows]


# ---------------------------------------------------------------------- door passes


def create_door_pass(db, event, label, base_url: str) -> DoorPass:
    """Writes. Only published events have doors to open."""
    if event.status != "published":
        raise ValidationError(
            "door_pass_event_cancelled" if event.status == "cancelled" else "door_pass_event_draft", field="event_id"
        )
    pass_id = db["door_passes"].insert(
        {"event_id": event.id, "label": label, "secret": security.new_token(), "created_at": to_db_time(clock.now())}
    ).last_pk
    return door_passes(db, "WHERE id = ?", [pass_id], base_url)[0]


def revoke_door_pass(db, door_pass_id, base_url: str) -> DoorPass:
    """Writes. Revoking twice keeps the first time."""
    door_pass_id = check.id(door_pass_id)
    db.execute("UPDATE door_passes SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
               [to_db_time(clock.now()), door_pass_id])
    found = door_passes(db, "WHERE id = ?", [door_pass_id], base_url)
    if not found:
        raise NotFound("no_door_pass", id=door_pass_id)
    return found[0]


def active_door_pass(db, secret, base_url: str) -> DoorPass | None:
    """The active door pass with this secret, or None (unknown, malformed or revoked)."""
    if not isinstance(secret, str) or not registrations.TOKEN_SHAPE.fullmatch(secret):
        return None
    found = door_passes(db, "WHERE secret = ? AND revoked_at IS NULL", [secret], base_url)
    return found[0] if found else None


def door_passes(db, where: str, params: list, base_url: str) -> list[DoorPass]:
    rows = db.execute(f"SELECT * FROM door_passes {where} ORDER BY id", params).fetchall()
    return [
        DoorPass(id=r["id"], event_id=r["event_id"], label=r["label"], url=f"{base_url}/checkin?pass={r['secret']}",
                 created_at=from_db_time(r["created_at"]), revoked_at=from_db_time(r["revoked_at"]))
        for r in rows
    ]
