"""The audit log (issue #11): every organizer and admin action that changes data, with who and
when, written by ``record`` inside the caller's ``BEGIN IMMEDIATE`` transaction, so an entry
exists exactly when its change does. Actions are codes with labels (``codes.AUDIT_ACTIONS``);
``subject`` names what changed by id or code — a guest's name or email is never written here,
so erasing a person leaves nothing of them in the log — and ``details`` holds what a reader
needs (the before and after of each edited field, a count, a reason).

Nothing in the app edits or deletes entries: admins read and export them (``Planner.audit_log``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from .. import clock
from ..access import Actor
from ..codes import AUDIT_ACTIONS
from ..db import from_db_time, to_db_time


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_kind: str  # system, admin, organizer, door, public
    actor_user_id: int | None
    actor_label: str  # the account's name and email, the door's label, or "" for the system
    action: str  # codes.AUDIT_ACTIONS
    event_id: int | None
    subject: str
    details: dict


def actor_label(actor: Actor) -> str:
    if actor.user is not None:
        return f"{actor.user.name} <{actor.user.email}>"
    if actor.door_pass is not None:
        return actor.door_pass.label
    return ""


def _plain(value):
    """A value as JSON can hold it (datetimes as ISO text, sets and tuples as lists)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def changed(before: dict, after: dict) -> dict:
    """``{field: {"before": …, "after": …}}`` for each field whose value differs, as JSON holds them."""
    before, after = _plain(before), _plain(after)
    return {k: {"before": before.get(k), "after": after.get(k)} for k in after if before.get(k) != after.get(k)}


def event_fields(fields: dict) -> dict:
    """An event's fields (``events.as_fields``) as the log keeps them: a speaker's email is a
    contact detail, not what the event says, so it is left out."""
    speakers = [{k: v for k, v in s.items() if k != "email"} for s in fields.get("speakers", ())]
    return {**fields, "speakers": speakers}


def record(db, actor: Actor, action: str, *, event_id: int | None = None, subject: str | int = "",
           **details) -> int:
    """Writes one entry (inside the caller's transaction); returns its id."""
    assert action in AUDIT_ACTIONS, action
    return db["audit_log"].insert({
        "at": to_db_time(clock.now()), "actor_kind": actor.kind,
        "actor_user_id": actor.user.id if actor.user is not None else None, "actor_label": actor_label(actor),
        "action": action, "event_id": event_id, "subject": str(subject),
        "details": json.dumps(_plain(details), ensure_ascii=False, sort_keys=True),
    }).last_pk


def entries(db, *, event_id: int | None = None, user_id: int | None = None, action: str | None = None,
            since: datetime | None = None, until: datetime | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Entries newest first, filtered by event, acting account, action and time (``until`` excluded)."""
    where, params = [], []
    for clause, value in (("event_id = ?", event_id), ("actor_user_id = ?", user_id), ("action = ?", action)):
        if value is not None:
            where.append(clause)
            params.append(value)
    if since is not None:
        where.append("at >= ?")
        params.append(to_db_time(since))
    if until is not None:
        where.append("at < ?")
        params.append(to_db_time(until))
    sql = "SELECT * FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [
        AuditEntry(id=r["id"], at=from_db_time(r["at"]), actor_kind=r["actor_kind"], actor_user_id=r["actor_user_id"],
                   actor_label=r["actor_label"], action=r["action"], event_id=r["event_id"], subject=r["subject"],
                   details=json.loads(r["details"]))
        for r in db.execute(sql, params).fetchall()
    ]
