"""Summits: the big meetings side events gather around (a UN General Assembly, a COP)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from planner.ui.common import show_flash, planner
from planner.ui.venues import _try
from planner.validate import timezone_names


def render() -> None:
    p = planner()
    st.title("Summits")
    show_flash()
    summits = p.list_summits()
    zones = timezone_names()
    if summits:
        st.dataframe(
            pd.DataFrame(
                [
                    {"Summit": s.name, "City": s.city, "Time zone": s.timezone, "First day": s.starts_on, "Last day": s.ends_on}
                    for s in summits
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No summits yet. A summit groups side events and lets the planner warn about events outside its days.")

    left, right = st.columns(2)
    with left:
        st.subheader("Add a summit")
        with st.form("add_summit"):
            name = st.text_input("Name", placeholder="UN General Assembly high-level week")
            city = st.text_input("City", placeholder="New York")
            zone = st.selectbox("Time zone", zones, index=zones.index("America/New_York"))
            days = st.date_input("Days", value=(date.today(), date.today() + timedelta(days=6)))
            if st.form_submit_button("Add summit", type="primary"):
                first, last = (days + (days[0],))[:2] if len(days) == 1 else days
                _try(
                    lambda: p.add_summit(name=name, city=city, timezone=zone, starts_on=first, ends_on=last),
                    f"Added {name}.",
                )
    with right:
        if not summits:
            return
        st.subheader("Change a summit")
        by_id = {s.id: s for s in summits}
        chosen = by_id[st.selectbox("Summit", list(by_id), format_func=lambda i: by_id[i].name)]
        with st.form(f"summit_{chosen.id}"):
            name = st.text_input("Name", chosen.name)
            city = st.text_input("City", chosen.city)
            zone = st.selectbox("Time zone", zones, index=zones.index(chosen.timezone) if chosen.timezone in zones else 0)
            days = st.date_input("Days", value=(chosen.starts_on, chosen.ends_on))
            if st.form_submit_button("Save summit"):
                first, last = (days + (days[0],))[:2] if len(days) == 1 else days
                _try(
                    lambda: p.update_summit(chosen.id, name=name, city=city, timezone=zone, starts_on=first, ends_on=last),
                    f"Saved {name}.",
                )


if __name__ == "__main__":
    render()
