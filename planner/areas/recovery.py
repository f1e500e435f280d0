""""Email me my private link" (issue #10): someone who closed the tab gets their link again.

The answer never tells whether an address is registered: every request, known address or
not, writes one row to ``link_requests`` and reads the same tables, and the page says the same
sentence; only a registered address gets a message (one, listing its links). An inbox gets at
most ``PER_INBOX`` such messages an hour, whoever asks (a stranger cannot flood someone with
them); the per-client limits are ``ratelimit.LinkRequestLimiter``. Runs inside the caller's
``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import security
from ..db import to_db_time
from . import outbox
from .registrations import clean_email

PER_INBOX = 3  # private-link messages an hour to one address
WINDOW = timedelta(hours=1)
KEEP = timedelta(days=1)  # requests are forgotten after a day


def request_links(db, email, event_id: int | None, now: datetime, *, language: str, domain: str) -> int | None:
    """Writes the request, and a ``private_link`` message when the address holds registrations
    (of ``event_id``, else of any event) not cancelled. Returns the message's id, or None —
    for the caller's tests only: pages must answer the same either way."""
    email = clean_email(email)
    hashed = security.token_hash(email)
    recent = db.execute(
        "SELECT count(*) FROM link_requests WHERE email_hash = ? AND requested_at > ?",
        [hashed, to_db_time(now - WINDOW)],
    ).fetchone()[0]
    db.execute("INSERT INTO link_requests (email_hash, requested_at) VALUES (?, ?)", [hashed, to_db_time(now)])
    db.execute("DELETE FROM link_requests WHERE requested_at < ?", [to_db_time(now - KEEP)])
    where, params = "email = ? AND status != 'cancelled'", [email]
    if event_id is not None:
        where += " AND event_id = ?"
        params.append(event_id)
    ids = [r[0] for r in db.execute(f"SELECT id FROM registrations WHERE {where} ORDER BY id", params).fetchall()]
    if not ids or recent >= PER_INBOX:
        return None
    return outbox.enqueue(db, "private_link", recipient=email, language=language, domain=domain,
                          event_id=event_id, data={"registration_ids": ids})
