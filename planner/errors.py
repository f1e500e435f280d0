"""The errors the Planner raises: a stable code and parameters, rendered as a sentence.

``ValidationError("capacity_too_small", field="capacity")`` carries ``code``, ``field`` and
``params``; ``str(err)`` is the whole sentence for that code from ``planner/codes.py``, in the
language active when it is shown (a page, a message, a test), so a page shows it as it is and a
script can branch on ``err.code``. One way to refuse per method: the Planner raises; only
check-in also returns a verdict, because a refused ticket is an answer for the door, not an error.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: every error the planner raises on purpose.

    ``code`` names the refusal (stable across versions and languages), ``params`` the values
    its sentence names; ``str(err)`` is the sentence for a person in the active language.
    """

    default_code = "error"

    def __init__(self, code: str | None = None, /, **params):
        self.code = code or self.default_code
        self.params = params
        super().__init__(self.code)

    def __str__(self) -> str:
        from .codes import MESSAGES, message

        if self.code not in MESSAGES and " " in self.code:  # TRANSITION: old sentence-style raise
            return self.code
        return message(self.code, self.params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


class ValidationError(PlannerError):
    """The input was refused and nothing was written.

    ``field`` names the input at fault (``"title"``, ``"ends_at"`` …) so a form can show the
    sentence next to it; it is ``None`` when the problem is not one field's.
    """

    default_code = "invalid"

    def __init__(self, code: str | None = None, /, field: str | None = None, **params):
        super().__init__(code, **params)
        self.field = field


class NotFound(PlannerError):
    """An id or token that names nothing (or nothing this caller may see)."""

    default_code = "not_found"


class PermissionDenied(PlannerError):
    """The caller (``actor``) may not do this: a door pass asking for emails, an organizer
    adding accounts. Nothing was read or written on its behalf."""

    default_code = "permission_denied"


class StaleEdit(PlannerError):
    """Someone else saved the event after the caller loaded it.

    ``current`` is the event as it is now, so the page can show what changed and keep the
    caller's own input for a second try.
    """

    default_code = "stale_edit"

    def __init__(self, code: str | None = None, /, current=None, **params):
        super().__init__(code, **params)
        self.current = current


class ConfigurationError(PlannerError, RuntimeError):
    """The server cannot start as configured (a damaged key file, a bad setting): said to the
    operator at start, before anyone is served."""

    default_code = "configuration"


class StorageError(PlannerError):
    """The database file refused a write (disk full, read-only, locked beyond the timeout) or
    cannot be opened for writing at start. Nothing was written; trying again later may work.
    The SQLite error is kept as ``__cause__`` (and logged) for the operator."""

    default_code = "write_failed"


class TooManyRequests(PlannerError):
    """A flood limit was reached (``planner/ratelimit.py``): too many registrations from this
    browser session or address, or at this event, in the last minute. Nothing was written;
    the same call works again after a minute."""

    default_code = "registration_rate_limited"
