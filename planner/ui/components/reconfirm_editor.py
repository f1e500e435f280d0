"""The event editor's "Still coming?" and overbooking section (issue #12).

Drawn by ``edit_event.py`` under the registration settings (``section``) and saved with the
event (``save``, called once the event is created or saved, so a new event gets its settings
too). The suggestion comes from the no-show history of past events (``Planner.suggested_overbooking``)
for the capacity typed in the form, room's or own.
"""

from __future__ import annotations

import streamlit as st

from planner import PlannerError
from babel.numbers import format_percent as _format_percent

from planner.i18n import _, format_number, locale, ngettext
from planner.ui.components.messages import show_error
from planner.ui.components.session import PAGE_SET, actor


def format_percent(rate: float) -> str:
    return _format_percent(rate, locale=locale())


def _capacity(p) -> int | None:
    s = st.session_state
    if not s.get("ev_capacity_default", True):  # one refused beside its field (below 1) suggests nothing yet
        return int(s["ev_capacity"]) if int(s["ev_capacity"]) >= 1 else None
    try:
        return p.get_room(s["ev_room"]).capacity if s.get("ev_room") else None
    except PlannerError:
        return None


def section(p, event) -> None:
    """The three settings, with the suggestion; loaded when the form loads another event."""
    s = st.session_state
    loaded = event.id if event else "new"
    if s.get("rc_loaded") != loaded:
        current = p.reconfirmation_settings(event.id, actor=actor()) if event else None
        s["rc_loaded"] = loaded
        s["rc_enabled"] = bool(current and current.enabled)
        s["rc_release"] = bool(current and current.release_unanswered)
        s["rc_overbooking"] = current.overbooking if current else 0
    st.markdown("**{}**".format(_("Still coming? and overbooking")))
    st.checkbox(
        _("Ask confirmed guests “Still coming?” a day before the deadline"), key="rc_enabled", persist_state=PAGE_SET,
        help=_("Each guest confirmed by then gets an email with two links, “Yes, I'm coming” and “I can't come”. "
               "A guest who cannot come frees the place for the waiting list at once. The deadline is the start of "
               "the event."),
    )
    st.checkbox(
        _("At the deadline, give the places of guests who did not answer to the waiting list (they are told)"),
        key="rc_release", persist_state=PAGE_SET, disabled=not s["rc_enabled"],
    )
    st.number_input(
        _("Places offered beyond the capacity (overbooking)"), key="rc_overbooking",
        persist_state=PAGE_SET, min_value=0, max_value=10_000,
        step=1,
        help=_("Registrations and the waiting list fill the capacity and these places. The door still lets in no "
               "more people than the capacity."),
    )
    capacity = _capacity(p)
    tip = p.suggested_overbooking(capacity, actor=actor())
    if tip.rate is None:
        st.caption(_("No past event has a no-show history yet, so there is no suggestion."))
    elif not tip.enough:
        st.caption(ngettext(
            "{rate} of the confirmed guests of past events did not come, but {count} guest is too few to suggest "
            "overbooking.",
            "{rate} of the confirmed guests of past events did not come, but {count} guests are too few to suggest "
            "overbooking.", tip.confirmed).format(rate=format_percent(tip.rate), count=format_number(tip.confirmed)))
    elif capacity is None:
        st.caption(_("{rate} of the confirmed guests of past events did not come. Give the event a capacity to see "
                     "how many places to offer beyond it.").format(rate=format_percent(tip.rate)))
    else:
        st.info(ngettext(
            "Suggested: offer {places} places beyond the capacity of {capacity} ({share}), because {rate} of the "
            "confirmed guests of the past event did not come.",
            "Suggested: offer {places} places beyond the capacity of {capacity} ({share}), because {rate} of the "
            "confirmed guests of {events} past events did not come.", tip.events).format(
            places=format_number(tip.places), capacity=format_number(capacity), share=format_percent(tip.share),
            rate=format_percent(tip.rate), events=format_number(tip.events)), icon=":material/lightbulb:")


def save(p, event_id: int) -> bool:
    """Writes the section's settings for the event just saved; False (with the reason shown) if refused."""
    s = st.session_state
    if "rc_enabled" not in s:
        return True
    try:
        p.set_reconfirmation(event_id, enabled=bool(s["rc_enabled"]), release_unanswered=bool(
            s["rc_enabled"] and s["rc_release"]), overbooking=int(s["rc_overbooking"]), actor=actor())
    except PlannerError as err:
        show_error(err)
        return False
    s["rc_loaded"] = None  # read again with the saved event
    return True
