"""The public programme: published side events grouped by day, with filters and search."""

from __future__ import annotations

from itertools import groupby

import streamlit as st

from planner.models import FORMAT_LABELS
from planner.ui.common import (
    base_url,
    escape_md,
    long_date,
    organizations_line,
    planner,
    speakers_line,
    time_range,
    viewer_time_range,
    viewer_zone,
)

ALL = "All"


def render() -> None:
    from planner.ui import pages

    p = planner()
    head, subscribe = st.columns([3, 1], vertical_alignment="bottom")
    head.title("Side events programme")
    with subscribe.popover("Subscribe", icon=":material/calendar_add_on:", width="stretch"):
        feed = base_url().split("://", 1)[1] + "/calendar.ics"
        st.link_button("Subscribe in my calendar app", f"webcal://{feed}", icon=":material/sync:", width="stretch")
        st.caption(
            "Your calendar app adds every published side event and keeps them up to date, including "
            "changes and cancellations. Some apps (Google Calendar, Outlook) refresh subscribed "
            "calendars only every few hours. To add the feed by hand, use this address:"
        )
        st.code(f"{base_url()}/calendar.ics", language=None)
    summits = p.list_summits()
    everything = p.programme()
    if not everything:
        st.info(
            "No side events have been published yet. Check back soon — organizers can sign in "
            "under **Organizer sign-in** to plan one.",
            icon=":material/event_busy:",
        )
        return

    query = st.text_input(
        "Search", placeholder="Search titles, speakers, organizations, rooms…", key="f_query", label_visibility="collapsed"
    )
    summit_names = {s.id: s.name for s in summits if any(e.summit_id == s.id for e in everything)}
    active = sum(bool(st.session_state.get(k)) for k in ("f_summit", "f_day", "f_org", "f_format"))
    with st.expander(f"Filters ({active} on)" if active else "Filter by summit, day, organization or format",
                     icon=":material/filter_list:", expanded=bool(active)):
        filters = st.columns([2, 2, 2, 1.4])
        summit_choice = filters[0].selectbox(
            "Summit", [0, *summit_names], format_func=lambda i: summit_names[i] if i else ALL, key="f_summit"
        )
        scoped = [e for e in everything if not summit_choice or e.summit_id == summit_choice]
        days = sorted({e.local_start.date() for e in scoped})
        day = filters[1].selectbox(
            "Day", ["", *days], format_func=lambda d: f"{d:%a} {d.day} {d:%b %Y}" if d else ALL, key="f_day"
        )
        orgs = sorted({o.name for e in scoped for o in e.organizations}, key=str.casefold)
        organization = filters[2].selectbox("Organization", ["", *orgs], format_func=lambda o: o or ALL, key="f_org")
        fmt = filters[3].selectbox(
            "Format", ["", *FORMAT_LABELS], format_func=lambda f: FORMAT_LABELS[f] if f else ALL, key="f_format"
        )

    events = p.programme(
        summit_id=summit_choice or None, day=day or None, organization=organization or None, format=fmt or None, query=query
    )
    st.caption(f"{len(events)} of {len(everything)} events" if len(events) != len(everything) else f"{len(events)} events")
    if not events:
        st.info("No events match these filters. Try another day or clear the search.", icon=":material/search_off:")
        return

    zone = viewer_zone()
    for event_day, group in groupby(events, key=lambda e: e.local_start.date()):
        group = list(group)
        st.subheader(long_date(group[0].local_start), divider="gray")
        for event in group:
            _event_card(event, zone, pages.EVENT)


def _event_card(event, zone, event_page) -> None:
    with st.container(border=True, key=f"event_card_{event.id}"):
        top = st.columns([1, 3])
        with top[0]:
            st.markdown(f"**{time_range(event)}**")
            own = viewer_time_range(event, zone)
            if own:
                st.caption(own)
            badges = [f":gray-badge[{event.format_label}]"]
            if event.status == "cancelled":
                badges.insert(0, ":red-badge[Cancelled]")
            st.markdown(" ".join(badges))
        with top[1]:
            st.page_link(event_page, label=event.title, query_params={"id": str(event.id)}, icon=":material/arrow_forward:")
            place = escape_md(event.place)
            if event.venue and event.room:
                place = f":material/location_on: {place}"
            else:
                place = f":material/videocam: {place}"
            st.markdown(place)
            orgs = organizations_line(event)
            if orgs:
                st.caption(escape_md(orgs))
            speakers = speakers_line(event)
            if speakers:
                st.caption(f":material/record_voice_over: {escape_md(speakers)}")


if __name__ == "__main__":
    render()
