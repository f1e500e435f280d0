"""Conflicts: one room booked twice, one speaker in two places at once, an event outside its
summit's days. Cancelled events never clash; touching intervals (one ends at 17:00, the next
starts at 17:00) do not overlap."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import NotFound, Planner

NY = ZoneInfo("America/New_York")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=NY)


def kinds(conflicts) -> list[str]:
    return sorted(c.kind for c in conflicts)


def pairs(conflicts, kind: str) -> set[frozenset[int]]:
    return {frozenset(c.event_ids) for c in conflicts if c.kind == kind}


# ---------------------------------------------------------------------- room


def test_two_events_in_one_room_at_once_clash(planner, make_event):
    a = make_event(title="Financing", starts_at=at(20, 10), ends_at=at(20, 12))
    b = make_event(title="Debt relief", starts_at=at(20, 11), ends_at=at(20, 13))
    [clash] = planner.conflicts()
    assert clash.kind == "room"
    assert set(clash.event_ids) == {a.id, b.id}
    assert "Boss Room, 8th floor" in clash.message
    assert "“Financing”" in clash.message and "“Debt relief”" in clash.message
    assert "10:00" in clash.message  # times in the venue's zone


def test_an_event_inside_another_clashes(planner, make_event):
    a = make_event(starts_at=at(20, 9), ends_at=at(20, 17))
    b = make_event(starts_at=at(20, 12), ends_at=at(20, 13))
    assert pairs(planner.conflicts(), "room") == {frozenset({a.id, b.id})}


def test_same_times_in_different_rooms_do_not_clash(planner, make_event, other_room):
    make_event()
    make_event(room_id=other_room.id)
    assert planner.conflicts() == []


def test_touching_intervals_do_not_clash(planner, make_event):
    """One ends at 17:00 and the next starts at 17:00: same room, same speaker, no clash."""
    speaker = [{"name": "Ana Pérez", "email": "ana@example.org"}]
    make_event(starts_at=at(20, 15), ends_at=at(20, 17), speakers=speaker)
    make_event(starts_at=at(20, 17), ends_at=at(20, 19), speakers=speaker)
    assert planner.conflicts() == []


def test_online_events_have_no_room_to_clash_over(planner, make_event):
    online = dict(room_id=None, online_url="https://zoom.us/j/1")
    make_event(**online)
    make_event(**online)
    assert planner.conflicts() == []


def test_three_overlapping_events_give_three_pairs(planner, make_event):
    ids = [make_event(starts_at=at(20, 10, m), ends_at=at(20, 12)).id for m in (0, 15, 30)]
    assert pairs(planner.conflicts(), "room") == {frozenset(p) for p in combinations(ids, 2)}
    assert len(planner.conflicts()) == 3


# ---------------------------------------------------------------------- speaker


def test_one_speaker_by_email_in_two_rooms_at_once_clashes(planner, make_event, other_room):
    a = make_event(title="Morning panel", speakers=[{"name": "Ana Pérez", "email": "ana@example.org"}])
    b = make_event(title="Parallel session", room_id=other_room.id,
                   speakers=[{"name": "A. Pérez-Luna", "email": "ANA@example.org"}])
    [clash] = planner.conflicts()
    assert clash.kind == "speaker"
    assert set(clash.event_ids) == {a.id, b.id}
    assert "Ana Pérez" in clash.message and "“Morning panel”" in clash.message


@pytest.mark.parametrize("other_spelling", ["ana perez", "ANA PÉREZ", "  Ana   Pérez ", "Ána Perez"])
def test_one_speaker_by_name_ignoring_case_accents_and_spaces_clashes(planner, make_event, other_room, other_spelling):
    a = make_event(speakers=[{"name": "Ana Pérez"}])
    b = make_event(room_id=other_room.id, speakers=[{"name": other_spelling, "role": "moderator"}])
    assert kinds(planner.conflicts()) == ["speaker"]
    assert pairs(planner.conflicts(), "speaker") == {frozenset({a.id, b.id})}


def test_a_speaker_known_by_email_and_by_name_is_one_clash(planner, make_event, other_room):
    ana = {"name": "Ana Pérez", "email": "ana@example.org"}
    make_event(speakers=[ana])
    make_event(room_id=other_room.id, speakers=[ana])
    assert kinds(planner.conflicts()) == ["speaker"]


def test_two_shared_speakers_are_two_clashes(planner, make_event, other_room):
    both = [{"name": "Ana Pérez"}, {"name": "Diego Morales"}]
    make_event(speakers=both)
    make_event(room_id=other_room.id, speakers=both)
    clashes = planner.conflicts()
    assert kinds(clashes) == ["speaker", "speaker"]
    assert {("Ana Pérez" in c.message, "Diego Morales" in c.message) for c in clashes} == {(True, False), (False, True)}


def test_different_speakers_do_not_clash(planner, make_event, other_room):
    make_event(speakers=[{"name": "Ana Pérez", "email": "ana@example.org"}])
    make_event(room_id=other_room.id, speakers=[{"name": "Ana Peralta", "email": "peralta@example.org"}])
    assert planner.conflicts() == []


def test_an_event_never_clashes_with_itself(planner, make_event):
    """Two people of the same name on one panel (or one person typed twice) are no clash."""
    make_event(room_id=None, online_url="https://zoom.us/j/1", speakers=[
        {"name": "Ana Pérez", "email": "ana@example.org", "role": "chair"},
        {"name": "ana perez", "email": "ana.perez@example.net", "role": "speaker"},
    ])
    assert planner.conflicts() == []


def test_a_previewed_event_never_clashes_with_itself(planner):
    assert planner.preview_conflicts(
        title="Panel", starts_at=at(20, 10), ends_at=at(20, 11),
        speakers=[{"name": "Ana Pérez", "role": "chair"}, {"name": "ana perez", "role": "speaker"}],
    ) == []


# ---------------------------------------------------------------------- outside the summit


def test_an_event_before_or_after_the_summit_is_outside_it(planner, make_event, other_room):
    before = make_event(title="Too early", starts_at=at(18, 10), ends_at=at(18, 11))
    after = make_event(title="Too late", room_id=other_room.id, starts_at=at(24, 10), ends_at=at(24, 11))
    clashes = planner.conflicts()
    assert kinds(clashes) == ["outside_summit", "outside_summit"]
    assert {c.event_ids for c in clashes} == {(before.id,), (after.id,)}
    assert any("UN General Assembly Week" in c.message and "“Too early”" in c.message for c in clashes)


def test_the_summits_days_are_in_its_own_zone(planner, make_event):
    """The last day is Fri 23 Oct in New York: 20:00–24:00 there is 00:00–04:00 UTC on the 24th,
    yet still inside; the first day starts at 00:00 New York time."""
    make_event(starts_at=at(23, 20), ends_at=at(24, 0))
    make_event(starts_at=at(19, 0), ends_at=at(19, 1))
    assert planner.conflicts() == []


def test_events_without_a_summit_are_never_outside_one(planner, make_event):
    make_event(summit_id=None, starts_at=at(1, 10), ends_at=at(1, 11))
    assert planner.conflicts() == []


# ---------------------------------------------------------------------- cancelled events


def test_cancelled_events_never_clash(planner, make_event, other_room):
    ana = [{"name": "Ana Pérez"}]
    keep = make_event(speakers=ana, starts_at=at(20, 10), ends_at=at(20, 11))
    room_rival = make_event(starts_at=at(20, 10), ends_at=at(20, 11))
    speaker_rival = make_event(room_id=other_room.id, speakers=ana, starts_at=at(20, 10), ends_at=at(20, 11))
    outside = make_event(room_id=other_room.id, starts_at=at(28, 10), ends_at=at(28, 11))
    assert kinds(planner.conflicts()) == ["outside_summit", "room", "speaker"]
    for e in (room_rival, speaker_rival, outside):
        planner.cancel_event(e.id, reason="Dropped")
    assert planner.conflicts() == []
    assert planner.conflicts(keep.id) == []


# ---------------------------------------------------------------------- one event's conflicts


def test_conflicts_of_one_event_are_those_that_involve_it(planner, make_event, other_room):
    a = make_event(starts_at=at(20, 10), ends_at=at(20, 11))
    b = make_event(starts_at=at(20, 10), ends_at=at(20, 11))
    c = make_event(room_id=other_room.id, starts_at=at(20, 14), ends_at=at(20, 15))
    d = make_event(room_id=other_room.id, starts_at=at(20, 14), ends_at=at(20, 16))
    assert pairs(planner.conflicts(a.id), "room") == {frozenset({a.id, b.id})}
    assert pairs(planner.conflicts(d.id), "room") == {frozenset({c.id, d.id})}
    assert len(planner.conflicts()) == 2


def test_conflicts_of_an_unknown_event_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.conflicts(12345), exc=NotFound)


# ---------------------------------------------------------------------- preview_conflicts


def test_preview_shows_the_clashes_a_new_event_would_have_and_writes_nothing(planner, summit, room, make_event, snapshot):
    booked = make_event(speakers=[{"name": "Ana Pérez"}])
    before = snapshot()
    clashes = planner.preview_conflicts(
        title="New idea", summit_id=summit.id, room_id=room.id, starts_at=at(20, 10, 30), ends_at=at(20, 11, 30),
        speakers=[{"name": "ANA PEREZ"}],
    )
    assert snapshot() == before
    assert kinds(clashes) == ["room", "speaker"]
    assert all(booked.id in c.event_ids for c in clashes)


def test_preview_of_an_edit_ignores_the_event_itself(planner, make_event, snapshot):
    e = make_event()
    other = make_event(starts_at=at(20, 14), ends_at=at(20, 15))
    before = snapshot()
    assert planner.preview_conflicts(e.id) == []
    moved = planner.preview_conflicts(e.id, starts_at=at(20, 14, 30), ends_at=at(20, 15, 30))
    assert [(c.kind, set(c.event_ids)) for c in moved] == [("room", {e.id, other.id})]
    assert snapshot() == before


def test_preview_refuses_bad_input_like_create(planner, assert_refused):
    assert_refused(lambda: planner.preview_conflicts(title="x", starts_at=at(20, 11), ends_at=at(20, 10)), field="ends_at")
    assert_refused(
        lambda: planner.preview_conflicts(title=" ", starts_at=at(20, 10), ends_at=at(20, 11)), field="title"
    )


def test_preview_moving_an_online_event_into_a_room_works_like_update(planner, make_event, room):
    """update_event(room_id=…) makes an online event hybrid; previewing that same edit must not
    refuse it as "an online event has no room"."""
    e = make_event(room_id=None, online_url="https://zoom.us/j/1")
    make_event(starts_at=at(20, 10), ends_at=at(20, 11))  # already in the room
    clashes = planner.preview_conflicts(e.id, room_id=room.id)
    assert kinds(clashes) == ["room"]
    assert planner.update_event(e.id, version=e.version, room_id=room.id).format == "hybrid"


# ---------------------------------------------------------------------- properties

SLOT = timedelta(minutes=30)
DAY_START = datetime(2026, 10, 20, 8, 0, tzinfo=NY)

intervals = st.lists(
    st.tuples(
        st.integers(0, 2),  # room index
        st.integers(0, 16),  # start slot
        st.integers(1, 6),  # length in slots
        st.booleans(),  # cancelled?
    ),
    max_size=9,
)


def fresh_planner(directory: str):
    p = Planner(Path(directory) / "p.db")
    summit = p.add_summit(name="S", timezone="America/New_York", starts_on=date(2026, 10, 19), ends_on=date(2026, 10, 23))
    venue = p.add_venue(name="V", timezone="America/New_York")
    rooms = [p.add_room(venue_id=venue.id, name=f"Room {n}", capacity=10) for n in range(3)]
    return p, summit, rooms


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@settings(max_examples=30)
@given(intervals)
def test_room_clashes_equal_a_brute_force_all_pairs_check(spec):
    """Property: conflicts() reports exactly the pairs of live events in one room whose
    [start, end) intervals overlap, each once."""
    with tempfile.TemporaryDirectory() as directory:
        p, summit, rooms = fresh_planner(directory)
        live = []
        for n, (room, start, length, cancelled) in enumerate(spec):
            when = (DAY_START + start * SLOT, DAY_START + (start + length) * SLOT)
            e = p.create_event(title=f"E{n}", summit_id=summit.id, room_id=rooms[room].id,
                               starts_at=when[0], ends_at=when[1], allow_past=True)
            if cancelled:
                p.cancel_event(e.id, reason="Dropped")
            else:
                live.append((e.id, room, when))
        expected = {
            frozenset({a_id, b_id})
            for (a_id, a_room, a_when), (b_id, b_room, b_when) in combinations(live, 2)
            if a_room == b_room and overlaps(a_when, b_when)
        }
        found = [c for c in p.conflicts() if c.kind == "room"]
        assert {frozenset(c.event_ids) for c in found} == expected
        assert len(found) == len(expected), "a clash was reported twice"


NAME_SPELLINGS = [
    ["Ana Pérez", "ana perez", "ANA  PÉREZ"],
    ["Diego Morales", "diego morales", " Diégo Morales "],
    ["Amina Diallo"],
]

speaker_events = st.lists(
    st.tuples(
        st.integers(0, 16),  # start slot
        st.integers(1, 6),  # length in slots
        # Each person at most once per event, in any spelling.
        st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=3, unique_by=lambda t: t[0]),
    ),
    max_size=7,
)


@settings(max_examples=25)
@given(speaker_events)
def test_speaker_clashes_equal_a_brute_force_all_pairs_check(spec):
    """Property: online events (no rooms) clash exactly when they overlap and share a person,
    however the name is spelled; one pair of events with several shared people gives one clash
    per shared person."""
    with tempfile.TemporaryDirectory() as directory:
        p, summit, _ = fresh_planner(directory)
        made = []
        for n, (start, length, people) in enumerate(spec):
            when = (DAY_START + start * SLOT, DAY_START + (start + length) * SLOT)
            spellings = NAME_SPELLINGS
            speakers = [{"name": spellings[i][v % len(spellings[i])]} for i, v in people]
            e = p.create_event(title=f"E{n}", summit_id=summit.id, online_url="https://zoom.us/j/1",
                               starts_at=when[0], ends_at=when[1], speakers=speakers, allow_past=True)
            made.append((e.id, {i for i, _ in people}, when))
        expected = sorted(
            (min(a_id, b_id), max(a_id, b_id), person)
            for (a_id, a_people, a_when), (b_id, b_people, b_when) in combinations(made, 2)
            if overlaps(a_when, b_when)
            for person in a_people & b_people
        )
        found = [c for c in p.conflicts() if c.kind == "speaker"]
        assert len(found) == len(expected)
        assert {frozenset(c.event_ids) for c in found} == {frozenset(t[:2]) for t in expected}
