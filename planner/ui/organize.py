"""The organizer's events table: every event with its clashes, and what to do next with one."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner.ui.common import STATUS_LABELS, planner, show_error, show_flash, time_range


def render() -> None:
    from planner.ui import pages

    p = planner()
    head, action = st.columns([3, 1], vertical_alignment="bottom")
    head.title("Events")
    if action.button("New event", type="primary", icon=":material/add:", width="stretch"):
        st.session_state.pop("edit_event_id", None)
        st.switch_page(pages.EDIT_EVENT)

    show_flash()

    summits = {s.id: s.name for s in p.list_summits()}
    filters = st.columns(2)
    summit_id = filters[0].selectbox(
        "Summit", [None, *summits], format_func=lambda i: "All summits" if i is None else summits[i], key="o_summit"
    )
    status = filters[1].selectbox(
        "Status", [None, *STATUS_LABELS], format_func=lambda s: "All" if s is None else STATUS_LABELS[s], key="o_status"
    )
    every = p.list_events()
    events = [e for e in every if (summit_id is None or e.summit_id == summit_id) and (status is None or e.status == status)]
    conflicts = p.conflicts()
    clash_count = Counter(i for c in conflicts for i in c.event_ids)
    counts = p.all_event_counts()

    if not events:
        st.info(
            "No events here yet. Start with **New event**; add venues and rooms first if the event has a place.",
            icon=":material/event_note:",
        )
        return

    statuses = Counter(e.status for e in every)
    metrics = st.container(key="metrics_events").columns(4)
    metrics[0].metric("Drafts", statuses["draft"])
    metrics[1].metric("Published", statuses["published"])
    metrics[2].metric("Cancelled", statuses["cancelled"])
    metrics[3].metric("Clashes", len(conflicts))

    table = pd.DataFrame(
        [
            {
                "Date": e.local_start.strftime("%a %d %b %Y"),
                "Time": time_range(e),
                "Title": e.title,
                "Status": STATUS_LABELS[e.status],
                "Registered": _registered(counts[e.id]),
                "Places left": "" if e.status == "cancelled" else _places_left(counts[e.id]),
                "Waiting": str(counts[e.id].waitlisted or ""),
                "Clashes": f"⚠ {clash_count[e.id]}" if clash_count[e.id] else "",
                "Place": e.place,
            }
            for e in events
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Title": st.column_config.TextColumn(width="large"),
            "Places left": st.column_config.TextColumn(width="small"),
            "Waiting": st.column_config.TextColumn(width="small"),
            "Clashes": st.column_config.TextColumn(width="small"),
        },
    )

    if conflicts:
        with st.expander(f"Clashes ({len(conflicts)})", expanded=True, icon=":material/warning:"):
            for c in conflicts:
                st.warning(c.message)

    st.subheader("Manage an event")
    by_id = {e.id: e for e in events}
    chosen = st.selectbox(
        "Event",
        list(by_id),
        format_func=lambda i: f"{by_id[i].local_start:%d %b %H:%M} · {by_id[i].title} ({STATUS_LABELS[by_id[i].status]})",
        key="o_event",
    )
    event = by_id[chosen]
    buttons = st.columns(4)
    if buttons[0].button("Edit", icon=":material/edit:", width="stretch", disabled=event.status == "cancelled"):
        st.session_state["edit_event_id"] = event.id
        st.switch_page(pages.EDIT_EVENT, query_params={"id": str(event.id)})
    if buttons[1].button("Duplicate", icon=":material/content_copy:", width="stretch"):
        copy = p.duplicate_event(event.id)
        st.session_state["edit_event_id"] = copy.id
        st.session_state["flash"] = f"Made a draft copy of “{event.title}”."
        st.switch_page(pages.EDIT_EVENT, query_params={"id": str(copy.id)})
    buttons[2].page_link(pages.EVENT, label="View page", icon=":material/visibility:", query_params={"id": str(event.id)})
    buttons[3].page_link(
        pages.REGISTRATIONS, label="Registrations", icon=":material/how_to_reg:", query_params={"id": str(event.id)}
    )

    if event.status == "draft":
        _publish_panel(p, event, [c for c in conflicts if event.id in c.event_ids])
    if event.status != "cancelled":
        _cancel_panel(p, event)
    else:
        st.caption(f"Cancelled: {event.cancel_reason}")


def _registered(counts) -> str:
    """"12 / 80" confirmed of capacity, or just "12" without a limit."""
    if counts.capacity is None:
        return str(counts.confirmed)
    return f"{counts.confirmed} / {counts.capacity}"


def _places_left(counts) -> str:
    """"Full" rather than 0, so a full event stands out; blank without a limit."""
    if counts.seats_left is None:
        return ""
    return "Full" if counts.seats_left == 0 else str(counts.seats_left)


def _publish_panel(p, event, clashes) -> None:
    room_clashes = [c for c in clashes if c.kind == "room"]
    for c in clashes:
        st.warning(c.message, icon=":material/warning:")
    confirmed = True
    if room_clashes:
        confirmed = st.checkbox(
            "I know the room is booked twice and want to publish anyway", key=f"confirm_clash_{event.id}"
        )
    if st.button("Publish", type="primary", icon=":material/public:", disabled=not confirmed, key=f"publish_{event.id}"):
        try:
            # Only the clashes shown were accepted: a booking made since is still refused.
            shown = {i for c in room_clashes for i in c.event_ids if i != event.id}
            p.publish_event(event.id, allow_room_clash=shown, version=event.version)
        except PlannerError as err:
            show_error(err)
        else:
            st.session_state["flash"] = f"Published “{event.title}”: it is now on the public programme."
            st.rerun()


def _cancel_panel(p, event) -> None:
    with st.expander("Cancel this event", icon=":material/event_busy:"):
        reason = st.text_input("Reason (shown to the public)", key=f"cancel_reason_{event.id}")
        if st.button("Cancel event", key=f"cancel_{event.id}"):
            try:
                p.cancel_event(event.id, reason=reason, version=event.version)
            except PlannerError as err:
                show_error(err)
            else:
                st.session_state["flash"] = f"Cancelled “{event.title}”."
                st.rerun()


if __name__ == "__main__":
    render()
