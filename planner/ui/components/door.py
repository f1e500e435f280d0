"""The door's workings: who may use it, what a scan or a tap comes to, the door list file.

Access: a door pass (/checkin?pass=…, remembered in a cookie through /auth/door) gives one
event and nothing else; signed-in organizers may use any event. It is checked again on every
action, so a revoked pass stops working at the next one.

Actions are widget callbacks: they run before the page is drawn and leave their verdict in
``st.session_state["door_result"]`` as (colour, headline, detail), HTML-escaped, for
``show_verdict`` to draw at the top of the page.
"""

from __future__ import annotations

import html
from typing import NamedTuple

import streamlit as st

from planner import Actor, PlannerError, ValidationError
from planner.access import of_door, of_user
from planner.codes import CHECKIN_VERDICTS, label
from planner.i18n import N_, _
from planner.outputs.qrscan import scan_photo
from planner.ui.components import language, security_list
from planner.ui.components.markdown import error_md
from planner.ui.components.session import door_pass_secret, planner, session_token
from planner.ui.components.times import clock

# Background and text: each pair at least 4.5:1 (green 5.2, amber 6.0, red 4.9), and the verdict is
# told by its symbol and its words too, never by colour alone (WCAG 1.4.1, 1.4.3).
COLOURS = {"green": ("#e6f4ea", "#137333"), "amber": ("#fef7e0", "#8f4e00"), "red": ("#fce8e6", "#c5221f")}
SYMBOLS = {"green": "✓", "amber": "!", "red": "✕"}
NO_LONGER_VALID = N_("This door link is no longer valid.")
ASK_FOR_A_NEW_ONE = N_("Ask an organizer for a new one.")
REASONS = {
    "cancelled": N_("This registration was cancelled."),
    "waitlisted": N_("This guest is on the waiting list, not confirmed."),
    "invalid": N_("This is not a valid ticket code."),
    "event_cancelled": N_("This event is cancelled: nobody is checked in."),
    "room_full": N_("The room is full: as many people are inside as it holds. Let this guest in when someone leaves."),
}


class Door(NamedTuple):
    event_id: int
    label: str
    actor: Actor  # who the Planner is told is asking (it checks a door pass again itself)


def access() -> Door | None:
    """The door this session may check in at, or None: one look-up of its pass or sign-in, whose
    actor the door's Planner calls then use (no second look-up per action)."""
    p = planner()
    door_pass = p.door_pass(door_pass_secret())
    if door_pass is not None:
        return Door(door_pass.event_id, door_pass.label, of_door(door_pass))
    user = p.session_user(session_token())
    event_id = st.session_state.get("door_event")
    if user is not None and event_id:
        return Door(event_id, st.session_state.get("door_label") or _("Main door"), of_user(user))
    return None


def _allowed(event_id: int) -> Door | None:
    """The door, if this session may still check in at ``event_id``; else a red verdict."""
    found = access()
    if found is None or found.event_id != event_id:
        st.session_state["door_result"] = ("red", str(NO_LONGER_VALID), str(ASK_FOR_A_NEW_ONE))
        return None
    return found


def door_list_file(p, event_id: int, secret: str | None, token: str | None) -> bytes:
    """The printable door list, if the session that rendered the button may still use this
    door: its pass is still valid and for this event, or its organizer is still signed in.
    Streamlit runs the download in a thread of its own without rerunning the page (no st.*
    there), so the page's checks do not run: this one does, with what render time captured."""
    door_pass, user = p.door_pass(secret), p.session_user(token)
    heading = _("Door list")
    own_pass = door_pass is not None and door_pass.event_id == event_id
    who = of_user(user) if user is not None else of_door(door_pass) if own_pass else None
    if who is not None:
        try:
            return p.door_list_csv(event_id, actor=who)
        except PlannerError as err:  # another event's pass, or the event is gone
            return f"{heading}\n{err}\n".encode()
    return f"{heading}\n{NO_LONGER_VALID} {ASK_FOR_A_NEW_ONE}\n".encode()


