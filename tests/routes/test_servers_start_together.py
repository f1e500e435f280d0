"""Two ``streamlit run app.py`` servers started together on one new database (issue #9, "files").

The servers' own start (``app.py`` opens the planner before serving) is what raced: both
seeded the demo, or both made the first admin. ``tests/domain/test_two_servers_start.py``
runs the bare ``open_planner()`` ten times; this runs the real servers five times (before the
fix, one of the first three attempts usually failed).
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.server import ROOT, AppServer
from planner.demo import DEMO_EVENTS


def test_two_app_servers_started_together_on_a_new_database_both_serve_one_demo(tmp_path):
    for attempt in range(5):
        workdir = tmp_path / f"run-{attempt}"
        workdir.mkdir()
        servers = [AppServer(workdir, name=f"app-{i}") for i in range(2)]
        assert all(s.db == workdir / "planner.db" for s in servers)
        with ThreadPoolExecutor(2) as pool:
            started = list(pool.map(_start, servers))
        try:
            assert [error for error in started if error] == [], f"attempt {attempt}"
            for s in servers:
                assert s.process.poll() is None, s.log_tail()
        finally:
            for s in servers:
                s.__exit__(None, None, None)
        conn = sqlite3.connect(workdir / "planner.db")
        try:
            admins = conn.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0]
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            conn.close()
        assert (admins, events) == (1, len(DEMO_EVENTS)), f"attempt {attempt}"
    assert ROOT == Path(__file__).resolve().parents[2]  # the servers ran this checkout's app.py


def _start(server: AppServer) -> str | None:
    try:
        server.__enter__()
    except RuntimeError as err:  # exited early: its log says why
        return str(err)[-1500:]
    return None
