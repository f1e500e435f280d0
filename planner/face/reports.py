"""The Planner's reports (issue #11): registrations, attendance and no-shows per summit or
event, over time, at the door, by organization and by host. Staff only; every figure is
counted in SQL (``areas/reports.py`` says what each word means)."""

from __future__ import annotations

import pandas as pd

from ..access import SYSTEM, Actor
from ..areas import reports
from . import staff_only


class ReportMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def report_summary(self, *, event_id: int | None = None, summit_id: int | None = None,
                       actor: Actor = SYSTEM) -> reports.ReportSummary:
        """Registered, confirmed, waitlisted, cancelled, checked in, walk-ins, no-shows (ended
        events with a door only) and the attendance rate, of one event, one summit or (neither
        given) every event. ``NotFound`` for an unknown event or summit."""
        return self._read(lambda db: reports.summary(db, event_id=event_id, summit_id=summit_id))

    @staff_only
    def registrations_over_time(self, event_id: int | None = None, *, summit_id: int | None = None,
                                actor: Actor = SYSTEM) -> reports.Timeline:
        """Registrations made per hour and in total so far, in the event's zone (a summit's in
        its zone, all events in UTC); for an event, its publication and its reminder (the first
        one sent, else when it is due). ``NotFound`` for an unknown event or summit."""
        return self._read(lambda db: reports.timeline(db, event_id=event_id, summit_id=summit_id))

    @staff_only
    def arrivals(self, event_id: int, *, actor: Actor = SYSTEM) -> reports.Arrivals:
        """An event's check-ins in five-minute bins, in its zone, walk-ins apart. ``NotFound``."""
        return self._read(reports.arrivals, event_id)

    @staff_only
    def by_organization(self, summit_id: int | None = None, *, event_id: int | None = None,
                        actor: Actor = SYSTEM) -> pd.DataFrame:
        """Registrations and attendance by the organization guests typed, case and accents
        ignored, most registered first. ``NotFound`` for an unknown event or summit."""
        return self._read(lambda db: reports.by_organization(db, event_id=event_id, summit_id=summit_id))

    @staff_only
    def organizer_turnout(self, summit_id: int | None = None, *, actor: Actor = SYSTEM) -> pd.DataFrame:
        """Each host's and co-sponsor's events and their turnout, one row per organization and
        event. ``NotFound`` for an unknown summit."""
        return self._read(lambda db: reports.organizer_turnout(db, summit_id=summit_id))
