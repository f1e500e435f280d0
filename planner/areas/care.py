"""Data care (issue #11): erasing a person, anonymizing the registrations of events that ended
long ago, and deleting what was made by mistake. Every function here runs inside the caller's
``BEGIN IMMEDIATE`` transaction (``Planner`` in ``face/care.py`` opens it, records the audit
entry in it, and checkpoints the log after it commits), so a refusal writes nothing.

**What erasing a person removes.** Everything the planner keeps under one email address: the
name, email, organization and needs of each of their registrations (the rows stay, blank, so
counts, waiting-list order and check-in statistics stay true), their places held while
confirming by email, the address, name and contents of every message to them (a message not
yet sent is skipped), their entries as a speaker (taken off the events' speaker lists), and
wrong sign-ins typed with the address. Two places may quote them in free text: sent messages'
data and the audit log's details (which should hold no guest's data, ``areas/audit.py``); the
email and each name are cut out of both, as written and as JSON escapes them. Accounts
(``users``) are not touched: an organizer's account is removed on the *Accounts* page.

With ``PRAGMA secure_delete`` on (``db.py``) the old versions of changed rows are overwritten in
the file; the write-ahead log still holds them until it is checkpointed, which the caller does
after commit (``Database.checkpoint``).

**Retention.** Registrations of events that ended more than the retention period ago (setting
``PLANNER_RETENTION_DAYS``) are blanked the same way, with their held places and messages; the
server does it once a day (``mark_retention_run`` guards that across processes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from .. import clock
from ..db import to_db_time
from ..errors import ValidationError
from . import questions

RETENTION_META_KEY = "retention_last_run"  # meta.value: the day of the last run, as YYYYMMDD


@dataclass(frozen=True)
class Erasure:
    """What ``Planner.erase_person`` blanked or removed: counts only, never the data."""
    registrations: int
    held_places: int
    messages: int
    speaker_entries: int
    log_cleared: bool = True  # False if another process's reader kept the old log this time
    pictures: tuple = ()  # issue #14: speakers' photo files no longer named (removed after the commit)
    places_given_up: int = 0  # seats and waiting-list places at events still to come, freed for others
    moved_up: int = 0  # people moved up from waiting lists into the places freed (and told)
    proposals: int = 0  # proposals the address was cut out of (issue #14)

    @property
    def anything(self) -> bool:
        return bool(self.registrations or self.held_places or self.messages or self.speaker_entries
                    or self.proposals)


def events_held_for(db, email: str) -> list[int]:
    """The events where a place is held for ``email`` while it confirms by email: once the hold
    goes with the erasure, the waiting list there may move up."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT event_id FROM held_places WHERE lower(email) = ?", [email]).fetchall()]


def coming_places(db, email: str) -> list[int]:
    """The registrations under ``email`` still holding a seat or a waiting-list place at an event
    that has not ended, and not checked in: an erased person is not coming, so their places go
    to the next people (one who already came in keeps the count of who came)."""
    return [r[0] for r in db.execute(
        "SELECT g.id FROM registrations g JOIN events e ON e.id = g.event_id WHERE lower(g.email) = ?"
        " AND g.status IN ('confirmed', 'waitlisted') AND g.checked_in_at IS NULL AND e.ends_at > ? ORDER BY g.id",
        [email, to_db_time(clock.now())]).fetchall()]


@dataclass(frozen=True)
class Retention:
    """What ``Planner.apply_retention`` did: ``ran`` is False when today's run had been done."""
    ran: bool
    cutoff: datetime
    events: int = 0
    registrations: int = 0


def _in(ids) -> str:
    return ",".join("?" * len(ids))


