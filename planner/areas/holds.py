"""Places held while an address confirms by email: the *confirmed by email* registration mode
(issue #10).

Why: in the other modes whoever types an address registers it, so anyone can register a
stranger, and the answer tells them whether that address was registered already. In this mode
the form writes no registration. A new address gets a place held for ``HOLD_FOR`` and a
message with a link that confirms it (only the inbox's owner can open it); an address already
registered gets its private link instead; the page says the same sentence every time
(``PendingConfirmation``). The registration is made when the link is opened (``confirm``).

While a hold is live its seat is taken (``registrations.LIVE_HOLD``: the counts, the full
check, the waiting list's moves and the door's walk-ins all see it); a hold made when the
event was full (``seat = 0``) takes nothing and its confirmation joins the waiting list. A
lapsed hold is deleted and its seat goes to the first person waiting (``release``, called by
every delivery pass and by every registration in this mode). The link is an HMAC of the hold's
id (``ticket_codes.hold_token``), so the message can be written when it is sent; the table
keeps only its SHA-256, and hold ids are never used twice. A confirmed hold keeps its id and
its registration's id for ``KEEP_CONFIRMED`` (its personal details are cleared at once), so a
second click on the link shows the same registration.

Every function runs inside the caller's ``BEGIN IMMEDIATE`` (``Database.write``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import clock, security
from .. import validate as check
from ..db import from_db_time, to_db_time
from ..errors import NotFound
from ..models import Registration
from . import outbox, questions, recovery, registrations, ticket_codes

HOLD_FOR = timedelta(minutes=30)
MESSAGES_PER_HOLD = 3  # the first message and two more for someone who asks again while it is held
KEEP_CONFIRMED = timedelta(days=7)  # a confirmed link still shows its registration this long after it lapsed


def request(db, event_id, *, name, email, organization, needs, admit, language: str, checkin_key: bytes,
            domain: str, answers=None, no_photos=False, hide_name=False) -> str:
    """Writes. Checks the input and the flood limits (``admit``) as ``registrations.register``
    does, then: an address already registered gets its private link by email
    (``recovery.request_links``); one already holding a live place gets its confirmation
    link again (at most ``MESSAGES_PER_HOLD`` messages per hold); a new one gets a place held
    (a seat if one is free, counting live holds) and a ``confirm_email`` message. Returns
    "registered", "held" or "new", for tests only: pages must answer the same each time."""
    event_id = check.id(event_id)
    details = registrations.clean_details(name, organization, needs)
    email = registrations.clean_email(email)
    privacy = questions.check_privacy(no_photos, hide_name)
    registrations.check_open(db, event_id)
    checked = questions.check_answers(db, event_id, answers, details["needs"])
    if admit is not None:
        admit(event_id)
    now = clock.now()
    if db.execute("SELECT 1 FROM registrations WHERE event_id = ? AND email = ? AND status != 'cancelled'",
                  [event_id, email]).fetchone():
        recovery.request_links(db, email, event_id, now, language=language, domain=domain)
        return "registered"
    live = db.execute(
        "SELECT id FROM held_places WHERE event_id = ? AND email = ? AND registration_id IS NULL AND expires_at > ?",
        [event_id, email, to_db_time(now)],
    ).fetchone()
    if live is not None:
        sent = db.execute(
            "SELECT count(*) FROM outbox WHERE kind = 'confirm_email' AND event_id = ?"
            " AND json_extract(data, '$.hold_id') = ?", [event_id, live[0]],
        ).fetchone()[0]
        if sent < MESSAGES_PER_HOLD:  # the details typed this time change nothing
            _tell(db, live[0], domain)
        return "held"
    capacity = registrations.offered(db, event_id)
    seat = capacity is None or (
        registrations.taken(db, event_id) < capacity and registrations.count(db, event_id, "waitlisted") == 0)
    hold_id = db["held_places"].insert({
        "event_id": event_id, "email": email, **details, "language": language, "seat": int(seat),
        "answers": questions.hold_data(checked, *privacy),
        "created_at": to_db_time(now), "expires_at": to_db_time(now + HOLD_FOR),
        "token_hash": security.token_hash(security.new_token()),  # replaced by the derived link below
    }).last_pk
    db.execute("UPDATE held_places SET token_hash = ? WHERE id = ?",
               [security.token_hash(ticket_codes.hold_token(checkin_key, hold_id)), hold_id])
    _tell(db, hold_id, domain)
    return "new"


def _tell(db, hold_id: int, domain: str) -> int:
    row = db.execute("SELECT event_id, email, name, language FROM held_places WHERE id = ?", [hold_id]).fetchone()
    return outbox.enqueue(db, "confirm_email", recipient=row["email"], recipient_name=row["name"],
                          event_id=row["event_id"], language=row["language"], data={"hold_id": hold_id},
                          domain=domain)


def get(db, hold_id) -> dict | None:
    """A hold as its message is written from (None once it was released or forgotten)."""
    row = db.execute("SELECT * FROM held_places WHERE id = ?", [hold_id]).fetchone()
    if row is None:
        return None
    found = dict(row)
    found["expires_at"] = from_db_time(found["expires_at"])
    return found


def confirm(db, token, checkin_key: bytes) -> tuple[Registration, bool]:
    """Writes. The registration a confirmation link makes (with its ``manage_token``), and
    whether it was made now (False: the link was opened before, or the address registered
    meanwhile). Confirmed if the hold had a seat and it is still there (a capacity lowered
    meanwhile may take it), or if a seat is free and nobody is waiting; else on the waiting
    list. ``NotFound("confirm_link_expired")`` for a lapsed, released, unknown or malformed
    link; ``ValidationError`` if the event closed meanwhile. Refusals write nothing."""
    if not isinstance(token, str) or not registrations.TOKEN_SHAPE.fullmatch(token):
        raise NotFound("confirm_link_expired")
    hold = db.execute("SELECT * FROM held_places WHERE token_hash = ?", [security.token_hash(token)]).fetchone()
    if hold is None:
        raise NotFound("confirm_link_expired")
    if hold["registration_id"] is not None:
        return _with_token(db, hold["registration_id"], checkin_key), False
    if from_db_time(hold["expires_at"]) <= clock.now():
        raise NotFound("confirm_link_expired")
    event_id = hold["event_id"]
    registrations.check_open(db, event_id)
    existing = db.execute(
        "SELECT id FROM registrations WHERE event_id = ? AND email = ? AND status != 'cancelled'",
        [event_id, hold["email"]],
    ).fetchone()
    if existing is not None:  # registered meanwhile (say, while the event was open to all): the inbox owns it
        _settle(db, hold["id"], existing[0])
        return _with_token(db, existing[0], checkin_key), False
    capacity = registrations.offered(db, event_id)
    others_taken = registrations.taken(db, event_id) - hold["seat"]  # this hold's own seat is live, so counted
    free = capacity is None or others_taken < capacity
    if not hold["seat"]:
        free = free and registrations.count(db, event_id, "waitlisted") == 0
    details = {"name": hold["name"], "organization": hold["organization"], "needs": hold["needs"]}
    created = registrations.insert(db, event_id, details, hold["email"], "confirmed" if free else "waitlisted",
                                   hold["language"], checkin_key)
    questions.from_hold(db, created.id, hold["answers"])
    _settle(db, hold["id"], created.id)
    return _with_token(db, created.id, checkin_key), True


def _settle(db, hold_id: int, registration_id: int) -> None:
    """The hold becomes the link's memory of its registration: no seat, no personal details."""
    db.execute(
        "UPDATE held_places SET registration_id = ?, email = '', name = '', organization = '', needs = '',"
        " answers = '{}'"
        " WHERE id = ?",
        [registration_id, hold_id],
    )


def _with_token(db, registration_id: int, checkin_key: bytes) -> Registration:
    (found,) = registrations.load(db, "WHERE r.id = ?", [registration_id],
                                  registrations.private_token(db, registration_id, checkin_key))
    return found


def release(db, now: datetime) -> list[int]:
    """Writes. Deletes the holds that lapsed unconfirmed (and confirmed ones kept long
    enough); returns the events whose seats they freed, for the caller to move their waiting
    lists up (``registrations.promote``) and tell the people moved."""
    lapsed = db.execute(
        "SELECT id, event_id, seat FROM held_places WHERE registration_id IS NULL AND expires_at <= ?",
        [to_db_time(now)],
    ).fetchall()
    if lapsed:
        db.execute(f"DELETE FROM held_places WHERE id IN ({','.join('?' * len(lapsed))})", [r["id"] for r in lapsed])
    db.execute("DELETE FROM held_places WHERE registration_id IS NOT NULL AND expires_at <= ?",
               [to_db_time(now - KEEP_CONFIRMED)])
    return sorted({r["event_id"] for r in lapsed if r["seat"]})
