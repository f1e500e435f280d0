"""The door: /checkin. Scan a ticket, find a guest by name, add walk-ins, watch the headcount.

Made for a phone held in one hand. Access: a door pass (/checkin?pass=…, remembered in a
cookie through /auth/door) gives this one event and nothing else; signed-in organizers may
use any event. Anyone else opening a ticket's URL learns nothing about the guest.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from planner import NotFound, PlannerError, ValidationError
from planner.outputs.qrscan import decode_first
from planner.ui.common import escape_md, planner
from planner.web import DOOR_COOKIE

COLOURS = {"green": ("#e6f4ea", "#137333"), "amber": ("#fef7e0", "#b06000"), "red": ("#fce8e6", "#c5221f")}
NO_LONGER_VALID = "This door link is no longer valid."
REASONS = {
    "cancelled": "This registration was cancelled.",
    "waitlisted": "This guest is on the waiting list, not confirmed.",
    "invalid": "This is not a valid ticket code.",
}


# ---------------------------------------------------------------------- who may use the door


def _pass_secret() -> str | None:
    cookie = st.context.cookies.get(DOOR_COOKIE)
    if not isinstance(cookie, str):  # AppTest has no cookies
        cookie = None
    return st.session_state.get("door_pass_secret") or cookie


def _access():
    """(event_id, door label) this session may check in at, or None. Checked again on every
    action, so a revoked pass stops working at the next one."""
    p = planner()
    door_pass = p.door_pass(_pass_secret())
    if door_pass is not None:
        return door_pass.event_id, door_pass.label
    user = p.session_user(_session_token())
    if user is not None:
        event_id = st.session_state.get("door_event")
        return (event_id, st.session_state.get("door_label") or "Main door") if event_id else None
    return None


def _session_token():
    from planner.ui.common import session_token

    return session_token()


def _allowed(event_id: int) -> str | None:
    access = _access()
    if access is None or access[0] != event_id:
        st.session_state["door_result"] = ("red", NO_LONGER_VALID, "Ask an organizer for a new one.")
        return None
    return access[1]


def door_list_file(p, event_id: int, secret: str | None, token: str | None) -> bytes:
    """The printable door list, if the session that rendered the button may still use this
    door: its pass is still valid and for this event, or its organizer is still signed in.
    Streamlit runs the download in a thread of its own without rerunning the page (no st.*
    there), so the page's checks do not run: this one does, with what render time captured."""
    door_pass = p.door_pass(secret)
    if (door_pass is not None and door_pass.event_id == event_id) or p.session_user(token) is not None:
        try:
            return p.door_list_csv(event_id)
        except PlannerError as err:
            return f"Door list\n{err}\n".encode()
    return f"Door list\n{NO_LONGER_VALID} Ask an organizer for a new one.\n".encode()


# ---------------------------------------------------------------------- actions (callbacks)


def _show(result) -> None:
    r = result.registration
    who = html.escape(r.name) if r else ""
    org = html.escape(r.organization) if r and r.organization else ""
    if result.verdict == "checked_in":
        st.session_state["door_result"] = ("green", f"Welcome, {who}", org)
        st.session_state["door_last"] = r.id
    elif result.verdict == "already_checked_in":
        when = result.first_at.astimezone(planner().get_event(r.event_id).zone).strftime("%H:%M")
        st.session_state["door_result"] = (
            "amber", f"Already checked in: {who}", f"Came in at {when} through {html.escape(result.first_door or 'a door')}."
        )
    elif result.verdict == "wrong_event":
        st.session_state["door_result"] = (
            "red", "Wrong event", f"This ticket is for “{html.escape(result.ticket_event_title)}”" + (f" ({who})." if who else ".")
        )
    else:
        st.session_state["door_result"] = ("red", "Not let in" if r else "Invalid code", (f"{who}: " if who else "") + REASONS[result.verdict])


def _check(scanned: str, event_id: int) -> None:
    door = _allowed(event_id)
    if door is None:
        return
    try:
        _show(planner().check_in(scanned, event_id, door=door))
    except PlannerError as err:
        st.session_state["door_result"] = ("red", "Could not check in", html.escape(str(err)))


def _on_photo(event_id: int) -> None:
    s = st.session_state
    photo = s.get(f"door_camera_{s.get('door_camera_round', 0)}")
    s["door_camera_round"] = s.get("door_camera_round", 0) + 1  # a fresh camera for the next guest
    if photo is None:
        return
    text = decode_first(photo.getvalue())
    if text is None:
        s["door_result"] = ("red", "No code found", "Hold the ticket's QR code flat, closer and in the light, then try again.")
        return
    _check(text, event_id)


