"""The public page of an event not saved yet, in the editor (issue #16): what visitors will read
— title, day and time in the event's zone, place, description, speakers and organizations under
their roles — before anything is saved or published."""

from __future__ import annotations

import streamlit as st

from planner.codes import ORGANIZATION_ROLE_HEADINGS, SPEAKER_ROLE_HEADINGS, label
from planner.i18n import _
from planner.ui.components.description import show_description
from planner.ui.components.markdown import escape_md
from planner.ui.components.times import long_date, time_range


def show_preview(event) -> None:
    """``event``: from ``Planner.preview_event``."""
    with st.container(border=True, key="ev_public_preview"):
        st.caption(_("As the public page will show it (not saved yet):"))
        st.markdown("### {}".format(escape_md(event.title)))
        times = time_range(event)  # "17:00–19:00 New York time": the zone is named in it, as on the public page
        st.markdown(f":material/schedule: **{long_date(event.local_start)}** · {times}  \n"
                    f":material/location_on: {escape_md(event.place)}")
        if event.description:
            show_description(event.description)
        blocks = []
        for role in ("chair", "moderator", "speaker", "video message"):
            people = [s for s in event.speakers if s.role == role]
            if people:
                blocks.append(f"**{label(SPEAKER_ROLE_HEADINGS, role)}**: " + _(", ").join(
                    escape_md(s.name) + (f" ({escape_md(s.affiliation)})" if s.affiliation else "") for s in people))
        for role in ("host", "endorser", "co-sponsor"):
            orgs = event.organizations_with_role(role)
            if orgs:
                blocks.append(f"**{label(ORGANIZATION_ROLE_HEADINGS, role)}**: "
                              + _(", ").join(escape_md(o.name) for o in orgs))
        if blocks:
            st.markdown("  \n".join(blocks))
