"""What a programme calendar of 1,000 events costs, next to bare icalendar.

Run from the repository root:

    python bench/programme_ics.py

It builds a throw-away database through the public API with 1,000 published events in three
zones (New York, Lima, Adelaide), each with speakers, organizations and a description, then
times (best of several runs, all in this one process):

* ``bare icalendar``        — the baseline: the same 1,000 VEVENTs with only UID, DTSTAMP,
                              DTSTART/DTEND and SUMMARY, built with icalendar and serialized;
* ``calendar_bytes()``      — planner/calendar.py on events already loaded: every property,
                              the description text, ORGANIZER, and the VTIMEZONEs;
* ``programme()``           — loading the public events from the database;
* ``programme_ics()``       — what ``/calendar.ics`` does: loading plus ``calendar_bytes()``.

Absolute times depend on the machine, so the last three are also printed as ratios to the
baseline. Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/programme_ics.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from icalendar import Calendar  # noqa: E402
from icalendar import Event as VEvent  # noqa: E402

from planner import Planner  # noqa: E402
from planner import calendar  # noqa: E402

from bench._bench import best_of, ms  # noqa: E402

EVENTS = 1000
RUNS = 5
BASE_URL = "https://events.example.org"
CONTACT = "events@example.org"
# (zone, first day): a September in New York (summer time), a December in Lima, a January in
# Adelaide (southern summer time, half-hour offset).
PLACES = (("America/New_York", date(2027, 9, 13)), ("America/Lima", date(2027, 12, 1)),
          ("Australia/Adelaide", date(2028, 1, 10)))
ROOMS_PER_VENUE = 12
DAYS = 10


def build(path: Path) -> tuple[Planner, float]:
    """``EVENTS`` published events, spread so that no room is booked twice; and the seconds
    spent in ``publish_event`` (each publish checks clashes against every event so far)."""
    planner = Planner(path, base_url=BASE_URL, contact_email=CONTACT)
    publishing = 0.0
    places = []
    for zone, first_day in PLACES:
        venue = planner.add_venue(name=f"Venue in {zone}", address=f"1 Main Street, {zone.split('/')[1]}",
                                  timezone=zone)
        rooms = [planner.add_room(venue_id=venue.id, name=f"Room {r + 1}", capacity=80) for r in range(ROOMS_PER_VENUE)]
        places.append((ZoneInfo(zone), first_day, rooms))
    for n in range(EVENTS):
        zone, first_day, rooms = places[n % len(places)]
        slot = n // len(places)  # each place's events fill its rooms, then its hours, then its days
        room = rooms[slot % ROOMS_PER_VENUE]
        hour = 8 + (slot // ROOMS_PER_VENUE) % 10
        day = first_day + timedelta(days=(slot // (ROOMS_PER_VENUE * 10)) % DAYS)
        start = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        event = planner.create_event(
            title=f"Side event {n + 1}: migration, climate; rights",
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            room_id=room.id,
            online_url=f"https://meet.example.org/{n}" if n % 5 == 0 else None,
            description="A civil-society dialogue. **All are welcome**; see [the call](https://example.org/call).",
            speakers=[
                {"name": f"Speaker {n % 97}", "affiliation": f"Organization {n % 13}", "role": "chair"},
                {"name": f"Speaker {(n + 1) % 97}", "affiliation": "", "role": "speaker"},
            ],
            organizations=[{"name": f"Organization {n % 13}", "role": "host"},
                           {"name": f"Organization {(n + 5) % 13}", "role": "co-sponsor"}],
            allow_past=True,  # fixed dates (2027–2028), which will be past one day
        )
        t = time.perf_counter()
        planner.publish_event(event.id, allow_room_clash=True, allow_past=True)
        publishing += time.perf_counter() - t
    return planner, publishing


def bare_icalendar(events) -> bytes:
    """The baseline: minimal VEVENTs for the same events, with the same icalendar."""
    cal = Calendar()
    cal.add("PRODID", "-//bench//EN")
    cal.add("VERSION", "2.0")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for e in events:
        vevent = VEvent()
        vevent.add("UID", e.uid)
        vevent.add("DTSTAMP", stamp)
        vevent.add("DTSTART", e.local_start)
        vevent.add("DTEND", e.local_end)
        vevent.add("SUMMARY", e.title)
        cal.add_component(vevent)
    return cal.to_ical()




def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        t = time.perf_counter()
        planner, publishing = build(Path(directory) / "bench-calendar.db")
        print(f"built and published {EVENTS} events in {time.perf_counter() - t:.1f} s "
              f"({publishing:.1f} s of it in publish_event)", flush=True)
        events = planner.programme()
        assert len(events) == EVENTS

        def ours() -> bytes:
            return calendar.calendar_bytes(events, base_url=BASE_URL, contact_email=CONTACT, name="Side events")

        sizes = {"bare": len(bare_icalendar(events)), "ours": len(ours())}
        timings = {
            "bare icalendar": best_of(lambda: bare_icalendar(events)),
            "calendar_bytes()": best_of(ours),
            "programme()": best_of(planner.programme),
            "programme_ics()": best_of(planner.programme_ics),
        }

    base = timings["bare icalendar"]
    print()
    print(f"{EVENTS} events, best of {RUNS} runs; ratios are to bare icalendar in this process")
    for label, seconds in timings.items():
        print(f"  {label:<18} {ms(seconds)}  {seconds / base:6.2f}×")
    print(f"  file size: bare {sizes['bare'] / 1024:.0f} KiB, calendar_bytes() {sizes['ours'] / 1024:.0f} KiB")
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
