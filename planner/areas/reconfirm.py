"""Reconfirmation and no-shows (issue #12): "Still coming?" before the deadline, places released
to the waiting list, the no-show history, and places offered beyond the capacity.

Why: at free side events a large share of confirmed guests never come (the reports count them),
while people on the waiting list would have. Two remedies, each the organizer's choice per event
(``reconfirm_settings``, one row per event, none meaning all off):

* **Asking.** ``ASK_BEFORE`` before the deadline (``_reconfirm_deadline``) every guest confirmed
  by then is asked once, by email, with two links (``/still-coming?t=…&a=yes|no``). *I can't
  come* cancels the registration at once, so the first person waiting moves up in the same
  transaction. With ``release_unanswered``, the places of guests who did not answer by the
  deadline go to the waiting list too, and those guests are told (``released``). Guests
  confirmed after the request went out (moved up, registered late) are not asked and never
  released; neither is anyone already let in at the door.
* **Overbooking.** ``overbooking`` places are offered beyond the capacity: registrations and
  the waiting list's moves count up to capacity + allowance (``registrations.offered``), while
  the door counts the people inside against the room's real capacity (``checkin.room_is_full``).
  The suggestion (``suggestion``) comes from the no-show history (``no_show_rates``).

The link's token is an HMAC of the registration's id with a label of its own
(``ticket_codes.reconfirm_token``): it answers for that one guest, and the table keeps only its
SHA-256. The first answer stands: using either link again shows it and changes nothing.

Writing functions run inside the caller's ``BEGIN IMMEDIATE``; reading ones inside its read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .. import clock, security
from .. import validate as check
from ..db import from_db_time, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import Event
from . import events, outbox, registrations, ticket_codes

ASK_BEFORE = timedelta(hours=24)  # the request goes out this long before the deadline
MAX_OVERBOOKING = 10_000
# A suggestion needs this many confirmed guests at past events: below, the history says little.
MIN_HISTORY = 20


@dataclass(frozen=True)
class ReconfirmSettings:
    event_id: int
    enabled: bool = False  # ask confirmed guests "Still coming?"
    release_unanswered: bool = False  # at the deadline, places of guests who did not answer go to the waiting list
    overbooking: int = 0  # places offered beyond the capacity


@dataclass(frozen=True)
class Reconfirmation:
    """One guest's request, as the link's page shows it. ``answer``: None (not yet), "yes",
    "no", or "released" (no answer by the deadline, the place went to the waiting list)."""

    registration_id: int
    event: Event
    answer: str | None
    answered_at: datetime | None
    deadline: datetime
    status: str  # the registration's status now
    changed: bool = False  # this call recorded the answer (False: it was given before)


@dataclass(frozen=True)
class EventNoShows:
    event_id: int
    title: str
    starts_at: datetime  # aware, in the event's zone
    confirmed: int  # confirmed registrations made ahead (walk-ins apart)
    no_shows: int  # of those, never checked in

    @property
    def rate(self) -> float | None:
        return self.no_shows / self.confirmed if self.confirmed else None


@dataclass(frozen=True)
class NoShowRates:
    """Per past event (ended, not cancelled, with a door) and all of them together."""

    events: list[EventNoShows]
    confirmed: int
    no_shows: int

    @property
    def rate(self) -> float | None:
        return self.no_shows / self.confirmed if self.confirmed else None


@dataclass(frozen=True)
class OverbookingSuggestion:
    """Places to offer beyond ``capacity``: ``share`` of it, from the no-show ``rate`` of
    ``confirmed`` guests at ``events`` past events; 0 without enough history (``enough``)."""

    places: int
    share: float
    rate: float | None
    events: int
    confirmed: int
    capacity: int | None

    @property
    def enough(self) -> bool:
        return self.confirmed >= MIN_HISTORY


# ---------------------------------------------------------------------- settings


def settings(db, event_id: int) -> ReconfirmSettings:
    row = db.execute("SELECT * FROM reconfirm_settings WHERE event_id = ?", [event_id]).fetchone()
    if row is None:
        return ReconfirmSettings(event_id)
    return ReconfirmSettings(event_id, bool(row["enabled"]), bool(row["release_unanswered"]), row["overbooking"])


def _flag(value, field: str, label) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("not_a_choice", field=field, value=str(value), label=label, choices=N_("yes or no"))
    return value


def check_settings(enabled, release_unanswered, overbooking) -> tuple[bool, bool, int]:
    """One validator for the three settings (the editor and the API)."""
    enabled = _flag(enabled, "enabled", N_("Ask confirmed guests “Still coming?”"))
    release_unanswered = _flag(release_unanswered, "release_unanswered", N_("Release unanswered places"))
    if isinstance(overbooking, bool) or not isinstance(overbooking, int) or overbooking < 0:
        raise ValidationError("not_a_choice", field="overbooking", value=str(overbooking),
                              label=N_("Places beyond the capacity"), choices=N_("a whole number, 0 or more"))
    if overbooking > MAX_OVERBOOKING:
        raise ValidationError("overbooking_too_large", field="overbooking", max=MAX_OVERBOOKING)
    return enabled, release_unanswered, overbooking


def set_settings(db, event_id: int, enabled, release_unanswered, overbooking) -> tuple[ReconfirmSettings, list[int]]:
    """Writes the event's settings; returns them and the waiting-list ids a bigger allowance
    moved up (the caller tells them)."""
    enabled, release_unanswered, overbooking = check_settings(enabled, release_unanswered, overbooking)
    event = events.get_event(db, event_id)
    db.execute(
        "INSERT INTO reconfirm_settings (event_id, enabled, release_unanswered, overbooking, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_id) DO UPDATE SET enabled = excluded.enabled,"
        " release_unanswered = excluded.release_unanswered, overbooking = excluded.overbooking,"
        " updated_at = excluded.updated_at",
        [event.id, int(enabled), int(release_unanswered), overbooking, to_db_time(clock.now())],
    )
    moved = registrations.promote(db, event.id) if event.status == "published" else []
    return settings(db, event.id), moved


# ---------------------------------------------------------------------- the deadline


def _reconfirm_deadline(db, event: Event) -> datetime:
    """When guests must have answered: the security list's deadline (the guest-list rule of the
    event, its room or its venue, ``areas/security_list.py``), so the places freed still make the
    list sent to the host; the start of the event when no rule with a deadline applies."""
    from . import security_list

    rule = security_list.effective_rule(db, event)
    due = security_list.deadline(event.starts_at, security_list.zone_of(event), rule) if rule is not None and \
        rule.required else None
    return due.astimezone(UTC) if due is not None else event.starts_at


def ask_at(db, event: Event) -> datetime:
    return _reconfirm_deadline(db, event) - ASK_BEFORE


# ---------------------------------------------------------------------- asking and releasing


def _enabled_events(db, now: datetime) -> list[Event]:
    ids = [r[0] for r in db.execute(
        "SELECT e.id FROM events e JOIN reconfirm_settings s ON s.event_id = e.id"
        " WHERE s.enabled = 1 AND e.status = 'published' AND e.ends_at > ?", [to_db_time(now)],
    ).fetchall()]
    return [events.get_event(db, event_id) for event_id in ids]


def ask_due(db, now: datetime, *, checkin_key: bytes, domain: str) -> int:
    """Writes a request for every guest due one: confirmed (made ahead, with an address, not let
    in yet) by the time of asking, at an event asking, between that time and the deadline; once
    each. Returns how many."""
    asked = 0
    for event in _enabled_events(db, now):
        when, deadline = ask_at(db, event), _reconfirm_deadline(db, event)
        if not (when <= now < deadline):
            continue
        rows = db.execute(
            "SELECT r.id FROM registrations r WHERE r.event_id = ? AND r.status = 'confirmed' AND r.walk_in = 0"
            " AND r.email != '' AND r.checked_in_at IS NULL AND coalesce(r.confirmed_at, r.created_at) <= ?"
            " AND NOT EXISTS (SELECT 1 FROM reconfirmations c WHERE c.registration_id = r.id) ORDER BY r.id",
            [event.id, to_db_time(when)],
        ).fetchall()
        for (registration_id,) in rows:
            token = ticket_codes.reconfirm_token(checkin_key, registration_id)
            db["reconfirmations"].insert({
                "registration_id": registration_id, "event_id": event.id, "token_hash": security.token_hash(token),
                "asked_at": to_db_time(now),
            })
            outbox.tell(db, registration_id, "reconfirm", domain=domain)
            asked += 1
    return asked


def release_due(db, now: datetime, *, domain: str) -> list[int]:
    """Writes. At events releasing unanswered places whose deadline has passed (and that have
    not ended), every guest asked who did not answer and is still confirmed and not let in
    loses the place and is told; returns the events whose waiting lists may move up."""
    freed = []
    for event in _enabled_events(db, now):
        if not settings(db, event.id).release_unanswered or now < _reconfirm_deadline(db, event):
            continue
        rows = db.execute(
            "SELECT c.registration_id FROM reconfirmations c JOIN registrations r ON r.id = c.registration_id"
            " WHERE c.event_id = ? AND c.answer IS NULL AND r.status = 'confirmed' AND r.checked_in_at IS NULL",
            [event.id],
        ).fetchall()
        stamp = to_db_time(now)
        for (registration_id,) in rows:
            db.execute("UPDATE registrations SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
                       [stamp, stamp, registration_id])
            db.execute("UPDATE reconfirmations SET answer = 'released', answered_at = ? WHERE registration_id = ?",
                       [stamp, registration_id])
            outbox.drop_waiting(db, registration_id=registration_id, kinds=outbox.SUPERSEDED_BY_CANCELLING)
            outbox.tell(db, registration_id, "released", domain=domain)
        if rows:
            freed.append(event.id)
    return freed


# ---------------------------------------------------------------------- the guest's answer


def _row(db, token):
    if not isinstance(token, str) or not registrations.TOKEN_SHAPE.fullmatch(token):
        raise NotFound("reconfirm_link_unknown")
    row = db.execute("SELECT * FROM reconfirmations WHERE token_hash = ?", [security.token_hash(token)]).fetchone()
    if row is None:
        raise NotFound("reconfirm_link_unknown")
    return row


def _shown(db, row, changed: bool = False) -> Reconfirmation:
    event = events.get_event(db, row["event_id"])
    status = db.execute("SELECT status FROM registrations WHERE id = ?", [row["registration_id"]]).fetchone()[0]
    return Reconfirmation(row["registration_id"], event, row["answer"], from_db_time(row["answered_at"]),
                          _reconfirm_deadline(db, event), status, changed)


def find(db, token) -> Reconfirmation:
    """The request a link names (reads only); ``NotFound("reconfirm_link_unknown")`` otherwise."""
    return _shown(db, _row(db, token))


def answer(db, token, coming: bool) -> tuple[Reconfirmation, list[int]]:
    """Writes the guest's answer, once: *no* cancels the registration (the caller tells the
    guest and the people moved up, whose ids come back). An answer given before (or a place
    released) stands: the request comes back as it is, and nothing is written. A registration
    cancelled meanwhile refuses (``reconfirm_registration_cancelled``)."""
    if not isinstance(coming, bool):
        raise ValidationError("not_a_choice", field="coming", value=str(coming), label=N_("Still coming?"),
                              choices=N_("yes or no"))
    row = _row(db, token)
    if row["answer"] is not None:
        return _shown(db, row), []
    registration = registrations.by_id(db, row["registration_id"])
    if registration.status != "confirmed":
        raise ValidationError("reconfirm_registration_cancelled", field="status")
    db.execute("UPDATE reconfirmations SET answer = ?, answered_at = ? WHERE registration_id = ?",
               ["yes" if coming else "no", to_db_time(clock.now()), registration.id])
    moved = [] if coming else registrations.cancel(db, registration)
    return _shown(db, _row(db, token), changed=True), moved


def request(db, registration_id: int) -> dict | None:
    """A guest's request as its message is written from (None if none was made)."""
    row = db.execute("SELECT * FROM reconfirmations WHERE registration_id = ?", [registration_id]).fetchone()
    return dict(row) if row else None


