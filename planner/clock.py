"""The one clock of the domain. Tests move time by patching ``planner.clock.now`` (the
``clock`` fixture does), and every rule that asks "is it over yet?" asks it here."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)
