"""The door's part of the Planner: check-in, walk-ins, the headcount, door passes.

A door pass (``access.of_door``) works its own event only, is asked again at every call (a
pass revoked while its page was open stops at the next action) and never sees an email or
access needs: every registration it gets back goes through ``access.shown_to``.
"""

from __future__ import annotations

from .. import access
from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, checkin, events, registrations
from ..models import Attendance, CheckInResult, DoorPass, Registration, Scan
from ..outputs.door_list import door_list_csv
from . import staff_only


class DoorMethods:
    def _door(self, db, actor: Actor, event_id) -> int:
        """The event's id, once ``actor`` may work its door (a door pass is asked again here)."""
        event_id = check.id(event_id)
        access.require_door(actor, event_id, lambda pass_id: db.execute(
            "SELECT 1 FROM door_passes WHERE id = ? AND revoked_at IS NULL", [pass_id]).fetchone() is not None)
        return event_id

    def check_in(self, scanned: str, event_id: int, door: str = "Main door", *, actor: Actor = SYSTEM) -> CheckInResult:
        """Let a guest in at most once → a verdict (``codes.CHECKIN_VERDICTS``), refusals included
        (an event cancelled meanwhile is "event_cancelled"); every scan is recorded."""
        door = checkin.door_name(door)
        with self._db.write() as db:
            result = checkin.check_in(db, scanned, self._door(db, actor, event_id), door)
        return CheckInResult(result.verdict, access.shown_to(actor, result.registration), result.first_at,
                             result.first_door, result.ticket_event_title)

    def check_in_registration(self, registration_id: int, event_id: int, door: str = "Main door", *,
                              actor: Actor = SYSTEM) -> CheckInResult:
        """One-tap check-in from the guest list (found by name, no code at hand)."""
        code = self._read(registrations.by_id, registration_id).checkin_code
        return self.check_in(code, event_id, door, actor=actor)

    def undo_check_in(self, registration_id: int, *, actor: Actor = SYSTEM) -> Registration:
        """Take back a check-in made by mistake; an undone walk-in is cancelled."""
        with self._db.write() as db:
            before = registrations.by_id(db, registration_id)
            self._door(db, actor, before.event_id)
            undone, moved = checkin.undo(db, registration_id)
            self._moved_up(db, moved)
            audit.record(db, actor, "check_in_undone", event_id=undone.event_id, subject=undone.id,
                         door=before.checked_in_door or "", walk_in=before.walk_in, status=undone.status,
                         moved_up=len(moved))
        return access.shown_to(actor, undone)

    def walk_in(self, event_id: int, *, name: str, email: str = "", organization: str = "", force: bool = False,
                door: str = "Main door", actor: Actor = SYSTEM) -> Registration:
        """Register and check in a guest at the door; past the capacity only with ``force``."""
        door = checkin.door_name(door)
        with self._db.write() as db:
            guest = checkin.walk_in(db, self._door(db, actor, event_id), name=name, email=email,
                                    organization=organization, force=force, door=door, checkin_key=self._checkin_key)
            capacity, taken = registrations.event_capacity(db, guest.event_id), registrations.taken(db, guest.event_id)
            if capacity is not None and taken > capacity:  # let in past the capacity: only with force
                audit.record(db, actor, "walk_in_over_capacity", event_id=guest.event_id, subject=guest.id,
                             door=door, capacity=capacity, taken=taken)
        return access.shown_to(actor, guest)

    def search_guests(self, event_id: int, query: str, *, actor: Actor = SYSTEM) -> list[Registration]:
        """Guests by name or organization (every word, accent-blind): confirmed first, then by name."""
        with self._db.read() as db:
            found = checkin.search_guests(db, self._door(db, actor, events.get_event(db, event_id).id), query)
        return [access.shown_to(actor, guest) for guest in found]

    def attendance(self, event_id: int, *, actor: Actor = SYSTEM) -> Attendance:
        return self._read(lambda db: checkin.attendance(db, self._door(db, actor, events.get_event(db, event_id).id)))

    @staff_only
    def scans(self, event_id: int, *, actor: Actor = SYSTEM) -> list[Scan]:
        """Every scan at the doors of an event, newest first (refused ones too)."""
        return self._read(lambda db: checkin.scans(db, events.get_event(db, event_id).id))

    def door_list_csv(self, event_id: int, *, actor: Actor = SYSTEM) -> bytes:
        """The printable door list: confirmed and waiting guests by name, with codes (no emails)."""
        return door_list_csv(self._read(
            lambda db: checkin.door_guests(db, self._door(db, actor, events.get_event(db, event_id).id))))

    @staff_only
    def create_door_pass(self, event_id: int, label: str = "Main door", *, actor: Actor = SYSTEM) -> DoorPass:
        """A link that opens this one event's check-in page, for volunteers without an account."""
        label = checkin.door_name(label, "label")
        with self._db.write() as db:
            door_pass = checkin.create_door_pass(db, events.get_event(db, event_id), label, self.base_url)
            audit.record(db, actor, "door_pass_created", event_id=door_pass.event_id, subject=door_pass.id,
                         label=door_pass.label)
            return door_pass

    @staff_only
    def door_passes(self, event_id: int, *, actor: Actor = SYSTEM) -> list[DoorPass]:
        return self._read(lambda db: checkin.door_passes(
            db, "WHERE event_id = ?", [events.get_event(db, event_id).id], self.base_url))

    @staff_only
    def revoke_door_pass(self, door_pass_id: int, *, actor: Actor = SYSTEM) -> DoorPass:
        """Stop a door link at once; revoking it again keeps the first time (and one audit entry)."""
        with self._db.write() as db:
            was = db.execute("SELECT revoked_at FROM door_passes WHERE id = ?", [check.id(door_pass_id)]).fetchone()
            door_pass = checkin.revoke_door_pass(db, door_pass_id, self.base_url)  # NotFound for no such pass
            if was["revoked_at"] is None:  # revoked by this call
                audit.record(db, actor, "door_pass_revoked", event_id=door_pass.event_id, subject=door_pass.id,
                             label=door_pass.label)
            return door_pass

    def door_pass(self, secret: str | None) -> DoorPass | None:
        """The active door pass with this secret, or None (unknown or revoked)."""
        return self._read(checkin.active_door_pass, secret, self.base_url)

