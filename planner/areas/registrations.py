"""Registration rules: seats, the waiting list, and moving people up it.

Every function here runs inside the caller's transaction (``Database.write``: ``BEGIN
IMMEDIATE``; reads may use ``Database.read``), so counting seats and taking one is a single
step: two browsers can never both take the last seat, and a promotion happens in the same
transaction as the cancellation or capacity change that frees the seat.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import clock, security
from .. import validate as check
from ..codes import REGISTRATION_STATUS_LABELS, REGISTRATION_STATUSES
from ..db import from_db_time, insert_row, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import EventCounts, Registration, registration_closed
from ..text import match_key
from . import questions, ticket_codes

NEEDS_MAX = 500
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")  # what security.new_token() makes


def clean_email(value) -> str:
    """The attendee's own address: syntax only (no network look-ups), lower-cased."""
    return check.email(value, "email", own=True)


def _detail_checks(name, organization, needs, name_label) -> dict:
    """Each detail's check, by field, to run (``clean_details``) or to try one by one (``problems``)."""
    return {
        "name": lambda: check.text(name, "name", name_label),
        "organization": lambda: check.text(organization, "organization", N_("Organization"), required=False),
        "needs": lambda: check.long_text(needs, "needs", N_("Access or interpretation needs"), NEEDS_MAX),
    }


def clean_details(name, organization, needs, name_label: str = N_("Your name")) -> dict:
    """The details a person gives, checked. ``name_label`` names the name's field in a refusal:
    "Your name" for the person themselves, "Name" when someone else types it (the door)."""
    return {field: run() for field, run in _detail_checks(name, organization, needs, name_label).items()}


FORM_FIELDS = ("name", "email", "organization", "needs", "proof")  # what a registration form asks, answers aside


def problems(db, event_id: int, *, name, email, organization="", needs="", answers=None) -> list[ValidationError]:
    """Every field of a registration form that ``register`` would refuse, in the form's order
    (name, email, organization, needs, then the first question answered wrongly), so a form can
    mark them all at once; nothing is written and nothing counted."""
    found: list[ValidationError] = []

    def attempt(step):
        try:
            return step()
        except ValidationError as err:
            found.append(err)
            return None

    checks = _detail_checks(name, organization, needs, N_("Your name"))
    attempt(checks["name"])
    attempt(lambda: clean_email(email))
    attempt(checks["organization"])
    cleaned_needs = attempt(checks["needs"])
    attempt(lambda: questions.check_answers(db, event_id, answers, cleaned_needs or ""))
    return found


def event_capacity(db, event_id: int) -> int | None:
    """The event's capacity (its own, else its room's); None means no limit."""
    row = db.execute(
        "SELECT coalesce(e.capacity, r.capacity) FROM events e LEFT JOIN rooms r ON r.id = e.room_id"
        " WHERE e.id = ?",
        [event_id],
    ).fetchone()
    if row is None:
        raise NotFound("no_event", id=event_id)
    return row[0]


# Places an organizer offers beyond the capacity (issue #12, ``reconfirm.py``): confirmations
# and the waiting list's moves count up to capacity + this; the door counts the room's real capacity.
OVERBOOKING = "coalesce((SELECT overbooking FROM reconfirm_settings WHERE event_id = e.id), 0)"


def offered(db, event_id: int) -> int | None:
    """The places confirmed guests may hold: the capacity plus the overbooking allowance
    (``event_capacity`` is what the room holds, for the door); None means no limit."""
    capacity = event_capacity(db, event_id)
    return None if capacity is None else capacity + overbooking(db, event_id)


def overbooking(db, event_id: int) -> int:
    """The places offered beyond the capacity (0 unless the organizer set some)."""
    row = db.execute(f"SELECT {OVERBOOKING} FROM events e WHERE e.id = ?", [event_id]).fetchone()
    return row[0] if row else 0


def count(db, event_id: int, status: str) -> int:
    return db.execute(
        "SELECT count(*) FROM registrations WHERE event_id = ? AND status = ?", [event_id, status]
    ).fetchone()[0]


# A place held for an address that has 30 minutes to confirm it by email (``holds.py``) is
# taken until it lapses or is confirmed: ``LIVE_HOLD`` is that condition, for one ``now``.
LIVE_HOLD = "seat = 1 AND registration_id IS NULL AND expires_at > ?"


def held(db, event_id: int) -> int:
    """Seats held for addresses still confirming by email (not lapsed)."""
    return db.execute(
        f"SELECT count(*) FROM held_places WHERE event_id = ? AND {LIVE_HOLD}",
        [event_id, to_db_time(clock.now())],
    ).fetchone()[0]


