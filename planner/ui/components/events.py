"""An event in few words: its organizations and speakers on one line of a programme card,
and the event itself as one option of a picker."""

from __future__ import annotations

from planner import Event
from planner.codes import EVENT_STATUS_LABELS, ORGANIZATION_ROLE_LINES, label
from planner.i18n import _, format_number, ngettext
from planner.ui.components.markdown import escape_md
from planner.ui.components.times import day_and_time


def names_line(names: list[str], limit: int = 4) -> str:
    """"Ana, Luis, Diego, Eva and 3 more": the first ``limit`` names, then how many more."""
    # Translators: what separates the names in a list that goes on without "and" ("Ana, Luis, Diego").
    shown = _(", ").join(names[:limit])
    more = len(names) - limit
    if more <= 0:
        return shown
    return ngettext("{names} and {count} more", "{names} and {count} more", more).format(
        names=shown, count=format_number(more)
    )


def organizations_line(event: Event, limit: int = 4) -> str:
    """"Hosted by GCM · Co-sponsored by ACLU, AFSC and 11 more", as Markdown (names escaped)."""
    parts = []
    for role in ("host", "co-sponsor", "endorser"):
        names = [
            # Translators: an organization asked to co-sponsor that has not answered yet, shown as invited.
            _("{name} (invited)").format(name=escape_md(o.shown_name)) if o.invited else escape_md(o.shown_name)
            for o in event.public_organizations_with_role(role)
        ]
        if names:
            parts.append(str(ORGANIZATION_ROLE_LINES[role].format(names=names_line(names, limit))))
    return " · ".join(parts)


def speakers_line(event: Event, limit: int = 4) -> str:
    """"Ana Pérez (CELS), Luis Quispe", as Markdown (names and affiliations escaped)."""
    names = [
        # Translators: a speaker and the organization they come from, in a list of speakers.
        _("{name} ({affiliation})").format(name=escape_md(s.name), affiliation=escape_md(s.affiliation))
        if s.affiliation
        else escape_md(s.name)
        for s in event.public_speakers
    ]
    return names_line(names, limit) if names else ""


def event_choice(event: Event, with_status: bool = True) -> str:
    """"06 Oct 17:00 · Title (Draft)": an event as one option of a picker (plain text)."""
    if with_status:
        # Translators: an event in a list to choose from: its day and time, title and status ("Draft").
        return _("{when} · {title} ({status})").format(
            when=day_and_time(event.local_start), title=event.title, status=label(EVENT_STATUS_LABELS, event.status)
        )
    # Translators: an event in a list to choose from: its day and time, and its title.
    return _("{when} · {title}").format(when=day_and_time(event.local_start), title=event.title)
