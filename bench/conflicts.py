"""How ``Planner.conflicts()`` grows with the number of events.

Run from the repository root:

    python bench/conflicts.py

It builds two throw-away databases through the public API, of 200 and of 2,000 events
spread over 15 days and 30 rooms, with speakers drawn from a pool so that some of them are
double-booked, then times (best of several runs):

* ``list_events()``   — the baseline: just loading every event with its speakers and
                        organizations, which ``conflicts()`` has to do anyway;
* ``conflicts()``     — all clashes;
* ``conflicts(id)``   — the clashes of one event (what the editor shows);
* the sweep alone     — ``find_conflicts`` over events already in memory.

Absolute times depend on the machine, so everything is also printed as a ratio to the
baseline measured in this same process, and 2,000 is compared with 200. With the sweep the
module promises (work grows with events plus clashes, not with all pairs), ``conflicts()``
should stay a small multiple of the baseline, and 10× the events should cost roughly 10×,
not 100×. Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/conflicts.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from planner import Planner  # noqa: E402
from planner.areas.conflicts import find_conflicts  # noqa: E402

from bench._bench import best_of, ms  # noqa: E402

SIZES = (200, 2000)
DAYS = 15
VENUES = 3
ROOMS_PER_VENUE = 10
RUNS = 5
ZONE = "America/New_York"
FIRST_DAY = date(2026, 10, 12)


def build(path: Path, events: int, seed: int = 2026) -> Planner:
    """A planner with ``events`` events over ``DAYS`` days in 30 rooms, some double-booked."""
    rng = random.Random(seed)
    planner = Planner(path)
    summit = planner.add_summit(
        name="Benchmark Summit", city="New York", timezone=ZONE,
        starts_on=FIRST_DAY, ends_on=FIRST_DAY + timedelta(days=DAYS - 1),
    )
    rooms = []
    for v in range(VENUES):
        venue = planner.add_venue(name=f"Venue {v + 1}", timezone=ZONE)
        rooms += [
            planner.add_room(venue_id=venue.id, name=f"Room {r + 1}", capacity=rng.randint(20, 200))
            for r in range(ROOMS_PER_VENUE)
        ]
    # About one speaker per two events, so popular people end up in two places at once.
    pool = [
        {"name": f"Speaker {n}", "affiliation": f"Organization {n % 40}",
         "email": f"speaker{n}@example.org" if n % 3 else None}
        for n in range(max(20, events // 2))
    ]
    organizations = [f"Organization {n}" for n in range(40)]
    zone = ZoneInfo(ZONE)
    for n in range(events):
        # A few events fall on the day before the summit, so every kind of clash shows up.
        day = FIRST_DAY + timedelta(days=-1 if rng.random() < 0.01 else rng.randrange(DAYS))
        start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=zone) + timedelta(minutes=30 * rng.randrange(22))
        end = start + timedelta(minutes=30 * rng.randint(2, 6))
        online = rng.random() < 0.1
        planner.create_event(
            title=f"Side event {n + 1}",
            summit_id=summit.id,
            room_id=None if online else rng.choice(rooms).id,
            online_url="https://meet.example.org/" + str(n) if online or rng.random() < 0.2 else None,
            starts_at=start,
            ends_at=end,
            speakers=[dict(s, role=rng.choice(("chair", "speaker"))) for s in rng.sample(pool, rng.randint(1, 3))],
            organizations=[{"name": o, "role": "host"} for o in rng.sample(organizations, rng.randint(1, 2))],
            allow_past=True,  # fixed dates in October 2026: a measurement, not an organizer's typo
        )
    return planner



def measure(planner: Planner) -> dict:
    events = planner.list_events()
    middle = events[len(events) // 2].id
    found = planner.conflicts()
    return {
        "events": len(events),
        "clashes": len(found),
        "by_kind": {k: sum(c.kind == k for c in found) for k in ("room", "speaker", "outside_summit")},
        "baseline": best_of(planner.list_events),
        "conflicts": best_of(planner.conflicts),
        "one_event": best_of(lambda: planner.conflicts(middle)),
        "sweep": best_of(lambda: find_conflicts(events)),
    }



def main() -> None:
    started = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for size in SIZES:
            t = time.perf_counter()
            planner = build(Path(directory) / f"bench-{size}.db", size)
            print(f"built {size:>5} events in {time.perf_counter() - t:5.1f} s", flush=True)
            results[size] = measure(planner)

    print()
    print(f"best of {RUNS} runs; ratios are to list_events() on the same database (the baseline)")
    print(f"{'events':>7} {'clashes':>8}  {'list_events':>11}  {'conflicts()':>11} {'÷base':>6}"
          f"  {'conflicts(id)':>13} {'÷base':>6}  {'sweep only':>11} {'÷base':>6}")
    for size, r in results.items():
        base = r["baseline"]
        print(
            f"{r['events']:>7} {r['clashes']:>8}  {ms(base):>11}  {ms(r['conflicts']):>11} {r['conflicts'] / base:6.2f}"
            f"  {ms(r['one_event']):>13} {r['one_event'] / base:6.2f}  {ms(r['sweep']):>11} {r['sweep'] / base:6.2f}"
        )
        print(f"{'':>7} {'':>8}  clashes by kind: {r['by_kind']}")

    small, large = (results[s] for s in SIZES)
    growth = SIZES[1] / SIZES[0]
    print()
    print(f"growth from {SIZES[0]} to {SIZES[1]} events ({growth:.0f}× the events):")
    for key, label in (("baseline", "list_events()"), ("conflicts", "conflicts()"),
                       ("one_event", "conflicts(id)"), ("sweep", "sweep only")):
        print(f"  {label:<14} {large[key] / small[key]:6.1f}×")
    print(f"  {'clashes found':<14} {large['clashes'] / max(small['clashes'], 1):6.1f}×")
    print(f"  conflicts() ÷ list_events() went from {small['conflicts'] / small['baseline']:.2f} "
          f"to {large['conflicts'] / large['baseline']:.2f}")
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
