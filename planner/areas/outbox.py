"""The outbox: every message the planner sends, written in the transaction of the change that
causes it, delivered after that transaction commits (``planner/mail/``).

Every function that writes runs inside the caller's ``BEGIN IMMEDIATE`` (``Database.write``),
so a registration and its confirmation, a promotion and its news, an edit and the update to
its guests commit together or not at all: no confirmed place goes without its message, and a
change rolled back sends nothing. A row holds what to say and to whom (a kind, the event, the
registration, data such as the times before an edit); the message itself is rendered when it
is sent, in the recipient's language and from the latest state, so two quick edits send one
update that shows the latest times.

Delivery (``claim`` / ``mark_*``): a sender claims due rows in its own write transaction
(``status = 'sending'`` with a lease), so two senders (two app processes, or the app and
``python -m planner.mail``) never take the same row; a sender that dies mid-batch leaves
leases that lapse, and its rows are claimed again. A message the SMTP server accepted just
before a crash may be sent twice: SMTP cannot tell us, so this is the one duplicate left
possible (every copy carries the same ``Message-ID``, which mail clients use to fold them).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import clock
from ..codes import MESSAGE_KINDS
from ..db import from_db_time, insert_row, to_db_time
from ..errors import NotFound

# An edit is sent this long after the last change: an organizer fixing a typo twice sends one update.
UPDATE_SETTLE = timedelta(minutes=2)
LEASE = timedelta(minutes=5)  # a claimed row is another sender's again after this, if not marked
# Automatic news about a registration; none of them goes to people added at the door.
AUTOMATIC = ("confirmed", "waitlisted", "moved_up", "event_changed", "event_cancelled", "registration_cancelled",
             "reminder")
# What a cancellation makes pointless if it has not gone out yet.
SUPERSEDED_BY_CANCELLING = ("confirmed", "waitlisted", "moved_up", "event_changed", "reminder")


@dataclass(frozen=True)
class OutboxMessage:
    """One row of the outbox, as organizers see it (``Planner.outbox``)."""

    id: int
    kind: str  # codes.MESSAGE_KINDS
    event_id: int | None
    registration_id: int | None
    recipient: str
    recipient_name: str
    language: str
    data: dict
    status: str  # codes.OUTBOX_STATUSES: waiting, sending, sent, failed, skipped
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: str
    created_at: datetime
    sent_at: datetime | None
    batch: str | None = None
    ical_method: str | None = None
    ical_sequence: int | None = None
    claimed_until: datetime | None = None


def new_message_id(domain: str) -> str:
    """An RFC 5322 Message-ID, fixed when the row is written (a retry resends the same one)."""
    return f"<{secrets.token_hex(16)}@{domain}>"


def enqueue(db, kind: str, *, recipient: str, domain: str, recipient_name: str = "", event_id: int | None = None,
            registration_id: int | None = None, language: str = "en", data: dict | None = None,
            delay: timedelta = timedelta(0), batch: str | None = None) -> int:
    """Writes one message to the outbox (inside the caller's transaction); returns its id."""
    assert kind in MESSAGE_KINDS, kind
    now = clock.now()
    return insert_row(db, "outbox", {
        "kind": kind, "event_id": event_id, "registration_id": registration_id, "recipient": recipient,
        "recipient_name": recipient_name, "language": language, "data": json.dumps(data or {}, sort_keys=True),
        "status": "waiting", "attempts": 0, "next_attempt_at": to_db_time(now + delay),
        "message_id": new_message_id(domain), "batch": batch,
        "created_at": to_db_time(now), "updated_at": to_db_time(now),
    })


def _registration_row(db, registration_id: int):
    return db.execute(
        "SELECT id, event_id, name, email, language, status, walk_in, messages_off FROM registrations WHERE id = ?",
        [registration_id],
    ).fetchone()


def tell(db, registration_id: int, kind: str, *, domain: str, data: dict | None = None,
         delay: timedelta = timedelta(0), row=None) -> int | None:
    """Writes ``kind`` for one registration to its owner, in their language. People added at
    the door, and registrations without an address, get no automatic messages; people who
    turned them off get no reminders. ``row``: the registration's fields, when the caller has
    them (``_registration_row``'s)."""
    row = row or _registration_row(db, registration_id)
    if row is None or not row["email"] or (kind in AUTOMATIC and row["walk_in"]):
        return None
    if kind == "reminder" and row["messages_off"]:
        return None
    return enqueue(db, kind, recipient=row["email"], recipient_name=row["name"], event_id=row["event_id"],
                   registration_id=row["id"], language=row["language"], data=data, delay=delay, domain=domain)


def drop_waiting(db, *, registration_id: int | None = None, event_id: int | None = None, kinds=()) -> int:
    """Writes: rows of these kinds not yet sent (nor being sent) become 'skipped'."""
    where, params = ["status = 'waiting'", f"kind IN ({','.join('?' * len(kinds))})"], list(kinds)
    if registration_id is not None:
        where.append("registration_id = ?")
        params.append(registration_id)
    if event_id is not None:
        where.append("event_id = ?")
        params.append(event_id)
    cursor = db.execute(
        f"UPDATE outbox SET status = 'skipped', last_error = 'superseded', updated_at = ? WHERE {' AND '.join(where)}",
        [to_db_time(clock.now()), *params],
    )
    return cursor.rowcount


def registered(db, registration_id: int, status: str, *, domain: str, registration=None) -> None:
    """A new registration: its confirmation (with the ticket) or its waiting-list place.
    ``registration``: the one just written and read back (not read a third time)."""
    tell(db, registration_id, "confirmed" if status == "confirmed" else "waitlisted", domain=domain,
         row=None if registration is None else {
             "id": registration.id, "event_id": registration.event_id, "name": registration.name,
             "email": registration.email, "language": registration.language, "status": registration.status,
             "walk_in": registration.walk_in, "messages_off": registration.messages_off})


def moved_up(db, registration_ids: list[int], *, domain: str) -> None:
    """People just moved up from a waiting list: a place is theirs (with the ticket)."""
    for registration_id in registration_ids:
        drop_waiting(db, registration_id=registration_id, kinds=("waitlisted",))
        tell(db, registration_id, "moved_up", domain=domain)


def registration_cancelled(db, registration_id: int, *, by: str, domain: str) -> None:
    """``by``: "guest" (through the private link) or "organizer"."""
    drop_waiting(db, registration_id=registration_id, kinds=SUPERSEDED_BY_CANCELLING)
    tell(db, registration_id, "registration_cancelled", data={"by": by}, domain=domain)


def _guests(db, event_id: int, statuses=("confirmed", "waitlisted")) -> list[int]:
    return [r[0] for r in db.execute(
        f"SELECT id FROM registrations WHERE event_id = ? AND status IN ({','.join('?' * len(statuses))})"
        " AND walk_in = 0 AND email != '' ORDER BY id",
        [event_id, *statuses],
    ).fetchall()]


def audience(db, event_id: int, groups: set[str]) -> list[int]:
    """The registrations an organizer's message to ``groups`` (``codes.MESSAGE_AUDIENCES``)
    reaches, each once, in arrival order: those with an address who did not turn messages off."""
    conditions = {
        "confirmed": "status = 'confirmed'",
        "waitlisted": "status = 'waitlisted'",
        "checked_in": "(status = 'confirmed' AND checked_in_at IS NOT NULL)",
    }
    return [r[0] for r in db.execute(
        "SELECT id FROM registrations WHERE event_id = ? AND email != '' AND messages_off = 0"
        f" AND ({' OR '.join(conditions[g] for g in sorted(groups))}) ORDER BY id", [event_id],
    ).fetchall()]


def event_changed(db, event_id: int, before: dict, *, domain: str) -> None:
    """The time, place or title of a published event changed: one update per guest. A change
    soon after another merges into the update still waiting (it keeps the oldest "before",
    and shows the latest state when it is sent)."""
    now = clock.now()
    waiting = {r[0]: r[1] for r in db.execute(
        "SELECT registration_id, id FROM outbox WHERE event_id = ? AND kind = 'event_changed' AND status = 'waiting'",
        [event_id],
    ).fetchall()}
    for registration_id in _guests(db, event_id):
        if registration_id in waiting:
            db.execute("UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE id = ?",
                       [to_db_time(now + UPDATE_SETTLE), to_db_time(now), waiting[registration_id]])
        else:
            tell(db, registration_id, "event_changed", data={"before": before}, delay=UPDATE_SETTLE, domain=domain)


def event_cancelled(db, event_id: int, *, domain: str) -> None:
    """Everyone confirmed or waiting hears that the event is cancelled (with the reason)."""
    drop_waiting(db, event_id=event_id, kinds=SUPERSEDED_BY_CANCELLING)
    for registration_id in _guests(db, event_id):
        tell(db, registration_id, "event_cancelled", domain=domain)


def schedule_reminders(db, now: datetime, *, domain: str) -> int:
    """Writes a reminder for every confirmed guest of a published event whose reminder time
    has come (``reminder_hours`` before the start) and that has not started; once each."""
    rows = db.execute(
        "SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id"
        " WHERE e.status = 'published' AND e.reminder_hours IS NOT NULL AND e.starts_at > ?"
        " AND datetime(e.starts_at, '-' || e.reminder_hours || ' hours') <= datetime(?)"
        " AND r.status = 'confirmed' AND r.walk_in = 0 AND r.messages_off = 0 AND r.email != ''"
        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.registration_id = r.id AND o.kind = 'reminder')",
        [to_db_time(now), to_db_time(now)],
    ).fetchall()
    for (registration_id,) in rows:
        tell(db, registration_id, "reminder", domain=domain)
    return len(rows)


