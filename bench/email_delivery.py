"""How many confirmations a second the outbox renders and hands to a mail server, next to bare
``smtplib`` sending one message already rendered (issue #10).

Run from the repository root:

    python bench/email_delivery.py         # or: python -m bench.email_delivery
    python bench/email_delivery.py --messages 500 --rounds 5

(Not ``bench/email.py``: run by its path, a script has bench/ on ``sys.path`` before the
standard library, and a file named ``email.py`` there hides the standard ``email`` package from
every bench script — smtplib, http.client and the planner itself import it.)

In this one process: an SMTP server (aiosmtpd on 127.0.0.1, a free port, in its thread) that
counts what it is handed and keeps nothing, and a throw-away Planner database with one venue
in Lima. Each round registers ``--messages`` guests (half in English, half in the pseudo
language ``en-XA``; names with accents) on a fresh hybrid event, so their confirmations wait in
the outbox — then times, in turns:

* the baseline: one real confirmation, rendered once before the rounds (``outbox_eml``) and
  parsed back into an ``EmailMessage`` of the same size, sent ``--messages`` times with
  ``smtplib.SMTP.send_message`` over one connection kept open: what handing a finished
  message to this server costs (serializing it, MAIL/RCPT/DATA);
* the app: ``Planner.deliver_outbox(transport=SmtpTransport(settings))`` delivering all of
  them — claim, read the event and registration, render in the guest's language (text, HTML,
  the QR ticket, the calendar invitation as a part and as ``invite.ics``), hand to the server
  over the transport's kept connection, and write the outcome, one transaction per message.

The turns go in blocks of 20 messages, the baseline first in one block and last in the next,
so that a busy machine's ups and downs fall on both sides alike. Each block also times, before
the app delivers it, render only: ``Planner.outbox_eml(id)`` for each of its messages (one read
transaction, the same rendering, serialized to bytes; nothing sent, nothing written), first
with ``qr_png``'s cache cleared (as when a confirmation is rendered, once in its life: the app's
turn clears it too), then again with every QR code in the cache. Per-round rates, the median of
each, and the ratio app ÷ baseline of the medians are printed, and the app's time per message
split from the medians: drawing the QR code (render only, minus the same with the codes
cached), the rest of rendering, and handing over plus writing the outcome (app minus render
only; the baseline's line says how much of it is the SMTP exchange).

Absolute rates depend on the machine, its load and its disk (each outcome is one durable
write); compare the ratios. With the defaults (100 messages, 3 rounds) it takes about 40 s on
a busy two-core machine. Nothing here asserts a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run by its path: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import smtplib  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from email import message_from_bytes  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402

from planner import Planner  # noqa: E402
from planner.mail.render import POLICY  # noqa: E402
from planner.mail.transport import SmtpSettings, SmtpTransport  # noqa: E402
from planner.outputs.qr import qr_png  # noqa: E402

HOST = "127.0.0.1"
LANGUAGES = ("en", "en-XA")
BLOCK = 20  # messages per turn: each side sees the same drift of a busy machine


class Counting:
    """aiosmtpd's hook: takes every message, counts it, keeps nothing (so the server costs the
    same on both sides and as little as it can)."""

    def __init__(self):
        self.count = 0
        self.bytes = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.count += 1
            self.bytes += len(envelope.original_content or envelope.content)
        return "250 OK: queued"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class World:
    """The planner, its venue and room, and a fresh event with ``n`` confirmations waiting."""

    def __init__(self, path: Path, settings: SmtpSettings):
        self.planner = Planner(path, base_url="https://events.example.org", contact_email="events@example.org",
                               smtp=settings)
        venue = self.planner.add_venue(name="Centro Cultural Inca Garcilaso", address="Jr. Ucayali 391, Lima",
                                       timezone="America/Lima")
        self.room = self.planner.add_room(venue_id=venue.id, name="Sala Raúl Porras", capacity=10_000)
        self.first = (datetime.now(UTC) + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
        self.events = 0

    def confirmations(self, n: int) -> list[int]:
        """A new published hybrid event with ``n`` confirmed guests; their outbox ids."""
        p = self.planner
        start = self.first + timedelta(hours=3 * self.events)
        self.events += 1
        event = p.create_event(
            title=f"Diálogo {self.events}: migración, clima y derechos", starts_at=start,
            ends_at=start + timedelta(hours=2), room_id=self.room.id, capacity=n,
            online_url=f"https://meet.example.org/dialogo-{self.events}",
            description="A civil-society dialogue. **All are welcome**.",
        )
        p.publish_event(event.id)
        for i in range(n):
            p.register(event.id, name=f"Ana Pérez Ñahui {i}", email=f"guest{i}.e{event.id}@example.org",
                       organization="Red de Mujeres Andinas", language=LANGUAGES[i % len(LANGUAGES)])
        waiting = p.outbox(event.id, status="waiting")
        assert len(waiting) == n and {m.kind for m in waiting} == {"confirmed"}, (len(waiting), waiting[:1])
        return [m.id for m in waiting]


def rate(n: int, seconds: float) -> float:
    return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100, help="messages per round (default 100)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args()
    n, rounds = args.messages, args.rounds
    if n < 1 or rounds < 1:
        parser.error("--messages and --rounds take a whole number of at least 1")
    began = time.perf_counter()

    counter = Counting()
    controller = Controller(counter, hostname=HOST, port=free_port(), ready_timeout=10.0)
    controller.start()
    settings = SmtpSettings(host=HOST, port=controller.port, user=None, password=None, security="none",
                            from_address="events@example.org", from_name="Side Events", reply_to=None, timeout=10.0)
    sides = ("baseline", "app", "render", "render_warm")
    results: dict[str, list[float]] = {side: [] for side in sides}
    setup = 0.0
    try:
        with tempfile.TemporaryDirectory() as directory:
            world = World(Path(directory) / "bench-email.db", settings)
            planner = world.planner

            # The baseline's message: a real confirmation, rendered once, then sent out of the way.
            (sample_id,) = world.confirmations(1)
            raw = planner.outbox_eml(sample_id)
            message = message_from_bytes(raw, policy=POLICY)
            planner.deliver_outbox(transport=SmtpTransport(settings))
            bare = smtplib.SMTP(HOST, controller.port, timeout=10.0)

            def baseline(ids: list[int]) -> float:
                before = counter.count
                started = time.perf_counter()
                for _ in ids:
                    bare.send_message(message, from_addr=settings.from_address)
                seconds = time.perf_counter() - started
                assert counter.count - before == len(ids), counter.count - before
                return seconds

            def render_only(ids: list[int], cold: bool) -> float:
                if cold:
                    qr_png.cache_clear()
                started = time.perf_counter()
                for message_id in ids:
                    planner.outbox_eml(message_id)
                return time.perf_counter() - started

            def app(ids: list[int], transport: SmtpTransport) -> float:
                before = counter.count
                qr_png.cache_clear()
                started = time.perf_counter()
                done = planner.deliver_outbox(len(ids), transport=transport)
                seconds = time.perf_counter() - started
                assert done == {"sent": len(ids), "retrying": 0, "failed": 0, "skipped": 0}, done
                assert counter.count - before == len(ids), counter.count - before
                return seconds

            print(f"{n} confirmations per round, {rounds} rounds, in blocks of {BLOCK}; message {len(raw):,} bytes "
                  f"(text, HTML, QR PNG, invitation twice); SMTP server aiosmtpd on {HOST}:{controller.port}",
                  flush=True)
            print(f"{'round':>5}  {'baseline':>9}  {'app':>9}  {'app/base':>8}  {'render only':>11}  "
                  f"{'render, QR cached':>17}   (messages/s)")
            for r in range(rounds):
                t = time.perf_counter()
                ids = world.confirmations(n)
                setup += time.perf_counter() - t
                spent = dict.fromkeys(sides, 0.0)
                transport = SmtpTransport(settings)  # kept for the round, as the sender keeps it
                try:
                    for k, i in enumerate(range(0, n, BLOCK)):
                        block = ids[i : i + BLOCK]
                        if (r + k) % 2 == 0:
                            spent["baseline"] += baseline(block)
                        spent["render"] += render_only(block, cold=True)
                        spent["render_warm"] += render_only(block, cold=False)
                        spent["app"] += app(block, transport)  # the outbox's oldest: this block
                        if (r + k) % 2 == 1:
                            spent["baseline"] += baseline(block)
                finally:
                    transport.close()
                for side in sides:
                    results[side].append(rate(n, spent[side]))
                print(f"{r + 1:>5}  {results['baseline'][-1]:9.0f}  {results['app'][-1]:9.0f}  "
                      f"{results['app'][-1] / results['baseline'][-1]:8.3f}  {results['render'][-1]:11.0f}  "
                      f"{results['render_warm'][-1]:17.0f}", flush=True)
            bare.quit()
    finally:
        controller.stop()

    med = {side: statistics.median(v) for side, v in results.items()}
    base = med["baseline"]

    def line(label: str, per_second: float) -> None:
        print(f"  {label:<54} {per_second:7.0f} msg/s  {1000 / per_second:6.2f} ms each  {per_second / base:6.3f}×")

    print()
    print(f"medians of {rounds} rounds of {n} messages; ratios to the baseline's median in this process:")
    line("baseline: smtplib send_message, pre-rendered message", base)
    line("app: deliver_outbox() through SmtpTransport", med["app"])
    line("render only: outbox_eml(), QR drawn for each", med["render"])
    line("render only, QR codes already in qr_png's cache", med["render_warm"])
    print(f"  ratio app ÷ baseline: {med['app'] / base:.3f} (the baseline is {base / med['app']:.1f}× as fast)")
    ms_each = {side: 1000 / med[side] for side in sides}
    qr = ms_each["render"] - ms_each["render_warm"]
    print(f"  of the app's {ms_each['app']:.1f} ms a message: drawing the QR code {qr:.1f}, "
          f"the rest of rendering {ms_each['render_warm']:.1f},\n    handing over and writing the outcome "
          f"{ms_each['app'] - ms_each['render']:.1f} (the baseline's whole hand-over: {ms_each['baseline']:.1f})")
    print(f"\nserver took {counter.count:,} messages, {counter.bytes / 2**20:.1f} MiB; registering the guests took "
          f"{setup:.1f} s (not timed); total {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
