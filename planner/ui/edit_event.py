"""Create or edit one event: /edit-event?id=<id> (no id: a new event).

Times are typed in the event's own zone (the venue's, else the summit's): a time the clocks
skip is refused, and one they pass twice asks which; speakers and organizations are rows of
plain fields, filled from the keyboard (``components/people_rows.py``). Every input problem is
shown at once beside its field (``Planner.event_problems``), with a summary at the top when a
save fails; clashes show beside the times and the room as soon as they arise; a date in the past
asks to be confirmed. The event is published (a room clash confirmed right there) and, once
published, cancelled from here.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner import NotFound, PlannerError, StaleEdit, ValidationError, clock
from planner import i18n
from planner.codes import (
    EVENT_STATUS_LABELS,
    FORMAT_LABELS,
    ORGANIZATION_ROLE_LABELS,
    ORGANIZATION_ROLES,
    REGISTRATION_MODE_LABELS,
    REGISTRATION_MODES_OFFERED,
    SPEAKER_ROLE_LABELS,
    SPEAKER_ROLES,
    label,
)
from planner.i18n import _, format_number, ngettext
from planner.i18n import N_
from planner.ui.components import altcha, people_rows, reconfirm_editor
from planner.ui.components.description import show_description
from planner.ui.components.event_preview import show_preview
from planner.ui.components.field_errors import tie_errors
from planner.ui.components.markdown import conflict_md, error_md, escape_md
from planner.ui.components.messages import flash, show_error, show_flash
from planner.ui.components.navigation import EDIT_EVENT, EVENT, ORGANIZE
from planner.ui.components.event_translations import event_translations
from planner.ui.components.questions_editor import questions_editor
from planner.ui.components.session import PAGE_SET, actor, planner
from planner.ui.components.times import clock as clock_time
from planner.ui.components.times import zone_long_name
from planner.ui.components import organizer_style
from planner.times import is_repeated, wall_clock
from planner.validate import timezone_names

AUTO = "auto"
NONE = 0  # "no summit" / "no room" in the pickers (None would show as an empty choice)


SPEAKERS = people_rows.Kind(
    prefix="ev_sp",
    columns=("name", "affiliation", "email"),
    headers={"name": N_("Speaker's name"), "affiliation": N_("Affiliation"), "email": N_("Email (optional)")},
    # Translators: the hidden label of a field in the n-th row of speakers, read by screen readers.
    row_labels={"name": N_("Name of speaker {n}"), "affiliation": N_("Affiliation of speaker {n}"),
                "email": N_("Email of speaker {n}")},
    roles=SPEAKER_ROLES,
    role_labels=SPEAKER_ROLE_LABELS,
    default_role=lambda so_far: "speaker",
    widths=(3, 3, 2.4, 1.8),
    # Translators: how to type speakers; the role is typed as it is stored: chair, moderator, speaker or video message.
    paste_hint=N_("Name; affiliation; email; role — one speaker per line"),
)
ORGANIZATIONS = people_rows.Kind(
    prefix="ev_org",
    columns=("name",),
    headers={"name": N_("Organization")},
    row_labels={"name": N_("Organization {n}")},
    roles=ORGANIZATION_ROLES,
    role_labels=ORGANIZATION_ROLE_LABELS,
    # The first organization is usually the host, the others co-sponsors.
    default_role=lambda so_far: "co-sponsor" if any(r["role"] == "host" for r in so_far) else "host",
    widths=(6.4, 1.8),
    # Translators: keep host, co-sponsor and endorser in English: they are the words a typed list must use.
    paste_hint=N_("Name; role (host, co-sponsor or endorser) — one per line"),
)
# Where each field's problems are shown (the widget's key, for tying the message to it).
FIELD_WIDGETS = {
    "title": "ev_title", "summit_id": "ev_summit", "room_id": "ev_room", "online_url": "ev_online_url",
    "format": "ev_format", "timezone": "ev_tz", "starts_at": "ev_start", "ends_at": "ev_end",
    "capacity": "ev_capacity", "description": "ev_description", "registration_mode": "ev_registration_mode",
    "join_link_public": "ev_join_link_public", "reminder_hours": "ev_reminder_hours",
}


def _load(event) -> None:
    """Put an event (or a blank one) into the form's widgets."""
    s = st.session_state
    s["ev_loaded"] = event.id if event else "new"
    s["ev_snapshot"] = event
    for key in ("ev_stale", "ev_past", "ev_tried", "ev_publish_after_past", "ev_end_set"):
        s.pop(key, None)
    if event is None:
        tomorrow = clock.now().date() + timedelta(days=1)
        values = dict(
            ev_title="", ev_summit=NONE, ev_room=NONE, ev_online_url="", ev_format=AUTO, ev_date=tomorrow,
            ev_start=time(17, 0), ev_end=time(19, 0), ev_tz="UTC", ev_capacity_default=True, ev_capacity=50,
            ev_description="", ev_registration_mode="open", ev_join_link_public=False, ev_reminder_hours=24,
            ev_start_fold=None, ev_end_fold=None,
        )
        speakers, orgs = [], []
    else:
        values = dict(
            ev_title=event.title, ev_summit=event.summit_id or NONE, ev_room=event.room_id or NONE,
            ev_online_url=event.online_url or "", ev_format=event.format, ev_date=event.local_start.date(),
            ev_start=event.local_start.time(), ev_end=event.local_end.time(), ev_tz=event.timezone,
            ev_capacity_default=event.capacity_is_default, ev_capacity=event.capacity or 50,
            ev_description=event.description, ev_registration_mode=event.registration_mode,
            ev_join_link_public=event.join_link_public, ev_reminder_hours=event.reminder_hours or 0,
            # Which of a repeated hour it is (the first, or the second after the clocks go back).
            ev_start_fold=event.local_start.fold if is_repeated(event.local_start) else None,
            ev_end_fold=event.local_end.fold if is_repeated(event.local_end) else None,
        )
        speakers = [{"name": x.name, "affiliation": x.affiliation, "email": x.email or "", "role": x.role}
                    for x in event.speakers]
        orgs = [{"name": o.name, "role": o.role} for o in event.organizations]
    for key, value in values.items():
        s[key] = value
    s["ev_start_before"] = s["ev_start"]
    people_rows.load(SPEAKERS, speakers)
    people_rows.load(ORGANIZATIONS, orgs)