# ---------------------------------------------------------------------- actions (callbacks)


def _show(result) -> None:
    st.session_state.pop("door_anyway", None)
    if result.verdict in security_list.DOOR_VERDICTS:  # issue #12: amber, with a tap to let in anyway
        return security_list.door_verdict(result)
    r = result.registration
    who = html.escape(r.name) if r else ""
    org = html.escape(r.organization) if r and r.organization else ""
    s = st.session_state
    if result.verdict == "checked_in":
        s["door_result"] = ("green", _("Welcome, {name}").format(name=who), org + no_photo_mark(result.no_photos))
        s["door_last"] = r.id
    elif result.verdict == "already_checked_in":
        when = clock(result.first_at.astimezone(planner().get_event(r.event_id).zone))
        if result.first_door:
            came = _("Came in at {time} through {door}.").format(time=when, door=html.escape(result.first_door))
        else:
            came = _("Came in at {time} through a door.").format(time=when)
        s["door_result"] = ("amber", _verdict_for(result.verdict, who), came)
    elif result.verdict == "wrong_event":
        title = html.escape(result.ticket_event_title)
        if who:
            # Translators: {title} is the event the ticket is for, {name} the guest's name.
            wrong = _("This ticket is for “{title}” ({name}).").format(title=title, name=who)
        else:
            wrong = _("This ticket is for “{title}”.").format(title=title)
        s["door_result"] = ("red", _("Wrong event"), wrong)
    else:
        reason = str(REASONS.get(result.verdict) or label(CHECKIN_VERDICTS, result.verdict))
        # Translators: the guest's name, then why they are not let in ("This registration was cancelled.").
        detail = _("{name}: {reason}").format(name=who, reason=reason) if who else reason
        if result.verdict == "event_cancelled":
            s["door_result"] = ("red", _("Could not check in"), reason)
        else:
            s["door_result"] = ("red", _("Not let in") if r else _("Invalid code"), detail)


def no_photo_mark(no_photos: bool) -> str:
    """The door's mark for a guest who asked not to be photographed or filmed (issue #12)."""
    if not no_photos:
        return ""
    return ("<div data-testid='door-no-photos' style='margin-top:8px;font-weight:700'>&#128247;&#8856; "
            + html.escape(_("Please do not photograph or film this guest")) + "</div>")


def _verdict_for(verdict: str, who: str) -> str:
    # Translators: the door's verdict ("Already checked in", "Check-in undone") and the guest's name.
    return _("{verdict}: {name}").format(verdict=label(CHECKIN_VERDICTS, verdict), name=who)


def _refused(headline: str, err: PlannerError) -> None:
    st.session_state["door_result"] = ("red", headline, html.escape(str(err)))


def _let_in(event_id: int, check_in) -> None:
    """``check_in(door)`` if this session may still use the door, and show what it came to."""
    door = _allowed(event_id)
    if door is None:
        return
    try:
        _show(check_in(door))
    except PlannerError as err:
        _refused(_("Could not check in"), err)


@language.activate
def check(scanned: str, event_id: int) -> None:
    """Check in the ticket ``scanned`` (a QR code's URL, or a code typed or scanned)."""
    _let_in(event_id, lambda door: planner().check_in(scanned, event_id, door=door.label, actor=door.actor))


@language.activate
def on_photo(event_id: int) -> None:
    s = st.session_state
    photo = s.get(f"door_camera_{s.get('door_camera_round', 0)}")
    s["door_camera_round"] = s.get("door_camera_round", 0) + 1  # a fresh camera for the next guest
    if photo is None or _allowed(event_id) is None:  # no decoding for a pass that stopped working
        return
    try:
        texts = scan_photo(photo.getvalue())
    except ValidationError as err:  # too large, not a photo, the door busy: said in a sentence
        _refused(_("Could not read the photo"), err)
        return
    text = texts[0] if texts else None
    if text is None:
        s["door_result"] = (
            "red", _("No code found"), _("Hold the ticket's QR code flat, closer and in the light, then try again.")
        )
        return
    check(text, event_id)


