"""A small registration rush and a busy door through the real server (issue #5).

A real ``streamlit run app.py`` on 127.0.0.1 (fresh database, demo events), driven over
Streamlit's websocket protocol by bench/stclient.py — no browser. The demo event
"GCM celebration…" gets 30 places; then

* 50 people open its page and submit the RSVP form at the same moment: 30 confirmed and 20
  on the waiting list with places 1..20, each person shown exactly what the database holds
  for them, nobody shown an ``exception`` element;
* two door sessions (door passes) type in 25 codes each, 20 of them at both doors at about
  the same moment: exactly one green per code (green and amber for the 20), every guest in
  once, while an organizer (signed in by the session cookie on the websocket handshake)
  keeps the door page's live counter open; its last number equals ``attendance()``.

No timing is asserted. ``python bench/rush.py`` is the bigger run with timings and memory.
"""

from __future__ import annotations

import asyncio
import os
import shutil

import pytest

from bench import rush
from bench.server import ADMIN_EMAIL
from planner import Planner

PEOPLE, CAPACITY = 50, 30
DOOR_EACH, DOOR_SHARED = 25, 20


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with rush.app_server(tmp_path_factory.mktemp("rush")) as app:
        yield app


def _explain(server, problems: list[str]) -> str:
    errors = server.errors()
    return "\n".join(problems[:20]) + (f"\nserver log: {errors}" if errors else "")


def test_rush_then_busy_door(server):
    app_planner = Planner(server.db, base_url=server.url)
    event_id = rush.prepare_event(app_planner, CAPACITY, copy=False)
    admin = next(u for u in app_planner.list_users() if u.email == ADMIN_EMAIL)
    token = app_planner.start_session(admin.id)

    async def scenario():
        journeys = await asyncio.wait_for(rush.rush_at_once(rush.Target.event(server.url, event_id), PEOPLE, "T"), 120)
        door = await asyncio.wait_for(
            rush.busy_door(server.url, app_planner, event_id, token, DOOR_EACH, DOOR_SHARED, pace=0.0, limit_s=30), 120
        )
        return journeys, door

    journeys, door = asyncio.run(scenario())

    # The rush: nothing failed or lost, everyone told what the database holds.
    problems = rush.check_rsvps(app_planner, event_id, journeys, CAPACITY)
    assert not problems, _explain(server, problems)
    shown = sorted((j.shown for j in journeys), key=lambda s: (s[0], s[1] or 0))
    assert shown == [("confirmed", None)] * CAPACITY + [("waitlisted", k) for k in range(1, PEOPLE - CAPACITY + 1)]
    counts = app_planner.event_counts(event_id)
    assert (counts.confirmed, counts.waitlisted) == (CAPACITY, PEOPLE - CAPACITY)

    # The door: one green per code, the double-scanned ones green once and amber once.
    problems = rush.check_door(app_planner, event_id, door, DOOR_EACH, DOOR_SHARED)
    assert not problems, _explain(server, problems)
    unique = 2 * DOOR_EACH - DOOR_SHARED
    assert sorted(s.verdict for s in door.scans) == ["amber"] * DOOR_SHARED + ["green"] * unique
    assert app_planner.attendance(event_id).checked_in == unique
    assert door.counter[-1] == unique
    assert not server.errors(), server.errors()


def test_the_cpu_budget_line_says_where_the_cores_went_and_what_they_could_serve(monkeypatch):
    """bench/rush.py --processes: medians over the bursts; the ceiling is the cores the bench and
    the rest left, divided by the servers' CPU per journey."""
    monkeypatch.setattr(rush.os, "cpu_count", lambda: 2)

    def burst(rate, seconds, server, bench, others):
        row = rush.Row("scale", "x", 50, int(rate * seconds), 0, seconds, [])
        row.server_cpu, row.client_cpu, row.others_cpu = server * seconds, bench * seconds, others * seconds
        return row

    one = burst(250, 2.0, 1.0, 0.25, 0.0)
    pairs = [(one, burst(400, 2.0, 1.2, 0.3, 0.1)), (one, burst(300, 2.0, 1.2, 0.5, 0.1)),
             (one, burst(400, 2.0, 1.4, 0.3, 0.1))]
    line = rush.cpu_budget_line(50, 2, pairs)
    assert "servers 1.20, bench 0.30, HAProxy and the rest 0.10, idle 0.40 of 2" in line
    # 1.6 cores left; 3.5 ms a journey (median of 2.4 s/800, 2.4 s/600, 2.8 s/800) -> 457/s, 1.83x 250/s
    assert "the 1.60 cores left to the servers at 3.5 ms a journey would serve 457/s, 1.83x one process" in line


def test_the_answer_is_read_with_its_place_as_the_page_writes_it():
    """A place past 999 is written with the page's thousands separator ("place 1,002"); the
    bench reads it as the number, and a name that is not the person's is no answer for them."""
    assert rush.light_status("You’re on the waiting list, Ana Ruiz — place 1,002. You move up…", "Ana Ruiz") == \
        ("waitlisted", 1002)
    assert rush.light_status("You're on the waiting list, Ana Ruiz — place 7.", "Ana Ruiz") == ("waitlisted", 7)
    assert rush.light_status("You’re registered, Ana Ruiz! Your place is confirmed.", "Ana Ruiz") == ("confirmed", None)
    with pytest.raises(ValueError):
        rush.light_status("You’re on the waiting list, Ana Ruiz — place 1,002.", "Ana Ruis")


def test_wrk_visitors_are_told_what_the_database_holds(server, tmp_path):
    """``bench/rush.py --processes N --wrk``: Debian's wrk drives ``bench/journey.lua`` (page, form
    and answer, one connection a user); every person it logs was shown what the database holds,
    the end cuts at most one visit a user, and a person refused on the way is logged as failed."""
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed (.ci/run installs Debian's)")
        pytest.skip("wrk is not installed (apt install wrk)")
    app_planner = Planner(server.db, base_url=server.url)
    event_id = rush.prepare_event(app_planner, 10, copy=True)
    people = rush.run_wrk(rush.Target.light(server.url, event_id), 5, 2, "Wt", tmp_path)
    assert len(people) > 10 and all(j.ok for j in people), [j.error for j in people if not j.ok][:3]
    assert {j.shown[0] for j in people} == {"confirmed", "waitlisted"}
    assert rush.check_wrk_rsvps(app_planner, event_id, people, 10, 5) == []

    people[-1].shown = ("confirmed", None) if people[-1].shown[0] == "waitlisted" else ("waitlisted", 1)
    assert any("was shown" in p for p in rush.check_wrk_rsvps(app_planner, event_id, people, 10, 5))
    assert any("nobody finished a visit for" in p for p in rush.check_wrk_rsvps(app_planner, event_id, people[:-9], 10, 5))

    log = tmp_path / "refused.log"
    log.write_text("A B\ta@example.org\tfailed\tanswer: no result for A B\nC D\tc@example.org\twaitlisted\t3\n")
    refused, waiting = rush.wrk_people(log)
    assert (refused.ok, refused.error) == (False, "answer: no result for A B")
    assert (waiting.ok, waiting.shown) == (True, ("waitlisted", 3))