def _end_set() -> None:
    st.session_state["ev_end_set"] = True


def _start_moved() -> None:
    """A new start keeps the event's length: the end moves with it (on the same day) — unless the
    end was typed in this form and still comes after the new start."""
    s = st.session_state
    before, after, end = s.get("ev_start_before"), s["ev_start"], s["ev_end"]
    s["ev_start_before"] = after
    if before is None or after is None or end is None:
        return
    if s.get("ev_end_set") and after < end:
        return
    day = datetime(2000, 1, 1)
    length = datetime.combine(day, end) - datetime.combine(day, before)
    moved = datetime.combine(day, after) + length
    if length > timedelta(0) and moved.date() == day.date():
        s["ev_end"] = moved.time()


def render() -> None:
    organizer_style.apply()
    p = planner()
    s = st.session_state
    wanted = st.query_params.get("id") or s.get("edit_event_id")
    event = None
    if wanted:
        try:
            event = p.get_event(int(wanted))
        except (NotFound, ValueError):
            st.title(_("Event not found"))
            st.info(_("That event does not exist. Pick one from the events table."))
            st.page_link(ORGANIZE, label=_("Back to events"), icon=":material/arrow_back:")
            return
    if s.get("ev_loaded") != (event.id if event else "new"):
        _load(event)

    st.page_link(ORGANIZE, label=_("Back to events"), icon=":material/arrow_back:")
    st.title(_("Edit event") if event else _("New event"))
    show_flash()
    if event and event.status == "cancelled":
        st.error(
            _("This event is cancelled ({reason}) and can no longer be edited.").format(reason=escape_md(event.cancel_reason))
        )
        return
    if event:
        # Translators: **…** is bold and `…` code (Markdown); {uid} is the event's calendar identifier.
        st.caption(
            _("Status: **{status}** · version {version} · calendar UID `{uid}`").format(
                status=label(EVENT_STATUS_LABELS, event.status), version=event.version, uid=event.uid
            )
        )
    summary = st.container(key="ev_summary")  # the problems, when a save failed

    summits = {x.id: x for x in p.list_summits()}
    rooms = {r.id: r for r in p.list_rooms()}
    slots = {}

    # No max_chars: the browser drops a paste past it without a word (the field stayed empty); a
    # title past 200 characters comes back refused beside the field, with its length.
    st.text_input(_("Title"), key="ev_title",
                  persist_state=PAGE_SET, placeholder=_("Civil society dialogue on …"))
    slots["title"] = st.container(key="ev_err_title")
    where = st.columns(2)
    where[0].selectbox(
        _("Summit"), [NONE, *summits], key="ev_summit",
        persist_state=PAGE_SET, format_func=lambda i: summits[i].name if i else _("No summit")
    )
    slots["summit_id"] = where[0].container(key="ev_err_summit")
    where[1].selectbox(
        _("Room"),
        [NONE, *rooms],
        key="ev_room", persist_state=PAGE_SET,
        format_func=lambda i: _room_choice(rooms[i]) if i else _("No room (online only)"),
        # Translators: "Venues and rooms" is the title of the page where buildings and rooms are added.
        help=_("Add buildings and rooms under Venues and rooms."),
    )
    slots["room_id"] = where[1].container(key="ev_err_room")
    link = st.columns(2)
    link[0].text_input(_("Online link (for online or hybrid events)"), key="ev_online_url",
                       persist_state=PAGE_SET, placeholder="https://…")
    slots["online_url"] = link[0].container(key="ev_err_online_url")
    link[1].selectbox(
        _("Format"),
        [AUTO, *FORMAT_LABELS],
        key="ev_format", persist_state=PAGE_SET,
        format_func=lambda f: _("Worked out from room and link") if f == AUTO else label(FORMAT_LABELS, f),
    )
    slots["format"] = link[1].container(key="ev_err_format")

    room = rooms.get(s["ev_room"])
    summit = summits.get(s["ev_summit"])
    # Translators: {place} is a venue's or a summit's name; **{zone}** a time zone's name in bold.
    zone_in = _("Times are in the time zone of {place}: **{zone}**.")  # never "…Nations's time zone"
    if room:
        zone_name = room.venue.timezone
        zone_why = zone_in.format(place=i18n.typed(escape_md(room.venue.name)), zone=zone_name)
    elif summit:
        zone_name = summit.timezone
        zone_why = zone_in.format(place=i18n.typed(escape_md(summit.name)), zone=zone_name)
    else:
        zone_name = st.selectbox(_("Time zone"), timezone_names(s["ev_tz"]), key="ev_tz", persist_state=PAGE_SET)
        zone_why = _("Times are in the chosen time zone: **{zone}**.").format(zone=zone_name)
        slots["timezone"] = st.container(key="ev_err_timezone")
    times = st.columns(3)
    times[0].date_input(_("Date"), key="ev_date", persist_state=PAGE_SET, format="YYYY-MM-DD")
    times[1].time_input(_("Starts"), key="ev_start",
                        persist_state=PAGE_SET, step=timedelta(minutes=15), on_change=_start_moved)
    times[2].time_input(_("Ends"), key="ev_end", persist_state=PAGE_SET, step=timedelta(minutes=15), on_change=_end_set)
    st.caption(f":material/schedule: {zone_why}")
    slots["starts_at"] = slots["ends_at"] = st.container(key="ev_err_times")
    clash_slot = st.container(key="ev_clashes")
    zone = ZoneInfo(zone_name)
    try:
        # Translators: a question; {time} is a time of day that happens twice when the clocks go back.
        starts_at = _typed_time(zone, "start", _("The clocks go back that night: which {time} does it start at?"))
        # Translators: as above, for the end of the event.
        ends_at = _typed_time(zone, "end", _("The clocks go back that night: which {time} does it end at?"))
        time_problem = None
    except ValidationError as err:
        starts_at = ends_at = None
        time_problem = err

    cap = st.columns([1, 1])
    cap[0].checkbox(
        _("Use the room's capacity ({count})").format(count=format_number(room.capacity)) if room
        else _("No capacity limit (online)"),
        key="ev_capacity_default", persist_state=PAGE_SET, on_change=_own_capacity_from_room, args=(room,),
    )
    if not s["ev_capacity_default"]:
        # No bounds in the browser: a number out of them was dropped there with a note of its own
        # while saving went on with the last good one; the domain refuses it, beside this field.
        cap[1].number_input(_("Capacity"), step=1, key="ev_capacity", persist_state=PAGE_SET)
    slots["capacity"] = cap[1].container(key="ev_err_capacity")

    write, shown = st.columns(2)
    write.text_area(
        _("Description (Markdown)"), key="ev_description", persist_state=PAGE_SET, height=200,
        # Translators: **bold** shows as bold text in this help: translate the word, keep the stars.
        help=_("Markdown such as **bold**, lists and links. HTML is shown as plain text."),
    )
    slots["description"] = write.container(key="ev_err_description")
    with shown:
        st.markdown("**{}**".format(_("Preview of the description")))
        with st.container(border=True, height=200, key="ev_description_preview"):
            if s["ev_description"].strip():
                show_description(s["ev_description"])
            else:
                st.caption(_("The description shows here as the public will read it."))

    st.subheader(_("Speakers"), anchor=False)
    speaker_slot = st.container()
    people_rows.paste_box(SPEAKERS)
    st.subheader(_("Organizations"), anchor=False)
    org_slot = st.container()
    people_rows.paste_box(ORGANIZATIONS)
    known = p.organization_names()
    if known:
        names = _(", ").join(escape_md(name) for name in known[:30]) + ("…" if len(known) > 30 else "")
        st.caption(_("Known organizations (type the same name to re-use one): {names}").format(names=names))

    with st.expander(_("Registration, reminders and overbooking"), icon=":material/tune:"):
        _registration_settings()
        slots["registration_mode"] = slots["join_link_public"] = slots["reminder_hours"] = st.container()
        reconfirm_editor.section(p, event)  # "Still coming?" and overbooking (issue #12)

    speakers = people_rows.rows(SPEAKERS)
    orgs = people_rows.rows(ORGANIZATIONS)
    fields = dict(
        title=s["ev_title"],
        summit_id=s["ev_summit"] or None,
        room_id=s["ev_room"] or None,
        online_url=s["ev_online_url"] or None,
        format=None if s["ev_format"] == AUTO else s["ev_format"],
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=None if s["ev_capacity_default"] else int(s["ev_capacity"]),
        description=s["ev_description"],
        speakers=[{k: r[k] for k in ("name", "affiliation", "email", "role")} for r in speakers],
        organizations=[{k: r[k] for k in ("name", "role")} for r in orgs],
        timezone=zone_name,
        registration_mode=s["ev_registration_mode"],
        join_link_public=s["ev_join_link_public"],
        reminder_hours=int(s["ev_reminder_hours"]) or None,  # 0: no reminder
    )

    problems = [time_problem] if time_problem else p.event_problems(event.id if event else None, actor=actor(), **fields)
    if problems and (s.get("ev_save") or s.get("ev_publish")):  # pressed in this run: the buttons are drawn below
        s["ev_tried"] = True
    tried = s.get("ev_tried", False)
    # Before the first save, a field left empty is not a problem yet; something typed wrong is.
    shown_problems = [e for e in problems if tried or e.code != "required"]
    row_problems = {"speakers": {}, "organizations": {}}
    tied = {}
    for err in shown_problems:
        if err.field in row_problems and err.params.get("row"):
            row_problems[err.field].setdefault(err.params["row"], []).append(err)
            continue
        slot = slots.get(err.field, summary)
        with slot:
            st.error(error_md(err), icon=":material/error:")
        if err.field in FIELD_WIDGETS:
            tied[FIELD_WIDGETS[err.field]] = _error_key(err.field)
    with speaker_slot:
        tied.update(people_rows.editor(SPEAKERS, row_problems["speakers"]))
    with org_slot:
        tied.update(people_rows.editor(ORGANIZATIONS, row_problems["organizations"]))

    clashes = []
    if not problems:
        clashes = p.preview_conflicts(event.id if event else None, **fields)
    with clash_slot:
        for c in clashes:
            st.warning(conflict_md(c), icon=":material/warning:")
    room_clashes = [c for c in clashes if c.kind == "room"]
    if room_clashes:
        with slots["room_id"]:
            st.warning(_("This room is booked at that time: see below the times."), icon=":material/warning:")

    stale = s.get("ev_stale")
    asked = s.get("ev_past")
    if asked is not None and asked[0] == fields["starts_at"]:  # asked about this very date
        st.warning(str(asked[1]), icon=":material/history:")
        if st.button(_("Yes, this date is right: save"), key="ev_past_confirm", icon=":material/event_available:"):
            # Asked while saving over someone else's version: that choice stands.
            saved = _save(p, event, fields, version=stale.version if stale is not None else None, allow_past=True)
            if saved is not None and s.pop("ev_publish_after_past", None) is not None:
                _publish(p, saved, room_clashes, allow_past=True)
            elif saved is not None:
                _reload(saved)
    if stale is not None:
        _stale_panel(p, stale, fields)
        return

    st.divider()
    _actions(p, event, fields, problems, room_clashes, summary, blocked=time_problem is not None)
    tie_errors(tied)
    if event:
        questions_editor(event)  # issue #12
        event_translations(event)  # issue #13


