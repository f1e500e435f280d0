"""A delete button that asks first: pressing it shows the question and two buttons, and only
"Yes, delete" calls the Planner. The question lives in ``st.session_state`` (one at a time), so it
survives the rerun its button causes."""

from __future__ import annotations

import streamlit as st

from planner.i18n import _
from planner.ui.components.messages import attempt

KEY = "deleting"


def delete_button(key: str, label: str, question: str, action, done: str) -> None:
    """``label`` on the button, ``question`` (Markdown, data escaped) before deleting; ``action``
    is the Planner call, ``done`` the message left once it succeeded."""
    if st.session_state.get(KEY) != key:
        if st.button(label, key=key, icon=":material/delete:"):
            st.session_state[KEY] = key
            st.rerun()
        return
    st.warning(question, icon=":material/delete:")
    yes, no = st.columns(2)
    if no.button(_("Keep it"), key=f"{key}_keep", width="stretch"):
        st.session_state.pop(KEY, None)
        st.rerun()
    if yes.button(_("Yes, delete"), key=f"{key}_yes", type="primary", width="stretch"):
        st.session_state.pop(KEY, None)
        attempt(action, done)
