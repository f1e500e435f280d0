"""The door: /checkin. Scan a ticket, find a guest by name, add walk-ins, watch the headcount.

Made for a phone held in one hand. Access: a door pass (/checkin?pass=…, remembered in a
cookie through /auth/door) gives this one event and nothing else; signed-in organizers may
use any event. Anyone else opening a ticket's URL learns nothing about the guest. What the
door does on a scan or a tap is in ``components/door.py``.
"""

from __future__ import annotations

import json

import streamlit as st

from planner import NotFound, i18n
from planner.codes import REGISTRATION_STATUS_LABELS, label
from planner.i18n import _, format_number, ngettext
from planner.ui.components import a11y, language
from planner.ui.components.door import (
    ASK_FOR_A_NEW_ONE,
    NO_LONGER_VALID,
    access,
    check,
    door_list_file,
    on_guest,
    on_photo,
    on_typed,
    on_walk_in,
    show_verdict,
)
from planner.ui.components.events import event_choice
from planner.ui.components.markdown import escape_md
from planner.ui.components.session import PAGE_SET, actor, door_pass_secret, planner, session_token, signed_in_user
from planner.ui.components.times import clock, weekday_and_time
from planner.web import DOOR_COOKIE


def render() -> None:
    p = planner()
    s = st.session_state
    params = st.query_params

    secret = params.get("pass")
    if secret:
        if p.door_pass(secret) is None:
            return _link_not_valid()
        s["door_pass_secret"] = secret
        if st.context.cookies.get(DOOR_COOKIE) != secret:
            # Keep the pass in a cookie, so ticket links opened by the phone camera work too.
            target = i18n.in_address(f"/auth/door?pass={secret}")  # the next page load keeps the language
            st.html(f"<script>window.parent.location.replace({json.dumps(target)});</script>", unsafe_allow_javascript=True)
        del params["pass"]
    if params.get("door") == "invalid":
        return _link_not_valid()

    if signed_in_user() is not None and p.door_pass(door_pass_secret()) is None:
        _organizer_event_picker(p)
    found = access()
    if found is None and door_pass_secret():
        st.title(_("Door check-in"), anchor=False)
        s.pop("door_result", None)
        st.error(
            _("This door link is no longer valid: nothing was checked in. Ask an organizer for a new one."),
            icon=":material/block:",
        )
        return
    if found is None:
        st.title(_("Your ticket"), anchor=False)
        st.info(
            _("Show this code to the volunteer at the door: they will scan it to let you in."),
            icon=":material/qr_code_2:",
        )
        return
    event_id, door, who = found
    try:
        event = p.get_event(event_id)
    except NotFound:
        st.error(_("This event no longer exists."))
        return

    code = params.get("code")
    if code:  # opened from the phone camera: check in at once
        check(code, event_id)
        del params["code"]

    a11y.screen_reader_heading(_("Door check-in"))  # the page's h1, for screen readers (the title is below)
    show_verdict()
    st.markdown(f"**{i18n.typed(escape_md(event.title))}**  \n{weekday_and_time(event.local_start)} · "
                f"{i18n.typed(escape_md(door))}")
    if event.status == "cancelled":  # said before the first scan, not only in its verdict
        st.error(
            # Translators: at the top of the door page; {reason} is the organizer's reason, as typed.
            _("**This event is cancelled:** nobody can be checked in. {reason}").format(
                reason=i18n.typed(escape_md(event.cancel_reason))),
            icon=":material/event_busy:",
        )
    _counter(event_id)

    # A key keeps the open tab across reruns: the verdict drawn above would otherwise make new
    # tabs, and every check-in would send the volunteer back to Scan.
    scan, typed, find, walk = st.tabs([_("Scan"), _("Code"), _("Find guest"), _("Walk-in")], key="door_tab")
    with scan:
        st.camera_input(
            _("Point the camera at the ticket's QR code"), key=f"door_camera_{s.get('door_camera_round', 0)}",
            resolution="720p", on_change=on_photo, args=(event_id,),
        )
    with typed:
        st.text_input(
            _("Type the code on the ticket"), key="door_typed", placeholder="ABCD-EFGH-JKMN-PQRS",
            on_change=on_typed, args=(event_id,),
        )
        st.button(_("Check in"), key="door_typed_go", on_click=on_typed, args=(event_id,), type="primary", width="stretch")
    with find:
        _find(p, event_id, who)
    with walk:
        _walk_in(event_id)

    st.divider()
    _door_list(p, event_id)


def _link_not_valid() -> None:
    st.title(_("Door check-in"), anchor=False)
    st.error(_("This door link is not valid any more. Ask an organizer for a new one."), icon=":material/block:")


