"""Summits, venues and rooms, the Planner's part: where and when events can happen. A changed
name, address or zone reaches the guests of the published events it moves (an update in the
outbox), a bigger room moves its events' waiting lists up, and every change is in the audit log,
all in the change's transaction."""

from __future__ import annotations

from datetime import date

from .. import clock
from ..access import SYSTEM, Actor
from ..areas import audit, catalog, events, outbox, registrations
from ..mail.render import snapshot
from ..models import Event, EventCounts, Room, Summit, Venue, ZoneChange
from . import staff_only


class PlaceMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def add_summit(self, *, name: str, city: str = "", timezone: str, starts_on: date, ends_on: date,
                   actor: Actor = SYSTEM) -> Summit:
        fields = dict(name=name, city=city, timezone=timezone, starts_on=starts_on, ends_on=ends_on)
        with self._db.write() as db:
            summit = catalog.get_summit(db, catalog.add_summit(db, **fields))
            audit.record(db, actor, "summit_added", subject=summit.id, name=summit.name)
            return summit

    @staff_only
    def update_summit(self, summit_id: int, *, actor: Actor = SYSTEM, **changes) -> Summit:
        with self._db.write() as db:
            before = catalog.get_summit(db, summit_id)
            catalog.update_summit(db, summit_id, changes)
            after = catalog.get_summit(db, summit_id)
            self._audit_edit(db, actor, "summit_edited", before, after, ("name", "city", "timezone", "starts_on", "ends_on"))
            return after

    @staticmethod
    def _audit_edit(db, actor: Actor, action: str, before, after, names: tuple[str, ...], **details) -> None:
        """One entry for an edited summit, venue or room: the before and after of each changed
        field (a save that changed nothing leaves none)."""
        values = lambda thing: {n: getattr(thing, n) for n in names}  # noqa: E731
        changes = audit.changed(values(before), values(after))
        if changes:
            audit.record(db, actor, action, subject=after.id, name=after.name, changes=changes, **details)

    def get_summit(self, summit_id: int) -> Summit:
        return self._read(catalog.get_summit, summit_id)

    def list_summits(self) -> list[Summit]:
        return self._read(catalog.list_summits)

    @staff_only
    def add_venue(self, *, name: str, address: str = "", timezone: str, actor: Actor = SYSTEM) -> Venue:
        fields = dict(name=name, address=address, timezone=timezone)
        with self._db.write() as db:
            venue = catalog.get_venue(db, catalog.add_venue(db, **fields))
            audit.record(db, actor, "venue_added", subject=venue.id, name=venue.name)
            return venue

    @staff_only
    def update_venue(self, venue_id: int, *, keep_local_times: bool | None = None, actor: Actor = SYSTEM,
                     **changes) -> Venue:
        """A new name or address reaches the guests of the venue's published events. A new time
        zone, when events are held there, needs ``keep_local_times``: True keeps their wall-clock
        times (a zone entered wrongly), False the moments they happen (``areas/catalog.py``);
        either way their guests are told what changed."""
        with self._db.write() as db:
            before = catalog.get_venue(db, venue_id)
            shifted = self._places_changed(db, "WHERE r.venue_id = ?", [venue_id],
                                           lambda: catalog.update_venue(db, venue_id, changes, keep_local_times))
            after = catalog.get_venue(db, venue_id)
            extra = {} if before.timezone == after.timezone else dict(keep_local_times=keep_local_times,
                                                                     events_moved=shifted)
            self._audit_edit(db, actor, "venue_edited", before, after, ("name", "address", "timezone"), **extra)
            return after

    def _places_changed(self, db, where: str, params: list, change) -> None:
        """Runs ``change`` and writes an update to the guests of each published event it moved
        that has not ended (a venue renamed next year is no news to last year's guests)."""
        found = lambda: {e.id: e for e in events.select(db, f"{where} AND e.status = 'published'", params)}  # noqa: E731
        now = clock.now()
        before = {event_id: e for event_id, e in found().items() if e.ends_at > now}
        result = change()
        for event_id, after in found().items():
            if event_id in before and snapshot(before[event_id]) != snapshot(after):
                outbox.event_changed(db, event_id, snapshot(before[event_id]), domain=self._domain)
        self._wrote_mail()
        return result

    def get_venue(self, venue_id: int) -> Venue:
        return self._read(catalog.get_venue, venue_id)

    def list_venues(self) -> list[Venue]:
        return self._read(catalog.list_venues)

    @staff_only
    def add_room(self, *, venue_id: int, name: str, capacity: int, accessibility: str = "",
                 actor: Actor = SYSTEM) -> Room:
        fields = dict(venue_id=venue_id, name=name, capacity=capacity, accessibility=accessibility)
        with self._db.write() as db:
            room = catalog.get_room(db, catalog.add_room(db, **fields))
            audit.record(db, actor, "room_added", subject=room.id, name=room.name, venue_id=room.venue_id,
                         capacity=room.capacity)
            return room

    @staff_only
    def venue_events_to_come(self, venue_id: int, *, actor: Actor = SYSTEM) -> list[tuple[Event, EventCounts]]:
        """The events in the venue's rooms that have not ended (any status), by start, each with
        its counts: the ones a new zone asks about (``update_venue``), and their guests."""
        with self._db.read() as db:
            return [(e, registrations.counts(db, e.id)) for e in events.to_come_at_venue(db, venue_id)]

    @staff_only
    def venue_zone_change(self, venue_id: int, timezone: str, *, actor: Actor = SYSTEM) -> ZoneChange:
        """Before a venue's new zone is saved: what keeping their local times would do to its
        events to come (``areas/events.zone_change``): each one's new times and counts, the readings the new
        zone skips or has twice, and the clashes with other events it would make that are not
        there now. Nothing is written. A zone the venue already has: no events, no clashes."""
        with self._db.read() as db:
            return events.zone_change(db, venue_id, timezone)

    @staff_only
    def room_capacity_events(self, room_id: int, *, actor: Actor = SYSTEM) -> list[tuple[Event, EventCounts]]:
        """The events still to come in the room, not cancelled, that take its capacity as theirs,
        by start, each with its counts: a new capacity is theirs too (``update_room``)."""
        with self._db.read() as db:
            return [(e, registrations.counts(db, e.id)) for e in events.on_room_capacity(db, room_id)]

    @staff_only
    def update_room(self, room_id: int, *, actor: Actor = SYSTEM, **changes) -> Room:
        """A bigger room moves the waiting lists of its events up at once; a new name reaches their guests."""
        with self._db.write() as db:
            before = catalog.get_room(db, room_id)
            moved = self._moved_up(db, self._places_changed(db, "WHERE e.room_id = ?", [room_id],
                                                            lambda: catalog.update_room(db, room_id, changes)))
            after = catalog.get_room(db, room_id)
            self._audit_edit(db, actor, "room_edited", before, after, ("name", "capacity", "accessibility"),
                             venue_id=after.venue_id, moved_up=len(moved))
            return after

    def get_room(self, room_id: int) -> Room:
        return self._read(catalog.get_room, room_id)

    def list_rooms(self, venue_id: int | None = None) -> list[Room]:
        return self._read(catalog.list_rooms, venue_id)