def taken(db, event_id: int) -> int:
    """Seats no newcomer can have: confirmed registrations and live holds."""
    return count(db, event_id, "confirmed") + held(db, event_id)


def place_for(db, event_id: int, email: str) -> tuple[int | None, bool]:
    """For a newcomer with ``email``: the id of a registration that address already holds on
    the event (not cancelled), and whether no place is left (``taken`` has reached
    ``offered``; never, without a capacity). One statement, for the registration that holds
    the write turn (issue #17)."""
    row = db.execute(
        "SELECT (SELECT id FROM registrations WHERE event_id = e.id AND email = ? AND status != 'cancelled'),"
        " coalesce(e.capacity, r.capacity) + " + OVERBOOKING + ","
        " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'confirmed')"
        f" + (SELECT count(*) FROM held_places WHERE event_id = e.id AND {LIVE_HOLD})"
        " FROM events e LEFT JOIN rooms r ON r.id = e.room_id WHERE e.id = ?",
        [email, to_db_time(clock.now()), event_id],
    ).fetchone()
    if row is None:
        raise NotFound("no_event", id=event_id)
    return row[0], row[1] is not None and row[2] >= row[1]


def event_state(db, event_id: int):
    """What ``check_open`` and the registration's mode need of the event, in one read
    (``registration_mode``, ``status``, ``ends_at``)."""
    row = db.execute("SELECT registration_mode, status, ends_at FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        raise NotFound("no_event", id=event_id)
    return row


def check_open(db, event_id: int, state=None) -> None:
    """Only published events that have not ended take registrations (``Event.registration_closed``).
    ``state``: the event's ``event_state``, when the caller has just read it."""
    row = state or event_state(db, event_id)
    closed = registration_closed(row["status"], from_db_time(row["ends_at"]), clock.now())
    if closed is not None:
        raise ValidationError(f"registration_closed_{closed}", field="event")


def register(db, event_id: int, *, name, email, organization="", needs="", checkin_key: bytes,
             admit=None, language: str = "en", answers=None, no_photos=False, hide_name=False,
             state=None) -> Registration:
    """Writes. A seat while there is one, else the waiting list. The same email (trimmed, any
    case) on the same event gets its existing registration back with ``already_registered``
    set and no token, and nothing is written: whoever types an address may not own it, so
    only the private link (``update_details``) changes a registration. ``admit(event_id)``, if
    given, is asked once the input is valid and the event open (the flood limits of
    ``planner/ratelimit.py``: it raises ``TooManyRequests`` to refuse). ``answers`` and the
    privacy choices are checked and written with it (``questions.py``)."""
    event_id = check.id(event_id)
    details = clean_details(name, organization, needs)
    email = clean_email(email)
    privacy = questions.check_privacy(no_photos, hide_name)
    check_open(db, event_id, state)
    checked = questions.check_answers(db, event_id, answers, details["needs"])
    if admit is not None:
        admit(event_id)
    existing, full = place_for(db, event_id, email)
    if existing:
        (found,) = load(db, "WHERE r.id = ?", [existing])
        # Typing an address is not owning it: nothing of the person comes back but the fact
        # (no name, needs or organization, and no check-in code, which is their ticket).
        return replace(found, name="", organization="", needs="", checkin_code=None, checked_in_at=None,
                       checked_in_door=None, already_registered=True, answer_items=(), no_photos=False,
                       hide_name=False)
    status = "waitlisted" if full else "confirmed"
    registration_id, token = _insert(db, event_id, details, email, status, language, checkin_key, privacy)
    questions.add_answers(db, registration_id, checked)
    (created,) = load(db, "WHERE r.id = ?", [registration_id], token, answers=bool(checked))
    return created


def insert(db, event_id: int, details: dict, email: str, status: str, language: str,
           checkin_key: bytes) -> Registration:
    """Writes one registration (details and email already checked), with its check-in code
    and private link; returns it with its ``manage_token``."""
    registration_id, token = _insert(db, event_id, details, email, status, language, checkin_key)
    (created,) = load(db, "WHERE r.id = ?", [registration_id], token)
    return created


def _insert(db, event_id: int, details: dict, email: str, status: str, language: str, checkin_key: bytes,
            privacy: tuple[bool, bool] = (False, False)) -> tuple[int, str]:
    """``insert`` without reading the registration back: its id and private link's token."""
    now = to_db_time(clock.now())
    registration_id = insert_row(db, "registrations", {
        "event_id": event_id, **details, "email": email, "status": status,
        "token_hash": security.token_hash(security.new_token()),  # replaced by the derived link below
        "link_derived": 1, "language": language, "no_photos": int(privacy[0]), "hide_name": int(privacy[1]),
        "created_at": now, "updated_at": now, "confirmed_at": now if status == "confirmed" else None,
    })
    return registration_id, set_code(db, registration_id, checkin_key)


def set_code(db, registration_id: int, checkin_key: bytes) -> str:
    """Writes the registration's check-in code and private link (both HMACs of its id, with
    labels of their own); returns the private link's token. A registration made before links
    were derived keeps its first link working (``old_token_hash``)."""
    token = ticket_codes.link_token(checkin_key, registration_id)
    db.execute(
        "UPDATE registrations SET checkin_code = ?,"
        " old_token_hash = CASE WHEN link_derived = 0 THEN token_hash ELSE old_token_hash END,"
        " token_hash = ?, link_derived = 1 WHERE id = ?",
        [ticket_codes.code_for(checkin_key, registration_id), security.token_hash(token), registration_id],
    )
    return token


def private_token(db, registration_id: int, checkin_key: bytes) -> str:
    """The private link token of a registration (for a message to its owner)."""
    return ticket_codes.link_token(checkin_key, registration_id)


def by_token(db, manage_token) -> Registration:
    """The registration a private link names; NotFound for unknown or malformed tokens."""
    if not isinstance(manage_token, str) or not TOKEN_SHAPE.fullmatch(manage_token):
        raise NotFound("registration_not_found")
    hashed = security.token_hash(manage_token)
    found = load(db, "WHERE r.token_hash = ? OR r.old_token_hash = ?", [hashed, hashed], manage_token)
    if not found:
        raise NotFound("registration_not_found")
    return found[0]


def by_id(db, registration_id) -> Registration:
    found = load(db, "WHERE r.id = ?", [check.id(registration_id)])
    if not found:
        raise NotFound("no_registration", id=registration_id)
    return found[0]


def update_details(db, manage_token: str, changes: dict) -> Registration:
    """Writes name, organization or needs (the email is the registration's identity), the
    answers (those left out stay) and the privacy choices (``questions.py``)."""
    from .catalog import reject_unknown

    reject_unknown(changes, ("name", "organization", "needs", "answers", "no_photos", "hide_name"))
    current = by_token(db, manage_token)
    if current.status == "cancelled":
        raise ValidationError("registration_cancelled_no_edit", field="status")
    changes = dict(changes)
    answers = changes.pop("answers", None)
    privacy = questions.check_privacy(changes.pop("no_photos", current.no_photos),
                                      changes.pop("hide_name", current.hide_name))
    merged = {"name": current.name, "organization": current.organization, "needs": current.needs, **changes}
    details = clean_details(**merged)
    if answers is not None or "needs" in changes:
        checked = questions.check_answers(db, current.event_id, answers or {}, details["needs"],
                                          current=current.answers)
        questions.save_answers(db, current.id, current.event_id, checked)
    questions.set_privacy(db, current.id, *privacy)
    db.execute(
        "UPDATE registrations SET name = ?, organization = ?, needs = ?, updated_at = ? WHERE id = ?",
        [details["name"], details["organization"], details["needs"], to_db_time(clock.now()), current.id],
    )
    return by_token(db, manage_token)


def cancel(db, registration: Registration) -> list[int]:
    """Writes. Gives up the seat (or waiting-list place); returns the ids of the people moved
    up into it, in the same transaction."""
    if registration.status == "cancelled":
        return []
    now = to_db_time(clock.now())
    db.execute(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
        [now, now, registration.id],
    )
    return promote(db, registration.event_id)


def promote(db, event_id: int) -> list[int]:
    """Writes. Fill free seats from the waiting list, first come first served. Returns the ids
    moved up (so whoever caused it can tell them). A cancelled event moves nobody up: its
    places are not going to happen."""
    status = db.execute("SELECT status FROM events WHERE id = ?", [event_id]).fetchone()
    if status is not None and status[0] == "cancelled":
        return []
    moved = would_promote(db, event_id, offered(db, event_id))
    now = to_db_time(clock.now())
    for registration_id in moved:
        db.execute(
            "UPDATE registrations SET status = 'confirmed', confirmed_at = ?, updated_at = ? WHERE id = ?",
            [now, now, registration_id],
        )
    return moved


def would_promote(db, event_id: int, capacity: int | None) -> list[int]:
    """The waiting-list ids a capacity would move up (nothing is written)."""
    waiting = db.execute(
        "SELECT id FROM registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY id", [event_id]
    ).fetchall()
    free = len(waiting) if capacity is None else capacity - taken(db, event_id)
    return [row[0] for row in waiting[: max(free, 0)]]


def listing(db, event_id: int, status: str | None = None, query: str | None = None) -> list[Registration]:
    """An event's registrations in arrival order; ``query`` keeps those whose name, email or
    organization hold every word, ignoring case and accents."""
    where, params = "WHERE r.event_id = ?", [event_id]
    if status is not None:
        where += " AND r.status = ?"
        params.append(check.choice(status, REGISTRATION_STATUSES, "status", N_("Status"), REGISTRATION_STATUS_LABELS))
    found = load(db, where, params)
    words = match_key(query).split() if isinstance(query, str) else []
    return [r for r in found if all(w in match_key(f"{r.name} {r.email} {r.organization}") for w in words)]


def counts(db, event_id: int) -> EventCounts:
    """Confirmed, waitlisted and cancelled registrations and the capacity, in one query."""
    row = db.execute(
        "SELECT coalesce(e.capacity, r.capacity),"
        " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'confirmed'),"
        " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'waitlisted'),"
        " (SELECT count(*) FROM registrations WHERE event_id = e.id AND status = 'cancelled'),"
        f" (SELECT count(*) FROM held_places WHERE event_id = e.id AND {LIVE_HOLD}), {OVERBOOKING}"
        " FROM events e LEFT JOIN rooms r ON r.id = e.room_id WHERE e.id = ?",
        [to_db_time(clock.now()), event_id],
    ).fetchone()
    if row is None:
        raise NotFound("no_event", id=event_id)
    return EventCounts(confirmed=row[1], waitlisted=row[2], cancelled=row[3], capacity=row[0], held=row[4],
                       overbooking=row[5])


def all_counts(db) -> dict[int, EventCounts]:
    """Counts for every event in one query (the organizer's events table)."""
    rows = db.execute(
        "SELECT e.id, coalesce(e.capacity, r.capacity) AS capacity,"
        " sum(g.status = 'confirmed') AS confirmed, sum(g.status = 'waitlisted') AS waitlisted,"
        f" sum(g.status = 'cancelled') AS cancelled, {OVERBOOKING} AS overbooking"
        " FROM events e LEFT JOIN rooms r ON r.id = e.room_id"
        " LEFT JOIN registrations g ON g.event_id = e.id GROUP BY e.id"
    ).fetchall()
    holds = dict(db.execute(
        f"SELECT event_id, count(*) FROM held_places WHERE {LIVE_HOLD} GROUP BY event_id", [to_db_time(clock.now())]
    ).fetchall())
    return {
        row["id"]: EventCounts(confirmed=row["confirmed"] or 0, waitlisted=row["waitlisted"] or 0,
                               cancelled=row["cancelled"] or 0, capacity=row["capacity"], held=holds.get(row["id"], 0),
                               overbooking=row["overbooking"])
        for row in rows
    }


def load(db, where: str, params: list, token: str | None = None, answers: bool = True) -> list[Registration]:
    """The registrations ``where`` picks, with their answers (``answers=False``: known to have none)."""
    rows = db.execute(
        "SELECT r.*, CASE WHEN r.status = 'waitlisted' THEN"
        " (SELECT count(*) FROM registrations w WHERE w.event_id = r.event_id"
        "  AND w.status = 'waitlisted' AND w.id <= r.id) END AS position,"
        " (e.format != 'online' AND e.status != 'cancelled') AS event_has_door"
        f" FROM registrations r JOIN events e ON e.id = r.event_id {where} ORDER BY r.id",
        params,
    ).fetchall()
    found = [
        Registration(
            id=r["id"], event_id=r["event_id"], name=r["name"], email=r["email"],
            organization=r["organization"], needs=r["needs"], status=r["status"], position=r["position"],
            created_at=from_db_time(r["created_at"]), updated_at=from_db_time(r["updated_at"]),
            manage_token=token, checkin_code=r["checkin_code"], checked_in_at=from_db_time(r["checked_in_at"]),
            checked_in_door=r["checked_in_door"], walk_in=bool(r["walk_in"]),
            event_has_door=bool(r["event_has_door"]), language=r["language"], messages_off=bool(r["messages_off"]),
            no_photos=bool(r["no_photos"]), hide_name=bool(r["hide_name"]),
        )
        for r in rows
    ]
    return questions.attach(db, found) if answers else found
