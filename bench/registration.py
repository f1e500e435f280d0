"""What one ``Planner.register()`` costs, next to the bare SQLite insert it boils down to.

Run from the repository root:

    python bench/registration.py

It makes a throw-away database with one published event of capacity 1,500 and registers
2,000 people through the public API (so the first 1,500 take a seat and the last 500 join the
waiting list: both paths run). Each call validates the name and email, makes a private-link
token, opens its own connection, takes the write lock, checks the event is open, looks for the
same email, counts the seats taken, inserts, reads the row back (with its waiting-list
position) and commits.

The baseline is plain ``sqlite3`` in this same process, on the same file system: the same
2,000 rows (same columns, same table definition and indexes, taken from ``planner/db.py``)
inserted into a WAL-mode database on one open connection, one ``BEGIN IMMEDIATE … COMMIT``
transaction each, with the row values (token hashes included) prepared beforehand. It is the
floor: what durably writing one row per transaction costs on this machine.

A third, diagnostic line repeats the 2,000 calls while another connection keeps the file
open. SQLite checkpoints the write-ahead log into the database (and deletes it) whenever the
last connection to a WAL file closes; the planner opens and closes one connection per call,
so on a quiet database every write also pays a checkpoint. The difference between the two
register() lines is what those checkpoints cost.

Absolute times depend on the disk, so the ratio register() ÷ baseline is what to compare
between machines and between versions. Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/registration.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from planner import Planner  # noqa: E402
from planner import security  # noqa: E402
from planner.db import MIGRATIONS, to_db_time  # noqa: E402

CALLS = 2000
CAPACITY = 1500


def people(n: int) -> list[dict]:
    return [
        {
            "name": f"Person {i}",
            "email": f"person{i}@example.org",
            "organization": f"Organization {i % 40}",
            "needs": "Step-free access" if i % 7 == 0 else "",
        }
        for i in range(n)
    ]


def time_register(directory: Path, rows: list[dict], *, hold_open: bool = False) -> tuple[float, dict]:
    """``hold_open``: keep one more connection open on the file meanwhile, as a diagnosis.

    SQLite checkpoints the write-ahead log and deletes it whenever the *last* connection to a
    WAL database closes, and the planner opens and closes a connection per call, so without
    another connection open every register() also pays a checkpoint."""
    planner = Planner(directory / ("planner-held.db" if hold_open else "planner.db"))
    keeper = sqlite3.connect(planner.path) if hold_open else None
    if keeper is not None:
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
    start = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    event = planner.create_event(
        title="Benchmark side event",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        online_url="https://meet.example.org/bench",
        capacity=CAPACITY,
    )
    planner.publish_event(event.id)
    statuses = {"confirmed": 0, "waitlisted": 0}
    started = time.perf_counter()
    for row in rows:
        statuses[planner.register(event.id, **row).status] += 1
    elapsed = time.perf_counter() - started
    if keeper is not None:
        keeper.close()
    counts = planner.event_counts(event.id)
    assert (counts.confirmed, counts.waitlisted) == (min(CAPACITY, len(rows)), max(len(rows) - CAPACITY, 0)), counts
    return elapsed, statuses


def time_baseline(directory: Path, rows: list[dict]) -> float:
    conn = sqlite3.connect(directory / "baseline.db", isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        for sql in MIGRATIONS[1]:  # the registrations table and its indexes, as the planner has them
            conn.execute(sql)
        now = to_db_time(datetime.now(UTC))
        values = [
            (
                1,
                row["name"],
                row["email"],
                row["organization"],
                row["needs"],
                "confirmed" if i < CAPACITY else "waitlisted",
                security.token_hash(security.new_token()),
                now,
                now,
                now if i < CAPACITY else None,
            )
            for i, row in enumerate(rows)
        ]
        sql = (
            "INSERT INTO registrations (event_id, name, email, organization, needs, status, token_hash,"
            " created_at, updated_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        started = time.perf_counter()
        for value in values:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(sql, value)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        assert conn.execute("SELECT count(*) FROM registrations").fetchone()[0] == len(rows)
        return elapsed
    finally:
        conn.close()


def main() -> None:
    began = time.perf_counter()
    rows = people(CALLS)
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        baseline = time_baseline(directory, rows)
        register, statuses = time_register(directory, rows)
        held, _ = time_register(directory, rows, hold_open=True)

    def line(label: str, seconds: float) -> str:
        return f"  {label:<34} {seconds:8.3f} s  {seconds / CALLS * 1e6:9.1f} µs per call"

    print(f"{CALLS:,} registrations, one event of capacity {CAPACITY:,} "
          f"({statuses['confirmed']:,} confirmed, {statuses['waitlisted']:,} waitlisted)")
    print(line("bare sqlite3 insert (baseline)", baseline))
    print(line("Planner.register()", register))
    print(f"  ratio register() ÷ baseline      {register / baseline:8.2f}×")
    print()
    print("diagnosis: the same 2,000 calls while another connection keeps the file open, so closing")
    print("each call's connection does not checkpoint the write-ahead log:")
    print(line("Planner.register(), file held open", held))
    print(f"  ratio to baseline                {held / baseline:8.2f}×   "
          f"(checkpoints are {max(register - held, 0) / register:.0%} of register()'s time)")
    print(f"\ntotal {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