def _on_typed(event_id: int) -> None:
    typed = st.session_state.get("door_typed", "")
    if typed.strip():
        _check(typed, event_id)
        st.session_state["door_typed"] = ""


def _on_guest(registration_id: int, event_id: int) -> None:
    door = _allowed(event_id)
    if door is None:
        return
    try:
        _show(planner().check_in_registration(registration_id, event_id, door=door))
    except PlannerError as err:
        st.session_state["door_result"] = ("red", "Could not check in", html.escape(str(err)))


def _on_undo(event_id: int) -> None:
    if _allowed(event_id) is None:
        return
    last = st.session_state.pop("door_last", None)
    if last is None:
        return
    try:
        r = planner().undo_check_in(last)
    except PlannerError as err:
        st.session_state["door_result"] = ("red", "Could not undo", html.escape(str(err)))
    else:
        st.session_state["door_result"] = ("amber", f"Check-in undone: {html.escape(r.name)}", "")


def _on_walk_in(event_id: int) -> None:
    s = st.session_state
    door = _allowed(event_id)
    if door is None:
        return
    try:
        r = planner().walk_in(
            event_id, name=s.get("walk_name", ""), organization=s.get("walk_org", ""), email=s.get("walk_email", ""),
            force=bool(s.get("walk_force")), door=door,
        )
    except ValidationError as err:
        s["walk_error"] = (err.field, str(err))
        return
    except PlannerError as err:  # the event was cancelled or removed while the page was open
        s["walk_error"] = (None, str(err))
        return
    s.pop("walk_error", None)
    for key in ("walk_name", "walk_org", "walk_email"):
        s[key] = ""
    s["walk_force"] = False
    s["door_result"] = ("green", f"Welcome, {html.escape(r.name)}", "Walk-in " + (html.escape(r.organization) if r.organization else ""))
    s["door_last"] = r.id


# ---------------------------------------------------------------------- the page


def render() -> None:
    p = planner()
    s = st.session_state
    params = st.query_params

    secret = params.get("pass")
    if secret:
        if p.door_pass(secret) is None:
            st.title("Door check-in")
            st.error("This door link is not valid any more. Ask an organizer for a new one.", icon=":material/block:")
            return
        s["door_pass_secret"] = secret
        if st.context.cookies.get(DOOR_COOKIE) != secret:
            # Keep the pass in a cookie, so ticket links opened by the phone camera work too.
            target = f"/auth/door?pass={secret}"
            st.html(f"<script>window.parent.location.replace({json.dumps(target)});</script>", unsafe_allow_javascript=True)
        del params["pass"]
    if params.get("door") == "invalid":
        st.title("Door check-in")
        st.error("This door link is not valid any more. Ask an organizer for a new one.", icon=":material/block:")
        return

    user = s.get("user")
    if user is not None and p.door_pass(_pass_secret()) is None:
        _organizer_event_picker(p)
    access = _access()
    if access is None and _pass_secret():
        st.title("Door check-in")
        s.pop("door_result", None)
        st.error("This door link is no longer valid: nothing was checked in. Ask an organizer for a new one.", icon=":material/block:")
        return
    if access is None:
        st.title("Your ticket")
        st.info(
            "Show this code to the volunteer at the door: they will scan it to let you in.",
            icon=":material/qr_code_2:",
        )
        return
    event_id, door = access
    try:
        event = p.get_event(event_id)
    except NotFound:
        st.error("This event no longer exists.")
        return

    code = params.get("code")
    if code:  # opened from the phone camera: check in at once
        _check(code, event_id)
        del params["code"]

    _verdict()
    st.markdown(f"**{escape_md(event.title)}**  \n{event.local_start:%a %d %b, %H:%M} · {escape_md(door)}")
    _counter(event_id)

    scan, typed, find, walk = st.tabs(["Scan", "Code", "Find guest", "Walk-in"])
    with scan:
        st.camera_input(
            "Point the camera at the ticket's QR code", key=f"door_camera_{s.get('door_camera_round', 0)}", resolution="720p",
            on_change=_on_photo, args=(event_id,),
        )
    with typed:
        st.text_input("Type the code on the ticket", key="door_typed", placeholder="ABCD-EFGH-JKMN-PQRS", on_change=_on_typed, args=(event_id,))
        st.button("Check in", key="door_typed_go", on_click=_on_typed, args=(event_id,), type="primary", width="stretch")
    with find:
        _find(p, event_id)
    with walk:
        _walk_in(event_id)

    st.divider()
    _door_list(p, event_id)


