"""Finding clashes between events: one room booked twice, one speaker in two places, an
event outside its summit's days.

Each kind is a sweep over events sorted by start time, grouped by room or by speaker, so the
work grows with the number of events plus the number of clashes found, not with all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from ..codes import When
from ..models import Conflict, Event
from ..text import match_key


def _overlapping_pairs(events: Sequence[Event]) -> Iterable[tuple[Event, Event]]:
    """Yield each pair of events whose [start, end) intervals overlap."""
    active: list[Event] = []
    for event in sorted(events, key=lambda e: (e.starts_at, e.id)):
        # Drop the events that ended before this one starts; what stays overlaps it.
        active = [a for a in active if a.ends_at > event.starts_at]
        for earlier in active:
            yield earlier, event
        active.append(event)


def _when(event: Event) -> When:
    return When(event.local_start, event.local_end)


def _speaker_keys(event: Event) -> dict[tuple[str, str], str]:
    """One key per way a speaker can be recognised (by email, by name), with the name shown.
    Only confirmed speakers (issue #14): one who declined, or has not answered, is due nowhere."""
    keys: dict[tuple[str, str], str] = {}
    for s in event.speakers:
        if s.status != "confirmed":
            continue
        if s.email:
            keys.setdefault(("email", s.email.strip().lower()), s.name)
        keys.setdefault(("name", match_key(s.name)), s.name)
    return keys


def find_conflicts(events: Iterable[Event], focus_id: int | None = None) -> list[Conflict]:
    """All clashes among ``events`` (cancelled ones are ignored).

    With ``focus_id``, only the clashes that involve that event.
    """
    live = [e for e in events if e.status != "cancelled"]
    found: list[Conflict] = []
    seen: set[tuple] = set()

    def add(kind: str, key: object, ids: tuple[int, ...], **params) -> None:
        if focus_id is not None and focus_id not in ids:
            return
        marker = (kind, key, ids)
        if marker not in seen:
            seen.add(marker)
            found.append(Conflict(kind=kind, event_ids=ids, params=params))

    by_room: dict[int, list[Event]] = defaultdict(list)
    for e in live:
        if e.room_id is not None:
            by_room[e.room_id].append(e)
    for room_id, group in by_room.items():
        for a, b in _overlapping_pairs(group):
            add("room", room_id, (a.id, b.id), room=a.room.label if a.room else "",
                first=a.title, first_when=_when(a), second=b.title, second_when=_when(b))

    by_speaker: dict[tuple[str, str], list[Event]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for e in live:
        for key, name in _speaker_keys(e).items():
            by_speaker[key].append(e)
            names.setdefault(key, name)
    for key, group in by_speaker.items():
        if len(group) < 2:
            continue
        for a, b in _overlapping_pairs(group):
            # One person found by email and by name is one clash, not two.
            add("speaker", match_key(names[key]), (a.id, b.id), name=names[key],
                first=a.title, first_when=_when(a), second=b.title, second_when=_when(b))

    for e in live:
        summit = e.summit
        if summit is None:
            continue
        zone = ZoneInfo(summit.timezone)
        first_day = e.starts_at.astimezone(zone).date()
        # An event ending at midnight ends on the day before.
        last_day = (e.ends_at - timedelta(seconds=1)).astimezone(zone).date()
        if first_day < summit.starts_on or last_day > summit.ends_on:
            add("outside_summit", summit.id, (e.id,), title=e.title, when=_when(e), summit=summit.name,
                first_day=summit.starts_on, last_day=summit.ends_on)
    return found
