"""The RSVP form of an event page, and what the attendee sees once registered."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from planner import PlannerError, ValidationError
from planner.ui.common import base_url, escape_md, planner

FIELDS = ("name", "email", "organization", "needs")


def _submit(event_id: int) -> None:
    """Form callback: runs before the page is drawn, so the result shows in the same run."""
    s = st.session_state
    s.pop(f"rsvp_error_{event_id}", None)
    earlier = s.get(f"rsvp_done_{event_id}")
    try:
        done = planner().register(event_id, **{f: s.get(f"rsvp_{f}_{event_id}", "") for f in FIELDS})
        # A second press of Register while the first was still on its way (a slow rush) finds
        # the place just taken: keep the first answer, which carries the private link.
        if done.already_registered and earlier is not None and earlier.id == done.id and earlier.manage_token:
            done = earlier
        s[f"rsvp_done_{event_id}"] = done
    except ValidationError as err:
        s[f"rsvp_error_{event_id}"] = (err.field, str(err))
    except PlannerError as err:
        s[f"rsvp_error_{event_id}"] = (None, str(err))


def private_link(token: str) -> str:
    return f"{base_url()}/ticket?t={token}"


def render_rsvp(event, counts) -> None:
    """The registration box: closed, done, or the form (with the waiting list when full)."""
    st.subheader("Register", anchor="register")
    if event.status == "cancelled":
        st.caption("This event is cancelled, so it no longer takes registrations.")
        return
    if event.status != "published":
        st.caption("Registration opens when the event is published.")
        return
    if event.ends_at <= datetime.now(UTC):
        st.caption("This event has already taken place, so registration is closed.")
        return

    done = st.session_state.get(f"rsvp_done_{event.id}")
    if done is not None:
        show_registered(event, done)
        if st.button("Register someone else", key=f"rsvp_again_{event.id}"):
            del st.session_state[f"rsvp_done_{event.id}"]
            for f in FIELDS:
                st.session_state.pop(f"rsvp_{f}_{event.id}", None)
            st.rerun()
        return

    if counts.is_full:
        st.warning(
            f"**This event is full** ({counts.capacity} places). You can join the waiting list: "
            f"{counts.waitlisted} {'person is' if counts.waitlisted == 1 else 'people are'} waiting, and "
            "you move up by yourself as soon as a place frees up.",
            icon=":material/hourglass_top:",
        )
    elif counts.seats_left is not None and counts.seats_left <= 10:
        st.caption(f"Only {counts.seats_left} places left.")

    error_field, error = st.session_state.get(f"rsvp_error_{event.id}", (None, None))

    def field_error(name: str) -> None:
        if error and error_field == name:
            st.error(error, icon=":material/error:")

    with st.form(f"rsvp_{event.id}", border=True):
        st.text_input("Your name", key=f"rsvp_name_{event.id}", max_chars=200, autocomplete="name")
        field_error("name")
        st.text_input("Email", key=f"rsvp_email_{event.id}", autocomplete="email", placeholder="you@example.org")
        field_error("email")
        st.text_input("Organization (optional)", key=f"rsvp_organization_{event.id}", max_chars=200, autocomplete="organization")
        field_error("organization")
        st.text_area(
            "Access or interpretation needs (optional)", key=f"rsvp_needs_{event.id}", max_chars=500, height=80,
            placeholder="Step-free access, sign language, Spanish interpretation…",
        )
        field_error("needs")
        if error and error_field not in FIELDS:
            st.error(error, icon=":material/error:")
        st.caption(
            "We use your name, email, organization and needs only to manage your place at this event: "
            "the organizers see them, nobody else does. You can change or cancel your registration at "
            "any time through your private link."
        )
        st.form_submit_button(
            "Join the waiting list" if counts.is_full else "Register",
            type="primary", width="stretch", on_click=_submit, args=(event.id,),
        )


def show_registered(event, registration) -> None:
    """Status, calendar file and private link, right after registering."""
    if registration.already_registered:
        # Whoever typed the address may not own it: say nothing of the place it holds.
        st.info(
            f"**{escape_md(registration.email)} is already registered** for this event; we updated "
            "the details given. Use the private link you received when you first registered to see your place, "
            "change your details or cancel.",
            icon=":material/how_to_reg:",
        )
        return
    if registration.status == "confirmed":
        st.success(f"**You're registered, {registration.name}!** Your place is confirmed.", icon=":material/check_circle:")
    else:
        st.warning(
            f"**You're on the waiting list, {registration.name}** — place {registration.position}. "
            "You move up by yourself when a place frees up; check your private page.",
            icon=":material/hourglass_top:",
        )
    link = private_link(registration.manage_token)
    st.download_button(
        "Add to calendar (.ics)",
        data=lambda: planner().registration_ics(registration.manage_token),  # built on click only
        file_name="side-event.ics",
        mime="text/calendar",
        icon=":material/event_available:",
        key=f"rsvp_ics_{event.id}",
        on_click="ignore",  # a download changes nothing: no rerun racing the file request
    )
    st.markdown(
        "**Your private link** — keep it: it lets you see, change or cancel your registration. "
        "Anyone with it can do the same, so don't share it."
    )
    st.code(link, language=None)
    st.link_button("Open my private page", link, icon=":material/open_in_new:")
