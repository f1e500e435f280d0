"""Venues (buildings, with address and time zone) and their rooms."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner.ui.common import show_flash, planner, show_error
from planner.validate import timezone_names


def render() -> None:
    p = planner()
    st.title("Venues and rooms")
    show_flash()
    venues = p.list_venues()
    rooms = p.list_rooms()
    zones = timezone_names()

    if not venues:
        st.info("No venues yet. Add the building first, then its rooms.", icon=":material/domain_add:")
    for venue in venues:
        with st.expander(f"{venue.name} · {venue.timezone}", icon=":material/domain:"):
            st.caption(venue.address or "No address yet")
            own = [r for r in rooms if r.venue_id == venue.id]
            if own:
                st.dataframe(
                    pd.DataFrame(
                        [{"Room": r.name, "Capacity": r.capacity, "Accessibility": r.accessibility} for r in own]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            else:
                st.caption("No rooms yet.")
            with st.form(f"venue_{venue.id}"):
                name = st.text_input("Name", venue.name)
                address = st.text_input("Address", venue.address)
                zone = st.selectbox("Time zone", zones, index=zones.index(venue.timezone) if venue.timezone in zones else 0)
                if st.form_submit_button("Save venue"):
                    _try(lambda: p.update_venue(venue.id, name=name, address=address, timezone=zone), f"Saved {name}.")

    left, right = st.columns(2)
    with left:
        st.subheader("Add a venue")
        with st.form("add_venue", clear_on_submit=False):
            name = st.text_input("Building name", placeholder="Church Center for the United Nations")
            address = st.text_input("Address", placeholder="777 UN Plaza, New York, NY 10017")
            zone = st.selectbox("Time zone", zones, index=zones.index("America/New_York"))
            if st.form_submit_button("Add venue", type="primary"):
                _try(lambda: p.add_venue(name=name, address=address, timezone=zone), f"Added the venue {name}.")
    with right:
        st.subheader("Add or change a room")
        if not venues:
            st.caption("Add a venue first.")
            return
        by_id = {v.id: v for v in venues}
        with st.form("add_room"):
            venue_id = st.selectbox("Venue", list(by_id), format_func=lambda i: by_id[i].name)
            name = st.text_input("Room name", placeholder="Boss Room, 8th floor")
            capacity = st.number_input("Capacity", min_value=1, max_value=100_000, value=50, step=1)
            access = st.text_area("Accessibility notes", placeholder="Step-free entrance on 44th Street; lift to 8th floor")
            if st.form_submit_button("Add room", type="primary"):
                _try(
                    lambda: p.add_room(venue_id=venue_id, name=name, capacity=int(capacity), accessibility=access),
                    f"Added the room {name}.",
                )
        if rooms:
            room_by_id = {r.id: r for r in rooms}
            room_id = st.selectbox("Room to change", list(room_by_id), format_func=lambda i: room_by_id[i].label)
            room = room_by_id[room_id]
            with st.form(f"room_{room.id}"):
                name = st.text_input("Room name", room.name)
                capacity = st.number_input("Capacity", min_value=1, max_value=100_000, value=room.capacity, step=1)
                access = st.text_area("Accessibility notes", room.accessibility)
                if st.form_submit_button("Save room"):
                    _try(
                        lambda: p.update_room(room.id, name=name, capacity=int(capacity), accessibility=access),
                        f"Saved {name}.",
                    )


def _try(action, message: str) -> None:
    try:
        action()
    except PlannerError as err:
        show_error(err)
    else:
        st.session_state["flash"] = message
        st.rerun()


if __name__ == "__main__":
    render()