def claim(db, worker: str, limit: int, now: datetime) -> list[OutboxMessage]:
    """Writes: takes up to ``limit`` due rows for ``worker`` (waiting, or claimed by a sender
    whose lease lapsed), oldest first."""
    found = load(
        db, "WHERE (status = 'waiting' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)"
        " ORDER BY next_attempt_at, id LIMIT ?", [to_db_time(now), to_db_time(now), limit],
    )
    if found:
        db.execute(
            f"UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_until = ?, updated_at = ?"
            f" WHERE id IN ({','.join('?' * len(found))})",
            [worker, to_db_time(now + LEASE), to_db_time(now), *[m.id for m in found]],
        )
    return found


def _finish(db, message_id: int, worker: str, sets: str, params: list) -> bool:
    """Writes the outcome of a claimed row, only if ``worker`` still holds it."""
    cursor = db.execute(
        f"UPDATE outbox SET {sets}, claimed_by = NULL, claimed_until = NULL, updated_at = ?"
        " WHERE id = ? AND status = 'sending' AND claimed_by = ?",
        [*params, to_db_time(clock.now()), message_id, worker],
    )
    return cursor.rowcount == 1


def mark_sent(db, message_id: int, worker: str, ical_method: str | None, ical_sequence: int | None) -> bool:
    return _finish(db, message_id, worker,
                   "status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL,"
                   " ical_method = ?, ical_sequence = ?",
                   [to_db_time(clock.now()), ical_method, ical_sequence])