def _door_list(p, event_id) -> None:
    secret, token = door_pass_secret(), session_token()  # the download cannot read the session: capture it now
    with st.expander(_("If the network fails: printable door list"), icon=":material/print:"):
        st.caption(_("Every confirmed guest and the waiting list, sorted by name, with their codes."))
        st.download_button(
            _("Download the door list (CSV)"), data=language.later(lambda: door_list_file(p, event_id, secret, token)),
            # Translators: the name of the door list file people download, without its extension.
            file_name=_("door-list-{id}").format(id=event_id) + ".csv",
            mime="text/csv", icon=":material/download:", width="stretch", key="door_list", on_click="ignore",
        )


def _organizer_event_picker(p) -> None:
    s = st.session_state
    events = [e for e in p.list_events(actor=actor()) if e.status == "published"]
    if not events:
        st.info(_("No published events to check in."))
        return
    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("event")
    if wanted and wanted.isdigit() and int(wanted) in by_id and "door_event" not in s:
        s["door_event"] = int(wanted)
    with st.expander(_("Event and door"), expanded="door_event" not in s, icon=":material/tune:"):
        st.selectbox(
            _("Event"), list(by_id), key="door_event",
            persist_state=PAGE_SET, index=None, placeholder=_("Choose the event at this door"),
            format_func=lambda i: event_choice(by_id[i], with_status=False),
        )
        st.text_input(_("This door"), key="door_label", placeholder=_("Main door"), max_chars=100)


@st.fragment(run_every="3s")
@language.activate
def _counter(event_id: int) -> None:
    """The headcount, refreshed by itself every few seconds (other doors count too). It reruns
    alone, so it checks access itself: a revoked pass stops seeing the numbers."""
    found = access()
    if found is None or found.event_id != event_id:
        if door_pass_secret():
            st.error(f"{NO_LONGER_VALID} {ASK_FOR_A_NEW_ONE}", icon=":material/block:")
        else:
            st.error(_("You are signed out. Sign in again to use the door."), icon=":material/block:")
        return
    a = planner().attendance(event_id, actor=found.actor)
    inside = dict(count=format_number(a.checked_in), capacity=format_number(a.capacity or 0))
    if a.capacity:
        # Translators: the headcount at the door, "**12 / 80** inside" ({capacity} is the number of places).
        st.progress(min(a.checked_in / a.capacity, 1.0), text=_("**{count} / {capacity}** inside").format(**inside))
    else:
        st.markdown(_("**{count}** inside").format(**inside))
    # Translators: the door's figures: "12 expected (2 walk-ins) · 3 waiting".
    figures = _("{expected} ({walk_ins}) · {waiting}").format(
        expected=ngettext("{count} expected", "{count} expected", a.expected).format(count=format_number(a.expected)),
        walk_ins=ngettext("{count} walk-in", "{count} walk-ins", a.walk_ins).format(count=format_number(a.walk_ins)),
        waiting=ngettext("{count} waiting", "{count} waiting", a.waitlisted).format(count=format_number(a.waitlisted)),
    )
    st.caption(figures)


def _find(p, event_id: int, who) -> None:
    query = st.text_input(_("Guest's name or organization"), key="door_query", placeholder=_("Start typing a name…"))
    if len(query.strip()) < 2:
        st.caption(_("Type at least two letters."))
        return
    guests = p.search_guests(event_id, query, actor=who)[:15]
    if not guests:
        st.caption(_("Nobody registered under that name. Add them as a walk-in if there is space."))
        return
    for g in guests:
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"**{escape_md(g.name)}**" + (f"  \n{escape_md(g.organization)}" if g.organization else ""))
        if g.no_photos:
            left.caption(_(":material/no_photography: Please do not photograph or film this guest"))
        if g.status != "confirmed":
            right.caption(label(REGISTRATION_STATUS_LABELS, g.status))
        elif g.checked_in_at:
            since = clock(g.checked_in_at.astimezone(p.get_event(event_id).zone))
            right.caption(_("In since {time}").format(time=since))
        else:
            right.button(
                _("Check in"), key=f"door_guest_{g.id}", on_click=on_guest, args=(g.id, event_id), type="primary",
                width="stretch",
            )


def _walk_in(event_id: int) -> None:
    s = st.session_state
    field, error = s.get("walk_error", (None, None))
    st.text_input(_("Name"), key="walk_name")
    st.text_input(_("Organization (optional)"), key="walk_org")
    st.text_input(_("Email (optional)"), key="walk_email")
    if error:  # tied to its field and announced (a11y); a full room is the form's, not a field's
        a11y.field_error(error, {"name": "walk_name", "organization": "walk_org", "email": "walk_email"}.get(field, "walk_form"))
        if field == "capacity":
            st.checkbox(_("There is space: let them in anyway"), key="walk_force")
    st.button(_("Add and check in"), key="walk_go", on_click=on_walk_in, args=(event_id,), type="primary", width="stretch")


if __name__ == "__main__":
    render()
