"""What one ``Planner.check_in()`` costs at the door of a big summit, next to the bare keyed
UPDATE it boils down to, and how long reading a QR ticket from a camera photo takes.

Run from the repository root:

    python bench/checkin.py

The database: 25 published events with 2,000 confirmed registrations each (50,000 in all).
The rows are NOT made through ``Planner.register()`` (one durable transaction each, 1–7 ms
here depending on the disk's load, so 50,000 would take one to six minutes): ``Planner``
creates the file, its schema, its check-in key and the events, then plain ``sqlite3``
inserts the 50,000 registrations in one transaction, with every column ``register()`` would
fill, and their check-in codes computed beforehand with ``ticket_codes.code_for`` under
the planner's own key. A fresh ``Planner`` then opens the
file (finding no registration without a code) and is the one timed.

Timed, in this same process, on the same file, 1,000 calls each, interleaved in blocks of 100
so that drift in the disk or the log affects both sides alike:

* ``Planner.check_in(code, event_id)`` for 1,000 different random codes (each a first
  check-in, so each writes the check-in and its scan): normalizes the code, opens a connection,
  takes the write lock, ``BEGIN IMMEDIATE``, finds the registration by its code, decides the
  verdict, updates it, reads it back, records the scan, commits;
* the baseline: one open ``sqlite3`` connection running, for 1,000 other codes,
  ``BEGIN IMMEDIATE; UPDATE registrations SET checked_in_at = ? WHERE checkin_code = ?;
  COMMIT`` — one durable keyed write per transaction, the floor on this machine.

Then, as diagnostics, the refused paths (a second scan of a code already in, and a code that
does not exist: each still records its scan), and the QR side: the median time of
``decode_qr`` over 30 runs on a 1,280×960 JPEG "photo" — a ticket PNG from
``Planner.ticket_qr_png`` pasted, slightly turned, into a noisy, unevenly lit frame — and on
the same frame with no code in it (the slowest case: every fallback pass runs).

Absolute times depend on the disk and CPU; compare the ratios. Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/checkin.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import hashlib  # noqa: E402
import io  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from planner import Planner  # noqa: E402
from planner.areas import ticket_codes as checkin  # noqa: E402
from planner.db import to_db_time  # noqa: E402
from planner.outputs.qrscan import decode_qr  # noqa: E402

EVENTS = 25
PER_EVENT = 2_000
CALLS = 1_000
BLOCK = 100
REFUSED_CALLS = 200
QR_RUNS = 30
W, H = 1280, 960


def build(path: Path) -> tuple[list[int], float]:
    """The database of 50,000 registrations; returns the event ids and the build time."""
    started = time.perf_counter()
    planner = Planner(path)
    first = (datetime.now(UTC) + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    event_ids = []
    for n in range(EVENTS):
        start = first + timedelta(hours=2 * n)
        event = planner.create_event(
            title=f"Side event {n + 1}", starts_at=start, ends_at=start + timedelta(hours=1),
            online_url=f"https://meet.example.org/{n}", capacity=PER_EVENT,
        )
        event_ids.append(planner.publish_event(event.id).id)
    key = checkin.load_key(path.parent)
    now = to_db_time(datetime.now(UTC))
    rows = []
    for i in range(EVENTS * PER_EVENT):
        registration_id = i + 1
        rows.append((
            registration_id, event_ids[i // PER_EVENT], f"Guest {registration_id}", f"guest{registration_id}@example.org",
            f"Organization {registration_id % 300}", "Step-free access" if registration_id % 9 == 0 else "",
            "confirmed", hashlib.sha256(f"bench-token-{registration_id}".encode()).hexdigest(), now, now, now,
            checkin.code_for(key, registration_id),
        ))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO registrations (id, event_id, name, email, organization, needs, status, token_hash,"
            " created_at, updated_at, confirmed_at, checkin_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return event_ids, time.perf_counter() - started


def time_check_ins(path: Path) -> dict:
    planner = Planner(path)  # a fresh one, as a restarted server would open the file
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    try:
        rows = conn.execute("SELECT checkin_code, event_id FROM registrations").fetchall()
        assert len(rows) == EVENTS * PER_EVENT, len(rows)
        assert all(code for code, _ in rows), "a registration without a code"
        rng = random.Random(2026)
        picked = rng.sample(rows, 2 * CALLS)
        through_planner, bare = picked[:CALLS], picked[CALLS:]

        planner_time = baseline_time = 0.0
        verdicts: dict[str, int] = {}
        for b in range(0, CALLS, BLOCK):
            started = time.perf_counter()
            for code, event_id in bare[b : b + BLOCK]:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "UPDATE registrations SET checked_in_at = ? WHERE checkin_code = ?",
                    (to_db_time(datetime.now(UTC)), code),
                )
                conn.execute("COMMIT")
            baseline_time += time.perf_counter() - started

            started = time.perf_counter()
            for code, event_id in through_planner[b : b + BLOCK]:
                verdict = planner.check_in(code, event_id, door="Main door").verdict
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
            planner_time += time.perf_counter() - started
        assert verdicts == {"checked_in": CALLS}, verdicts
        done = conn.execute("SELECT count(*) FROM registrations WHERE checked_in_at IS NOT NULL").fetchone()[0]
        assert done == 2 * CALLS, done

        # The refused paths: they write their scan too.
        started = time.perf_counter()
        for code, event_id in through_planner[:REFUSED_CALLS]:
            assert planner.check_in(code, event_id).verdict == "already_checked_in"
        already_time = time.perf_counter() - started
        unknown = ["".join(rng.choices("0123456789ABCDEFGHJKMNPQRSTVWXYZ", k=16)) for _ in range(REFUSED_CALLS)]
        started = time.perf_counter()
        for code in unknown:
            assert planner.check_in(code, through_planner[0][1]).verdict == "invalid"
        invalid_time = time.perf_counter() - started
    finally:
        conn.close()
    return {"planner": planner_time, "baseline": baseline_time, "already": already_time, "invalid": invalid_time}


def photo(ticket_png: bytes | None, seed: int = 7) -> bytes:
    """A 1,280×960 JPEG like a phone's: uneven light, sensor noise, some clutter, and the
    ticket (if any) about 380 px wide, turned by 8°, off centre."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, W)[None, :]
    y = np.linspace(0.0, 1.0, H)[:, None]
    light = 95 + 70 * x + 45 * y
    rgb = np.stack([light * 0.92, light, light * 1.06], axis=-1) + rng.normal(0, 9, (H, W, 3))
    for _ in range(25):  # clutter: dark and light blocks of the scene
        x0, y0 = int(rng.integers(0, W - 120)), int(rng.integers(0, H - 120))
        rgb[y0 : y0 + int(rng.integers(20, 120)), x0 : x0 + int(rng.integers(20, 120))] += rng.normal(0, 40)
    frame = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    if ticket_png is not None:
        ticket = Image.open(io.BytesIO(ticket_png)).convert("RGB").resize((380, 380), Image.Resampling.BILINEAR)
        turned = ticket.rotate(8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(235, 235, 235))
        mask = Image.new("L", ticket.size, 255).rotate(8, expand=True)
        frame.paste(turned, (700, 330), mask)
        frame = Image.fromarray(
            np.clip(np.asarray(frame, dtype=np.float64) + rng.normal(0, 6, (H, W, 3)), 0, 255).astype(np.uint8), "RGB"
        )
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=82)
    return out.getvalue()


