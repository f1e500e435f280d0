"""How fast a guest list of 10,000 rows (and 1,000 events) is previewed and imported.

Run from the repository root:

    python bench/imports.py

It writes a CSV guest list of 10,000 rows (semicolons, as Excel saves in most of Europe) and
an events file of 1,000 rows, then times, best of three, each on a fresh database:

* ``pandas.read_csv``                      — the baseline: a bare read of the same bytes;
* ``preview_guest_import``                 — read, match columns, check every row (writes nothing);
* ``import_guests``                        — the same checks again inside the transaction, then the writes;
* ``import_guests(send_confirmations)``    — plus one outbox row per guest;
* ``preview_event_import``, ``import_events`` for the events file.

Everything is printed as rows per second and as a ratio to the baseline measured in the same
run. Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/imports.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import io  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402

import pandas as pd  # noqa: E402

from bench._bench import best_of  # noqa: E402
from planner import Planner  # noqa: E402

GUESTS = 10_000
EVENTS = 1_000


def world():
    p = Planner(Path(tempfile.mkdtemp()) / "planner.db")
    start = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    summit = p.add_summit(name="Bench Summit", timezone="America/New_York", starts_on=date.today(),
                          ends_on=date.today() + timedelta(days=400))
    venue = p.add_venue(name="Bench Venue", timezone="America/New_York")
    p.add_room(venue_id=venue.id, name="Hall", capacity=500)
    event = p.create_event(title="Bench event", starts_at=start, ends_at=start + timedelta(hours=2), capacity=500)
    p.publish_event(event.id)
    return p, event.id, summit.id


def timed(make, call) -> float:
    """Best of three, each on a fresh database (an import into the same one would skip everything)."""
    best = float("inf")
    for _ in range(3):
        args = make()
        started = time.perf_counter()
        call(*args)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    guests = ("Name;Email;Organization;Needs\n" + "".join(
        f"Guest Número {i};guest{i}@example.org;Organización {i % 50};{'Wheelchair' if i % 9 == 0 else ''}\n"
        for i in range(GUESTS))).encode("utf-8")
    first = date.today() + timedelta(days=40)
    events = ("Title,Date,Start,End,Venue,Room,Speakers\n" + "".join(
        f"Event {i},{(first + timedelta(days=i // 8)).strftime('%d/%m/%Y')},{8 + i % 8}:00,{9 + i % 8}:00,"
        f"Bench Venue,Hall,Speaker {i % 40}; Org; speaker\n" for i in range(EVENTS))).encode("utf-8")

    baseline = best_of(lambda: pd.read_csv(io.BytesIO(guests), sep=";", dtype=str, keep_default_na=False), 3)
    events_baseline = best_of(lambda: pd.read_csv(io.BytesIO(events), dtype=str, keep_default_na=False), 3)
    rows = [
        ("pandas.read_csv (guests)", GUESTS, baseline, baseline),
        ("preview_guest_import", GUESTS, timed(world, lambda p, e, s: p.preview_guest_import(e, guests, "g.csv")),
         baseline),
        ("import_guests", GUESTS, timed(world, lambda p, e, s: p.import_guests(e, guests, "g.csv")), baseline),
        ("import_guests(send_confirmations)", GUESTS,
         timed(world, lambda p, e, s: p.import_guests(e, guests, "g.csv", send_confirmations=True)), baseline),
        ("pandas.read_csv (events)", EVENTS, events_baseline, events_baseline),
        ("preview_event_import", EVENTS, timed(world, lambda p, e, s: p.preview_event_import(events, "e.csv")),
         events_baseline),
        ("import_events", EVENTS, timed(world, lambda p, e, s: p.import_events(events, "e.csv")), events_baseline),
    ]
    print(f"{'':38} {'rows':>7} {'seconds':>9} {'rows/s':>10} {'× bare read':>12}")
    for name, count, seconds, base in rows:
        print(f"{name:38} {count:7} {seconds:9.3f} {count / seconds:10.0f} {seconds / base:12.1f}")


if __name__ == "__main__":
    main()
