"""The link of a "confirm your place" message: /confirm?t=<token> (confirmed-by-email mode).

Opening it makes the registration (``Planner.confirm_registration``; opening it again finds
the same one), then shows the private page of that registration, whose address is the
person's private link from then on. A lapsed or broken link says so in one sentence.
"""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError
from planner.i18n import _
from planner.ui.components.markdown import error_md
from planner.ui.components.messages import flash
from planner.ui.components.navigation import PROGRAMME, TICKET
from planner.ui.components.session import planner


def render() -> None:
    token = st.query_params.get("t", "")
    try:
        registration = planner().confirm_registration(token)
    except NotFound as err:
        st.title(_("This link has expired"))
        st.info(error_md(err), icon=":material/timer_off:")
        st.page_link(PROGRAMME, label=_("See the whole programme"), icon=":material/arrow_back:")
        return
    except PlannerError as err:  # the event closed meanwhile, or the database refused the write
        st.title(_("We could not confirm your place"))
        st.error(error_md(err), icon=":material/error:")
        st.page_link(PROGRAMME, label=_("See the whole programme"), icon=":material/arrow_back:")
        return
    flash(_("Your email address is confirmed. Keep the address of this page: it is your private link."))
    st.switch_page(TICKET, query_params={"t": registration.manage_token})


if __name__ == "__main__":
    render()
