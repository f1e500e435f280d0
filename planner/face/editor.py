"""The organizer pages' part of the Planner (issue #16): every problem with an event's fields at
once, each naming its field, so the editor shows them all beside their fields in one go instead
of one per save; the unsaved event as pages show one (its preview); and the registrations page's explanation of walk-ins let in past the capacity."""

from __future__ import annotations

from ..access import SYSTEM, Actor
from ..areas import door_summary, events
from ..errors import ValidationError
from ..models import Event
from . import staff_only


class EditorMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def event_problems(self, event_id: int | None = None, *, actor: Actor = SYSTEM, **fields) -> list[ValidationError]:
        """Every problem these (unsaved) fields have, in the order a form shows them; each
        ``ValidationError`` names its ``field`` (a speaker's or an organization's also its
        ``params["row"]``, from 1). Empty when ``create_event``/``update_event`` would accept
        them (a start in the past aside: that is asked, not refused). Writes nothing. Organizers
        only (``PermissionDenied``)."""
        return self._read(events.problems, event_id, fields)

    @staff_only
    def preview_event(self, event_id: int | None = None, *, actor: Actor = SYSTEM, **fields) -> Event:
        """The event these unsaved fields make, as pages show one (status "draft", id 0 when
        new), to preview its public page before saving or publishing; raises the first
        ``ValidationError`` as the save would. Writes nothing. Organizers only (``PermissionDenied``:
        a draft's fields are theirs)."""
        def build(db):
            base = events.as_fields(events.get_event(db, event_id)) if event_id is not None else {}
            stored_zone = base.get("timezone")
            if base and ("room_id" in fields or "online_url" in fields) and "format" not in fields:
                base["format"] = None
            events.reject_unknown_fields(fields)
            checked = events.check_fields(db, **{**base, **fields}, stored_zone=stored_zone)
            return events.draft(db, event_id or 0, checked)
        return self._read(build)

    @staff_only
    def past_capacity_note(self, event_id: int, *, actor: Actor = SYSTEM) -> str | None:
        """"4 inside for 3 places: 1 let in past capacity by Main door at 13:05" (the active
        language, times in the event's zone), or None when nobody was let in past the capacity."""
        with self._db.read() as db:
            event = events.get_event(db, event_id)
            return door_summary.sentence(door_summary.past_capacity(db, event.id), event.timezone)
