"""Check-in under concurrency: the same ticket at several doors at the same moment, walk-ins
racing for the last seat, and two server processes (two Planners on one file) at once.

Each round lines its threads up on a ``threading.Barrier`` so the calls start together; the
rounds are many and short, so a lost race shows up as a wrong count, not as a timing.
"""

from __future__ import annotations

import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planner import Planner, ValidationError
from planner.areas import ticket_codes as checkin
from tests.domain.conftest import FUTURE



def online_event(planner: Planner, capacity: int | None, hours_from_now: int = 0, title: str = "Race"):
    start = FUTURE + timedelta(hours=hours_from_now)
    event = planner.create_event(
        title=title, starts_at=start, ends_at=start + timedelta(hours=1),
        online_url="https://meet.example.org/race", capacity=capacity,
    )
    return planner.publish_event(event.id)


def register_many(planner: Planner, event_id: int, count: int, prefix: str = "guest"):
    return [planner.register(event_id, name=f"Guest {n}", email=f"{prefix}{n}@example.org") for n in range(count)]


def together(pool: ThreadPoolExecutor, calls: list) -> list:
    """Run every call on its own thread, released at the same instant; results (or the
    exception raised) in call order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            return error

    return [f.result() for f in [pool.submit(run, call) for call in calls]]


# ---------------------------------------------------------------------- one code, several doors


def test_one_code_at_two_doors_at_once_checks_in_exactly_once(planner):
    event = online_event(planner, capacity=500)
    regs = register_many(planner, event.id, 200)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n, r in enumerate(regs):
            # One door scans the QR code (a URL), the other taps the guest in the list or
            # types the code.
            second = (
                (lambda r=r: planner.check_in_registration(r.id, event.id, door="South"))
                if n % 2 else (lambda r=r: planner.check_in(r.ticket_code.lower(), event.id, door="South"))
            )
            north, south = together(pool, [lambda r=r: planner.check_in(planner.ticket_url(r), event.id, door="North"), second])
            results = {"North": north, "South": south}
            for result in results.values():
                assert not isinstance(result, Exception), repr(result)
                assert result.registration.id == r.id
            verdicts = sorted(x.verdict for x in results.values())
            assert verdicts == ["already_checked_in", "checked_in"], f"round {n}: {verdicts}"
            (winner,) = [door for door, x in results.items() if x.verdict == "checked_in"]
            (loser,) = [x for x in results.values() if x.verdict == "already_checked_in"]
            assert loser.first_door == winner
            assert loser.first_at == results[winner].registration.checked_in_at
    attendance = planner.attendance(event.id)
    assert (attendance.confirmed, attendance.checked_in) == (200, 200)
    scans = planner.scans(event.id)
    assert len(scans) == 400
    assert sum(s.verdict == "checked_in" for s in scans) == 200
    assert sum(s.verdict == "already_checked_in" for s in scans) == 200
    assert {s.registration_id for s in scans if s.verdict == "checked_in"} == {r.id for r in regs}


def test_one_code_at_eight_doors_at_once_checks_in_exactly_once(planner):
    event = online_event(planner, capacity=100)
    regs = register_many(planner, event.id, 25)
    doors = [f"Door {d}" for d in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for r in regs:
            results = together(pool, [lambda d=d, r=r: planner.check_in(r.checkin_code, event.id, door=d) for d in doors])
            assert not any(isinstance(x, Exception) for x in results), results
            verdicts = [x.verdict for x in results]
            assert verdicts.count("checked_in") == 1 and verdicts.count("already_checked_in") == 7, verdicts
            winner = doors[verdicts.index("checked_in")]
            assert {x.first_door for x in results if x.verdict == "already_checked_in"} == {winner}
            stored = [g for g in planner.registrations(event.id) if g.id == r.id][0]
            assert stored.checked_in_door == winner
    assert planner.attendance(event.id).checked_in == 25
    assert len(planner.scans(event.id)) == 25 * 8


def test_two_processes_checking_in_the_same_code_let_the_guest_in_once(tmp_path):
    """Two Planners on one file stand for two server processes: the in-process write lock
    does not cover them, so only the database transaction can."""
    a = Planner(tmp_path / "planner.db")
    b = Planner(tmp_path / "planner.db")
    event = online_event(a, capacity=200)
    regs = register_many(a, event.id, 60)
    with ThreadPoolExecutor(max_workers=4) as pool:
        for r in regs:
            results = together(pool, [
                lambda r=r: a.check_in(r.checkin_code, event.id, door="A1"),
                lambda r=r: b.check_in(r.checkin_code, event.id, door="B1"),
                lambda r=r: a.check_in(r.checkin_code, event.id, door="A2"),
                lambda r=r: b.check_in(r.checkin_code, event.id, door="B2"),
            ])
            assert not any(isinstance(x, Exception) for x in results), results
            verdicts = sorted(x.verdict for x in results)
            assert verdicts == ["already_checked_in"] * 3 + ["checked_in"], verdicts
    assert b.attendance(event.id).checked_in == 60
    assert len(a.scans(event.id)) == 240


def test_undo_racing_a_new_scan_leaves_a_consistent_state(planner):
    """A volunteer undoes a check-in while another door scans the same ticket: whichever
    comes first, the final state matches the last verdict recorded."""
    event = online_event(planner, capacity=100)
    regs = register_many(planner, event.id, 30)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for r in regs:
            planner.check_in(r.checkin_code, event.id, door="North")
            undone, scanned = together(pool, [
                lambda r=r: planner.undo_check_in(r.id),
                lambda r=r: planner.check_in(r.checkin_code, event.id, door="South"),
            ])
            assert not isinstance(undone, Exception) and not isinstance(scanned, Exception), (undone, scanned)
            stored = [g for g in planner.registrations(event.id) if g.id == r.id][0]
            last = [s.verdict for s in planner.scans(event.id) if s.registration_id == r.id][0]
            if scanned.verdict == "checked_in":  # the undo came first
                assert last == "checked_in" and stored.checked_in_door == "South"
            else:  # the scan came first and was told "already"; then the undo
                assert scanned.verdict == "already_checked_in" and last == "undone"
                assert stored.checked_in_at is None


# ---------------------------------------------------------------------- walk-ins and the last seats


@pytest.mark.parametrize("round_", range(6))
def test_walk_ins_racing_for_the_last_seats_never_pass_the_capacity(planner, round_):
    capacity, registered, rushing = 6, 3, 12
    event = online_event(planner, capacity=capacity)
    register_many(planner, event.id, registered)
    with ThreadPoolExecutor(max_workers=rushing) as pool:
        results = together(pool, [
            lambda n=n: planner.walk_in(event.id, name=f"Walk-in {n}", door=f"Door {n % 3}") for n in range(rushing)
        ])
    admitted = [x for x in results if not isinstance(x, Exception)]
    refused = [x for x in results if isinstance(x, Exception)]
    assert len(admitted) == capacity - registered, results
    assert all(isinstance(x, ValidationError) and x.field == "capacity" for x in refused), refused
    attendance = planner.attendance(event.id)
    assert (attendance.confirmed, attendance.walk_ins, attendance.checked_in) == (registered, capacity - registered, capacity - registered)
    assert attendance.expected == capacity
    assert sum(s.verdict == "walk_in" for s in planner.scans(event.id)) == capacity - registered


def test_walk_ins_at_two_processes_racing_for_the_last_seat(tmp_path):
    a = Planner(tmp_path / "planner.db")
    b = Planner(tmp_path / "planner.db")
    with ThreadPoolExecutor(max_workers=6) as pool:
        for n in range(10):
            event = online_event(a, capacity=3, hours_from_now=2 * n)
            register_many(a, event.id, 2, prefix=f"r{n}-")
            results = together(pool, [
                lambda k=k: (a if k % 2 else b).walk_in(event.id, name=f"Walk-in {k}") for k in range(6)
            ])
            admitted = [x for x in results if not isinstance(x, Exception)]
            assert len(admitted) == 1, results
            assert all(isinstance(x, ValidationError) for x in results if isinstance(x, Exception)), results
            assert a.attendance(event.id).expected == 3


def test_a_walk_in_and_a_registration_racing_for_the_last_seat(planner):
    """The walk-in and the online RSVP never both get the last seat."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(20):
            event = online_event(planner, capacity=2, hours_from_now=2 * n)
            register_many(planner, event.id, 1, prefix=f"e{n}-")
            walked, rsvp = together(pool, [
                lambda: planner.walk_in(event.id, name="At the door"),
                lambda: planner.register(event.id, name="Online", email="online@example.org"),
            ])
            assert not isinstance(rsvp, Exception), rsvp
            if isinstance(walked, Exception):  # the RSVP took the seat first
                assert isinstance(walked, ValidationError) and walked.field == "capacity"
                assert rsvp.status == "confirmed"
            else:
                assert rsvp.status == "waitlisted"
            counts = planner.event_counts(event.id)
            assert counts.confirmed == 2, counts


# ---------------------------------------------------------------------- the key, made once


def test_processes_starting_together_agree_on_one_key():
    """Several processes starting on a fresh data folder at once (threads stand in for them
    here) must all start, with one and the same 32-byte key. ``load_key`` creates the file
    with O_EXCL and writes it afterwards, so a racer that finds it missing and then loses the
    O_EXCL race fails with FileExistsError, and one that reads it between creation and write
    sees an empty or partial file and stops with "damaged" (before that was refused, it took
    an empty HMAC key)."""
    failures = []
    with tempfile.TemporaryDirectory() as root, ThreadPoolExecutor(max_workers=8) as pool:
        for n in range(60):
            folder = Path(root) / f"data{n}"
            folder.mkdir()
            keys = together(pool, [lambda: checkin.load_key(folder)] * 8)
            on_disk = bytes.fromhex((folder / checkin.KEY_FILE_NAME).read_text())
            if not all(isinstance(k, bytes) and k == on_disk for k in keys) or len(on_disk) != 32:
                failures.append([k if isinstance(k, Exception) else len(k) for k in keys])
    assert not failures, f"{len(failures)} of 60 starts disagreed, e.g. key lengths/errors {failures[0]}"
