"""Messages for the person at the screen: what an action did, shown once on the next run,
and a refusal in words."""

from __future__ import annotations

import streamlit as st

from planner import PlannerError
from planner.i18n import _
from planner.ui.components.markdown import error_md

KEY = "flash"


def flash(message: str) -> None:
    """Leave ``message`` (already in the session's language) for the run an action reruns or
    switches to."""
    st.session_state[KEY] = message


def show_flash() -> None:
    """Show (once) the message an action left for the page it reran or switched to."""
    message = st.session_state.pop(KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def show_error(err: Exception) -> None:
    """A refusal, as the sentence of its code in the active language (what it repeats of the
    input escaped)."""
    st.error(error_md(err), icon=":material/error:")


def attempt(action, message: str) -> None:
    """Run ``action`` (a Planner call); on success leave ``message`` and rerun, else show why not."""
    try:
        action()
    except PlannerError as err:
        show_error(err)
    else:
        flash(message)
        st.rerun()


def add_then_clear(action, prefix: str, blanks: dict):
    """For a form's ``on_click``: run ``action`` (a Planner call that adds something); when it
    succeeds, empty the form's fields (``blanks``: widget key -> empty value) so a second press
    cannot add it twice, and return what it returned; when refused, keep what was typed and leave
    the refusal for ``refused(prefix)`` to show under the form."""
    try:
        added = action()
    except PlannerError as err:
        st.session_state[f"{prefix}_refused"] = err
        return None
    st.session_state.pop(f"{prefix}_refused", None)
    for key, value in blanks.items():
        st.session_state[key] = value
    return added


def refused(prefix: str) -> None:
    """Show (once) why ``add_then_clear`` was refused."""
    err = st.session_state.pop(f"{prefix}_refused", None)
    if err is not None:
        show_error(err)


def invalid_link(err) -> None:
    """The whole page for a private or call link that finds nothing (its sentence says why),
    with the way back to the programme."""
    from planner.ui.components.navigation import PROGRAMME

    st.title(_("This link is not valid"))
    st.info(error_md(err), icon=":material/link_off:")
    st.page_link(PROGRAMME, label=_("See the whole programme"), icon=":material/arrow_back:")