def _own_capacity_from_room(room) -> None:
    """Unticking "Use the room's capacity" starts the event's own from the room's, not from 50."""
    if room is not None and not st.session_state.get("ev_capacity_default"):
        st.session_state["ev_capacity"] = room.capacity


def _error_key(field: str) -> str:
    return {"summit_id": "ev_err_summit", "room_id": "ev_err_room", "starts_at": "ev_err_times",
            "ends_at": "ev_err_times", "timezone": "ev_err_timezone"}.get(field, f"ev_err_{field}")


def _actions(p, event, fields, problems, room_clashes, summary, blocked: bool) -> None:
    """Save, preview, publish (a room clash confirmed beside the button) and, once published, cancel.
    ``blocked``: a time that needs an answer first (skipped, or passed twice)."""
    s = st.session_state
    published = event is not None and event.status == "published"
    confirmed = True
    if room_clashes and not published:
        confirmed = st.checkbox(_("I know the room is booked twice and want to publish anyway"),
                                key="ev_confirm_clash")
    buttons = st.columns(3)
    save_label = _("Save changes") if published else _("Save draft") if event else _("Create draft")
    save = buttons[0].button(save_label, type="secondary" if not published else "primary", icon=":material/save:",
                             key="ev_save", width="stretch", disabled=blocked)
    publish = False
    if not published:
        publish = buttons[1].button(
            _("Publish"), type="primary", icon=":material/public:", key="ev_publish", width="stretch",
            disabled=blocked or not confirmed,
            help=_("Saves the event and puts it on the public programme.")
            if confirmed else _("Tick the box above to publish in a room that is booked at that time."),
        )
    if event is not None:
        buttons[2].page_link(EVENT, label=_("Open the public page"), icon=":material/open_in_new:",
                             query_params={"id": str(event.id)}, width="stretch")
    with st.expander(_("Preview the public page"), icon=":material/visibility:"):
        if problems:
            st.caption(_("The preview shows once the event could be saved: a title, and times that work."))
        else:
            show_preview(p.preview_event(event.id if event else None, actor=actor(), **fields))
    if save or publish:
        if problems:
            s["ev_tried"] = True
            with summary:
                _summary(problems)
            return
        if publish:  # should the date need confirming first, publishing follows the confirmation
            s["ev_publish_after_past"] = True
        saved = _save(p, event, fields)
        s.pop("ev_publish_after_past", None)
        if saved is None:
            return
        if publish:
            _publish(p, saved, room_clashes)
        else:
            _reload(saved)
    if published:
        _cancel_panel(p, event)


