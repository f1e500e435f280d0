"""Two servers started at the same moment on a new database set it up once (issue #9, "files").

Before, one start in four had both processes fail ("room booked twice": the demo seeded
twice) and another had one fail ("There is already an account"): each process checked for
an admin and for events, found none, and wrote its own. Here two real processes (not
threads: the lock that matters is between processes) open the planner on a fresh database
the moment both are ready, ten times over.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.demo import DEMO_EVENTS, DEMO_SUMMITS

ROOT = Path(__file__).resolve().parents[2]

# Imports first (the slow part), then says it is ready and waits for the word to go, so both
# processes reach open_planner within a millisecond or so of each other.
START = r"""
import os, sys, time
from pathlib import Path
from planner.config import open_planner
Path(sys.argv[1]).touch()
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.0005)
open_planner()
"""


def start_together(tmp_path: Path, env: dict, n: int = 2) -> list[subprocess.CompletedProcess]:
    procs = []
    for i in range(n):
        ready = tmp_path / f"ready-{i}"
        procs.append((ready, subprocess.Popen(
            [sys.executable, "-c", START, str(ready), str(tmp_path / "go")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in procs):
        assert time.monotonic() < deadline, "the processes never got ready"
        assert all(p.poll() is None for _, p in procs), [p.communicate() for _, p in procs]
        time.sleep(0.005)
    (tmp_path / "go").touch()
    results = []
    for _, p in procs:
        out, err = p.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0]
            for table, where in (("users", " WHERE role = 'admin'"), ("events", ""), ("summits", ""), ("rooms", ""))
        }
    finally:
        conn.close()


@pytest.mark.parametrize(
    "admin_from_env, attempts", [(False, 10), (True, 4)], ids=["random password", "PLANNER_ADMIN_PASSWORD"]
)
def test_two_processes_starting_at_once_on_a_new_database_set_it_up_once(tmp_path, admin_from_env, attempts):
    expected = None
    for attempt in range(attempts):
        run = tmp_path / f"run-{attempt}"
        run.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
        env.update(PLANNER_DB=str(run / "data" / "planner.db"), PLANNER_DEMO="on", PYTHONPATH=str(ROOT))
        if admin_from_env:
            env.update(PLANNER_ADMIN_EMAIL="chair@example.org", PLANNER_ADMIN_PASSWORD="a long enough password")
        results = start_together(run, env)
        for r in results:
            assert r.returncode == 0, f"attempt {attempt}: {r.stderr[-2000:]}"
        said = [line for r in results for line in r.stdout.splitlines() if "Created the admin account" in line]
        assert len(said) == 1, f"attempt {attempt}: {said}"
        found = counts(run / "data" / "planner.db")
        assert found["users"] == 1, f"attempt {attempt}: {found}"
        assert found["events"] == len(DEMO_EVENTS) and found["summits"] == len(DEMO_SUMMITS), f"attempt {attempt}: {found}"
        expected = expected or found
        data = run / "data"
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in data.iterdir()}  # -wal, -shm gone at exit
        assert {"planner.db", "planner.db.setup-lock", "checkin.key"} <= set(modes)
        assert set(modes.values()) == {0o600}, modes
        assert found == expected, f"attempt {attempt}: {found} != {expected}"
