"""The programme as JSON, for partners who build their own page (``/programme.json``, issue #14).

One document per request: the feed's own ``version`` (the shape below; a new field keeps it, a
field changed or removed bumps it), the programme's version (``programme_version``, moving with
every change, as the ETag does), the filters applied and the events, in time order.

Only what the public event page shows leaves here: confirmed speakers (name, affiliation, role)
and confirmed organizations (``Event.public_speakers``, ``Event.public_organizations``), the
place, and the online link only when the organizers made it public. No email, no count of
registrations, no registration of anyone. Times are given twice: the instant in UTC (ISO 8601
with ``Z``) and the venue's wall-clock time with its offset, with the IANA zone and its name in
the feed's language, so a partner shows what the venue's clock says without a time-zone library.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from ..codes import EVENT_STATUS_LABELS, FORMAT_LABELS, ORGANIZATION_ROLE_LABELS, SPEAKER_ROLE_LABELS, label
from ..i18n import in_address, zone_name
from ..models import Event, Summit
from ..text import slug
from .calendar import event_url, plain_text

FORMAT_VERSION = 1


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(value: datetime, event: Event) -> str:
    return value.astimezone(event.zone).isoformat(timespec="seconds")


def _summit(summit: Summit | None) -> dict | None:
    if summit is None:
        return None
    return {"id": summit.id, "name": summit.name, "city": summit.city, "timezone": summit.timezone,
            "starts_on": summit.starts_on.isoformat(), "ends_on": summit.ends_on.isoformat()}


def _place(event: Event) -> dict:
    in_room = bool(event.room and event.venue)
    return {
        "label": event.place,
        "room": event.room.name if in_room else None,
        "venue": event.venue.name if in_room else None,
        "address": (event.venue.address or None) if in_room else None,
        "online": event.format in ("online", "hybrid"),
        "join_url": event.public_join_url,  # None unless the organizers made the link public
    }


def event_item(event: Event, base_url: str) -> dict:
    """One event as the feed gives it (``event`` already in the feed's language)."""
    base = base_url.rstrip("/")
    return {
        "id": event.id,
        "uid": event.uid,
        "title": event.title,
        "description": plain_text(event.description.strip()),
        "language": event.language,
        "status": event.status,
        "status_label": label(EVENT_STATUS_LABELS, event.status),
        "cancel_reason": event.cancel_reason if event.status == "cancelled" else None,
        "format": event.format,
        "format_label": label(FORMAT_LABELS, event.format),
        "start": {"utc": _utc(event.starts_at), "local": _local(event.starts_at, event)},
        "end": {"utc": _utc(event.ends_at), "local": _local(event.ends_at, event)},
        "timezone": event.timezone,
        "timezone_name": zone_name(event.timezone),
        "place": _place(event),
        "speakers": [{"name": s.name, "affiliation": s.affiliation or None, "role": s.role,
                      "role_label": label(SPEAKER_ROLE_LABELS, s.role)} for s in event.public_speakers],
        "organizations": [{"id": o.organization_id, "name": o.shown_name, "slug": slug(o.name), "role": o.role,
                           "role_label": label(ORGANIZATION_ROLE_LABELS, o.role),
                           # issue #14: "invited" = asked, no answer yet, shown because the organizer chose so
                           "status": "invited" if o.invited else "confirmed"}
                          for o in event.public_organizations],
        "summit": {"id": event.summit.id, "name": event.summit.name} if event.summit else None,
        "url": event_url(base, event),
        "ics": in_address(f"{base}/events/{event.id}.ics"),
    }


def document(feed, base_url: str) -> dict:
    """The whole feed of a ``ProgrammeFeed`` (see the module's docstring)."""
    organization = feed.organization
    return {
        "version": FORMAT_VERSION,
        "programme_version": feed.version,
        "language": feed.language,
        "summit": _summit(feed.summit),
        "organization": {"id": organization.organization_id, "name": organization.name,
                         "slug": slug(organization.name)} if organization else None,
        "events": [event_item(e, base_url) for e in feed.events],
    }


def feed_bytes(feed, base_url: str) -> bytes:
    """``document`` as UTF-8 JSON (non-ASCII text as it is; "<", ">" and "&" as \\u escapes, so the
    document can never close a script element a partner pastes it into)."""
    text = json.dumps(document(feed, base_url), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")
