"""The public programme: published side events grouped by day, with filters and search."""

from __future__ import annotations

import html
from itertools import groupby

import streamlit as st

from planner import clock
from planner.codes import FORMAT_LABELS, EVENT_STATUS_LABELS, label
from planner import i18n
from planner.i18n import _, current, format_number, ngettext
from planner.models import upcoming_and_past
from planner.ui.components.events import organizations_line, speakers_line
from planner.ui.components.markdown import escape_md
from planner.ui.components.session import base_url, planner
from planner.ui.components.times import long_date, short_date, time_range, viewer_time_range, viewer_zone


def render() -> None:
    p = planner()
    head, subscribe = st.columns([3, 1], vertical_alignment="bottom")
    head.title(_("Side events programme"), anchor=False)
    with subscribe.popover(_("Subscribe"), icon=":material/calendar_add_on:", width="stretch"):
        feed = base_url().split("://", 1)[1] + "/calendar.ics"
        st.link_button(_("Subscribe in my calendar app"), f"webcal://{feed}", icon=":material/sync:", width="stretch")
        st.caption(
            _(
                "Your calendar app adds every published side event and keeps them up to date, including "
                "changes and cancellations. Some apps (Google Calendar, Outlook) refresh subscribed "
                "calendars only every few hours. To add the feed by hand, use this address:"
            )
        )
        st.code(i18n.in_address(f"{base_url()}/calendar.ics"), language=None)  # the feed in this language
    summits = p.list_summits()
    everything = p.programme()
    if not everything:
        st.info(
            # Translators: **Organizer sign-in** is the title of the sign-in page in the navigation.
            _(
                "No side events have been published yet. Check back soon — organizers can sign in "
                "under **Organizer sign-in** to plan one."
            ),
            icon=":material/event_busy:",
        )
        return

    query = st.text_input(
        _("Search"), placeholder=_("Search titles, speakers, organizations, rooms…"), key="f_query",
        label_visibility="collapsed",
    )
    summit_names = {s.id: s.name for s in summits if any(e.summit_id == s.id for e in everything)}
    active = sum(bool(st.session_state.get(k)) for k in ("f_summit", "f_day", "f_org", "f_format"))
    with st.expander(
        _("Filters ({count} on)").format(count=active) if active else _("Filter by summit, day, organization or format"),
        icon=":material/filter_list:", expanded=bool(active),
    ):
        every = _("All")
        filters = st.columns([2, 2, 2, 1.4])
        summit_choice = filters[0].selectbox(
            _("Summit"), [0, *summit_names], format_func=lambda i: summit_names[i] if i else every, key="f_summit"
        )
        scoped = [e for e in everything if not summit_choice or e.summit_id == summit_choice]
        days = sorted({e.local_start.date() for e in scoped})
        day = filters[1].selectbox(
            _("Day"), ["", *days], format_func=lambda d: short_date(d) if d else every, key="f_day"
        )
        orgs = sorted({o.name for e in scoped for o in e.public_organizations}, key=str.casefold)
        organization = filters[2].selectbox(
            _("Organization"), ["", *orgs], format_func=lambda o: o or every, key="f_org"
        )
        fmt = filters[3].selectbox(
            _("Format"), ["", *FORMAT_LABELS], format_func=lambda f: label(FORMAT_LABELS, f) if f else every, key="f_format"
        )

    events = p.programme(
        summit_id=summit_choice or None, day=day or None, organization=organization or None, format=fmt or None, query=query
    )
    if len(events) != len(everything):
        shown = ngettext("{shown} of {count} event", "{shown} of {count} events", len(everything))
    else:
        shown = ngettext("{count} event", "{count} events", len(everything))
    st.caption(shown.format(shown=format_number(len(events)), count=format_number(len(everything))))
    if not events:
        st.info(
            _("No events match these filters. Try another day or clear the search."), icon=":material/search_off:"
        )
        return

    zone = viewer_zone()
    upcoming, past = upcoming_and_past(events, clock.now())
    if not upcoming:
        st.info(_("No upcoming events match. Past events are listed below."), icon=":material/event_busy:")
    # A day is a section of the page (h2 after the page's h1), without a link-anchor tab stop;
    # events that are over come after the upcoming ones, the latest first, under their own h2.
    _days(upcoming, zone, st.header)
    if past:
        st.header(_("Past events"), divider="gray", anchor=False)
        _days(past, zone, st.subheader)


def _days(events, zone, heading) -> None:
    for _day, group in groupby(events, key=lambda e: e.local_start.date()):
        group = list(group)
        heading(long_date(group[0].local_start), divider="gray" if heading is st.header else False, anchor=False)
        for event in group:
            _event_card(event.localized(current()), zone)  # its title in the visitor's language if given


def _event_card(event, zone) -> None:
    with st.container(border=True, key=f"event_card_{event.id}"):
        top = st.columns([1, 3])
        with top[0]:
            st.markdown(f"**{time_range(event)}**")
            own = viewer_time_range(event, zone)
            if own:
                st.caption(own)
            badges = [f":gray-badge[{label(FORMAT_LABELS, event.format)}]"]
            if event.status == "cancelled":
                badges.insert(0, f":red-badge[{label(EVENT_STATUS_LABELS, 'cancelled')}]")
            st.markdown(" ".join(badges))
        with top[1]:
            # The public event page (/e/<id>, plain HTML: issue #17), where people register, in the
            # same tab: the page a rush opens stays light. st.html, since Streamlit's own links open
            # other sites' addresses in a new tab.
            st.html(f'<a class="planner-event-link" dir="auto" href="{html.escape(i18n.in_address(f"/e/{event.id}"))}">'
                    f"{html.escape(event.title)}</a>")
            icon = ":material/videocam:" if event.format == "online" else ":material/location_on:"
            st.markdown(f"{icon} {escape_md(event.place)}")
            orgs = organizations_line(event)
            if orgs:
                st.caption(orgs)
            speakers = speakers_line(event)
            if speakers:
                st.caption(f":material/record_voice_over: {speakers}")


if __name__ == "__main__":
    render()
