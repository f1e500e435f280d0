""""Add to Google Calendar" and "Add to Outlook.com" links: a web calendar's new-event form, filled in.

For people whose calendar lives in a browser, where an .ics download lands in a downloads folder
instead of the calendar. Why the links look the way they do:

* **The forms' own URL templates**, as the services use them and the add-to-calendar docs record
  them (github.com/InteractionDesignFoundation/add-event-to-calendar-docs), since neither service
  documents them formally: Google's ``calendar/render?action=TEMPLATE`` with ``text``, ``dates``
  (``YYYYMMDDTHHMMSSZ/YYYYMMDDTHHMMSSZ``), ``details``, ``location``; Outlook.com's
  ``calendar/0/action/compose?rru=addevent`` with ``subject``, ``startdt``, ``enddt`` (ISO 8601),
  ``body``, ``location``. (Microsoft 365 work accounts have the same form on outlook.office.com.)
* **Times as UTC instants** (``Z``): both forms read them exactly, and each calendar then shows
  the event in its owner's zone. Unlike an .ics, a link cannot carry the venue's zone rules.
* **Built with urlencode, never by hand**, with spaces as ``%20`` (``+`` means a space only in
  form encoding, and not every reader of a query string decodes it so).
* **Short**: a link stays under :data:`MAX_URL` characters, which every browser, proxy and both
  services accept. Too long a description is cut at a word, with "…", keeping its last paragraph,
  the links to the event page (and to the person's own page and join link). The title and place
  are never cut (the planner keeps both short), so only they could make a link longer.
* **Nothing to add for a cancelled event**: :func:`links` gives none.
"""

from __future__ import annotations

import functools

import re
from datetime import UTC
from typing import Callable
from urllib.parse import quote, urlencode

from ..models import Event
from . import calendar

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/action/compose"
MAX_URL = 2000
ELLIPSIS = "…"
_LAST_WORD = re.compile(r"\s+\S*\Z")


def google_calendar_url(event: Event, *, details: str, location: str, max_length: int = MAX_URL) -> str:
    """Google Calendar's "new event" form with the event's title, UTC times, ``details`` and ``location``."""
    start, end = (t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for t in (event.starts_at, event.ends_at))
    return _fit(lambda text: _url(GOOGLE, {
        "action": "TEMPLATE", "text": event.title, "dates": f"{start}/{end}", "details": text, "location": location,
    }), details, max_length)


def outlook_calendar_url(event: Event, *, details: str, location: str, max_length: int = MAX_URL) -> str:
    """Outlook.com's "new event" form with the event's title, UTC times, ``details`` and ``location``."""
    start, end = (t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for t in (event.starts_at, event.ends_at))
    return _fit(lambda text: _url(OUTLOOK, {
        "rru": "addevent", "subject": event.title, "startdt": start, "enddt": end, "body": text, "location": location,
    }), details, max_length)


def links(event: Event, *, base_url: str, personal: calendar.Personal | None = None) -> dict[str, str]:
    """``{"google": …, "outlook": …}`` with the same place and plain-text description as the
    event's calendar files (``personal`` adds the person's own links); empty for a cancelled event."""
    if event.status == "cancelled":
        return {}
    details = calendar.description(event, base_url, personal)
    where = calendar.location(event)
    return {
        "google": google_calendar_url(event, details=details, location=where),
        "outlook": outlook_calendar_url(event, details=details, location=where),
    }


@functools.lru_cache(maxsize=512)
def public_links(event: Event, base_url: str, language: str) -> dict[str, str]:
    """``links`` of a public event, made once per version of the event and language: the event
    page shows them on every run, and a rush reruns it hundreds of times a second. (``Event`` is
    frozen: an edit makes another key.) The caller must not change the dict it gets."""
    return links(event, base_url=base_url)


def _url(base: str, params: dict[str, str]) -> str:
    # "/" and ":" may stand in a query (RFC 3986): dates and times stay readable.
    return f"{base}?{urlencode(params, safe='/:', quote_via=quote)}"


def _fit(build: Callable[[str], str], details: str, max_length: int) -> str:
    """``build(details)``, or with the details cut (before their last paragraph, at a word) to fit."""
    url = build(details)
    if len(url) <= max_length:
        return url
    head, gap, tail = details.rpartition("\n\n")
    ending = ELLIPSIS + gap + tail
    if not gap or len(build(ending)) > max_length:  # one paragraph, or not even the links fit
        head, ending = details, ELLIPSIS
        if len(build(ending)) > max_length:
            return build("")
    low, high = 0, len(head)  # the longest start of head that fits (encoded length grows with it)
    while low < high:
        middle = (low + high + 1) // 2
        if len(build(head[:middle] + ending)) <= max_length:
            low = middle
        else:
            high = middle - 1
    kept = head[:low]
    if low < len(head) and not head[low].isspace():  # cut inside a word: drop the part of it
        kept = _LAST_WORD.sub("", kept) if _LAST_WORD.search(kept) else kept
    return build(kept.rstrip() + ending)