def _scrub_text(db, texts: set[str]) -> None:
    """Cut each text (and its JSON-escaped form) out of sent messages' data and the audit log."""
    forms = set()
    for text in texts:
        if text:
            forms |= {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    for form in sorted(forms, key=len, reverse=True):
        for table, column, only in (("outbox", "data", "status NOT IN ('waiting', 'sending')"),
                                    ("audit_log", "details", "1"), ("audit_log", "subject", "1")):
            db.execute(f"UPDATE {table} SET {column} = replace({column}, ?, '') WHERE {only} AND instr({column}, ?) > 0",
                       [form, form])


def _blank_messages(db, where: str, params: list) -> int:
    return db.execute(
        "UPDATE outbox SET recipient = '', recipient_name = '', data = '{}',"
        " status = CASE WHEN status IN ('waiting', 'sending') THEN 'skipped' ELSE status END,"
        " last_error = CASE WHEN status IN ('waiting', 'sending') THEN 'erased' ELSE last_error END,"
        f" updated_at = ? WHERE {where}", [to_db_time(clock.now()), *params],
    ).rowcount


BLANK = "name = '', email = '', organization = '', needs = ''"
HOLDS_PERSONAL = "(name != '' OR email != '' OR organization != '' OR needs != '')"


def _forget_listed(db, where: str, params: list, ids: set[int] | None) -> None:
    """Security lists made keep, per guest, a short hash of what the list showed (to flag later
    changes): an erased or anonymized guest's is blanked (all of them when ``ids`` is None), so
    nobody who knows a name can match it. Writes."""
    import json

    for row in db.execute(f"SELECT id, rows FROM security_lists WHERE {where}", params).fetchall():
        listed = json.loads(row["rows"])
        kept = [[r[0], r[1], ""] if ids is None or r[0] in ids else r for r in listed]
        if kept != listed:
            db.execute("UPDATE security_lists SET rows = ? WHERE id = ?", [json.dumps(kept), row["id"]])


def erase(db, email: str) -> Erasure:
    """Blank or remove everything kept under ``email`` (checked, lower case). Writes."""
    rows = db.execute("SELECT id, name, organization FROM registrations WHERE lower(email) = ?", [email]).fetchall()
    ids = [r["id"] for r in rows]
    texts = {email} | {r["name"] for r in rows}
    holds = db.execute("SELECT id, name FROM held_places WHERE lower(email) = ?", [email]).fetchall()
    texts |= {h["name"] for h in holds}
    people = db.execute("SELECT id, name FROM people WHERE lower(email) = ?", [email]).fetchall()
    texts |= {p["name"] for p in people}
    now = to_db_time(clock.now())
    if ids:
        db.execute(f"UPDATE registrations SET {BLANK}, updated_at = ? WHERE id IN ({_in(ids)})", [now, *ids])
        questions.erase(db, ids)  # issue #12: the answers to the form's questions go too
    # A hold that became a registration names it; the hold itself goes.
    db.execute("DELETE FROM held_places WHERE lower(email) = ?", [email])
    messages = _blank_messages(db, f"lower(recipient) = ? OR registration_id IN ({_in(ids)})", [email, *ids])
    speaker_entries = 0
    person_ids = [p["id"] for p in people]
    from . import sign_on  # issue #14: speaker requests go, a sign-on contact loses the address

    pictures = tuple(sign_on.erase(db, email, person_ids))
    if person_ids:
        speaker_entries = db.execute(f"DELETE FROM event_speakers WHERE person_id IN ({_in(person_ids)})",
                                     person_ids).rowcount
        db.execute(f"DELETE FROM people WHERE id IN ({_in(person_ids)})", person_ids)
    db.execute("DELETE FROM sign_in_failures WHERE lower(email) = ?", [email])
    _forget_listed(db, "1", [], set(ids))
    _scrub_text(db, texts)
    return Erasure(registrations=len(ids), held_places=len(holds), messages=messages, speaker_entries=speaker_entries,
                   pictures=pictures)


def anonymize_ended(db, cutoff: datetime) -> Retention:
    """Blank the registrations (and held places and messages) of every event that ended before
    ``cutoff`` and still holds personal data. Writes."""
    when = to_db_time(cutoff)
    event_ids = [r[0] for r in db.execute(
        "SELECT DISTINCT e.id FROM events e WHERE e.ends_at < ? AND ("
        f" EXISTS (SELECT 1 FROM registrations WHERE event_id = e.id AND {HOLDS_PERSONAL})"
        " OR EXISTS (SELECT 1 FROM held_places h WHERE h.event_id = e.id)"
        " OR EXISTS (SELECT 1 FROM registration_answers a JOIN registrations g ON g.id = a.registration_id"
        "  WHERE g.event_id = e.id)"
        " OR EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND (o.recipient != '' OR o.data != '{}')))",
        [when]).fetchall()]
    if not event_ids:
        return Retention(ran=True, cutoff=cutoff)
    marks = _in(event_ids)
    registrations = db.execute(
        f"UPDATE registrations SET {BLANK}, updated_at = ? WHERE event_id IN ({marks}) AND {HOLDS_PERSONAL}",
        [to_db_time(clock.now()), *event_ids]).rowcount
    db.execute(f"DELETE FROM held_places WHERE event_id IN ({marks})", event_ids)
    questions.erase(db, [r[0] for r in db.execute(
        f"SELECT id FROM registrations WHERE event_id IN ({marks})", event_ids).fetchall()])
    _blank_messages(db, f"event_id IN ({marks})", event_ids)
    _forget_listed(db, f"event_id IN ({marks})", event_ids, None)
    return Retention(ran=True, cutoff=cutoff, events=len(event_ids), registrations=registrations)


def mark_retention_run(db, today: date) -> bool:
    """True (and today written down) if no process has run retention today. Writes; the
    caller's BEGIN IMMEDIATE makes the read and the write one step across processes."""
    stamp = int(today.strftime("%Y%m%d"))
    row = db.execute("SELECT value FROM meta WHERE key = ?", [RETENTION_META_KEY]).fetchone()
    if row is not None and row[0] >= stamp:
        return False
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               [RETENTION_META_KEY, stamp])
    return True


