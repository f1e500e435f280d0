"""Fixtures for the domain tests (``tests/conftest.py`` has what every layer shares).

* ``planner`` — a fresh ``Planner`` on a temporary database file, one per test.
* ``summit``, ``venue``, ``room``, ``other_room`` — a small world to plan events in:
  "UN General Assembly Week" (New York, 19–23 October 2026) and two rooms of the Church
  Center for the United Nations (America/New_York).
* ``make_event(**fields)`` — creates a draft in ``room`` for ``summit`` on Tue 20 Oct,
  10:00–11:00 New York time, with any field overridden (``allow_past=True`` unless given:
  those dates are in the past once October 2026 is).
* ``at(day, hour, minute=0, tz=NY)`` — an aware datetime in October 2026.
* ``snapshot()`` — every row of every table, to prove a refused call wrote nothing.
* ``assert_refused(call, field=..., exc=ValidationError)`` — runs ``call``, checks it raises
  with a readable message and that every table holds the same rows as before.
* ``clock`` — replaces ``planner.clock.now`` (the one clock) with a clock the test moves by hand.
* ``open_event(**fields)`` — a published event in the future (``FUTURE``), open for registrations.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner import Planner, ValidationError
from tests.conftest import is_readable, table_rows

NY = ZoneInfo("America/New_York")
LIMA = ZoneInfo("America/Lima")

_UNSET = object()


def _at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = NY, *, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


@pytest.fixture
def at():
    return _at


@pytest.fixture
def planner(tmp_path) -> Planner:
    return Planner(tmp_path / "planner.db")


@pytest.fixture
def summit(planner):
    return planner.add_summit(
        name="UN General Assembly Week",
        city="New York",
        timezone="America/New_York",
        starts_on=date(2026, 10, 19),
        ends_on=date(2026, 10, 23),
    )


@pytest.fixture
def venue(planner):
    return planner.add_venue(
        name="Church Center for the United Nations",
        address="777 United Nations Plaza, New York",
        timezone="America/New_York",
    )


@pytest.fixture
def room(planner, venue):
    return planner.add_room(venue_id=venue.id, name="Boss Room, 8th floor", capacity=80)


@pytest.fixture
def other_room(planner, venue):
    return planner.add_room(venue_id=venue.id, name="Chapel", capacity=40)


@pytest.fixture
def make_event(planner, summit, room):
    """``make_event(**fields)``: a draft in ``room`` on Tue 20 Oct 10:00–11:00 New York time.

    Pass ``room_id=None`` for an event without a room, ``summit_id=None`` for one without a summit.
    """
    numbers = itertools.count(1)

    def make(**fields):
        values = {
            "title": f"Side event {next(numbers)}",
            "summit_id": summit.id,
            "room_id": room.id,
            "starts_at": _at(20, 10),
            "ends_at": _at(20, 11),
            # Fixed October 2026 dates, in the past once that month is: said explicitly here, so
            # tests of the rule itself pass allow_past=False.
            "allow_past": True,
        }
        values.update(fields)
        return planner.create_event(**values)

    return make


@pytest.fixture
def snapshot(planner):
    return lambda: table_rows(planner.path)


@pytest.fixture
def assert_refused(planner):
    """``assert_refused(call, field=..., exc=ValidationError, match=None)`` → the exception.

    Checks the call raises ``exc`` with a readable message (naming ``field`` when given, and
    containing ``match`` when given) and that no table changed.
    """

    def check(call, *, field=_UNSET, exc=ValidationError, match: str | None = None):
        before = table_rows(planner.path)
        with pytest.raises(exc) as info:
            call()
        error = info.value
        assert is_readable(str(error)), f"unreadable message: {str(error)!r}"
        if field is not _UNSET:
            assert getattr(error, "field", None) == field, f"field {getattr(error, 'field', None)!r}: {error}"
        if match is not None:
            assert match.lower() in str(error).lower(), str(error)
        assert table_rows(planner.path) == before, "a refused call wrote to the database"
        return error

    return check


class Clock:
    """A hand-moved clock standing in for ``planner.clock.now``."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    import planner.clock as clock_module

    c = Clock(datetime(2026, 10, 20, 12, 0, 0, tzinfo=UTC))
    monkeypatch.setattr(clock_module, "now", c)
    return c


# A moment safely in the future for events that must still take registrations.
FUTURE = (datetime.now(UTC) + timedelta(days=60)).replace(hour=14, minute=0, second=0, microsecond=0)


@pytest.fixture
def open_event(planner, make_event):
    """``open_event(**fields)``: a published event in the future (each one in its own hour,
    so they never clash in a room)."""
    slots = itertools.count()

    def make(**fields):
        start = FUTURE + timedelta(hours=2 * next(slots))
        values = {"starts_at": start, "ends_at": start + timedelta(hours=1)}
        values.update(fields)
        event = make_event(**values)
        return planner.publish_event(event.id, allow_room_clash=True)

    return make