def _summary(problems) -> None:
    count = len(problems)
    lines = "\n".join(f"- {error_md(e)}" for e in problems)
    st.error(
        ngettext("Not saved: {count} thing to fix, shown beside its field.",
                 "Not saved: {count} things to fix, each shown beside its field.", count).format(
            count=format_number(count)) + "\n\n" + lines,
        icon=":material/error:",
    )


def _publish(p, saved, room_clashes, allow_past: bool = False) -> None:
    """Publish the event just saved; the room clashes accepted are the ones shown."""
    shown = {i for c in room_clashes for i in c.event_ids if i != saved.id}
    try:
        p.publish_event(saved.id, allow_room_clash=shown, version=saved.version, allow_past=allow_past,
                        actor=actor())
    except PlannerError as err:
        show_error(err)
        st.info(_("The event is saved as a draft."), icon=":material/info:")
        return
    flash(_("Published “{title}”: it is now on the public programme.").format(title=escape_md(saved.title)))
    _reload(saved)


def _cancel_panel(p, event) -> None:
    with st.expander(_("Cancel this event"), icon=":material/event_busy:"):
        st.caption(_("Guests are told, and the event stays on the programme marked as cancelled, with the reason."))
        reason = st.text_input(_("Reason (shown to the public)"), key="ev_cancel_reason")
        if st.button(_("Cancel event"), key="ev_cancel"):
            try:
                p.cancel_event(event.id, reason=reason, version=event.version, actor=actor())
            except PlannerError as err:
                show_error(err)
            else:
                flash(_("Cancelled “{title}”.").format(title=escape_md(event.title)))
                s = st.session_state
                s["ev_loaded"] = None
                st.rerun()


