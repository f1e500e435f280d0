"""One event, everything about it: /event?id=<id>. Drafts are for signed-in organizers only."""

from __future__ import annotations

from urllib.parse import quote_plus

import streamlit as st

from planner import NotFound
from planner.ui.rsvp import render_rsvp
from planner.ui.common import (
    ORG_HEADINGS,
    ROLE_HEADINGS,
    escape_md,
    long_date,
    planner,
    time_range,
    viewer_time_range,
    viewer_zone,
)


def _not_found() -> None:
    from planner.ui import pages

    st.title("Event not found")
    st.info(
        "We could not find that event. It may not be published yet, or the link may be incomplete.",
        icon=":material/search_off:",
    )
    st.page_link(pages.PROGRAMME, label="See the whole programme", icon=":material/arrow_back:")


def render() -> None:
    from planner.ui import pages

    event_id = st.query_params.get("id", "")
    try:
        event = planner().get_event(int(event_id))
    except (NotFound, ValueError):
        return _not_found()
    user = st.session_state.get("user")
    if event.status == "draft" or (event.status == "cancelled" and event.published_at is None):
        if user is None:
            return _not_found()
        st.warning("This is a draft preview: the public cannot see this event until it is published.", icon=":material/visibility_off:")

    st.page_link(pages.PROGRAMME, label="Programme", icon=":material/arrow_back:")
    if event.summit:
        st.caption(escape_md(event.summit.name))
    st.title(event.title)
    if event.status == "cancelled":
        st.error(f"**This event is cancelled.** {escape_md(event.cancel_reason)}", icon=":material/event_busy:")

    when, where = st.columns(2)
    with when:
        st.markdown(f":material/schedule: **{long_date(event.local_start)}**  \n{time_range(event)} ({event.timezone})")
        own = viewer_time_range(event, viewer_zone())
        if own:
            st.caption(own)
    with where:
        lines = []
        if event.room and event.venue:
            lines.append(f":material/location_on: **{escape_md(event.room.name)}**")
            lines.append(escape_md(event.venue.name))
            if event.venue.address:
                map_url = "https://www.openstreetmap.org/search?query=" + quote_plus(event.venue.address)
                lines.append(f"[{escape_md(event.venue.address)}]({map_url})")
        if event.format in ("online", "hybrid"):
            lines.append(f":material/videocam: {'Also online' if event.format == 'hybrid' else 'Online'}")
            if event.online_url and event.status != "cancelled":
                lines.append(f"[Join online]({event.online_url})")
        if not lines:
            lines.append("Place to be announced")
        st.markdown("  \n".join(lines))
        if event.room and event.room.accessibility:
            st.caption(f":material/accessible: {escape_md(event.room.accessibility)}")
        if event.capacity:
            st.caption(f"{event.capacity} places · {event.format_label}")

    counts = planner().event_counts(event.id)
    render_rsvp(event, counts)
    if event.published_at is not None:
        # A plain route serves the file, so no calendar is built on every rerun of this page.
        st.link_button("Add to my calendar (.ics)", f"/events/{event.id}.ics", icon=":material/calendar_add_on:")

    if event.description:
        st.subheader("About")
        st.markdown(event.description)  # Markdown; raw HTML is shown as text, never rendered

    # Each section is one Markdown element: every element is a message to the browser, and this
    # page is the one a registration rush opens.
    if event.speakers:
        st.subheader("Speakers")
        blocks = []
        for role in ("chair", "moderator", "speaker", "video message"):
            people = [s for s in event.speakers if s.role == role]
            if people:
                blocks.append(
                    f"**{ROLE_HEADINGS[role]}**\n\n"
                    + "\n".join(
                        f"- {escape_md(s.name)}" + (f" — {escape_md(s.affiliation)}" if s.affiliation else "") for s in people
                    )
                )
        st.markdown("\n\n".join(blocks))

    if event.organizations:
        st.subheader("Organizations")
        blocks = []
        for role in ("host", "endorser", "co-sponsor"):
            orgs = event.organizations_with_role(role)
            if orgs:
                blocks.append(f"**{ORG_HEADINGS[role]}**\n\n" + "\n".join(f"- {escape_md(o.name)}" for o in orgs))
        st.markdown("\n\n".join(blocks))


if __name__ == "__main__":
    render()
