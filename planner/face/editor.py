"""The event editor's part of the Planner (issue #16): every problem with an event's fields at
once, each naming its field, so a form shows them all beside their fields in one go instead of
one per save."""

from __future__ import annotations

from ..areas import events
from ..errors import ValidationError


class EditorMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    def event_problems(self, event_id: int | None = None, **fields) -> list[ValidationError]:
        """Every problem these (unsaved) fields have, in the order a form shows them; each
        ``ValidationError`` names its ``field`` (a speaker's or an organization's also its
        ``params["row"]``, from 1). Empty when ``create_event``/``update_event`` would accept
        them (a start in the past aside: that is asked, not refused). Writes nothing."""
        return self._read(events.problems, event_id, fields)
