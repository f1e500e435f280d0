"""Organizers follow an event's registrations: counts, the list, capacity, cancelling for someone."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import PlannerError, StaleEdit
from planner.ui.common import STATUS_LABELS, planner, show_error, show_flash

REG_STATUS = {"confirmed": "Confirmed", "waitlisted": "Waiting list", "cancelled": "Cancelled"}


def render() -> None:
    p = planner()
    st.title("Registrations")
    show_flash()
    events = [e for e in p.list_events() if e.published_at is not None or e.status == "published"]
    if not events:
        st.info("No published events yet: registrations open when an event is published.", icon=":material/event_note:")
        return
    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in by_id and "r_event" not in st.session_state:
        st.session_state["r_event"] = int(wanted)
    event = by_id[
        st.selectbox(
            "Event", list(by_id), key="r_event",
            format_func=lambda i: f"{by_id[i].local_start:%d %b %H:%M} · {by_id[i].title} ({STATUS_LABELS[by_id[i].status]})",
        )
    ]
    counts = p.event_counts(event.id)
    m = st.container(key="metrics_registrations").columns(4)
    m[0].metric("Confirmed", f"{counts.confirmed} / {counts.capacity}" if counts.capacity else counts.confirmed)
    m[1].metric("Waiting list", counts.waitlisted)
    m[2].metric("Places left", "No limit" if counts.seats_left is None else counts.seats_left)
    m[3].metric("Cancelled", counts.cancelled)

    _capacity(p, event, counts)
    _door(p, event)
    _table(p, event)


def _capacity(p, event, counts) -> None:
    with st.expander("Change the capacity", icon=":material/groups:"):
        new = st.number_input(
            "New capacity", min_value=1, max_value=1_000_000, step=1, value=counts.capacity or 50, key=f"r_cap_{event.id}"
        )
        promoted = p.capacity_preview(event.id, int(new))
        if promoted:
            st.info(
                f"Raising the capacity to {new} moves **{len(promoted)}** "
                f"{'person' if len(promoted) == 1 else 'people'} up from the waiting list at once: "
                + ", ".join(r.name for r in promoted[:10]) + (" …" if len(promoted) > 10 else ""),
                icon=":material/trending_up:",
            )
        elif counts.capacity and new < counts.confirmed:
            st.warning(
                f"{counts.confirmed} people are already confirmed: nobody loses their place, but new "
                f"registrations go to the waiting list until fewer than {new} are confirmed.",
                icon=":material/info:",
            )
        if st.button("Apply the new capacity", key=f"r_cap_apply_{event.id}", disabled=new == counts.capacity):
            try:
                p.update_event(event.id, version=event.version, capacity=int(new))
            except StaleEdit:
                show_error(PlannerError("Someone changed this event a moment ago. Look again, then apply."))
            except PlannerError as err:
                show_error(err)
            else:
                st.session_state["flash"] = f"Capacity is now {new}" + (
                    f"; {len(promoted)} moved up from the waiting list." if promoted else "."
                )
                st.rerun()


def _door(p, event) -> None:
    """Door passes for volunteers, the door list, and the scans so far."""
    from planner.ui import pages

    with st.expander("Door check-in", icon=":material/qr_code_scanner:"):
        a = p.attendance(event.id)
        st.markdown(
            f"**{a.checked_in}** checked in of {a.expected} expected ({a.walk_ins} walk-ins)"
            + (f" · capacity {a.capacity}" if a.capacity else "")
        )
        st.page_link(pages.CHECKIN, label="Open the check-in page", icon=":material/open_in_new:", query_params={"event": str(event.id)})
        st.markdown("**Door passes** — a link per door for volunteers without an account; it opens this event's check-in page and nothing else.")
        passes = p.door_passes(event.id)
        for dp in passes:
            left, right = st.columns([4, 1], vertical_alignment="center")
            if dp.active:
                left.markdown(f"{dp.label}")
                left.code(dp.url, language=None)
                if right.button("Revoke", key=f"r_revoke_{dp.id}"):
                    p.revoke_door_pass(dp.id)
                    st.session_state["flash"] = f"Revoked the pass “{dp.label}”: it stops working at its next action."
                    st.rerun()
            else:
                left.caption(f"~~{dp.label}~~ (revoked {dp.revoked_at:%d %b %H:%M})")
        with st.form(f"r_pass_{event.id}", border=False):
            label = st.text_input("Door", placeholder="Main door", key=f"r_pass_label_{event.id}")
            if st.form_submit_button("Create a door pass"):
                try:
                    p.create_door_pass(event.id, label or "Main door")
                except PlannerError as err:
                    show_error(err)
                else:
                    st.rerun()
        st.download_button(
            "Door list for printing (CSV)", data=lambda: p.door_list_csv(event.id), file_name=f"door-list-{event.id}.csv",
            mime="text/csv", icon=":material/print:", key=f"r_door_list_{event.id}", on_click="ignore",
        )
        scans = p.scans(event.id)[:50]
        if scans:
            st.markdown("**Latest scans**")
            st.dataframe(
                pd.DataFrame(
                    [{"Time": x.scanned_at.astimezone(event.zone).strftime("%H:%M:%S"), "Door": x.door, "Verdict": x.verdict.replace("_", " ")} for x in scans]
                ),
                hide_index=True, width="stretch",
            )


def _table(p, event) -> None:
    st.subheader("Who registered")
    registrations = p.registrations(event.id)
    if not registrations:
        st.info("Nobody has registered yet. Share the event page's link.", icon=":material/person_add:")
        return
    left, right = st.columns([1, 2])
    status = left.selectbox(
        "Status", ["", *REG_STATUS], format_func=lambda s: REG_STATUS.get(s, "All"), key=f"r_status_{event.id}"
    )
    query = right.text_input("Search name, email or organization", key=f"r_query_{event.id}")
    filtered = bool(status or query.strip())
    shown = p.registrations(event.id, status=status or None, query=query) if filtered else registrations
    st.caption(f"{len(shown)} of {len(registrations)} registrations")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Name": r.name,
                    "Email": r.email,
                    "Organization": r.organization,
                    "Needs": r.needs,
                    "Status": REG_STATUS[r.status] + (f" #{r.position}" if r.position else ""),
                    "Registered": r.created_at.astimezone(event.zone).strftime("%d %b %H:%M"),
                }
                for r in shown
            ],
            columns=["Name", "Email", "Organization", "Needs", "Status", "Registered"],
        ),
        hide_index=True,
        width="stretch",
    )
    active = {r.id: r for r in registrations if r.status != "cancelled"}
    if not active:
        return
    with st.expander("Cancel a registration on someone's behalf", icon=":material/person_remove:"):
        chosen = st.selectbox(
            "Registration", list(active), key=f"r_cancel_pick_{event.id}",
            format_func=lambda i: f"{active[i].name} <{active[i].email}> ({REG_STATUS[active[i].status]})",
        )
        sure = st.checkbox("Yes, cancel this person's registration", key=f"r_cancel_sure_{event.id}")
        if st.button("Cancel registration", disabled=not sure, key=f"r_cancel_{event.id}"):
            p.cancel_registration_for(chosen)
            st.session_state["flash"] = f"Cancelled {active[chosen].name}'s registration."
            st.session_state.pop(f"r_cancel_sure_{event.id}", None)
            st.rerun()


if __name__ == "__main__":
    render()