def _registration_settings() -> None:
    """How open registration is, who sees the online link, and when confirmed guests get a reminder."""
    s = st.session_state
    modes = [m for m in REGISTRATION_MODES_OFFERED if m != "proof_of_work" or altcha.available()]
    if s["ev_registration_mode"] not in modes:  # chosen before the widget files went missing
        modes.append(s["ev_registration_mode"])
    st.selectbox(
        _("Registration"), modes, key="ev_registration_mode",
        persist_state=PAGE_SET, format_func=lambda m: label(REGISTRATION_MODE_LABELS, m),
        help=_(
            "With a check, the registering browser works for a second or two before the form is accepted: "
            "it slows down programs that fill in forms by the hundred. Nothing is sent to anyone else."
        ) + "\n\n" + _(
            "Confirmed by email: the form sends a link to the address typed, and the registration counts once it "
            "is opened (the place is held for 30 minutes). Nobody can register someone else's address, and the "
            "form never says whether an address is registered."
        ),
    )
    if s["ev_registration_mode"] == "email" and planner().smtp is None:  # messages would wait in the outbox
        st.warning(_("No mail server is set up on this server: nobody can confirm a registration by email until "
                     "one is."), icon=":material/mail_off:")
    if not altcha.available():
        st.caption(
            _("Registration with a check (proof of work) is unavailable on this server: its widget files are not installed.")
        )
        if s["ev_registration_mode"] == "proof_of_work":
            st.warning(_("Nobody can register for this event until the widget files are installed or registration is open."))
    st.checkbox(
        _("Show the online link to everyone on the event page"), key="ev_join_link_public", persist_state=PAGE_SET,
        help=_("Otherwise only people registered see it: on their private page and in their calendar file."),
    )
    st.number_input(
        _("Reminder to confirmed guests (hours before the start)"), key="ev_reminder_hours", persist_state=PAGE_SET,
        min_value=0, max_value=336, step=1,
        help=_("One email to each confirmed guest that many hours before the start, with the time, place and "
               "their ticket. 0 sends no reminder; at most 336 hours (two weeks)."),
    )


