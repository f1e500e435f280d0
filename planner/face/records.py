"""The Planner's records (issue #11): the audit log of who changed what. Admins read it; nothing
in the app edits it (``areas/audit.py``)."""

from __future__ import annotations

from datetime import datetime

from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit
from ..codes import AUDIT_ACTIONS
from ..i18n import N_
from . import admin_only


class RecordMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @admin_only
    def audit_log(self, *, event_id: int | None = None, user_id: int | None = None, action: str | None = None,
                  since: datetime | None = None, until: datetime | None = None, limit: int | None = None,
                  actor: Actor = SYSTEM) -> list[audit.AuditEntry]:
        """Admins: the audit log, newest first, filtered by event, acting account, action
        (``codes.AUDIT_ACTIONS``) and time (aware datetimes; ``until`` excluded)."""
        if action is not None:
            action = check.choice(action, tuple(AUDIT_ACTIONS), "action", N_("Action"), AUDIT_ACTIONS)
        if since is not None:
            since = check.aware(since, "since", N_("From"))
        if until is not None:
            until = check.aware(until, "until", N_("Until"))
        return self._read(lambda db: audit.entries(
            db, event_id=None if event_id is None else check.id(event_id),
            user_id=None if user_id is None else check.id(user_id), action=action, since=since, until=until,
            limit=limit))
