"""Walk-ins let in past the room's capacity (issue #16), as the registrations page explains them:
"4 inside for 3 places: 1 let in past capacity by Main door at 13:05".

The door records each one in the audit log (``walk_in_over_capacity``, with its door, in the
transaction that let the guest in), so the explanation is read from there: who let them in is
what an organizer needs to ask about, and the record cannot drift from what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..i18n import _, format_list, format_number, format_time, ngettext
from . import audit, checkin


@dataclass(frozen=True)
class PastCapacity:
    """How many are inside against the capacity, and each walk-in let in past it: (door, when)."""

    inside: int
    capacity: int | None
    entries: tuple[tuple[str, datetime], ...]


def past_capacity(db, event_id: int) -> PastCapacity:
    """Reads. The headcount now and the walk-ins let in past the capacity, earliest first."""
    attendance = checkin.attendance(db, event_id)
    entries = [(str(e.details.get("door") or ""), e.at)
               for e in audit.entries(db, event_id=event_id, action="walk_in_over_capacity")]
    entries.reverse()  # the log reads newest first
    return PastCapacity(attendance.checked_in, attendance.capacity, tuple(sorted(entries, key=lambda x: x[1])))


def sentence(summary: PastCapacity, zone: str) -> str | None:
    """"4 inside for 3 places: 1 let in past capacity by Main door at 13:05" (times in the event's
    zone, in the active language); None when nobody was let in past the capacity."""
    if not summary.entries or summary.capacity is None:
        return None
    clock = ZoneInfo(zone)
    doors = format_list([
        # Translators: who let a walk-in in past the capacity: a door's name and a time ("Main door at 13:05").
        _("{door} at {time}").format(door=door, time=format_time(at.astimezone(clock)))
        for door, at in summary.entries
    ])
    count = len(summary.entries)
    headcount = ngettext(
        "{inside} inside for {capacity} place", "{inside} inside for {capacity} places", summary.capacity
    ).format(inside=format_number(summary.inside), capacity=format_number(summary.capacity))
    # Translators: {doors} lists door names with times: "Main door at 13:05 and Side door at 13:20".
    let_in = ngettext("{count} let in past capacity by {doors}", "{count} let in past capacity by {doors}",
                      count).format(count=format_number(count), doors=doors)
    # Translators: {headcount} is "4 inside for 3 places"; {let_in} is "1 let in past capacity by Main door at 13:05".
    return _("{headcount}: {let_in}").format(headcount=headcount, let_in=let_in)