def mark_retry(db, message_id: int, worker: str, reason: str, next_at: datetime) -> bool:
    return _finish(db, message_id, worker, "status = 'waiting', attempts = attempts + 1, last_error = ?,"
                   " next_attempt_at = ?", [reason[:1000], to_db_time(next_at)])


def mark_failed(db, message_id: int, worker: str, reason: str) -> bool:
    return _finish(db, message_id, worker, "status = 'failed', attempts = attempts + 1, last_error = ?",
                   [reason[:1000]])


def mark_skipped(db, message_id: int, worker: str, reason: str) -> bool:
    return _finish(db, message_id, worker, "status = 'skipped', last_error = ?", [reason[:1000]])


def calendar_history(db, recipient: str, event_id: int) -> tuple[str | None, int]:
    """The last calendar method sent to this address for this event, and the highest SEQUENCE
    sent so far (-1 if none): a later invitation must carry a higher one to be applied."""
    row = db.execute(
        "SELECT ical_method, ical_sequence FROM outbox WHERE recipient = ? AND event_id = ? AND status = 'sent'"
        " AND ical_sequence IS NOT NULL ORDER BY ical_sequence DESC, sent_at DESC, id DESC LIMIT 1",
        [recipient, event_id],
    ).fetchone()
    return (row[0], row[1]) if row else (None, -1)


def undelivered(db, event_id: int) -> dict[int, str]:
    """Registrations of an event whose latest message failed for good, with the server's reason."""
    rows = db.execute(
        "SELECT o.registration_id, o.last_error FROM outbox o WHERE o.event_id = ? AND o.registration_id IS NOT NULL"
        " AND o.id = (SELECT max(id) FROM outbox l WHERE l.registration_id = o.registration_id"
        "             AND l.status IN ('sent', 'failed')) AND o.status = 'failed'",
        [event_id],
    ).fetchall()
    return {r[0]: r[1] or "" for r in rows}


def get(db, message_id) -> OutboxMessage:
    found = load(db, "WHERE id = ?", [message_id])
    if not found:
        raise NotFound("no_message", id=message_id)
    return found[0]


def listing(db, event_id: int | None = None, status: str | None = None, batch: str | None = None
            ) -> list[OutboxMessage]:
    where, params = [], []
    for column, value in (("event_id", event_id), ("status", status), ("batch", batch)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return load(db, ("WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", params)


def counts(db, *, event_id: int | None = None, batch: str | None = None) -> dict[str, int]:
    """How many messages are in each status (all statuses present, zeros included)."""
    where, params = [], []
    for column, value in (("event_id", event_id), ("batch", batch)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = db.execute(
        "SELECT status, count(*) FROM outbox" + (" WHERE " + " AND ".join(where) if where else "") + " GROUP BY status",
        params,
    ).fetchall()
    found = {"waiting": 0, "sending": 0, "sent": 0, "failed": 0, "skipped": 0}
    found.update({r[0]: r[1] for r in rows})
    return found


def load(db, where: str, params: list) -> list[OutboxMessage]:
    return [
        OutboxMessage(
            id=r["id"], kind=r["kind"], event_id=r["event_id"], registration_id=r["registration_id"],
            recipient=r["recipient"], recipient_name=r["recipient_name"], language=r["language"],
            data=json.loads(r["data"]), status=r["status"], attempts=r["attempts"],
            next_attempt_at=from_db_time(r["next_attempt_at"]), last_error=r["last_error"],
            message_id=r["message_id"], created_at=from_db_time(r["created_at"]), sent_at=from_db_time(r["sent_at"]),
            batch=r["batch"], ical_method=r["ical_method"], ical_sequence=r["ical_sequence"],
            claimed_until=from_db_time(r["claimed_until"]),
        )
        for r in db.execute(f"SELECT * FROM outbox {where}", params).fetchall()
    ]
