"""The programme for partners' websites (issue #14, mixed into ``Planner``): the data behind the
embeddable programme (``/embed``), the JSON feed (``/programme.json``) and the organization
filter of the calendar feeds.

One rule decides what leaves here: the public programme (published events, and published ones
later cancelled) and, of each event, only ``Event.public_organizations`` and
``Event.public_speakers`` — an organization that has not confirmed never appears, and is never
even found by the ``organization=`` filter. Everything is read from the Planner's cached public
programme, so a partner's page that is opened thousands of times costs no query until the
programme changes; ``ProgrammeFeed.etag`` names that state for HTTP caches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from .. import clock
from ..errors import NotFound
from ..i18n import N_, current, in_address
from ..models import Event, EventOrganization, Summit, upcoming_and_past
from ..outputs import embed
from ..outputs import feed as feed_output
from ..text import slug

# Changes whenever what the feed or the embed write from the same programme changes (a new
# field, another layout), so that a cached copy is not taken for the new one.
RENDER_VERSION = 1
MAX_ASKED = 1000  # an ``organization=`` this long is no name (at most 200 characters): it finds nothing, quickly


@dataclass(frozen=True)
class ProgrammeFeed:
    """What a partner's page shows: the public ``events`` (of ``summit``, with ``organization``
    in any role, when asked), in time order, titles and descriptions in ``language`` where the
    organizers gave them; ``version`` is the programme's (it moves with every change) and
    ``now`` the instant that splits ``upcoming`` from ``past``."""

    events: tuple[Event, ...]
    version: int
    language: str
    now: datetime
    summit: Summit | None = None
    organization: EventOrganization | None = None

    @property
    def upcoming(self) -> list[Event]:
        """Events not over yet (on now included), soonest first."""
        return upcoming_and_past(self.events, self.now)[0]

    @property
    def past(self) -> list[Event]:
        """Events that have ended, the latest first."""
        return upcoming_and_past(self.events, self.now)[1]

    @property
    def etag(self) -> str:
        """An HTTP entity tag: the same while the programme, the language, the filters and which
        events are over stay the same (so a 304 is never stale), another as soon as one moves."""
        state = (RENDER_VERSION, self.version, self.language, self.summit.id if self.summit else None,
                 self.organization.organization_id if self.organization else None,
                 sum(e.ends_at <= self.now for e in self.events))
        # Weak (W/): the same programme may travel compressed or not (the server gzips large answers).
        return 'W/"' + hashlib.sha256(repr(state).encode()).hexdigest()[:32] + '"'


def _short_name(name: str) -> str:
    """The text in a name's last brackets ("GCM" of "Global Coalition on Migration (GCM)"), or ""."""
    opened, closed = name.rfind("("), name.rfind(")")
    return name[opened + 1:closed] if 0 <= opened < closed else ""


class FeedMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    def programme_feed(self, summit_id: int | str | None = None, organization: int | str | None = None
                       ) -> ProgrammeFeed:
        """The public programme for a partner's page, in the active language: every public event
        (of one summit, if given; of one organization in any role, if given, by its id, its name,
        its ``text.slug`` or the short name in its brackets when no other has it), in time order. ``NotFound`` for a summit that does not
        exist ("no_summit", or "bad_id" for a value that is no id); ``NotFound("no_public_organization")`` for
        an organization named on no public event as confirmed. Writes nothing."""
        everything, version = self._public_snapshot()
        events, summit = everything, None
        if summit_id not in (None, ""):
            summit = self.get_summit(summit_id)  # NotFound for an unknown id or one that is not an id
            events = [e for e in events if e.summit_id == summit.id]
        found = None
        if organization not in (None, ""):
            found = self._public_organization(organization, everything)
            events = [e for e in events if any(o.organization_id == found.organization_id
                                               for o in e.public_organizations)]
        language = current()
        now = clock.now()
        return ProgrammeFeed(tuple(e.localized(language) for e in events), version, language, now, summit, found)

    def _public_snapshot(self) -> tuple[list[Event], int]:
        """The public events and the programme's version they are of (one cached state)."""
        self._public_events()
        version, found, _by_id = self._public_cache
        return list(found), version

    @staticmethod
    def _public_organization(asked: int | str, events: list[Event]) -> EventOrganization:
        """The organization ``asked`` names (its id, its name or its slug) among those the public
        programme shows as confirmed on any event of any summit: a filter for a summit where it
        has no event gives an empty programme, one it is named on nowhere publicly a 404."""
        text = str(asked).strip()
        if not text or len(text) > MAX_ASKED:
            raise NotFound("no_public_organization")
        named = [o for e in events for o in e.public_organizations]
        if text.isascii() and text.isdigit():
            for o in named:
                if o.organization_id == int(text):
                    return o
        asked_slug = slug(text)
        for o in named:
            if asked_slug and slug(o.name) == asked_slug:
                return o
        # "gcm" for "Global Coalition on Migration (GCM)": the short name in the name's last
        # brackets, when it names one organization only.
        short = {o.organization_id: o for o in named if asked_slug and slug(_short_name(o.name)) == asked_slug}
        if len(short) == 1:
            return next(iter(short.values()))
        raise NotFound("no_public_organization")

    def programme_json(self, feed: ProgrammeFeed) -> bytes:
        """A ``programme_feed`` as the JSON document of ``/programme.json`` (``outputs/feed.py``:
        the fields are in the README's *The programme on your website*)."""
        return feed_output.feed_bytes(feed, self.base_url)

    def programme_embed(self, feed: ProgrammeFeed) -> str:
        """A ``programme_feed`` as the HTML page of ``/embed`` (``outputs/embed.py``), in the
        active language, linking to the calendar feed of the same summit and organization."""
        return embed.html(feed, self.base_url, self.programme_calendar_url(feed))

    def embed_snippet(self, summit_id: int | None = None, organization: str | None = None,
                      language: str | None = None) -> str:
        """The HTML to paste into a partner's page for ``/embed`` of one summit (if given), one
        organization's events (its name, slug or id, as typed: the embed looks it up) and a
        language (default: the visitor's browser's) — the README's snippet with this site's
        address. No check: an unknown summit or organization shows the embed's own "not found"."""
        query = {}
        if summit_id:
            query["summit"] = str(int(summit_id))
        if organization and organization.strip():
            query["organization"] = slug(organization.strip()) or organization.strip()
        if language:
            query["lang"] = language
        # Translators: the title of the frame holding the programme on a partner's page (read by screen readers).
        return embed.snippet(self.base_url, query, str(N_("Side events")))

    def programme_calendar_url(self, feed: ProgrammeFeed) -> str:
        """The address of the calendar feed holding a ``programme_feed``'s events (its summit's,
        narrowed to its organization by id, which no other can share), in the active language."""
        path = f"/calendar/{feed.summit.id}.ics" if feed.summit else "/calendar.ics"
        query = f"?{urlencode({'organization': feed.organization.organization_id})}" if feed.organization else ""
        return in_address(f"{self.base_url.rstrip('/')}{path}{query}")
