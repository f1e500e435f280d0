"""The organizer's events table: every event with its clashes, and what to do next with one."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from planner import PlannerError, ValidationError, clock
from planner.codes import EVENT_STATUS_LABELS, label
from planner.i18n import _, format_number
from planner.models import upcoming_and_past
from planner.ui.components.events import event_choice
from planner.ui.components.deleting import delete_button
from planner.ui.components.markdown import conflict_md, escape_md
from planner.ui.components.messages import flash, show_error, show_flash
from planner.ui.components.navigation import EDIT_EVENT, EVENT, REGISTRATIONS
from planner.ui.components.session import actor, planner
from planner.ui.components.times import table_date, time_range
from planner.ui.components import organizer_style


def render() -> None:
    organizer_style.apply()
    p = planner()
    head, action = st.columns([3, 1], vertical_alignment="bottom")
    head.title(_("Events"))
    if action.button(_("New event"), type="primary", icon=":material/add:", width="stretch"):
        st.session_state.pop("edit_event_id", None)
        st.switch_page(EDIT_EVENT)

    show_flash()

    summits = {s.id: s.name for s in p.list_summits()}
    filters = st.columns(2)
    summit_id = filters[0].selectbox(
        _("Summit"), [None, *summits], format_func=lambda i: _("All summits") if i is None else summits[i], key="o_summit"
    )
    status = filters[1].selectbox(
        _("Status"), [None, *EVENT_STATUS_LABELS], format_func=lambda s: _("All") if s is None else label(EVENT_STATUS_LABELS, s),
        key="o_status",
    )
    every = p.list_events(actor=actor())
    events = [e for e in every if (summit_id is None or e.summit_id == summit_id) and (status is None or e.status == status)]
    conflicts = p.conflicts()
    clash_count = Counter(i for c in conflicts for i in c.event_ids)
    counts = p.all_event_counts(actor=actor())

    if not events:
        st.info(
            # Translators: **New event** is the label of the button that starts a new event.
            _("No events here yet. Start with **New event**; add venues and rooms first if the event has a place."),
            icon=":material/event_note:",
        )
        return

    statuses = Counter(e.status for e in every)
    metrics = st.container(key="metrics_events").columns(4)
    metrics[0].metric(_("Drafts"), statuses["draft"])
    metrics[1].metric(_("Published"), statuses["published"])
    metrics[2].metric(_("Cancelled"), statuses["cancelled"])
    metrics[3].metric(_("Clashes"), len(conflicts))

    upcoming, past = upcoming_and_past(events, clock.now())  # past ones the latest first
    st.caption(_("Select an event by its row to manage it."))
    st.subheader(_("Upcoming"), anchor=False)
    if upcoming:
        _events_table(upcoming, counts, clash_count, "o_upcoming")
    else:
        st.caption(_("No upcoming events."))
    if past:
        st.subheader(_("Past"), anchor=False)
        _events_table(past, counts, clash_count, "o_past")

    if conflicts:
        with st.expander(
            _("Clashes ({count})").format(count=format_number(len(conflicts))), expanded=True, icon=":material/warning:"
        ):
            for c in conflicts:
                st.warning(conflict_md(c))

    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("id")
    if "o_event" not in st.session_state and wanted and wanted.isdigit():
        st.session_state["o_event"] = int(wanted)
    chosen = st.session_state.get("o_event")
    st.subheader(_("Manage an event"), anchor=False)
    if chosen not in by_id:
        st.info(_("Select an event in a table above: its row."), icon=":material/touch_app:")
        return
    event = by_id[chosen]
    st.markdown("**{}**".format(escape_md(event_choice(event))))
    buttons = st.columns(4)
    if buttons[0].button(_("Edit"), icon=":material/edit:", width="stretch", disabled=event.status == "cancelled"):
        st.session_state["edit_event_id"] = event.id
        st.switch_page(EDIT_EVENT, query_params={"id": str(event.id)})
    if buttons[1].button(_("Duplicate"), icon=":material/content_copy:", width="stretch"):
        try:  # an older event may hold a value today's checks refuse (a link, a zone)
            copy = p.duplicate_event(event.id, actor=actor())
        except PlannerError as err:
            show_error(err)
            return
        st.session_state["edit_event_id"] = copy.id
        flash(_("Made a draft copy of “{title}”.").format(title=escape_md(event.title)))
        st.switch_page(EDIT_EVENT, query_params={"id": str(copy.id)})
    buttons[2].page_link(EVENT, label=_("View page"), icon=":material/visibility:", query_params={"id": str(event.id)})
    buttons[3].page_link(
        REGISTRATIONS, label=_("Registrations"), icon=":material/how_to_reg:", query_params={"id": str(event.id)}
    )

    if event.status == "draft":
        _publish_panel(p, event, [c for c in conflicts if event.id in c.event_ids])
    if event.status != "cancelled":
        _cancel_panel(p, event)
    else:
        st.caption(_("Cancelled: {reason}").format(reason=escape_md(event.cancel_reason)))
    if event.published_at is None:  # never public: nobody saw it, so it may simply go
        delete_button(
            f"delete_event_{event.id}", _("Delete this draft"),
            _("Delete “{title}”? It was never public; this cannot be undone.").format(title=escape_md(event.title)),
            lambda: p.delete_event(event.id, actor=actor()),
            _("Deleted “{title}”.").format(title=escape_md(event.title)),
        )


def _events_table(events, counts, clash_count, key: str) -> None:
    """Events as a table whose rows select the event to manage (``o_event``). Columns sized so
    all of them show at 1280 px: the day and time together, long titles and places cut with
    the whole text on hover."""
    columns = dict(
        when=_("When"), title=_("Title"), status=_("Status"), registered=_("Registered"),
        left=_("Places left"), waiting=_("Waiting"), clashes=_("Clashes"), place=_("Place"),
    )
    table = pd.DataFrame(
        [
            {
                # Translators: a table cell: the day, then the times ("Sun 06 Dec 2026 09:30–13:00 EST").
                columns["when"]: _("{day} {times}").format(day=table_date(e.local_start), times=time_range(e)),
                columns["title"]: e.title,
                columns["status"]: label(EVENT_STATUS_LABELS, e.status),
                columns["registered"]: _registered(counts[e.id]),
                columns["left"]: "" if e.status == "cancelled" else _places_left(counts[e.id]),
                columns["waiting"]: format_number(counts[e.id].waitlisted) if counts[e.id].waitlisted else "",
                columns["clashes"]: f"⚠ {format_number(clash_count[e.id])}" if clash_count[e.id] else "",
                columns["place"]: e.place,
            }
            for e in events
        ]
    )
    ids = [e.id for e in events]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=key,
        on_select=lambda: _chose(key, ids),
        selection_mode="single-row",
        column_config={
            columns["when"]: st.column_config.TextColumn(width=190),
            columns["title"]: st.column_config.TextColumn(width=150),
            columns["status"]: st.column_config.TextColumn(width=70),
            columns["registered"]: st.column_config.TextColumn(width=80),
            columns["left"]: st.column_config.TextColumn(width=75),
            columns["waiting"]: st.column_config.TextColumn(width=60),
            columns["clashes"]: st.column_config.TextColumn(width=60),
            columns["place"]: st.column_config.TextColumn(width=85),
        },
    )


def _chose(key: str, ids: list[int]) -> None:
    """A row picked in one of the tables: that event is the one to manage."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state["o_event"] = ids[rows[0]]


