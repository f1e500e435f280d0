"""What must happen once still happens once when N server processes start together (issue #17).

``python -m planner serve --processes N`` sets the database up in its own process before it
starts the N; each of them then starts a mail sender and the daily retention run. Here two real
processes (the lock that matters is between processes) reach those at the same moment, five
times over, on a database with messages waiting and a stale event: every message is sent
by exactly one, and the retention runs in exactly one (the ``meta`` row of ``care``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from planner import Planner
from planner.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]

# Imports and opens first, says it is ready, waits for the word, then does what a server
# process does at start: a sender pass and the daily retention run.
WORKER = r"""
import json, sys, time
from pathlib import Path
from planner import Planner

class Recording:
    def __init__(self):
        self.sent = []
    def send(self, message):
        self.sent.append(message["Message-ID"] or message["To"])
    def close(self):
        pass

planner = Planner(Path(sys.argv[3]))
Path(sys.argv[1]).touch()
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.0005)
transport = Recording()
retention = planner.apply_retention(once_a_day=True)
planner.deliver_outbox(transport=transport)
print(json.dumps({"sent": transport.sent, "retention_ran": retention.ran}))
"""


def test_two_processes_at_once_send_each_message_once_and_run_retention_once(tmp_path):
    db = tmp_path / "planner.db"
    planner = Planner(db, base_url="https://events.example.org")
    seed_demo(planner)
    event = next(e for e in planner.list_events() if e.is_public and e.capacity)
    for attempt in range(5):
        for i in range(6):  # each sends a confirmation to the outbox
            planner.register(event.id, name=f"Guest {attempt}-{i}", email=f"g{attempt}-{i}@example.org")
        waiting = len(planner.outbox(status="waiting"))
        run = tmp_path / f"run-{attempt}"
        run.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
        env["PYTHONPATH"] = str(ROOT)
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(run / f"ready-{n}"), str(run / "go"), str(db)],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(2)]
        deadline = time.monotonic() + 60
        while not all((run / f"ready-{n}").exists() for n in range(2)):
            assert time.monotonic() < deadline and all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            time.sleep(0.005)
        (run / "go").touch()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err[-2000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        sent = [m for r in results for m in r["sent"]]
        assert len(sent) == len(set(sent)), f"attempt {attempt}: a message went out twice"
        assert len(sent) == waiting >= 6, f"attempt {attempt}: {len(sent)} sent of {waiting} waiting"
        assert planner.outbox(status="waiting") == []
        ran = [r["retention_ran"] for r in results]
        assert sorted(ran) == ([False, True] if attempt == 0 else [False, False]), f"attempt {attempt}: {ran}"
