"""Side Event Planner: plan, publish and run the side events held around big summits.

    from planner import Planner
    p = Planner("data/planner.db")

Everything the app does goes through ``Planner``; see the README for the whole API.
"""

from .access import PUBLIC, SYSTEM, Actor
from .errors import NotFound, PermissionDenied, PlannerError, StaleEdit, StorageError, TooManyRequests, ValidationError
from .models import (
    Conflict,
    Event,
    EventOrganization,
    PendingConfirmation,
    Room,
    Speaker,
    Summit,
    User,
    Venue,
)
from .planner import Planner
from .ratelimit import ClientKey

__all__ = [
    "Planner",
    "PlannerError",
    "ValidationError",
    "NotFound",
    "StaleEdit",
    "PermissionDenied",
    "StorageError",
    "TooManyRequests",
    "ClientKey",
    "Actor",
    "SYSTEM",
    "PUBLIC",
    "Conflict",
    "Event",
    "EventOrganization",
    "PendingConfirmation",
    "Room",
    "Speaker",
    "Summit",
    "User",
    "Venue",
]