def _registered(counts) -> str:
    """"12 / 80" confirmed of capacity, or just "12" without a limit."""
    if counts.capacity is None:
        return format_number(counts.confirmed)
    return f"{format_number(counts.confirmed)} / {format_number(counts.capacity)}"


def _places_left(counts) -> str:
    """"Full" rather than 0, so a full event stands out; blank without a limit."""
    if counts.seats_left is None:
        return ""
    return _("Full") if counts.seats_left == 0 else format_number(counts.seats_left)


def _publish_panel(p, event, clashes) -> None:
    room_clashes = [c for c in clashes if c.kind == "room"]
    for c in clashes:
        st.warning(conflict_md(c), icon=":material/warning:")
    confirmed = True
    if room_clashes:
        confirmed = st.checkbox(
            _("I know the room is booked twice and want to publish anyway"), key=f"confirm_clash_{event.id}"
        )
    # A date in the past is asked about once the domain refused it, for this version of the event.
    asked = st.session_state.get("publish_past")
    past = asked is not None and asked[0] == (event.id, event.version)
    if past:
        st.warning(str(asked[1]), icon=":material/history:")
        confirmed = st.checkbox(_("The date is right: publish it anyway"), key=f"confirm_past_{event.id}") and confirmed
    if st.button(_("Publish"), type="primary", icon=":material/public:", disabled=not confirmed, key=f"publish_{event.id}"):
        try:
            # Only the clashes shown were accepted: a booking made since is still refused.
            shown = {i for c in room_clashes for i in c.event_ids if i != event.id}
            p.publish_event(event.id, allow_room_clash=shown, version=event.version, allow_past=past, actor=actor())
        except ValidationError as err:
            if err.code != "event_in_the_past":
                show_error(err)
                return
            st.session_state["publish_past"] = ((event.id, event.version), err)
            st.rerun()
        except PlannerError as err:
            show_error(err)
        else:
            flash(_("Published “{title}”: it is now on the public programme.").format(title=escape_md(event.title)))
            st.rerun()


def _cancel_panel(p, event) -> None:
    with st.expander(_("Cancel this event"), icon=":material/event_busy:"):
        reason = st.text_input(_("Reason (shown to the public)"), key=f"cancel_reason_{event.id}")
        if st.button(_("Cancel event"), key=f"cancel_{event.id}"):
            try:
                p.cancel_event(event.id, reason=reason, version=event.version, actor=actor())
            except PlannerError as err:
                show_error(err)
            else:
                flash(_("Cancelled “{title}”.").format(title=escape_md(event.title)))
                st.rerun()


if __name__ == "__main__":
    render()
