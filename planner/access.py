"""Who is asking, and what they may do: access is decided here, not in the pages.

Methods of ``Planner`` that only some people may call take ``actor=``. ``SYSTEM`` (the
default) is the trusted caller — a script, a test, the server itself — so those stay short.
Pages pass what they know: ``of_user(user)`` for a signed-in organizer or admin,
``of_door(door_pass)`` for a volunteer with a door link, ``PUBLIC`` for anyone else.

- organizers (and admins) plan, publish and see registrations;
- admins alone manage accounts;
- a door pass checks guests in at its one event, and sees names, organizations and statuses
  only: never an email or access needs, whatever method it calls;
- the public sees what is published; an attendee's private link is its own kind of access,
  decided by the token (``registration(manage_token)``), not by an actor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import PermissionDenied
from .models import DoorPass, Registration, User

STAFF = ("system", "admin", "organizer")


@dataclass(frozen=True)
class Actor:
    kind: str  # "system", "admin", "organizer", "door" or "public"
    user: User | None = None
    door_pass: DoorPass | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind in STAFF


SYSTEM = Actor("system")
PUBLIC = Actor("public")


def of_user(user: User | None) -> Actor:
    """The actor of a signed-in account (``PUBLIC`` when nobody is signed in)."""
    if user is None:
        return PUBLIC
    return Actor("admin" if user.is_admin else "organizer", user=user)


def of_door(door_pass: DoorPass) -> Actor:
    return Actor("door", door_pass=door_pass)


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise PermissionDenied("organizer_only")


def require_admin(actor: Actor) -> None:
    if actor.kind not in ("system", "admin"):
        raise PermissionDenied("admin_only")


def require_door(actor: Actor, event_id: int, pass_active) -> None:
    """Staff, or a door pass of this event that is still active (``pass_active(id)`` asks the
    database, so a pass revoked while its page was open stops at the next action)."""
    if actor.is_staff:
        return
    if actor.kind != "door" or actor.door_pass is None:
        raise PermissionDenied("organizer_only")
    if actor.door_pass.event_id != event_id:
        raise PermissionDenied("other_event")
    if not pass_active(actor.door_pass.id):
        raise PermissionDenied("permission_denied")


def shown_to(actor: Actor, registration: Registration | None) -> Registration | None:
    """A registration as this actor may see it: the door gets no email, needs, answers or link
    (the no-photo mark it keeps: the door must see it)."""
    if registration is None or actor.kind != "door":
        return registration
    return replace(registration, email="", needs="", manage_token=None, answer_items=())