def _typed_time(zone: ZoneInfo, which: str, question: str) -> datetime:
    """The start or end typed in the event's zone, as an instant. A time the clocks skip is
    refused; one they pass twice asks which (a radio, unanswered until the organizer picks)."""
    s = st.session_state
    day, typed, key = s["ev_date"], s[f"ev_{which}"], f"ev_{which}_fold"
    moment = datetime.combine(day, typed.replace(fold=0), tzinfo=zone)
    fold = None
    if is_repeated(moment):
        first, second = moment, moment.replace(fold=1)
        labels = {
            # Translators: {time} {zone}: "01:30 Eastern Daylight Time", before the clocks go back.
            0: _("{time} {zone} (the first time)").format(time=clock_time(first), zone=zone_long_name(first)),
            # Translators: {time} {zone}: "01:30 Eastern Standard Time", the hour repeated.
            1: _("{time} {zone} (the second time, after the clocks go back)").format(
                time=clock_time(second), zone=zone_long_name(second)),
        }
        unanswered = {} if s.get(key) in (0, 1) else {"index": None}
        fold = st.radio(question.format(time=clock_time(first)), [0, 1], key=key, format_func=labels.get,
                        persist_state=PAGE_SET, **unanswered)
    return wall_clock(day, typed, zone, fold=fold, field=f"{which}s_at")


