"""Proposals (issue #14): the table of a call's proposals with where each stands; one opened
(?call=<id>&id=<proposal id>) shows what it says and its comments, internal ones too, and the
decisions: comment (internal or for the proposers), ask for changes, decline with a reason,
merge another into it, accept at a day, time and room picked here, with the clashes shown first.
Accepting makes a draft event, opened from here in the editor."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner.codes import Moment, PROPOSAL_STATUS_LABELS
from planner.i18n import _, format_skeleton
from planner.ui.components.markdown import conflict_md, error_md, escape_md
from planner.ui.components.messages import flash, show_flash
from planner.ui.components.navigation import CALLS, EDIT_EVENT
from planner.ui.components.session import actor, planner
from planner.ui.components.proposal_view import comment_line, details

DEFAULT_HOURS = {"morning": 9, "midday": 12, "afternoon": 15, "evening": 18}


def _done(message: str, **query) -> None:
    flash(message)
    for key, value in query.items():
        st.query_params[key] = value
    st.rerun()


def _decisions(p, others) -> None:
    k = f"dec_{p.id}"
    comment, changes, decline, merge, accept = st.tabs([_("Comment"), _("Ask for changes"), _("Decline"),
                                                        _("Merge"), _("Accept")])
    with comment:
        body = st.text_area(_("Comment"), key=f"{k}_comment", max_chars=4000, height=100)
        visible = st.checkbox(_("Visible to the proposers (they get it by email)"), key=f"{k}_visible")
        if st.button(_("Add the comment"), key=f"{k}_comment_add", icon=":material/add_comment:"):
            try:
                planner().comment_on_proposal(p.id, body, visible_to_proposer=visible, actor=actor())
            except PlannerError as err:
                st.error(error_md(err), icon=":material/error:")
            else:
                st.session_state.pop(f"{k}_comment", None)
                _done(_("The comment is added."))
    if not p.is_open:
        for tab in (changes, decline, merge, accept):
            tab.caption(_("This proposal is decided: nothing more to decide."))
        return
    with changes:
        message = st.text_area(_("What should change"), key=f"{k}_changes", max_chars=4000, height=100)
        if st.button(_("Ask for these changes"), key=f"{k}_changes_send", icon=":material/edit_note:"):
            try:
                planner().request_changes(p.id, message, actor=actor())
            except PlannerError as err:
                st.error(error_md(err), icon=":material/error:")
            else:
                _done(_("The proposers are asked for changes."))
    with decline:
        reason = st.text_area(_("Reason (the proposers get it)"), key=f"{k}_reason", max_chars=2000, height=100)
        if st.button(_("Decline the proposal"), key=f"{k}_decline", icon=":material/block:"):
            try:
                planner().decline_proposal(p.id, reason, actor=actor())
            except PlannerError as err:
                st.error(error_md(err), icon=":material/error:")
            else:
                _done(_("The proposal is declined; the proposers are told."))
    with merge:
        candidates = [o for o in others if o.id != p.id and o.is_open]
        if not candidates:
            st.caption(_("No other undecided proposal in this call to merge."))
        else:
            other = st.selectbox(_("Merge this other proposal into this one"), candidates, index=None,
                                 key=f"{k}_merge_other", format_func=lambda o: f"#{o.id} {o.title}",
                                 placeholder=_("Choose a proposal"))
            st.caption(_("Its proposers, speakers, organizations and preferences join this one; both proposers "
                         "follow this one."))
            if st.button(_("Merge"), key=f"{k}_merge", icon=":material/merge:", disabled=other is None):
                try:
                    planner().merge_proposals(p.id, other.id, actor=actor())
                except PlannerError as err:
                    st.error(error_md(err), icon=":material/error:")
                else:
                    _done(_("The proposals are merged."))
    with accept:
        _accept(p, k)


def _accept(p, k: str) -> None:
    call = p.call
    zone = ZoneInfo(call.timezone)
    days = call.days
    first_day = p.preferred_days[0] if p.preferred_days else days[0]
    # Translators: {zone} is a time zone such as America/New_York.
    st.caption(_("Pick the day, time and room of the event (times in {zone}).").format(zone=call.timezone))
    day = st.selectbox(_("Day"), days, index=days.index(first_day) if first_day in days else 0, key=f"{k}_day",
                       format_func=lambda d: format_skeleton("yMMMEd", d) + (" ★" if d in p.preferred_days else ""))
    start_hour = DEFAULT_HOURS[p.preferred_times[0]] if p.preferred_times else 9
    a, b = st.columns(2)
    start = a.time_input(_("Starts at"), value=time(start_hour, 0), key=f"{k}_start", step=900)
    end = b.time_input(_("Ends at"), value=time(start_hour + 1, 30), key=f"{k}_end", step=900)
    rooms = planner().list_rooms()
    room = None
    if p.format != "online":
        room = st.selectbox(_("Room"), rooms, index=None, key=f"{k}_room", placeholder=_("No room yet"),
                            format_func=lambda r: r.label)
    online = None
    if p.format != "in_person":
        online = st.text_input(_("Online link (optional)"), key=f"{k}_url", max_chars=2000) or None
    starts_at = datetime.combine(day, start).replace(tzinfo=zone)
    ends_at = datetime.combine(day, end).replace(tzinfo=zone)
    fields = dict(starts_at=starts_at, ends_at=ends_at, room_id=room.id if room else None, online_url=online)
    try:
        preview = planner().preview_acceptance(p.id, **fields, actor=actor())
    except PlannerError as err:
        st.error(error_md(err), icon=":material/error:")
        return
    if preview.conflicts:
        st.warning(_("Clashes with the programme:"), icon=":material/warning:")
        for c in preview.conflicts:
            st.markdown("- " + conflict_md(c))
    else:
        st.success(_("No clash with the programme."), icon=":material/check_circle:")
    other_time = False
    if not preview.fits:
        st.warning(_("This time is not among the days and times the proposers preferred."), icon=":material/schedule:")
        other_time = st.checkbox(_("Accept at this time anyway"), key=f"{k}_other_time")
    if st.button(_("Accept and make the draft event"), key=f"{k}_accept", type="primary", icon=":material/task_alt:"):
        try:
            done = planner().accept_proposal(p.id, **fields, allow_other_time=other_time, actor=actor())
        except PlannerError as err:
            st.error(error_md(err), icon=":material/error:")
        else:
            st.session_state["proposals_accepted"] = done.event_id
            _done(_("Accepted: the draft event is made and the proposers are told."))


def render() -> None:
    p = planner()
    st.title(_("Proposals"))
    show_flash()
    calls = [c for s in p.list_summits() for c in p.calls(s.id, actor=actor())]
    if not calls:
        st.info(_("No call for side events yet."))
        st.page_link(CALLS, label=_("Open a call"), icon=":material/campaign:")
        return
    wanted = st.query_params.get("call")
    ids = [c.id for c in calls]
    index = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else len(ids) - 1
    call = st.selectbox(_("Call"), calls, index=index, key="proposals_call",
                        format_func=lambda c: f"{c.title} ({c.summit_name})")
    if str(call.id) != wanted:
        st.query_params["call"] = str(call.id)
    found = p.proposals(call.id, actor=actor())
    accepted = st.session_state.pop("proposals_accepted", None)
    if accepted is not None:
        st.page_link(EDIT_EVENT, label=_("Open the draft event"), query_params={"id": str(accepted)},
                     icon=":material/edit:")
    if not found:
        st.caption(_("No proposals yet."))
        return
    columns = dict(id=_("No."), title=_("Title"), status=_("Status"), proposers=_("Proposed by"),
                   speakers=_("Speakers"), days=_("Preferred days"), received=_("Received"))
    st.dataframe(pd.DataFrame([{
        columns["id"]: x.id, columns["title"]: x.title, columns["status"]: str(PROPOSAL_STATUS_LABELS[x.status]),
        columns["proposers"]: ", ".join(f"{y.name} ({y.organization})" if y.organization else y.name
                                        for y in x.proposers),
        columns["speakers"]: len(x.speakers),
        columns["days"]: ", ".join(format_skeleton("MMMd", d) for d in x.preferred_days),
        columns["received"]: str(Moment(x.created_at.astimezone(ZoneInfo(call.timezone)))),
    } for x in found]), hide_index=True, width="stretch")
    wanted_id = st.query_params.get("id")
    shown_ids = [x.id for x in found]
    pick = st.selectbox(_("Open a proposal"), found, key="proposals_pick",
                        index=shown_ids.index(int(wanted_id)) if wanted_id and wanted_id.isdigit()
                        and int(wanted_id) in shown_ids else None,
                        format_func=lambda x: f"#{x.id} {x.title} — {PROPOSAL_STATUS_LABELS[x.status]}",
                        placeholder=_("Choose a proposal"))
    if pick is None:
        return
    st.query_params["id"] = str(pick.id)
    with st.container(border=True, key=f"proposal_{pick.id}"):
        st.subheader(escape_md(pick.title))
        st.caption(_("Status: {status}").format(status=PROPOSAL_STATUS_LABELS[pick.status]))
        if pick.merged_into:
            st.info(_("Merged into proposal #{id}.").format(id=pick.merged_into), icon=":material/merge:")
        if pick.event_id:
            st.page_link(EDIT_EVENT, label=_("Open its draft event"), query_params={"id": str(pick.event_id)},
                         icon=":material/edit:")
        st.markdown("**" + _("Proposed by") + "**  \n" + "  \n".join(
            "· " + " — ".join(x for x in (escape_md(y.name), escape_md(y.organization), escape_md(y.email)) if x)
            for y in pick.proposers))
        details(pick)
        st.markdown("**" + _("Comments") + "**")
        for c in pick.comments:
            with st.container(border=True):
                st.markdown(comment_line(c, call.timezone, for_organizers=True))
                if not c.visible:
                    st.caption(_("Internal: the proposers do not see it."))
        if not pick.comments:
            st.caption(_("No comments yet."))
    _decisions(pick, found)


if __name__ == "__main__":
    render()
