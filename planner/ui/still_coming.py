"""The links of a "Still coming?" message: /still-coming?t=<token>&a=yes|no (issue #12).

Opening the link changes nothing: the page asks the question again with two buttons (the one the
link stood for first), so a mail scanner that follows every link answers for nobody. The button
records the answer (``Planner.answer_reconfirmation``); *I can't come* frees the place for the
waiting list at once. A link already answered shows the answer given; an unknown one says so.
"""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError
from planner.codes import When
from planner.i18n import _
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.navigation import EVENT
from planner.ui.components.messages import invalid_link
from planner.ui.components.session import planner

ANSWERED = {
    "yes": lambda: _("You told us you are coming. See you there!"),
    "no": lambda: _("You told us you cannot come: your place went to the next person on the waiting list."),
    "released": lambda: _("We had no answer by the deadline, so your place went to the next person on the "
                          "waiting list. You can register again on the event page while places are left."),
}


def _answer(coming: bool) -> None:
    """The button's callback: runs before the page is drawn, leaves what happened to show."""
    try:
        st.session_state["still_coming_done"] = planner().answer_reconfirmation(st.query_params.get("t", ""), coming)
    except PlannerError as err:
        st.session_state["still_coming_error"] = err


def render() -> None:
    p = planner()
    token = st.query_params.get("t", "")
    error = st.session_state.pop("still_coming_error", None)
    try:
        found = p.reconfirmation(token)
    except NotFound as err:
        invalid_link(err)
        return
    event = found.event
    st.title(_("Still coming?"))
    st.subheader(escape_md(event.title))
    st.caption(str(When(event.local_start, event.local_end)))
    if error is not None:
        st.error(error_md(error), icon=":material/error:")
    if found.answer is not None:
        done = st.session_state.pop("still_coming_done", None)
        (st.success if done is not None and done.changed else st.info)(ANSWERED[found.answer](),
                                                                        icon=":material/task_alt:")
        st.page_link(EVENT, label=_("See the event page"), query_params={"id": str(event.id)},
                     icon=":material/event:")
        return
    if found.status != "confirmed":
        st.info(_("This registration is cancelled, so there is nothing left to answer."), icon=":material/info:")
        return
    st.write(_("Please tell the organizers whether you are still coming. If you cannot, your place goes at once to "
               "the next person on the waiting list."))
    wanted = st.query_params.get("a", "yes")
    left, right = st.columns(2)
    left.button(_("Yes, I'm coming"), key="still_coming_yes", on_click=_answer, args=(True,),
                type="primary" if wanted != "no" else "secondary", icon=":material/check_circle:", width="stretch")
    right.button(_("I can't come"), key="still_coming_no", on_click=_answer, args=(False,),
                 type="primary" if wanted == "no" else "secondary", icon=":material/cancel:", width="stretch")


if __name__ == "__main__":
    render()
