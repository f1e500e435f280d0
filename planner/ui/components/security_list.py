"""The security list on the organizer's pages and at the door (issue #12).

- ``rule_editor(p, scope, scope_id)``: a host's guest-list rule for a venue, a room or one event
  (venues page; the event's own override in the deadline panel);
- ``deadline_panel(p, event)``: on the registrations page, how long until the list is due (in
  the venue's zone), who lacks names as on their ID, who came too late, who changed since the
  last list, and the one-click download that makes (and records) the list;
- ``door_verdict(result)`` and ``let_in_anyway_button()``: the door's amber verdict for a guest
  missing from the list sent to the host, and the one tap that lets them in anyway.
"""

from __future__ import annotations

import html
from datetime import timedelta

import streamlit as st

from planner import PlannerError
from planner.codes import CHECKIN_VERDICTS, SECURITY_LIST_COLUMNS, label
from planner.i18n import _, format_number, ngettext
from planner.ui.components import language
from planner.ui.components.markdown import escape_md
from planner.ui.components.messages import attempt
from planner.ui.components.session import actor, planner
from planner.ui.components.times import clock, day_and_time, weekday_and_time, zone_name

KINDS = ("none", "hours", "working_days")


def _kind_label(kind: str) -> str:
    return {"none": _("No security list"), "hours": _("Hours before the start"),
            "working_days": _("Working days before the start (Monday to Friday)")}[kind]


def rule_editor(p, scope: str, scope_id: int, *, inherited=None) -> None:
    """A form for the rule of one venue, room or event (``scope``); with a rule stored, a button
    removing it. ``inherited`` (an event's) pre-fills an event's form."""
    own = next((r for r in p.guest_list_rules(actor=actor()) if r.source == scope and r.source_id == scope_id), None)
    shown = own or inherited
    kind = "hours" if shown and shown.hours else "working_days" if shown and shown.working_days else "none"
    with st.form(f"gl_{scope}_{scope_id}", border=False):
        chosen = st.radio(_("Deadline for the security list"), KINDS, index=KINDS.index(kind), format_func=_kind_label,
                          horizontal=True, key=f"gl_kind_{scope}_{scope_id}")
        count = st.number_input(_("How many"), min_value=1, max_value=2160, step=1,
                                value=(shown.hours or shown.working_days or 48) if shown else 48,
                                key=f"gl_count_{scope}_{scope_id}")
        sponsor = st.text_input(_("Sponsor that submits the list"), shown.sponsor if shown else "",
                                # Translators: an example sponsor of a security list, shown greyed in the empty field.
                                placeholder=_("Permanent Mission of Argentina"), key=f"gl_sponsor_{scope}_{scope_id}")
        columns = st.multiselect(_("Columns the host wants"), list(SECURITY_LIST_COLUMNS),
                                 default=list(shown.columns) if shown and shown.columns else list(SECURITY_LIST_COLUMNS),
                                 format_func=lambda c: label(SECURITY_LIST_COLUMNS, c),
                                 key=f"gl_columns_{scope}_{scope_id}")
        if st.form_submit_button(_("Save the security list rule")):
            attempt(lambda: p.set_guest_list_rule(
                **{f"{scope}_id": scope_id}, sponsor=sponsor, columns=columns, actor=actor(),
                hours=int(count) if chosen == "hours" else None,
                working_days=int(count) if chosen == "working_days" else None,
            ), _("Saved the security list rule."))
    if own is not None and st.button(_("Remove this rule"), key=f"gl_clear_{scope}_{scope_id}"):
        attempt(lambda: p.clear_guest_list_rule(**{f"{scope}_id": scope_id}, actor=actor()),
                _("Removed the security list rule."))


def rule_summary(rule) -> str:
    """"48 hours before the start, sent by Permanent Mission of Argentina"."""
    if rule is None or not rule.required:
        return _("No security list is needed.")
    if rule.hours:
        due = ngettext("{count} hour before the start", "{count} hours before the start", rule.hours)
    else:
        due = ngettext("{count} working day before the start", "{count} working days before the start",
                       rule.working_days)
    due = due.format(count=format_number(rule.hours or rule.working_days))
    if rule.sponsor:
        # Translators: {deadline} is "48 hours before the start"; {sponsor} submits the list ("Permanent Mission of …").
        return _("Security list due {deadline}, submitted by {sponsor}.").format(
            deadline=due, sponsor=escape_md(rule.sponsor))
    return _("Security list due {deadline}.").format(deadline=due)


def _left(left: timedelta) -> str:
    """"2 days and 3 hours", "45 minutes"."""
    total = int(abs(left).total_seconds()) // 60
    days, hours, minutes = total // 1440, total % 1440 // 60, total % 60
    day_words = ngettext("{count} day", "{count} days", days).format(count=format_number(days))
    hour_words = ngettext("{count} hour", "{count} hours", hours).format(count=format_number(hours))
    if days:
        # Translators: a duration, "2 days and 3 hours".
        return _("{days} and {hours}").format(days=day_words, hours=hour_words)
    if hours:
        return hour_words
    return ngettext("{count} minute", "{count} minutes", minutes).format(count=format_number(minutes))


def _names(guests) -> str:
    shown = _(", ").join(escape_md(g.name) for g in guests[:10])
    return shown + (" …" if len(guests) > 10 else "")