@language.activate
def on_typed(event_id: int) -> None:
    typed = st.session_state.get("door_typed", "")
    if typed.strip():
        check(typed, event_id)
        st.session_state["door_typed"] = ""


@language.activate
def on_guest(registration_id: int, event_id: int) -> None:
    """One tap on a guest found by name."""
    _let_in(event_id, lambda door: planner().check_in_registration(
        registration_id, event_id, door=door.label, actor=door.actor))


@language.activate
def on_undo(event_id: int) -> None:
    door = _allowed(event_id)
    if door is None:
        return
    last = st.session_state.pop("door_last", None)
    if last is None:
        return
    try:
        r = planner().undo_check_in(last, actor=door.actor)
    except PlannerError as err:
        _refused(_("Could not undo"), err)
    else:
        st.session_state["door_result"] = ("amber", _verdict_for("undone", html.escape(r.name)), "")


@language.activate
def on_walk_in(event_id: int) -> None:
    s = st.session_state
    door = _allowed(event_id)
    if door is None:
        return
    try:
        r = planner().walk_in(
            event_id, name=s.get("walk_name", ""), organization=s.get("walk_org", ""), email=s.get("walk_email", ""),
            force=bool(s.get("walk_force")), door=door.label, actor=door.actor,
        )
    except ValidationError as err:
        s["walk_error"] = (err.field, error_md(err))
        return
    except PlannerError as err:  # the event was cancelled or removed while the page was open
        s["walk_error"] = (None, error_md(err))
        return
    s.pop("walk_error", None)
    for key in ("walk_name", "walk_org", "walk_email"):
        s[key] = ""
    s["walk_force"] = False
    if r.organization:
        # Translators: under a walk-in's welcome at the door: the organization they come from.
        detail = _("Walk-in {organization}").format(organization=html.escape(r.organization))
    else:
        detail = label(CHECKIN_VERDICTS, "walk_in")
    s["door_result"] = ("green", _("Welcome, {name}").format(name=html.escape(r.name)), detail)
    s["door_last"] = r.id


# ---------------------------------------------------------------------- the verdict


def show_verdict() -> None:
    """The last verdict, filling the top of the screen (green, amber or red), with Undo after a
    check-in."""
    result = st.session_state.get("door_result")
    if not result:
        return
    colour, headline, detail = result
    bg, fg = COLOURS[colour]
    # A live region (role="alert"): a screen reader says each new verdict as it appears. A new
    # verdict is new markup even when its words repeat (the same code scanned twice), so the
    # element is drawn again and announced again; a rerun that changes nothing stays quiet.
    s = st.session_state
    if s.get("door_shown") is not result:
        s["door_shown"], s["door_seq"] = result, s.get("door_seq", 0) + 1
    st.html(
        f"<div data-testid='door-verdict' data-verdict='{colour}' data-seq='{s['door_seq']}' role='alert'"
        f" aria-live='assertive' aria-atomic='true' style='background:{bg};color:{fg};overflow-wrap:anywhere;"
        f"border:3px solid {fg};border-radius:14px;padding:18px 16px;text-align:center;min-height:150px'>"
        f"<div aria-hidden='true' style='font-size:56px;line-height:1;font-weight:700'>{SYMBOLS[colour]}</div>"
        f"<div style='font-size:26px;font-weight:700;margin-top:6px'>{headline}</div>"
        f"<div style='font-size:18px;margin-top:4px'>{detail}</div></div>"
    )
    security_list.let_in_anyway_button()
    if colour == "green" and st.session_state.get("door_last"):
        found = access()
        if found:
            st.button(_("Undo this check-in"), key="door_undo", on_click=on_undo, args=(found[0],), icon=":material/undo:")
