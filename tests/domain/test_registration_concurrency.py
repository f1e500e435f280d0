"""Registrations under a rush: many threads sharing one Planner (as Streamlit sessions do)
never oversell seats, never lose a place in line, never give one email two places, and never
fail with "database is locked"."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.threads import run_together

from planner import Planner
from tests.domain.conftest import FUTURE



def check_invariants(planner, event_id, ceiling: int | None = None):
    """Seats never oversold, nobody waits beside a free seat, positions 1..n in arrival order.

    ``ceiling`` is the most that may be confirmed when the capacity was lowered meanwhile
    (lowering never removes anyone already confirmed); the capacity by default."""
    regs = planner.registrations(event_id)
    counts = planner.event_counts(event_id)
    waiting = [r for r in regs if r.status == "waitlisted"]
    confirmed = [r for r in regs if r.status == "confirmed"]
    assert (counts.confirmed, counts.waitlisted) == (len(confirmed), len(waiting))
    limit = counts.capacity if ceiling is None else ceiling
    assert counts.confirmed <= limit, f"{counts.confirmed} confirmed for {limit} seats"
    if counts.confirmed < counts.capacity:
        assert not waiting, "people wait while a seat is free"
    assert [r.position for r in waiting] == list(range(1, len(waiting) + 1))
    assert [r.id for r in waiting] == sorted(r.id for r in waiting)
    active = [r.email for r in confirmed + waiting]
    assert len(active) == len(set(active)), "one email holds two places"
    return counts


@pytest.mark.parametrize("round_", range(3))
def test_64_people_rush_20_seats(planner, open_event, round_):
    event = open_event(capacity=20)
    results = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        r = planner.register(event.id, name=f"Person {n}", email=f"round{round_}.person{n}@example.org")
        with lock:
            results.append(r)

    errors = run_together(worker, 64)
    assert errors == [], [repr(e) for e in errors]
    assert len(results) == 64
    counts = check_invariants(planner, event.id)
    assert (counts.confirmed, counts.waitlisted, counts.cancelled) == (20, 44, 0)
    # What each caller was told matches what was stored, and the first 20 to arrive got the seats.
    by_id = sorted(results, key=lambda r: r.id)
    assert [r.status for r in by_id] == ["confirmed"] * 20 + ["waitlisted"] * 44
    assert [r.position for r in by_id[20:]] == list(range(1, 45))
    assert len({r.manage_token for r in results}) == 64
    assert sorted(r.id for r in planner.registrations(event.id)) == [r.id for r in by_id]


def test_the_last_seat_goes_to_exactly_one_person(planner, open_event):
    event = open_event(capacity=1)
    errors = run_together(
        lambda n: planner.register(event.id, name=f"P{n}", email=f"p{n}@example.org"), 16
    )
    assert errors == [], [repr(e) for e in errors]
    counts = check_invariants(planner, event.id)
    assert (counts.confirmed, counts.waitlisted) == (1, 15)


@pytest.mark.parametrize("round_", range(3))
def test_cancellations_racing_registrations_never_oversell(planner, open_event, round_):
    """20 seats taken; 10 of them cancel (half through their link, half by an organizer) while
    30 newcomers register and a reader keeps checking the invariants."""
    event = open_event(capacity=20)
    seated = [
        planner.register(event.id, name=f"Seated {n}", email=f"seated{n}@example.org") for n in range(20)
    ]
    assert {r.status for r in seated} == {"confirmed"}
    leaving = seated[:10]
    done = threading.Event()
    observed: list[tuple[int, int]] = []
    reader_errors: list[BaseException] = []

    def reader() -> None:
        try:
            while not done.is_set():
                counts = planner.event_counts(event.id)
                observed.append((counts.confirmed, counts.waitlisted))
                assert counts.confirmed <= 20, f"{counts.confirmed} confirmed for 20 seats"
                waiting = planner.registrations(event.id, status="waitlisted")
                assert [r.position for r in waiting] == list(range(1, len(waiting) + 1))
        except BaseException as error:  # noqa: BLE001
            reader_errors.append(error)

    def worker(n: int) -> None:
        if n < 10:
            if n % 2:
                planner.cancel_registration(leaving[n].manage_token)
            else:
                planner.cancel_registration_for(leaving[n].id)
        else:
            planner.register(event.id, name=f"New {n}", email=f"new{n}@example.org")

    watcher = threading.Thread(target=reader)
    watcher.start()
    try:
        errors = run_together(worker, 40)
    finally:
        done.set()
        watcher.join(timeout=30)
    assert errors == [] and reader_errors == [], [repr(e) for e in errors + reader_errors]
    assert observed, "the reader never ran"
    counts = check_invariants(planner, event.id)
    assert (counts.confirmed, counts.waitlisted, counts.cancelled) == (20, 20, 10)
    assert {planner.registration(r.manage_token).status for r in leaving} == {"cancelled"}
    assert {planner.registration(r.manage_token).status for r in seated[10:]} == {"confirmed"}


def test_capacity_changes_racing_registrations_and_cancellations(planner, open_event):
    """An organizer raises and lowers the capacity while people come and go: nobody is ever
    confirmed beyond the highest capacity set, and every seat of the final one is filled."""
    event = open_event(capacity=5)
    first = [planner.register(event.id, name=f"F{n}", email=f"f{n}@example.org") for n in range(10)]

    def worker(n: int) -> None:
        if n < 5:
            planner.cancel_registration(first[n].manage_token)
        elif n < 25:
            planner.register(event.id, name=f"N{n}", email=f"n{n}@example.org")
        else:
            from planner import StaleEdit

            for capacity in (8, 3, 12, 6):
                while True:
                    try:
                        current = planner.get_event(event.id)
                        planner.update_event(event.id, version=current.version, capacity=capacity)
                        break
                    except StaleEdit:
                        continue

    errors = run_together(worker, 27)
    assert errors == [], [repr(e) for e in errors]
    counts = check_invariants(planner, event.id, ceiling=12)
    assert counts.capacity == 6
    assert counts.confirmed + counts.waitlisted == 25
    assert counts.confirmed >= counts.capacity  # enough people wait to fill every seat


def test_one_email_submitted_by_10_threads_gets_one_registration(planner, open_event):
    event = open_event(capacity=5)
    spellings = ["ana@example.org", " Ana@Example.org", "ANA@EXAMPLE.ORG ", "\tana@example.ORG"]
    results = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        r = planner.register(event.id, name=f"Ana {n}", email=spellings[n % len(spellings)])
        with lock:
            results.append(r)

    errors = run_together(worker, 10)
    assert errors == [], [repr(e) for e in errors]
    assert len(planner.registrations(event.id)) == 1
    assert len({r.id for r in results}) == 1
    fresh = [r for r in results if not r.already_registered]
    assert len(fresh) == 1 and fresh[0].manage_token
    assert all(r.manage_token is None for r in results if r.already_registered)
    counts = check_invariants(planner, event.id)
    assert (counts.confirmed, counts.waitlisted) == (1, 0)


def test_two_planners_on_one_file_never_oversell(planner, open_event):
    """Two Planner objects (as two app processes would have) share the file but not the lock:
    BEGIN IMMEDIATE and the busy timeout must still keep the seats right."""
    event = open_event(capacity=10)
    second = Planner(planner.path)
    errors = run_together(
        lambda n: (planner if n % 2 else second).register(event.id, name=f"P{n}", email=f"p{n}@example.org"), 30
    )
    assert errors == [], [repr(e) for e in errors]
    counts = check_invariants(planner, event.id)
    assert (counts.confirmed, counts.waitlisted) == (10, 20)
