"""The guest's choice on their private page (issue #10): reminders and organizers' messages on
or off. Confirmations and changes to the event always go out, and the page says so.

The switch saves as it is flipped (``Planner.set_messages``) and shows the stored choice on
every run, so a choice made elsewhere (the mail app's "unsubscribe") shows on the next one.
"""

from __future__ import annotations

import streamlit as st

from planner import PlannerError
from planner.i18n import _
from planner.ui.components import language
from planner.ui.components.markdown import error_md
from planner.ui.components.session import PAGE_SET


def _key(registration) -> str:
    return f"ticket_messages_{registration.id}"


@language.activate
def _save(p, token: str, key: str) -> None:
    """Toggle callback: runs before the page is drawn, which then shows the stored choice."""
    st.session_state.pop(f"{key}_error", None)
    try:
        p.set_messages(token, bool(st.session_state[key]))
    except PlannerError as err:  # a failed write: the switch goes back to what is stored
        st.session_state[f"{key}_error"] = error_md(err)
    else:
        st.toast(_("Saved your choice."), icon=":material/check_circle:")


def messages_choice(p, token: str, registration) -> None:
    """The switch, on by default, with what it leaves out said under it."""
    key = _key(registration)
    st.session_state[key] = not registration.messages_off  # the stored choice, every run
    st.toggle(_("Send me reminders and messages from the organizers"), key=key, on_change=_save,
              args=(p, token, key), persist_state=PAGE_SET)
    error = st.session_state.pop(f"{key}_error", None)
    if error:
        st.error(error, icon=":material/error:")
    if registration.messages_off:
        st.caption(_("You get no reminders and no messages from the organizers. Your confirmation and any change "
                     "to the event (its time, its place, a cancellation) are always sent."))
    else:
        st.caption(_("Your confirmation and any change to the event (its time, its place, a cancellation) are "
                     "always sent, whatever you choose here."))