def time_qr(path: Path) -> dict:
    planner = Planner(path)
    start = (datetime.now(UTC) + timedelta(days=40)).replace(minute=0, second=0, microsecond=0)
    event = planner.create_event(title="QR bench", starts_at=start, ends_at=start + timedelta(hours=1),
                                 online_url="https://meet.example.org/qr", capacity=10)
    planner.publish_event(event.id)
    registration = planner.register(event.id, name="Ana Pérez", email="ana.qr@example.org")
    started = time.perf_counter()
    png = planner.ticket_qr_png(registration.manage_token)
    png_time = time.perf_counter() - started
    expected = planner.ticket_url(registration)
    with_code, without_code = photo(png), photo(None)

    def median_of(image: bytes, runs: int, want: list[str]) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            found = decode_qr(image)
            times.append(time.perf_counter() - started)
            assert found == want, found
        return statistics.median(times)

    return {
        "png": png_time,
        "png_bytes": len(png),
        "jpeg_bytes": len(with_code),
        "decode": median_of(with_code, QR_RUNS, [expected]),
        "nothing": median_of(without_code, QR_RUNS // 3, []),
        "url": expected,
    }


def main() -> None:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "planner.db"
        event_ids, build_time = build(path)
        print(f"built {EVENTS * PER_EVENT:,} registrations over {len(event_ids)} events in {build_time:.1f} s "
              "(bulk sqlite3 insert in one transaction, codes from ticket_codes.code_for under the planner's key)",
              flush=True)
        t = time_check_ins(path)
        q = time_qr(path)

    def per_call(seconds: float, calls: int) -> str:
        return f"{seconds:7.3f} s  {seconds / calls * 1e3:7.2f} ms per call"

    print()
    print(f"{CALLS:,} first check-ins of random codes among {EVENTS * PER_EVENT:,} registrations (same file, same process):")
    print(f"  bare keyed UPDATE, one transaction each (baseline)  {per_call(t['baseline'], CALLS)}")
    print(f"  Planner.check_in()                                  {per_call(t['planner'], CALLS)}")
    print(f"  ratio check_in() ÷ baseline                         {t['planner'] / t['baseline']:7.2f}×")
    print()
    print(f"refused scans ({REFUSED_CALLS} each; each still records its scan):")
    print(f"  already_checked_in                                  {per_call(t['already'], REFUSED_CALLS)}")
    print(f"  invalid (unknown code)                              {per_call(t['invalid'], REFUSED_CALLS)}")
    print()
    print(f"QR ticket ({q['url']}):")
    print(f"  Planner.ticket_qr_png()                             {q['png'] * 1e3:7.1f} ms  ({q['png_bytes']:,} bytes)")
    print(f"  decode_qr, {W}×{H} JPEG photo with the ticket     {q['decode'] * 1e3:7.1f} ms  "
          f"(median of {QR_RUNS}; {q['jpeg_bytes']:,} bytes)")
    print(f"  decode_qr, the same photo without a code            {q['nothing'] * 1e3:7.1f} ms  "
          f"(median of {QR_RUNS // 3}; every fallback pass runs)")
    print(f"\ntotal {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
