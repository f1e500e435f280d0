"""Imported first by every bench script. Run as `python bench/x.py`, Python puts bench/ first
on sys.path, where bench/calendar.py would hide the standard library's calendar module (which
icalendar needs). Swap bench/ for the repository root, so `import planner` works too."""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))


def best_of(call, runs: int = 5) -> float:
    """The fastest of ``runs`` calls, in seconds: the least disturbed by a noisy machine."""
    import time

    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"