# ---------------------------------------------------------------------- the no-show history

_PAST = ("e.status = 'published' AND e.format != 'online' AND e.ends_at <= ?")


def no_show_rates(db, now: datetime, summit_id: int | None = None) -> NoShowRates:
    """Per past event (ended, published, with a door; the ``reports`` meaning of a no-show) and
    in total: confirmed registrations made ahead, and those never checked in. Counted in SQL."""
    where, params = _PAST, [to_db_time(now)]
    if summit_id is not None:
        where += " AND e.summit_id = ?"
        params.append(check.id(summit_id))
    rows = db.execute(
        "SELECT e.id, e.title, e.starts_at, e.timezone,"
        " sum(r.status = 'confirmed' AND r.walk_in = 0) AS confirmed,"
        " sum(r.status = 'confirmed' AND r.walk_in = 0 AND r.checked_in_at IS NULL) AS no_shows"
        f" FROM events e JOIN registrations r ON r.event_id = e.id WHERE {where}"
        " GROUP BY e.id HAVING confirmed > 0 ORDER BY e.starts_at, e.id",
        params,
    ).fetchall()
    from zoneinfo import ZoneInfo

    found = [EventNoShows(r["id"], r["title"], from_db_time(r["starts_at"]).astimezone(ZoneInfo(r["timezone"])),
                          r["confirmed"], r["no_shows"]) for r in rows]
    return NoShowRates(found, sum(e.confirmed for e in found), sum(e.no_shows for e in found))


def suggestion(history: NoShowRates, capacity: int | None) -> OverbookingSuggestion:
    """Places to offer beyond ``capacity`` for a no-show rate ``r``: the share ``r × (1 − r)``
    of the capacity, to the nearest 5 %, rounded down to whole places (40 % of no-shows
    suggests 25 %). Offering ``r / (1 − r)`` more would fill the room on average, and overflow
    it half the time; ``r × (1 − r)`` stays below that and shrinks where the history is least
    sure. Nothing without ``MIN_HISTORY`` confirmed guests at past events, or without a capacity."""
    rate = history.rate
    if capacity is None or rate is None or history.confirmed < MIN_HISTORY:
        return OverbookingSuggestion(0, 0.0, rate, len(history.events), history.confirmed, capacity)
    share = round(rate * (1 - rate) * 20) / 20
    return OverbookingSuggestion(math.floor(capacity * share + 1e-9), share, rate, len(history.events),
                                 history.confirmed, capacity)
