"""Registration rules: seats, the waiting list, and moving people up it.

Every function here runs inside the caller's write transaction (``Database.write``:
``BEGIN IMMEDIATE``), so counting seats and taking one is a single step: two browsers can
never both take the last seat, and a promotion happens in the same transaction as the
cancellation or capacity change that frees the seat.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from . import validate as check
from .db import from_db_time, now_utc, to_db_time
from .errors import NotFound, ValidationError
from .models import Registration

NEEDS_MAX = 500


def clean_email(value) -> str:
    """Syntax only (no network look-ups), lower-cased so one person is one address."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Please give your email address.", "email")
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as err:
        raise ValidationError(f"That email address does not look right: {err}", "email") from None
    return checked.normalized.lower()


def clean_details(name, organization, needs) -> dict:
    return {
        "name": check.text(name, "name", "Your name"),
        "organization": check.text(organization, "organization", "The organization", required=False),
        "needs": check.long_text(needs, "needs", "Access or interpretation needs", NEEDS_MAX),
    }


def event_capacity(db, event_id: int) -> int | None:
    """The event's capacity (its own, else its room's); None means no limit."""
    row = db.execute(
        "SELECT coalesce(e.capacity, r.capacity) FROM events e LEFT JOIN rooms r ON r.id = e.room_id"
        " WHERE e.id = ?",
        [event_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no event with id {event_id}.")
    return row[0]


def count(db, event_id: int, status: str) -> int:
    return db.execute(
        "SELECT count(*) FROM registrations WHERE event_id = ? AND status = ?", [event_id, status]
    ).fetchone()[0]


def check_open(db, event_id: int) -> None:
    """Only published events that have not ended take registrations."""
    row = db.execute("SELECT status, ends_at FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no event with id {event_id}.")
    if row["status"] == "cancelled":
        raise ValidationError("This event is cancelled, so it no longer takes registrations.", "event")
    if row["status"] != "published":
        raise ValidationError("This event is not open for registration yet.", "event")
    if from_db_time(row["ends_at"]) <= now_utc():
        raise ValidationError("This event has already taken place, so registration is closed.", "event")


def promote(db, event_id: int) -> list[int]:
    """Fill free seats from the waiting list, first come first served. Returns the ids moved up.

    A cancelled event moves nobody up: its places are not going to happen."""
    status = db.execute("SELECT status FROM events WHERE id = ?", [event_id]).fetchone()
    if status is not None and status[0] == "cancelled":
        return []
    capacity = event_capacity(db, event_id)
    waiting = db.execute(
        "SELECT id FROM registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY id", [event_id]
    ).fetchall()
    if not waiting:
        return []
    free = len(waiting) if capacity is None else capacity - count(db, event_id, "confirmed")
    moved = [row[0] for row in waiting[: max(free, 0)]]
    now = to_db_time(now_utc())
    for registration_id in moved:
        db.execute(
            "UPDATE registrations SET status = 'confirmed', confirmed_at = ?, updated_at = ? WHERE id = ?",
            [now, now, registration_id],
        )
    return moved


def would_promote(db, event_id: int, capacity: int | None) -> list[int]:
    """The waiting-list ids a new capacity would move up (nothing is written)."""
    waiting = db.execute(
        "SELECT id FROM registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY id", [event_id]
    ).fetchall()
    free = len(waiting) if capacity is None else capacity - count(db, event_id, "confirmed")
    return [row[0] for row in waiting[: max(free, 0)]]


def load(db, where: str, params: list, token: str | None = None) -> list[Registration]:
    rows = db.execute(
        "SELECT r.*, CASE WHEN r.status = 'waitlisted' THEN"
        " (SELECT count(*) FROM registrations w WHERE w.event_id = r.event_id"
        "  AND w.status = 'waitlisted' AND w.id <= r.id) END AS position"
        f" FROM registrations r {where} ORDER BY r.id",
        params,
    ).fetchall()
    return [
        Registration(
            id=r["id"],
            event_id=r["event_id"],
            name=r["name"],
            email=r["email"],
            organization=r["organization"],
            needs=r["needs"],
            status=r["status"],
            position=r["position"],
            created_at=from_db_time(r["created_at"]),
            updated_at=from_db_time(r["updated_at"]),
            manage_token=token,
            checkin_code=r["checkin_code"],
            checked_in_at=from_db_time(r["checked_in_at"]),
            checked_in_door=r["checked_in_door"],
            walk_in=bool(r["walk_in"]),
        )
        for r in rows
    ]
