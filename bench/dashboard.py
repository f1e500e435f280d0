"""Whether the organizer's events table and the reports page stay fast on a big database.

Run from the repository root:

    python bench/dashboard.py                 # 10 events, then 1,000 / 100,000 / 60,000
    python bench/dashboard.py --scale 0.1     # a tenth of the big one, for a quick look

Two throw-away databases of the same shape: a small one (10 events, 100 registrations and 60
scans each) and a big one (1,000 events, 100,000 registrations, 60,000 scans by default). A
``Planner`` creates each file and its schema; summits, venues, rooms, organizations, events
(hosts and co-sponsors), registrations (confirmed, waiting, cancelled, walk-ins, checked in
or not) and scans are then inserted by plain ``sqlite3`` ``executemany`` in one transaction
(through ``Planner.register()`` 100,000 registrations would take minutes), with the check-in
codes computed under the planner's own key, so opening it finds nothing to fix. Half the
events are over (so no-shows count), half to come.

Timed on each, best of several runs, in this one process:

* the Planner queries under the organizer's events table: ``list_events()``,
  ``all_event_counts()``, ``conflicts()``;
* the Planner queries under the reports page, for every event (``report_summary``,
  ``registrations_over_time``, ``by_organization``, ``organizer_turnout``) and for one event
  (the same and ``arrivals``);
* AppTest runs of the events page (``organize.py``) and of the reports page, for every event
  and for one event: the page opened, then a rerun (what every click on the page costs).

The baseline is the small database measured in the same run: the ratio big ÷ small says how
each grows with 100 times the events and registrations. Counting in SQL (``GROUP BY``) keeps
the reports' queries well under that 100×; what grows most is what lists every event (the
pickers, the events table). Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/dashboard.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import hashlib  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from bench._bench import best_of, ms  # noqa: E402
from planner import Planner  # noqa: E402
from planner.areas import ticket_codes  # noqa: E402
from planner.db import to_db_time  # noqa: E402

MAIN = str(Path(__file__).resolve().parents[1] / "planner" / "ui" / "main.py")
ORGANIZATIONS = ["Red Andina", "red andína", "CELS", "Oficina Sur", "Fondo Verde", "Radio Comunitaria",
                 "Coalición Migrante", "coalicion migrante", "Centro Legal", ""]
ROOMS_PER_VENUE, VENUES, SUMMITS = 5, 6, 4


def build(path: Path, events: int, registrations: int, scans: int, seed: int = 11) -> float:
    started = time.perf_counter()
    planner = Planner(path)
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    stamp = to_db_time(now)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    zones = ["America/New_York", "America/Lima", "Europe/Berlin", "Africa/Nairobi"]
    for s in range(SUMMITS):
        day = (now + timedelta(days=30 * s - 45)).date()
        conn.execute("INSERT INTO summits (name, city, timezone, starts_on, ends_on) VALUES (?, ?, ?, ?, ?)",
                     (f"Summit {s + 1}", "City", zones[s], day.isoformat(), (day + timedelta(days=6)).isoformat()))
    rooms = []
    for v in range(VENUES):
        venue = conn.execute("INSERT INTO venues (name, timezone) VALUES (?, ?)", (f"Venue {v + 1}", zones[v % 4])).lastrowid
        for r in range(ROOMS_PER_VENUE):
            rooms.append((conn.execute("INSERT INTO rooms (venue_id, name, capacity) VALUES (?, ?, 500)",
                                       (venue, f"Room {r + 1}")).lastrowid, zones[v % 4]))
    org_ids = [conn.execute("INSERT INTO organizations (name, name_key) VALUES (?, ?)",
                            (f"Host {n}", f"host {n}")).lastrowid for n in range(40)]
    event_rows, starts = [], {}
    for e in range(1, events + 1):
        # Half the events are over (their no-shows count), half still to come; a few cancelled.
        start = now + timedelta(days=rng.randint(-40, 40), hours=rng.randint(-6, 6))
        room, zone = rooms[e % len(rooms)]
        status = "cancelled" if e % 25 == 0 else "published"
        starts[e] = start
        event_rows.append((e, f"{uuid.uuid4()}@bench", f"Side event {e}", 1 + e % SUMMITS, room, "in_person", zone,
                           to_db_time(start), to_db_time(start + timedelta(hours=2)), status, stamp, stamp,
                           to_db_time(start - timedelta(days=20))))
    conn.executemany(
        "INSERT INTO events (id, uid, title, summit_id, room_id, format, timezone, starts_at, ends_at, status,"
        " created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
    conn.executemany("INSERT INTO event_organizations (event_id, position, organization_id, role) VALUES (?, ?, ?, ?)",
                     [(e, p, org_ids[(e * 3 + p) % len(org_ids)], ("host", "co-sponsor", "endorser")[p])
                      for e in range(1, events + 1) for p in range(3)])
    key = ticket_codes.load_key(path.parent)
    rows, checked_in = [], []
    for i in range(1, registrations + 1):
        event = 1 + (i - 1) % events
        start = starts[event]
        made = start - timedelta(days=20) + timedelta(minutes=rng.randint(0, 19 * 24 * 60))
        walk_in = i % 50 == 0
        status = "confirmed" if walk_in else rng.choices(("confirmed", "waitlisted", "cancelled"), (80, 8, 12))[0]
        came = walk_in or (status == "confirmed" and rng.random() < 0.7)
        arrived = to_db_time(start + timedelta(minutes=rng.randint(-20, 40))) if came else None
        if came:
            checked_in.append((event, i, arrived))
        rows.append((i, event, f"Guest {i}", "" if walk_in else f"guest{i}@example.org",
                     rng.choice(ORGANIZATIONS), status, hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
                     to_db_time(made), to_db_time(made), to_db_time(made) if status == "confirmed" else None,
                     to_db_time(made) if status == "cancelled" else None, ticket_codes.code_for(key, i), arrived,
                     "Main door" if came else None, int(walk_in)))
    conn.executemany(
        "INSERT INTO registrations (id, event_id, name, email, organization, status, token_hash, created_at,"
        " updated_at, confirmed_at, cancelled_at, checkin_code, checked_in_at, checked_in_door, walk_in, link_derived)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", rows)
    scan_rows = [(e, r, "Main door", "checked_in", at) for e, r, at in checked_in[:scans]]
    while len(scan_rows) < scans:  # second scans and unknown codes make up the rest
        e, r, at = checked_in[len(scan_rows) % len(checked_in)]
        scan_rows.append((e, r, "Main door", "already_checked_in", at))
    conn.executemany("INSERT INTO scans (event_id, registration_id, door, verdict, scanned_at) VALUES (?, ?, ?, ?, ?)",
                     scan_rows)
    conn.execute("COMMIT")
    conn.close()
    del planner
    return time.perf_counter() - started


def planner_queries(planner: Planner, event_id: int, runs: int) -> dict[str, float]:
    calls = {
        "events table: list_events()": planner.list_events,
        "events table: all_event_counts()": planner.all_event_counts,
        "events table: conflicts()": planner.conflicts,
        "reports, all: report_summary()": planner.report_summary,
        "reports, all: registrations_over_time()": planner.registrations_over_time,
        "reports, all: by_organization()": planner.by_organization,
        "reports, all: organizer_turnout()": planner.organizer_turnout,
        "reports, event: report_summary(event_id)": lambda: planner.report_summary(event_id=event_id),
        "reports, event: registrations_over_time(id)": lambda: planner.registrations_over_time(event_id),
        "reports, event: arrivals(id)": lambda: planner.arrivals(event_id),
        "reports, event: by_organization(event_id=)": lambda: planner.by_organization(event_id=event_id),
    }
    return {name: best_of(call, runs) for name, call in calls.items()}


def page_runs(path: Path, event_id: int, runs: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from planner.config import open_planner, settings_from_env

    os.environ.update(PLANNER_DB=str(path), PLANNER_DEMO="off", PLANNER_ADMIN_EMAIL="admin@example.org",
                      PLANNER_ADMIN_PASSWORD="correct-horse-battery")
    planner = open_planner(settings_from_env(), start_sender=False)
    admin = next(u for u in planner.list_users() if u.email == "admin@example.org")
    found: dict[str, float] = {}

    def opened(page: str, **query):
        at = AppTest.from_file(MAIN, default_timeout=300)
        at.session_state["session_token"] = planner.start_session(admin.id)
        for name, value in query.items():
            at.query_params[name] = value
        at.run()
        started = time.perf_counter()
        at.switch_page(page).run()
        elapsed = time.perf_counter() - started
        assert not at.exception, [e.value for e in at.exception]
        return at, elapsed

    for label, page, query in (("events page (organize.py)", "organize.py", {}),
                               ("reports page, all events", "reports.py", {}),
                               ("reports page, one event", "reports.py", {"id": str(event_id)})):
        best_open = best_rerun = float("inf")
        opened(page, **query)  # a first run imports and warms what every later one reuses: not counted
        for _ in range(runs):
            at, elapsed = opened(page, **query)
            best_open = min(best_open, elapsed)
            started = time.perf_counter()
            at.run()
            best_rerun = min(best_rerun, time.perf_counter() - started)
        found[f"AppTest: {label}, opened"] = best_open
        found[f"AppTest: {label}, rerun"] = best_rerun
    return found


def measure(path: Path, runs: int, page_repeats: int) -> dict[str, float]:
    planner = Planner(path)
    # The busiest event: the one the reports of "one event" show.
    with sqlite3.connect(path) as conn:
        event_id = conn.execute("SELECT event_id FROM registrations GROUP BY event_id ORDER BY count(*) DESC LIMIT 1"
                                ).fetchone()[0]
    return {**planner_queries(planner, event_id, runs), **page_runs(path, event_id, page_repeats)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the big database's size (1: 1,000 events…)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each Planner query (the best counts)")
    parser.add_argument("--page-runs", type=int, default=3, help="AppTest runs of each page (the best counts)")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    big = (max(10, int(1_000 * args.scale)), max(100, int(100_000 * args.scale)), max(60, int(60_000 * args.scale)))
    small = (10, 1_000, 600)
    began = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (events, registrations, scans) in (("small", small), ("big", big)):
            path = Path(folder) / name / "planner.db"
            built = build(path, events, registrations, scans)
            print(f"{name}: {events:,} events, {registrations:,} registrations, {scans:,} scans, built in {built:.1f} s",
                  flush=True)
            results[name] = measure(path, args.runs, args.page_runs)
    print()
    print(f"{'':52} {'small':>11} {'big':>11}   big ÷ small")
    for label in results["small"]:
        s, b = results["small"][label], results["big"][label]
        print(f"{label:52} {ms(s)} {ms(b)}   {b / s:7.1f}×")
    print(f"\ntotal {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
