"""The "add to calendar" buttons an event page and a private page show side by side."""

from __future__ import annotations

import streamlit as st

from planner.i18n import _


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
