"""Timing helpers shared by the bench scripts."""

import time


def best_of(call, runs: int = 5) -> float:
    """The fastest of ``runs`` calls, in seconds: the least disturbed by a noisy machine."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"
