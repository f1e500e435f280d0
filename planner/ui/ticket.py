"""An attendee's private page: /ticket?t=<manage_token>. See, change or cancel a registration."""

from __future__ import annotations

import streamlit as st

from planner import NotFound, PlannerError, ValidationError
from planner.ui.common import escape_md, long_date, planner, show_flash, time_range

STATUS_TEXT = {
    "confirmed": ("Your place is confirmed", ":material/check_circle:"),
    "waitlisted": ("You're on the waiting list", ":material/hourglass_top:"),
    "cancelled": ("This registration is cancelled", ":material/cancel:"),
}


def render() -> None:
    p = planner()
    token = st.query_params.get("t", "")
    try:
        registration = p.registration(token)
    except NotFound:
        st.title("Registration not found")
        st.info(
            "We could not find a registration for this link. Check that you copied the whole link "
            "from your registration confirmation.",
            icon=":material/search_off:",
        )
        return
    event = p.get_event(registration.event_id)

    st.caption("Your registration")
    st.title(event.title)
    show_flash()
    if event.status == "cancelled":
        st.error(f"**The event is cancelled.** {escape_md(event.cancel_reason)}", icon=":material/event_busy:")
    st.markdown(
        f":material/schedule: **{long_date(event.local_start)}** · {time_range(event)}  \n"
        f":material/location_on: {escape_md(event.place)}"
        + (f", {escape_md(event.venue.address)}" if event.venue and event.venue.address else "")
    )

    heading, icon = STATUS_TEXT[registration.status]
    body = f"**{heading}**, {escape_md(registration.name)}."
    if registration.status == "waitlisted":
        body += f" You are number **{registration.position}** on the list and move up by yourself when a place frees up."
    if event.status != "cancelled":  # a place at a cancelled event is no news worth a green box
        box = {"confirmed": st.success, "waitlisted": st.warning, "cancelled": st.info}[registration.status]
        box(body, icon=icon)

    # Online events have no door to show a ticket at; a cancelled one lets nobody in.
    if registration.status == "confirmed" and event.format != "online" and event.status != "cancelled":
        _ticket(p, token, registration)
    if (
        registration.status == "confirmed" and event.status != "cancelled"
        and event.online_url and event.format in ("online", "hybrid")
    ):
        st.link_button("Join online", event.online_url, icon=":material/videocam:")
    if registration.status != "cancelled":
        st.download_button(
            "Add to calendar (.ics)", data=lambda: p.registration_ics(token), file_name="side-event.ics",
            mime="text/calendar", icon=":material/event_available:", on_click="ignore",
        )
    _details(p, token, registration)
    if registration.status != "cancelled":
        _cancel(p, token, registration)


def _ticket(p, token, registration) -> None:
    """The QR code the door scans, large, with the code printed under it for typing."""
    png = p.ticket_qr_png(token)
    with st.container(border=True, horizontal_alignment="center"):
        st.markdown("**Your ticket** — show it at the door")
        st.image(png, width=300)
        st.markdown(f"### `{registration.ticket_code}`")
        st.download_button(
            "Save the ticket (PNG)", data=png, file_name="ticket.png", mime="image/png", icon=":material/download:", on_click="ignore",
        )


def _details(p, token, registration) -> None:
    st.subheader("Your details")
    st.caption(f"Registered as {registration.email}")
    if registration.status == "cancelled":
        st.markdown(
            f"{escape_md(registration.name)}"
            + (f" — {escape_md(registration.organization)}" if registration.organization else "")
        )
        return
    with st.form("ticket_details"):
        name = st.text_input("Your name", registration.name, max_chars=200)
        organization = st.text_input("Organization (optional)", registration.organization, max_chars=200)
        needs = st.text_area("Access or interpretation needs (optional)", registration.needs, max_chars=500, height=80)
        if st.form_submit_button("Save changes"):
            try:
                p.update_registration(token, name=name, organization=organization, needs=needs)
            except (ValidationError, PlannerError) as err:
                st.error(str(err), icon=":material/error:")
            else:
                st.session_state["flash"] = "Saved your details."
                st.rerun()


def _cancel(p, token, registration) -> None:
    st.subheader("Can't come?")
    if not st.session_state.get("ticket_confirm_cancel"):
        st.caption("Cancelling frees your place for the next person on the waiting list.")
        if st.button("Cancel my registration", icon=":material/event_busy:"):
            st.session_state["ticket_confirm_cancel"] = True
            st.rerun()
        return
    st.warning("Cancel your registration? This cannot be undone; you can register again while places are open.")
    yes, no = st.columns(2)
    if yes.button("Yes, cancel it", type="primary", width="stretch"):
        p.cancel_registration(token)
        st.session_state["ticket_confirm_cancel"] = False
        st.session_state["flash"] = "Your registration is cancelled. Thank you for freeing your place."
        st.rerun()
    if no.button("No, keep my place", width="stretch"):
        st.session_state["ticket_confirm_cancel"] = False
        st.rerun()


if __name__ == "__main__":
    render()
