"""The Planner's data care (issue #11): backups, erasing a person, retention, and deleting what
was made by mistake. The rules are in ``areas/care.py`` (in the database) and ``backups.py``
(files); this face opens the transactions, records each action in the audit log (counts and
ids, never the erased data) and empties the write-ahead log after an erasure."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import backups, clock
from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, care, catalog, events, proposals, registrations
from ..i18n import N_
from . import admin_only, staff_only

log = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 180


class CareMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    retention_days: int = DEFAULT_RETENTION_DAYS

    @admin_only
    def backup(self, path: str | Path, *, actor: Actor = SYSTEM) -> backups.BackupFiles:
        """Admins: a consistent snapshot of the database at ``path`` (0600), taken while the app
        serves, and the check-in key at ``path.checkin.key``; given a folder, a file named by
        the time inside it. Returns both paths; ``StorageError("backup_failed")`` if a file
        cannot be written, ``ValidationError`` for a path over the live database or in a
        missing folder."""
        done = backups.write_backup(self._db, self._checkin_key, path, self.path)
        with self._db.write() as db:
            audit.record(db, actor, "backup", subject=done.database.name)
        return done

    @admin_only
    def erase_person(self, email: str, *, actor: Actor = SYSTEM) -> care.Erasure:
        """Admins: remove everything kept under ``email`` (see ``areas/care.py``): registrations
        are blanked (counts and check-ins stay), held places, messages' addresses and contents,
        speaker entries and sign-in failures go. The audit log records that an erasure
        happened and its counts, not whose. The log is checkpointed after, so no copy stays in
        the database's files. ``ValidationError`` for an address that is not one."""
        email = check.email(email, "email")
        with self._db.write() as db:
            # Places at events still to come are given up first, as a cancellation would (the next
            # people on the waiting list move up and are told); the erased person is not written to.
            given_up = care.coming_places(db, email)
            moved: list[int] = []
            for registration_id in given_up:
                moved += self._moved_up(db, registrations.cancel(db, registrations.by_id(db, registration_id)))
            holding = care.events_held_for(db, email)  # a place held while an address confirms, freed below
            done = care.erase(db, email)
            for event_id in holding:
                moved += self._moved_up(db, registrations.promote(db, event_id))
            proposed = proposals.erase(db, email)  # issue #14: proposers, and speakers' and contacts' addresses
            audit.record(db, actor, "erasure", registrations=done.registrations, held_places=done.held_places,
                         messages=done.messages, speaker_entries=done.speaker_entries, places_given_up=len(given_up),
                         moved_up_people=len(moved))
        cleared = self._db.checkpoint()
        self._public_cache = None
        from .. import images

        for name in done.pictures:  # issue #14: a speaker's photo goes with them
            images.remove(self.path.parent, name)
        return care.Erasure(done.registrations, done.held_places, done.messages, done.speaker_entries, cleared,
                            places_given_up=len(given_up), moved_up=len(moved), proposals=proposed)

    def apply_retention(self, now: datetime | None = None, *, once_a_day: bool = False) -> care.Retention:
        """Blank the registrations of events that ended more than ``retention_days`` before
        ``now`` (default: the clock). With ``once_a_day`` (the server's daily run) it does
        nothing (``ran=False``) if any process already ran it today, UTC."""
        now = check.aware(now, "now", N_("Time")) if now is not None else clock.now()
        cutoff = now - timedelta(days=self.retention_days)
        with self._db.write() as db:
            if once_a_day and not care.mark_retention_run(db, now.astimezone(UTC).date()):
                return care.Retention(ran=False, cutoff=cutoff)
            done = care.anonymize_ended(db, cutoff)
            if done.events:
                audit.record(db, SYSTEM, "retention", events=done.events, registrations=done.registrations,
                             days=self.retention_days)
        if done.events:
            self._db.checkpoint()
        return done

    @staff_only
    def delete_event(self, event_id: int, *, actor: Actor = SYSTEM) -> None:
        """Delete a draft that was never public; one that was is cancelled instead
        (``ValidationError("event_was_public")``)."""
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            care.delete_event(db, event)
            audit.record(db, actor, "event_deleted", event_id=event.id, subject=event.id, title=event.title)

    @staff_only
    def delete_summit(self, summit_id: int, *, actor: Actor = SYSTEM) -> None:
        """Delete a summit no event belongs to (``summit_in_use`` names the events otherwise)."""
        with self._db.write() as db:
            summit = catalog.get_summit(db, summit_id)
            care.delete_summit(db, summit)
            audit.record(db, actor, "summit_deleted", subject=summit.id, name=summit.name)

    @staff_only
    def delete_venue(self, venue_id: int, *, actor: Actor = SYSTEM) -> None:
        """Delete a venue without rooms (``venue_in_use`` names its rooms otherwise)."""
        with self._db.write() as db:
            venue = catalog.get_venue(db, venue_id)
            care.delete_venue(db, venue)
            audit.record(db, actor, "venue_deleted", subject=venue.id, name=venue.name)

    @staff_only
    def delete_room(self, room_id: int, *, actor: Actor = SYSTEM) -> None:
        """Delete a room no event uses (``room_in_use`` names the events otherwise)."""
        with self._db.write() as db:
            room = catalog.get_room(db, room_id)
            care.delete_room(db, room)
            audit.record(db, actor, "room_deleted", subject=room.id, name=room.name)


# ---------------------------------------------------------------------- the daily run

CHECK_EVERY = 3600.0  # seconds between looks at the date; the work itself runs once a day
_started: dict[int, "RetentionThread"] = {}
_lock = threading.Lock()


class RetentionThread:
    """Runs ``planner.apply_retention(once_a_day=True)`` every ``interval`` seconds (after a
    first wait, so a starting server serves first) until ``stop()``. Every server process has
    one; the row in ``meta`` makes the work happen once a day among them."""

    def __init__(self, planner, *, interval: float = CHECK_EVERY, first: float = 60.0):
        self.planner, self.interval, self.first = planner, interval, first
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self.run, name="planner-retention", daemon=True)

    def start(self) -> "RetentionThread":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def run(self) -> None:
        wait = self.first
        while not self._stopping.wait(wait):
            try:
                done = self.planner.apply_retention(once_a_day=True)
                if done.ran and done.events:
                    log.info("retention: %s registrations of %s events anonymized", done.registrations, done.events)
            except Exception:  # the loop outlives a full disk, a locked file, anything
                log.exception("the retention pass failed; trying again in %s s", self.interval)
            wait = self.interval


def start_retention(planner) -> RetentionThread:
    """The one retention thread of this Planner (started on first call)."""
    with _lock:
        thread = _started.get(id(planner))
        if thread is None:
            thread = _started[id(planner)] = RetentionThread(planner).start()
        return thread