def _room_choice(room) -> str:
    """"Boss Room, 8th floor — Church Center (80 places)"."""
    return ngettext("{room} ({count} place)", "{room} ({count} places)", room.capacity).format(
        room=room.label, count=format_number(room.capacity)
    )


def _save(p, event, fields, version=None, allow_past=False):
    """Create or update the event; the saved event, or None when refused (the reason shown) or
    when a date in the past is to be confirmed first."""
    s = st.session_state
    try:
        if event is None:
            saved = p.create_event(**fields, allow_past=allow_past, actor=actor())
            flash(
                _("Created the draft “{title}”. Publish it when it is ready.").format(title=escape_md(saved.title))
            )
        else:
            saved = p.update_event(event.id, version=version or s["ev_snapshot"].version, **fields,
                                   allow_past=allow_past, actor=actor())
            flash(_("Saved “{title}”.").format(title=escape_md(saved.title)))
    except StaleEdit as err:
        s["ev_stale"] = err.current
        st.rerun()
    except ValidationError as err:
        if err.code != "event_in_the_past":
            show_error(err)
            return None
        s["ev_past"] = (fields["starts_at"], err)  # ask, next to the save button, about this date
        st.rerun()
    except PlannerError as err:
        show_error(err)
        return None
    if not reconfirm_editor.save(p, saved.id):
        return None
    return saved


def _reload(saved) -> None:
    """Open the saved version in the form."""
    s = st.session_state
    s["edit_event_id"] = saved.id
    s["ev_loaded"] = None
    st.switch_page(EDIT_EVENT, query_params={"id": str(saved.id)})


def _stale_panel(p, current, fields) -> None:
    s = st.session_state
    st.error(
        _(
            "Someone else saved this event while you were editing it. Your changes are kept below "
            "but not saved yet. Here is what they changed:"
        ),
        icon=":material/sync_problem:",
    )
    changes = p.event_changes(s["ev_snapshot"], current)
    if changes:
        what, before, now = _("What"), _("Before"), _("Now")
        rows = [{what: c.field, before: escape_md(c.before), now: escape_md(c.after)} for c in changes]
        st.table(pd.DataFrame(rows))  # st.table renders its cells as Markdown
    else:
        st.caption(_("They changed nothing you can see here (perhaps only the status)."))
    left, right = st.columns(2)
    if left.button(_("Save my version over theirs"), type="primary", key="ev_stale_mine"):
        saved = _save(p, current, fields, version=current.version)
        if saved is not None:
            _reload(saved)
    if right.button(_("Discard my changes and load theirs"), key="ev_stale_theirs"):
        _load(current)
        st.rerun()


if __name__ == "__main__":
    render()
