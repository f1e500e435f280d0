"""The "add to calendar" buttons an event page and a private page show side by side."""

from __future__ import annotations

import streamlit as st

from planner.i18n import _
from planner.text import slug


def web_calendar_buttons(links: dict[str, str]) -> None:
    """One link button per web calendar in ``links`` (``Planner.calendar_links``): each opens that
    calendar's new-event form, filled in, in a new tab."""
    labels = {
        # Translators: a button opening Google Calendar's new-event form; the product's name stays as it is.
        "google": _("Add to Google Calendar"),
        # Translators: a button opening Outlook.com's new-event form; the product's name stays as it is.
        "outlook": _("Add to Outlook.com"),
    }
    for key, url in links.items():
        st.link_button(labels[key], url, icon=":material/open_in_new:")


def calendar_file_name(event) -> str:
    """The registration's calendar file named after its event ("gcm-celebration-and-civil-….ics"),
    so two events' files in a downloads folder are told apart."""
    name = ""
    for word in slug(event.title).split("-"):  # whole words, up to 60 characters
        if name and len(name) + 1 + len(word) > 60:
            break
        name = f"{name}-{word}" if name else word[:60]
    # Translators: the name of the calendar file people download when the event's title gives none, without ".ics".
    return (name or _("side-event")) + ".ics"
