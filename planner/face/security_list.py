"""The security list's part of the Planner (issue #12): the hosts' guest-list rules of venues,
rooms and events, where an event stands with its deadline, making the list, and the door's
"let in anyway" (``areas/security_list.py`` has the rules and the deadline's arithmetic)."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from .. import access
from ..access import SYSTEM, Actor
from ..areas import audit, checkin, events, registrations
from ..areas import security_list as rules
from ..areas.security_list import GuestListRule, GuestListStatus, SecurityList
from ..models import CheckInResult
from . import staff_only


class SecurityListMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def set_guest_list_rule(self, *, venue_id: int | None = None, room_id: int | None = None,
                            event_id: int | None = None, hours: int | None = None, working_days: int | None = None,
                            sponsor: str = "", columns: Iterable[str] | None = None, holidays: Iterable[date] = (),
                            actor: Actor = SYSTEM) -> GuestListRule:
        """The host's rule for one venue, room or event (exactly one; ``guest_list_scope``):
        the deadline in ``hours`` or ``working_days`` before the start (not both; neither:
        no list here, which turns off an inherited rule), the ``sponsor`` that submits the
        list, its ``columns`` (``codes.SECURITY_LIST_COLUMNS``; None: all) and ``holidays``
        that are not working days. Replaces the rule that scope had."""
        with self._db.write() as db:
            rule = rules.set_rule(db, venue_id=venue_id, room_id=room_id, event_id=event_id, hours=hours,
                                  working_days=working_days, sponsor=sponsor, columns=columns, holidays=holidays)
            audit.record(db, actor, "guest_list_rule_set", event_id=event_id, subject=rule.source_id,
                         scope=rule.source, hours=rule.hours, working_days=rule.working_days, sponsor=rule.sponsor,
                         columns=list(rule.columns), holidays=[d.isoformat() for d in rule.holidays])
            return rule

    @staff_only
    def clear_guest_list_rule(self, *, venue_id: int | None = None, room_id: int | None = None,
                              event_id: int | None = None, actor: Actor = SYSTEM) -> None:
        """Remove the rule of one venue, room or event: an event then inherits its room's or venue's."""
        with self._db.write() as db:
            removed = rules.clear_rule(db, venue_id=venue_id, room_id=room_id, event_id=event_id)
            if removed is not None:
                audit.record(db, actor, "guest_list_rule_cleared", event_id=event_id, subject=removed.source_id,
                             scope=removed.source)

    @staff_only
    def guest_list_rules(self, *, actor: Actor = SYSTEM) -> list[GuestListRule]:
        """Every rule stored, of venues, rooms and events (``source``, ``source_id``)."""
        return self._read(rules.all_rules)

    @staff_only
    def guest_list_rule(self, event_id: int, *, actor: Actor = SYSTEM) -> GuestListRule | None:
        """The rule that applies to an event (its own, else its room's, else its venue's), with
        where it comes from in ``source``; None when none does."""
        return self._read(lambda db: rules.effective_rule(db, events.get_event(db, event_id)))

    @staff_only
    def guest_list_status(self, event_id: int, *, actor: Actor = SYSTEM) -> GuestListStatus:
        """The deadline (in the venue's zone) and the time left, the confirmed guests without
        names as on their ID, those confirmed after the deadline, and since the latest list
        made, who is not on it and whose details changed."""
        return self._read(lambda db: rules.status(db, events.get_event(db, event_id)))

    @staff_only
    def make_security_list(self, event_id: int, *, actor: Actor = SYSTEM) -> tuple[bytes, str]:
        """The security list of the confirmed guests in the host's columns, sorted by family
        name (in capitals), as XLSX (formula injection neutralised) → (bytes, file name); the
        moment and who was on it are recorded (``security_lists``) with an audit entry.
        Refused without a rule asking for one (``guest_list_no_rule``)."""
        with self._db.write() as db:
            data, name, made = rules.make(db, events.get_event(db, event_id), audit.actor_label(actor))
            audit.record(db, actor, "security_list_made", event_id=made.event_id, subject=made.id,
                         guests=len(made.registration_ids), columns=list(made.columns))
        return data, name

    @staff_only
    def security_lists(self, event_id: int, *, actor: Actor = SYSTEM) -> list[SecurityList]:
        """The lists made for an event, newest first."""
        return self._read(lambda db: rules.lists(db, events.get_event(db, event_id).id))

    def check_in_anyway(self, registration_id: int, event_id: int, door: str = "Main door", *,
                        actor: Actor = SYSTEM) -> CheckInResult:
        """Let in a confirmed guest the door found missing from the security list (after the
        host's desk agreed): verdict "let_in_anyway", recorded as a scan and in the audit log.
        Any other ticket gets the verdict ``check_in`` would give."""
        door = checkin.door_name(door)
        with self._db.write() as db:
            event_id = self._door(db, actor, event_id)
            code = registrations.by_id(db, registration_id).checkin_code
            result = checkin.check_in(db, code, event_id, door, anyway=True)
            if result.verdict == "let_in_anyway":
                audit.record(db, actor, "let_in_not_on_security_list", event_id=result.registration.event_id,
                             subject=result.registration.id, door=door)
        return CheckInResult(result.verdict, access.shown_to(actor, result.registration), result.first_at,
                             result.first_door, result.ticket_event_title)
