""""Email me my private link" (issue #10): a small form for people who closed the tab, lost
the confirmation or never got it.

The answer is one sentence, the same whether or not the address is registered: the Planner
takes the same path either way (``send_private_link``), so the form tells nobody who is
registered. An address that is not an address gets the field's usual error, which says
nothing of anyone; the flood limits and a failed write are said in their own words.

The form runs in a fragment: a request reruns the form and its answer only, not the event
page around it (the page a registration rush opens).
"""

from __future__ import annotations

import streamlit as st

from planner import PlannerError, ValidationError
from planner.i18n import _
from planner.outputs.sentences import LINK_SENT
from planner.ui.components import language
from planner.ui.components.markdown import error_md
from planner.ui.components.session import client_key, planner

SENT = LINK_SENT  # the one answer, whatever the address (planner/outputs/sentences.py)


def _key(event_id: int | None) -> str:
    return f"link_request_{'any' if event_id is None else event_id}"


@language.activate
def _request(event_id: int | None) -> None:
    """Form callback: runs before the fragment is drawn, so the answer shows in the same run."""
    key = _key(event_id)
    s = st.session_state
    s.pop(f"{key}_answer", None)
    try:
        planner().send_private_link(s.get(f"{key}_email", ""), event_id, client=client_key())
    except ValidationError as err:
        s[f"{key}_answer"] = ("field", error_md(err))
    except PlannerError as err:  # TooManyRequests, StorageError: said in words
        s[f"{key}_answer"] = ("refused", error_md(err))
    else:
        s[f"{key}_answer"] = ("sent", None)


@st.fragment
@language.activate
def _form(event_id: int | None) -> None:
    key = _key(event_id)
    kind, text = st.session_state.get(f"{key}_answer", (None, None))
    with st.form(key, border=False):
        st.text_input(
            _("Your email"), key=f"{key}_email", autocomplete="email",
            # Translators: an example email address, shown greyed in the empty email field.
            placeholder=_("you@example.org"),
        )
        if kind == "field":
            st.error(text, icon=":material/error:")
        st.form_submit_button(
            _("Email me my private link"), icon=":material/forward_to_inbox:", on_click=_request, args=(event_id,),
        )
    if kind == "sent":
        st.info(str(SENT), icon=":material/mark_email_read:")
    elif kind == "refused":
        st.error(text, icon=":material/error:")


def lost_link_expander(event) -> None:
    """On an event page: a closed expander under the registration box."""
    with st.expander(_("Lost your private link?"), key=f"{_key(event.id)}_open", icon=":material/key:"):
        st.caption(_("Registered already? Type the email you registered with and we will send you your private link."))
        _form(event.id)


def lost_link_section() -> None:
    """On the page of a private link that names nothing: the way back, open, for any event."""
    with st.container(border=True):
        st.markdown(_("**Lost your private link?** Type the email you registered with and we will send you the "
                      "private links of all your registrations."))
        _form(None)
