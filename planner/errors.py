"""The errors the Planner raises, each carrying a message a person can read as it is."""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: every error the planner raises on purpose.

    ``str(err)`` is written for the person using the app, so pages can show it as it is.
    """


class ValidationError(PlannerError):
    """The input was refused and nothing was written.

    ``field`` names the input at fault (``"title"``, ``"ends_at"`` …) so a form can show the
    message next to it; it is ``None`` when the problem is not one field's.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(PlannerError):
    """An id or token that names nothing (or nothing this caller may see)."""


class StaleEdit(PlannerError):
    """Someone else saved the event after the caller loaded it.

    ``current`` is the event as it is now, so the page can show what changed and keep the
    caller's own input for a second try.
    """

    def __init__(self, message: str, current=None):
        super().__init__(message)
        self.current = current