# ---------------------------------------------------------------------- deleting what was made by mistake


def _titles(db, where: str, params: list) -> list[str]:
    return [r[0] for r in db.execute(f"SELECT title FROM events WHERE {where} ORDER BY starts_at, id", params)]


def delete_event(db, event) -> None:
    """Delete a draft that was never public (``event_was_public`` otherwise), with its speakers'
    and organizations' entries and any door links made for it. Writes."""
    if event.published_at is not None:
        raise ValidationError("event_was_public", title=event.title)
    taken = db.execute("SELECT count(*) FROM registrations WHERE event_id = ?", [event.id]).fetchone()[0]
    if taken:
        raise ValidationError("event_has_registrations", title=event.title, count=taken)
    for table in ("scans", "door_passes", "held_places", "outbox", "event_questions"):
        db.execute(f"DELETE FROM {table} WHERE event_id = ?", [event.id])
    db.execute("DELETE FROM events WHERE id = ?", [event.id])


def delete_summit(db, summit) -> None:
    used = _titles(db, "summit_id = ?", [summit.id])
    if used:
        raise ValidationError("summit_in_use", name=summit.name, names=used)
    db.execute("DELETE FROM summits WHERE id = ?", [summit.id])


def delete_venue(db, venue) -> None:
    rooms = [r[0] for r in db.execute("SELECT name FROM rooms WHERE venue_id = ? ORDER BY name", [venue.id])]
    if rooms:
        raise ValidationError("venue_in_use", name=venue.name, names=rooms)
    db.execute("DELETE FROM venues WHERE id = ?", [venue.id])


def delete_room(db, room) -> None:
    used = _titles(db, "room_id = ?", [room.id])
    if used:
        raise ValidationError("room_in_use", name=room.name, names=used)
    db.execute("DELETE FROM rooms WHERE id = ?", [room.id])