def deadline_panel(p, event) -> None:
    """The event's security list: deadline, problems, flags and the one-click list."""
    rule = p.guest_list_rule(event.id, actor=actor())
    with st.expander(_("Security list for the host"), icon=":material/badge:", expanded=bool(rule and rule.required)):
        st.markdown(rule_summary(rule))
        if rule is not None:
            where = {"venue": _("the venue"), "room": _("the room"), "event": _("this event")}[rule.source]
            st.caption(_("This rule is set for {where}.").format(where=where))
        if rule is not None and rule.required:
            _status(p, event)
        with st.popover(_("A rule for this event only"), icon=":material/tune:"):
            rule_editor(p, "event", event.id, inherited=rule)


def _status(p, event) -> None:
    status = p.guest_list_status(event.id, actor=actor())
    when = weekday_and_time(status.deadline)
    zone = zone_name(status.deadline)  # "New York time", not "America/New_York" (issue #16)
    if status.passed:
        st.warning(_("The list was due {when} ({zone}), {left} ago.").format(
            when=when, zone=zone, left=_left(status.time_left)), icon=":material/alarm:")
    else:
        st.info(_("The list is due {when} ({zone}): {left} left.").format(
            when=when, zone=zone, left=_left(status.time_left)), icon=":material/alarm:")
    if status.missing_id_names:
        st.warning(ngettext(
            "{count} confirmed guest has not given their names as on their ID: the list splits the registered "
            "name at its last word.",
            "{count} confirmed guests have not given their names as on their ID: the list splits the registered "
            "name at its last word.", len(status.missing_id_names)).format(
                count=format_number(len(status.missing_id_names))), icon=":material/badge:")
    if status.late:
        st.warning(ngettext(
            "{count} guest joined after the deadline: {names}", "{count} guests joined after the deadline: {names}",
            len(status.late)).format(count=format_number(len(status.late)), names=_names(status.late)),
            icon=":material/schedule:")
    latest = status.latest_list
    if latest is not None:
        sent = clock(latest.made_at.astimezone(status.deadline.tzinfo))
        st.caption(_("Last list made {when}.").format(when=day_and_time(latest.made_at.astimezone(status.deadline.tzinfo))))
        if status.not_on_list:
            st.warning(_("Not on the list sent at {time}: {names}").format(
                time=sent, names=_names(status.not_on_list)), icon=":material/person_add:")
        if status.changed_since_list:
            st.warning(_("Changed since the list sent at {time}: {names}").format(
                time=sent, names=_names(status.changed_since_list)), icon=":material/edit:")
    # Two steps: making the list records it (and what the panel above says follows at once);
    # the file made is then offered for download until the page is left.
    made_key = f"gl_file_{event.id}"
    if st.button(_("Make the security list (XLSX)"), key=f"gl_make_{event.id}", type="primary",
                 icon=":material/playlist_add_check:"):
        try:
            st.session_state[made_key] = p.make_security_list(event.id, actor=actor())
        except PlannerError as err:
            st.session_state.pop(made_key, None)
            st.error(str(err), icon=":material/error:")
        else:
            st.rerun()
    made = st.session_state.get(made_key)
    if made is not None:
        data, name = made
        st.download_button(
            _("Download the list just made (XLSX)"), data=data, file_name=name,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
            key=f"gl_download_{event.id}", on_click="ignore",
        )
    st.caption(ngettext("The list holds {count} confirmed guest, sorted by family name; making it is recorded.",
                        "The list holds {count} confirmed guests, sorted by family name; making it is recorded.",
                        status.confirmed).format(count=format_number(status.confirmed)))


# ---------------------------------------------------------------------- the door

DOOR_VERDICTS = ("not_on_security_list", "let_in_anyway")


def door_verdict(result) -> None:
    """Leave the door's verdict for a guest missing from the list (amber, with a tap to let
    them in anyway) or let in anyway (green)."""
    r = result.registration
    s = st.session_state
    who, org = html.escape(r.name), html.escape(r.organization) if r.organization else ""
    if result.verdict == "not_on_security_list":
        # Translators: under the door's amber verdict: the guest's name and organization ("Ana Pérez, CELS").
        detail = _("{name}, {organization}").format(name=who, organization=org) if org else who
        s["door_result"] = ("amber", _("Not on the security list sent to the host — check with the host's desk"),
                            detail)
        s["door_anyway"] = (r.id, r.event_id)
    else:
        s["door_result"] = ("green", _("Welcome, {name}").format(name=who), label(CHECKIN_VERDICTS, result.verdict))
        s["door_last"] = r.id


def let_in_anyway_button() -> None:
    """Under an amber "not on the security list": one tap lets the guest in anyway."""
    pending = st.session_state.get("door_anyway")
    result = st.session_state.get("door_result")
    if pending and result and result[0] == "amber":
        st.button(_("Let them in anyway"), key="door_anyway_go", on_click=_on_anyway, args=pending, type="primary",
                  icon=":material/how_to_reg:", width="stretch")


@language.activate
def _on_anyway(registration_id: int, event_id: int) -> None:
    from planner.ui.components.door import _let_in

    st.session_state.pop("door_anyway", None)
    _let_in(event_id, lambda door: planner().check_in_anyway(registration_id, event_id, door=door.label,
                                                             actor=door.actor))