def _door_list(p, event_id) -> None:
    secret, token = _pass_secret(), _session_token()  # the download cannot read the session: capture it now
    with st.expander("If the network fails: printable door list", icon=":material/print:"):
        st.caption("Every confirmed guest and the waiting list, sorted by name, with their codes.")
        st.download_button(
            "Download the door list (CSV)", data=lambda: door_list_file(p, event_id, secret, token),
            file_name=f"door-list-{event_id}.csv",
            mime="text/csv", icon=":material/download:", width="stretch", key="door_list", on_click="ignore",
        )


def _organizer_event_picker(p) -> None:
    s = st.session_state
    events = [e for e in p.list_events() if e.status == "published"]
    if not events:
        st.info("No published events to check in.")
        return
    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("event")
    if wanted and wanted.isdigit() and int(wanted) in by_id and "door_event" not in s:
        s["door_event"] = int(wanted)
    with st.expander("Event and door", expanded="door_event" not in s, icon=":material/tune:"):
        st.selectbox(
            "Event", list(by_id), key="door_event", index=None, placeholder="Choose the event at this door",
            format_func=lambda i: f"{by_id[i].local_start:%d %b %H:%M} · {by_id[i].title}",
        )
        st.text_input("This door", key="door_label", placeholder="Main door", max_chars=100)


def _verdict() -> None:
    result = st.session_state.get("door_result")
    if not result:
        return
    colour, headline, detail = result
    bg, fg = COLOURS[colour]
    symbol = {"green": "✓", "amber": "!", "red": "✕"}[colour]
    st.html(
        f"<div data-testid='door-verdict' data-verdict='{colour}' style='background:{bg};color:{fg};"
        f"border:3px solid {fg};border-radius:14px;padding:18px 16px;text-align:center;min-height:150px'>"
        f"<div style='font-size:56px;line-height:1;font-weight:700'>{symbol}</div>"
        f"<div style='font-size:26px;font-weight:700;margin-top:6px'>{headline}</div>"
        f"<div style='font-size:18px;margin-top:4px'>{detail}</div></div>"
    )
    if colour == "green" and st.session_state.get("door_last"):
        access = _access()
        if access:
            st.button("Undo this check-in", key="door_undo", on_click=_on_undo, args=(access[0],), icon=":material/undo:")


@st.fragment(run_every="3s")
def _counter(event_id: int) -> None:
    """The headcount, refreshed by itself every few seconds (other doors count too). It reruns
    alone, so it checks access itself: a revoked pass stops seeing the numbers."""
    access = _access()
    if access is None or access[0] != event_id:
        if _pass_secret():
            st.error(f"{NO_LONGER_VALID} Ask an organizer for a new one.", icon=":material/block:")
        else:
            st.error("You are signed out. Sign in again to use the door.", icon=":material/block:")
        return
    a = planner().attendance(event_id)
    if a.capacity:
        st.progress(min(a.checked_in / a.capacity, 1.0), text=f"**{a.checked_in} / {a.capacity}** inside")
    else:
        st.markdown(f"**{a.checked_in}** inside")
    st.caption(f"{a.expected} expected ({a.walk_ins} walk-ins) · {a.waitlisted} waiting")


def _find(p, event_id: int) -> None:
    query = st.text_input("Guest's name or organization", key="door_query", placeholder="Start typing a name…")
    if len(query.strip()) < 2:
        st.caption("Type at least two letters.")
        return
    guests = p.search_guests(event_id, query)[:15]
    if not guests:
        st.caption("Nobody registered under that name. Add them as a walk-in if there is space.")
        return
    for g in guests:
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"**{escape_md(g.name)}**" + (f"  \n{escape_md(g.organization)}" if g.organization else ""))
        if g.status != "confirmed":
            right.caption("Waiting list" if g.status == "waitlisted" else "Cancelled")
        elif g.checked_in_at:
            right.caption(f"In since {g.checked_in_at.astimezone(p.get_event(event_id).zone):%H:%M}")
        else:
            right.button("Check in", key=f"door_guest_{g.id}", on_click=_on_guest, args=(g.id, event_id), type="primary", width="stretch")


def _walk_in(event_id: int) -> None:
    s = st.session_state
    field, error = s.get("walk_error", (None, None))
    st.text_input("Name", key="walk_name")
    st.text_input("Organization (optional)", key="walk_org")
    st.text_input("Email (optional)", key="walk_email")
    if error:
        st.error(error, icon=":material/error:")
        if field == "capacity":
            st.checkbox("There is space: let them in anyway", key="walk_force")
    st.button("Add and check in", key="walk_go", on_click=_on_walk_in, args=(event_id,), type="primary", width="stretch")


if __name__ == "__main__":
    render()
