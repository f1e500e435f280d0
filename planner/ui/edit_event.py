"""Create or edit one event: /edit-event?id=<id> (no id: a new event).

Times are typed in the event's own zone (the venue's, else the summit's): a time the clocks
skip is refused, and one they pass twice asks which; speakers and organizations are edited as
tables. Clashes are shown while typing, before saving; a date in the past asks to be confirmed.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner import NotFound, PlannerError, StaleEdit, ValidationError, clock
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
from planner.text import parse_rows
from planner.ui.components import altcha, reconfirm_editor
from planner.ui.components.markdown import conflict_md, error_md, escape_md
from planner.ui.components.messages import flash, show_error, show_flash
from planner.ui.components.navigation import EDIT_EVENT, ORGANIZE
from planner.ui.components.event_translations import event_translations
from planner.ui.components.questions_editor import questions_editor
from planner.ui.components.session import actor, planner
from planner.ui.components.times import clock as clock_time
from planner.ui.components.times import zone_long_name
from planner.times import is_repeated, wall_clock
from planner.validate import timezone_names

SPEAKER_COLUMNS = ["name", "affiliation", "email", "role"]
ORG_COLUMNS = ["name", "role"]
AUTO = "auto"
NONE = 0  # "no summit" / "no room" in the pickers (None would show as an empty choice)


def _load(event) -> None:
    """Put an event (or a blank one) into the form's widgets."""
    s = st.session_state
    s["ev_loaded"] = event.id if event else "new"
    s["ev_snapshot"] = event
    s.pop("ev_stale", None)
    s.pop("ev_past", None)
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
        speakers = [{"name": x.name, "affiliation": x.affiliation, "email": x.email or "", "role": x.role} for x in event.speakers]
        orgs = [{"name": o.name, "role": o.role} for o in event.organizations]
    for key, value in values.items():
        s[key] = value
    s["ev_speakers_base"] = pd.DataFrame(speakers, columns=SPEAKER_COLUMNS)
    s["ev_orgs_base"] = pd.DataFrame(orgs, columns=ORG_COLUMNS)
    # Fresh editor widgets for the fresh tables.
    s["ev_speakers_round"] = s.get("ev_speakers_round", 0) + 1
    s["ev_orgs_round"] = s.get("ev_orgs_round", 0) + 1


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Table rows as dicts, skipping rows left entirely blank."""
    rows = []
    for record in frame.to_dict("records"):
        row = {}
        for c in columns:
            value = record.get(c)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                value = ""
            row[c] = str(value).strip()
        if any(row.values()):
            rows.append(row)
    return rows


def _queue_paste(name: str, columns: list[str]) -> None:
    """Button callback: read the pasted rows and empty the box (widgets may only be reset
    before they are drawn, so the rows are merged into the table during the run)."""
    s = st.session_state
    rows = parse_rows(s[f"ev_paste_{name}"], columns)
    if name == "speakers":
        for row in rows:  # "Name; affiliation; role", without an email
            if row["email"] and "@" not in row["email"] and not row["role"]:
                row["role"], row["email"] = row["email"], ""
    s[f"ev_pending_{name}"] = rows
    s[f"ev_paste_{name}"] = ""


def _paste_box(name: str, columns: list[str], frame: pd.DataFrame, hint: str) -> None:
    """Add many rows at once, pasted from a flyer or a spreadsheet, to the table above."""
    s = st.session_state
    pending = s.pop(f"ev_pending_{name}", None)
    if pending:
        kept = pd.DataFrame(_rows(frame, columns), columns=columns)
        s[f"ev_{name}_base"] = pd.concat([kept, pd.DataFrame(pending, columns=columns)], ignore_index=True)
        s[f"ev_{name}_round"] += 1  # a fresh editor widget for the longer table
        st.rerun()
    with st.expander(_("Paste a list"), icon=":material/content_paste:"):
        st.text_area(_("Rows to add"), key=f"ev_paste_{name}", placeholder=hint, help=_("Cells split by ; or by tabs."))
        st.button(_("Add to the table"), key=f"ev_paste_add_{name}", on_click=_queue_paste, args=(name, columns))


def render() -> None:
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

    summits = {x.id: x for x in p.list_summits()}
    rooms = {r.id: r for r in p.list_rooms()}

    st.text_input(_("Title"), key="ev_title", max_chars=200, placeholder=_("Civil society dialogue on …"))
    where = st.columns(2)
    where[0].selectbox(
        _("Summit"), [NONE, *summits], key="ev_summit", format_func=lambda i: summits[i].name if i else _("No summit")
    )
    where[1].selectbox(
        _("Room"),
        [NONE, *rooms],
        key="ev_room",
        format_func=lambda i: _room_choice(rooms[i]) if i else _("No room (online only)"),
        # Translators: "Venues and rooms" is the title of the page where buildings and rooms are added.
        help=_("Add buildings and rooms under Venues and rooms."),
    )
    link = st.columns(2)
    link[0].text_input(_("Online link (for online or hybrid events)"), key="ev_online_url", placeholder="https://…")
    link[1].selectbox(
        _("Format"),
        [AUTO, *FORMAT_LABELS],
        key="ev_format",
        format_func=lambda f: _("Worked out from room and link") if f == AUTO else label(FORMAT_LABELS, f),
    )

    room = rooms.get(s["ev_room"])
    summit = summits.get(s["ev_summit"])
    # Translators: {place} is a venue's or a summit's name; **{zone}** a time zone's name in bold.
    zone_in = _("Times are in {place}'s time zone: **{zone}**.")
    if room:
        zone_name = room.venue.timezone
        zone_why = zone_in.format(place=escape_md(room.venue.name), zone=zone_name)
    elif summit:
        zone_name = summit.timezone
        zone_why = zone_in.format(place=escape_md(summit.name), zone=zone_name)
    else:
        zone_name = st.selectbox(_("Time zone"), timezone_names(s["ev_tz"]), key="ev_tz")
        zone_why = _("Times are in the chosen time zone: **{zone}**.").format(zone=zone_name)
    times = st.columns(3)
    times[0].date_input(_("Date"), key="ev_date", format="YYYY-MM-DD")
    times[1].time_input(_("Starts"), key="ev_start", step=timedelta(minutes=15))
    times[2].time_input(_("Ends"), key="ev_end", step=timedelta(minutes=15))
    st.caption(f":material/schedule: {zone_why}")
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
        key="ev_capacity_default",
    )
    if not s["ev_capacity_default"]:
        cap[1].number_input(_("Capacity"), min_value=1, max_value=1_000_000, step=1, key="ev_capacity")

    _registration_settings()
    reconfirm_editor.section(p, event)  # "Still coming?" and overbooking (issue #12)

    st.text_area(
        _("Description (Markdown)"), key="ev_description", height=160,
        # Translators: **bold** shows as bold text in this help: translate the word, keep the stars.
        help=_("Markdown such as **bold**, lists and links. HTML is shown as plain text."),
    )

    st.markdown("**{}**".format(_("Speakers")))
    speakers_frame = st.data_editor(
        s["ev_speakers_base"],
        key=f"ev_speakers_{s['ev_speakers_round']}",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(_("Name"), required=True),
            "affiliation": st.column_config.TextColumn(_("Affiliation")),
            "email": st.column_config.TextColumn(_("Email (optional)")),
            "role": st.column_config.SelectboxColumn(
                _("Role"), options=list(SPEAKER_ROLES), default="speaker", required=True,
                format_func=lambda role: label(SPEAKER_ROLE_LABELS, role),
            ),
        },
    )
    # Translators: how to paste speakers; the role is typed as it is stored: chair, moderator, speaker or video message.
    _paste_box("speakers", SPEAKER_COLUMNS, speakers_frame, _("Name; affiliation; email; role — one speaker per line"))
    st.markdown("**{}**".format(_("Organizations")))
    orgs_frame = st.data_editor(
        s["ev_orgs_base"],
        key=f"ev_orgs_{s['ev_orgs_round']}",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(_("Organization"), required=True),
            "role": st.column_config.SelectboxColumn(
                _("Role"), options=list(ORGANIZATION_ROLES), default="co-sponsor", required=True,
                format_func=lambda role: label(ORGANIZATION_ROLE_LABELS, role),
            ),
        },
    )
    # Translators: keep host, co-sponsor and endorser in English: they are the words a pasted list must use.
    _paste_box("orgs", ORG_COLUMNS, orgs_frame, _("Name; role (host, co-sponsor or endorser) — one per line"))
    known = p.organization_names()
    if known:
        names = _(", ").join(escape_md(name) for name in known[:30]) + ("…" if len(known) > 30 else "")
        st.caption(_("Known organizations (type the same name to re-use one): {names}").format(names=names))

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
        speakers=[{**r, "role": r["role"] or "speaker"} for r in _rows(speakers_frame, SPEAKER_COLUMNS)],
        organizations=[{**r, "role": r["role"] or "co-sponsor"} for r in _rows(orgs_frame, ORG_COLUMNS)],
        timezone=zone_name,
        registration_mode=s["ev_registration_mode"],
        join_link_public=s["ev_join_link_public"],
        reminder_hours=int(s["ev_reminder_hours"]) or None,  # 0: no reminder
    )

    problem, clashes = time_problem, []
    if time_problem is None:
        try:
            clashes = p.preview_conflicts(event.id if event else None, **fields)
        except ValidationError as err:
            problem = err
    if problem and (s["ev_title"] or event or time_problem):
        st.error(_("Before saving: {problem}").format(problem=error_md(problem)), icon=":material/error:")
    for c in clashes:
        st.warning(conflict_md(c), icon=":material/warning:")

    stale = s.get("ev_stale")
    asked = s.get("ev_past")
    if asked is not None and asked[0] == fields["starts_at"]:  # asked about this very date
        st.warning(str(asked[1]), icon=":material/history:")
        if st.button(_("Yes, this date is right: save"), key="ev_past_confirm", icon=":material/event_available:"):
            # Asked while saving over someone else's version: that choice stands.
            _save(p, event, fields, version=stale.version if stale is not None else None, allow_past=True)
    if stale is not None:
        _stale_panel(p, stale, fields)
        return
    if st.button(_("Save event") if event else _("Create draft"), type="primary", icon=":material/save:", key="ev_save",
                 disabled=time_problem is not None):
        _save(p, event, fields)
    if event:
        questions_editor(event)  # issue #12
        event_translations(event)  # issue #13


def _registration_settings() -> None:
    """How open registration is, who sees the online link, and when confirmed guests get a reminder."""
    s = st.session_state
    modes = [m for m in REGISTRATION_MODES_OFFERED if m != "proof_of_work" or altcha.available()]
    if s["ev_registration_mode"] not in modes:  # chosen before the widget files went missing
        modes.append(s["ev_registration_mode"])
    st.selectbox(
        _("Registration"), modes, key="ev_registration_mode", format_func=lambda m: label(REGISTRATION_MODE_LABELS, m),
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
        _("Show the online link to everyone on the event page"), key="ev_join_link_public",
        help=_("Otherwise only people registered see it: on their private page and in their calendar file."),
    )
    st.number_input(
        _("Reminder to confirmed guests (hours before the start)"), key="ev_reminder_hours",
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
                        **unanswered)
    return wall_clock(day, typed, zone, fold=fold, field=f"{which}s_at")


def _room_choice(room) -> str:
    """"Boss Room, 8th floor — Church Center (80 places)"."""
    return ngettext("{room} ({count} place)", "{room} ({count} places)", room.capacity).format(
        room=room.label, count=format_number(room.capacity)
    )


def _save(p, event, fields, version=None, allow_past=False) -> None:
    s = st.session_state
    try:
        if event is None:
            saved = p.create_event(**fields, allow_past=allow_past, actor=actor())
            flash(
                _("Created the draft “{title}”. Publish it from the events table when it is ready.").format(
                    title=escape_md(saved.title)
                )
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
            return
        s["ev_past"] = (fields["starts_at"], err)  # ask, next to the save button, about this date
        st.rerun()
    except PlannerError as err:
        show_error(err)
        return
    if not reconfirm_editor.save(p, saved.id):
        return
    s["edit_event_id"] = saved.id
    s["ev_loaded"] = None  # reload the saved version into the form
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
        _save(p, current, fields, version=current.version)
    if right.button(_("Discard my changes and load theirs"), key="ev_stale_theirs"):
        _load(current)
        st.rerun()


if __name__ == "__main__":
    render()
