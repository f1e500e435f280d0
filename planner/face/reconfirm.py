"""The Planner's reconfirmation and no-show methods (issue #12): each event's settings, the
guest's answer to "Still coming?", the no-show history and the overbooking it suggests
(``areas/reconfirm.py`` holds the rules and says why). The requests and the releases are written
by each pass of the sender (``deliver_outbox`` calls ``_reconfirm_pass``)."""

from __future__ import annotations

from .. import clock
from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, outbox, reconfirm, registrations, ticket_codes
from . import staff_only


class ReconfirmMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def reconfirmation_settings(self, event_id: int, *, actor: Actor = SYSTEM) -> reconfirm.ReconfirmSettings:
        """The event's ``ReconfirmSettings(enabled, release_unanswered, overbooking)`` (all off
        for an event never set). ``NotFound`` for an unknown event."""
        def read(db):
            from ..areas import events

            return reconfirm.settings(db, events.get_event(db, event_id).id)
        return self._read(read)

    @staff_only
    def set_reconfirmation(self, event_id: int, *, enabled: bool, release_unanswered: bool, overbooking: int,
                           actor: Actor = SYSTEM) -> reconfirm.ReconfirmSettings:
        """Ask confirmed guests "Still coming?" before the deadline (``enabled``), release the
        places of those who did not answer by then (``release_unanswered``), and offer
        ``overbooking`` places beyond the capacity (≥ 0; people waiting move up into them at
        once). ``ValidationError`` for anything else, ``NotFound`` for an unknown event."""
        with self._db.write() as db:
            before = reconfirm.settings(db, check.id(event_id))
            after, moved = reconfirm.set_settings(db, event_id, enabled, release_unanswered, overbooking)
            self._moved_up(db, moved)
            keys = ("enabled", "release_unanswered", "overbooking")
            changes = audit.changed({k: getattr(before, k) for k in keys}, {k: getattr(after, k) for k in keys})
            if changes:
                audit.record(db, actor, "reconfirmation_set", event_id=after.event_id, changes=changes,
                             moved_up=len(moved))
        return after

    def reconfirmation(self, token: str) -> reconfirm.Reconfirmation:
        """The "Still coming?" request a link names, with the answer if one was given (writes
        nothing). ``NotFound("reconfirm_link_unknown")`` for an unknown or malformed token."""
        return self._read(reconfirm.find, token)

    def answer_reconfirmation(self, token: str, coming: bool) -> reconfirm.Reconfirmation:
        """The guest's answer, through their link: ``coming=False`` cancels the registration and
        the first person waiting moves up at once (both told by email). The first answer
        stands: answering again returns it (``changed`` False) and writes nothing. The token
        answers for its own registration only. ``NotFound("reconfirm_link_unknown")``;
        ``ValidationError("reconfirm_registration_cancelled")`` if the registration was
        cancelled before any answer."""
        with self._db.write() as db:
            done, moved = reconfirm.answer(db, token, coming)
            if done.changed and not coming:
                outbox.registration_cancelled(db, done.registration_id, by="guest", domain=self._domain)
            self._moved_up(db, moved)
        self._wrote_mail()
        return done

    @staff_only
    def no_show_rates(self, summit_id: int | None = None, *, actor: Actor = SYSTEM) -> reconfirm.NoShowRates:
        """The no-show history: per past event (ended, not cancelled, with a door) confirmed
        guests made ahead and those never checked in, and all of them together (of one summit,
        or of the whole coalition). ``NotFound`` for an unknown summit."""
        def read(db):
            if summit_id is not None:
                from ..areas import catalog

                catalog.get_summit(db, summit_id)
            return reconfirm.no_show_rates(db, clock.now(), summit_id)
        return self._read(read)

    @staff_only
    def suggested_overbooking(self, capacity: int | None, summit_id: int | None = None, *,
                              actor: Actor = SYSTEM) -> reconfirm.OverbookingSuggestion:
        """Places to offer beyond ``capacity`` from the no-show history (``no_show_rates``): the
        share ``r × (1 − r)`` of it for a no-show rate ``r``, to the nearest 5 % (25 % for 40 %
        of no-shows); 0 without 20 confirmed guests at past events or without a capacity."""
        capacity = check.capacity(capacity)
        return reconfirm.suggestion(self.no_show_rates(summit_id, actor=actor), capacity)

    # ------------------------------------------------------------------ the sender's pass

    def _reconfirm_pass(self, db) -> None:
        """Inside a delivery pass's transaction: requests now due, then places released at the
        deadline, each freed place going to the first person waiting, who is told."""
        now = clock.now()
        reconfirm.ask_due(db, now, checkin_key=self._checkin_key, domain=self._domain)
        moved: list[int] = []
        for event_id in reconfirm.release_due(db, now, domain=self._domain):
            moved += registrations.promote(db, event_id)
        self._moved_up(db, moved)

    def _reconfirm_extra(self, db, row) -> dict:
        """What a ``reconfirm`` or ``released`` message is written from (``mail/reconfirm.py``)."""
        if row.kind not in ("reconfirm", "released") or row.registration_id is None:
            return {}
        found = reconfirm.request(db, row.registration_id)
        if found is None:
            return {}
        event_id = found["event_id"]
        from ..areas import events

        event = events.get_event(db, event_id)
        return {"reconfirmation": found, "deadline": reconfirm._reconfirm_deadline(db, event),
                "release": reconfirm.settings(db, event_id).release_unanswered,
                "reconfirm_token": ticket_codes.reconfirm_token(self._checkin_key, row.registration_id)}
