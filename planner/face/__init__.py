"""Parts of the ``Planner`` face kept in files of their own (``planner.py`` holds the rest):
the door (``door.py``), accounts (``accounts.py``), summits, venues and rooms (``places.py``),
mail, calendars and the audit log. They are mixed into ``Planner``: callers only ever see one
class, and every method is documented in the README's table."""

from __future__ import annotations

import functools

from .. import access
from ..access import SYSTEM, Actor


def _requires(rule):
    """For methods only some actors may call: ``rule(actor)`` raises ``PermissionDenied`` first."""
    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, actor: Actor = SYSTEM, **kwargs):
            rule(actor)
            return method(self, *args, actor=actor, **kwargs)
        return guarded
    return wrap


staff_only, admin_only = _requires(access.require_staff), _requires(access.require_admin)
