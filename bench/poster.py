"""What a poster and a social card cost, cold and kept, next to drawing a bare QR code.

Run from the repository root:

    python bench/poster.py

It seeds a throw-away database with the demo events and takes the busiest one (most
organizations), then times, all in this one process:

* ``bare QR code``          — the baseline: qrcode drawing the event's RSVP address as a PNG
                              (what a ticket costs; ``planner/outputs/qr.py`` without its cache);
* ``poster A4, cold``       — ``Planner.poster_pdf`` with nothing kept: the sheet gathered, the page
                              laid out (two to four layouts while the text is fitted) and written;
* ``poster A4, kept``       — the same call again: what every later visitor costs;
* ``card 1200×630, cold``   — ``Planner.social_card_png``: the layout, then PDFium's raster and PNG;
* ``card 1200×630, kept``   — again;
* ``poster A4, Arabic, cold`` — the same poster in Arabic (shaped right to left).

Cold times are the best of a few runs, each after emptying the kept drawings. Absolute times
depend on the machine, so each is also printed as a ratio to the baseline. Nothing here asserts a
timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python bench/poster.py`: the repository root first (see bench/__init__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import io  # noqa: E402
import tempfile  # noqa: E402
from datetime import date  # noqa: E402

from planner import Planner  # noqa: E402
from planner.demo import seed_demo  # noqa: E402
from planner.outputs import poster  # noqa: E402

from bench._bench import best_of, ms  # noqa: E402

COLD_RUNS = 3
KEPT_RUNS = 50


def bare_qr(url: str) -> bytes:
    import qrcode

    out = io.BytesIO()
    qrcode.make(url).save(out, format="PNG")
    return out.getvalue()


def cold(call):
    def run():
        poster.forget_drawings()
        call()
    return best_of(run, COLD_RUNS)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        planner = Planner(Path(folder) / "planner.db", base_url="https://events.example.org")
        seed_demo(planner, date(2026, 1, 5))
        event = max(planner.programme(), key=lambda e: len(e.public_organizations))
        url = planner.rsvp_url(event.id)
        print(f"Event {event.id}: {event.title[:60]!r}, {len(event.public_organizations)} organizations, "
              f"{len(event.public_speakers)} speakers")
        baseline = best_of(lambda: bare_qr(url), 20)
        rows = [
            ("bare QR code", baseline),
            ("poster A4, cold", cold(lambda: planner.poster_pdf(event.id, "a4"))),
            ("poster A4, kept", best_of(lambda: planner.poster_pdf(event.id, "a4"), KEPT_RUNS)),
            ("card 1200×630, cold", cold(lambda: planner.social_card_png(event.id, "1200x630"))),
            ("card 1200×630, kept", best_of(lambda: planner.social_card_png(event.id, "1200x630"), KEPT_RUNS)),
            ("poster A4, Arabic, cold", cold(lambda: planner.poster_pdf(event.id, "a4", language="ar"))),
        ]
        width = max(len(name) for name, _t in rows)
        for name, seconds in rows:
            print(f"{name:<{width}}  {ms(seconds)}  {seconds / baseline:9.3f} × bare QR code")


if __name__ == "__main__":
    main()
