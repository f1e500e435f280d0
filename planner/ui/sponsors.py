"""Organizers ask an event's organizations and speakers to sign on, and see who did (issue #14).

Per event: each organization with its contact's address, a button to send the request (or send
it again), where it stands (confirmed, declined, no answer yet, or added without asking) and a
reminder; each speaker likewise; and the choice to show organizations that have not answered on
the public page, marked "invited". The rules are the domain's (``planner/areas/sign_on.py``).
"""

from __future__ import annotations

import streamlit as st

from planner.codes import ORGANIZATION_ROLE_LABELS, SIGN_ON_STATUS_LABELS, SPEAKER_ATTENDANCE_LABELS, \
    SPEAKER_ROLE_LABELS, label
from planner.i18n import _
from planner.ui.components.events import event_choice
from planner.ui.components.markdown import escape_md
from planner.ui.components.messages import attempt, show_flash
from planner.ui.components.navigation import EDIT_EVENT
from planner.ui.components.session import PAGE_SET, actor, planner
from planner.ui.components.times import day_and_time

ICONS = {"vouched": ":material/person_check:", "pending": ":material/hourglass_empty:",
         "confirmed": ":material/check_circle:", "declined": ":material/cancel:"}


def _status_line(item, zone) -> str:
    """"✓ Confirmed · asked 06 Oct 17:00 · answered 07 Oct 09:12", times in the event's zone."""
    parts = [f"{ICONS[item.status]} **{label(SIGN_ON_STATUS_LABELS, item.status)}**"]
    if item.requested_at:
        parts.append(_("asked {when}").format(when=day_and_time(item.requested_at.astimezone(zone))))
    if item.reminded_at:
        parts.append(_("sent again {when}").format(when=day_and_time(item.reminded_at.astimezone(zone))))
    if item.answered_at:
        parts.append(_("answered {when}").format(when=day_and_time(item.answered_at.astimezone(zone))))
    return " · ".join(parts)


def _organizations(p, event, status) -> None:
    st.subheader(_("Organizations"))
    if not status.organizations:
        st.caption(_("This event names no organization yet: add them on the event's page."))
    for o in status.organizations:
        key = f"{event.id}_{o.organization_id}_{o.role}"
        with st.container(border=True, key=f"sponsor_org_{key}"):
            # Translators: an organization and the role it has on an event: "ACLU (co-sponsor)".
            st.markdown(_("**{name}** ({role})").format(name=escape_md(o.name),
                                                         role=label(ORGANIZATION_ROLE_LABELS, o.role)))
            st.markdown(_status_line(o, event.zone))
            if o.status == "confirmed" and (o.display_name or o.logo):
                cols = st.columns([1, 4])
                if o.logo:
                    cols[0].image(p.picture(o.logo), width=80)
                if o.display_name:
                    cols[1].caption(_("Shown as: {name}").format(name=escape_md(o.display_name)))
            email = st.text_input(_("Contact's email"), value=o.email, key=f"sponsor_email_{key}",
                                  placeholder="name@example.org")
            if o.status == "vouched" and event.status == "published":  # said before it drops off the page
                st.caption(_("On the public page now. Once asked, it is left off the page (or marked invited, if "
                             "this event shows invited organizations) until it says yes."))
            buttons = st.columns(2)
            # A request when nobody was asked or the address changed (after a "no": ask someone else); a reminder while waiting.
            if (o.status == "vouched" or email != o.email) and buttons[0].button(
                    _("Send the request"), key=f"sponsor_send_{key}", icon=":material/send:"):
                attempt(lambda: p.request_sign_on(event.id, o.name, email, role=o.role, actor=actor()),
                     _("Request sent to {email}.").format(email=email))
            if o.status == "pending" and email == o.email and buttons[1].button(
                    _("Remind"), key=f"sponsor_remind_{key}", icon=":material/notifications:"):
                attempt(lambda: p.remind_sign_on(event.id, o.name, role=o.role, actor=actor()), _("Reminder sent."))


def _speakers(p, event, status) -> None:
    st.subheader(_("Speakers"))
    if not status.speakers:
        st.caption(_("This event has no speakers yet: add them on the event's page."))
    for s in status.speakers:
        key = f"{event.id}_{s.person_id}"
        with st.container(border=True, key=f"sponsor_speaker_{key}"):
            st.markdown(_("**{name}** ({role})").format(name=escape_md(s.name), role=label(SPEAKER_ROLE_LABELS, s.role)))
            st.markdown(_status_line(s, event.zone))
            if s.status == "confirmed" and s.attendance:
                details = [label(SPEAKER_ATTENDANCE_LABELS, s.attendance)]
                if s.speaks:
                    details.append(escape_md(s.speaks))
                if s.id_name:
                    details.append(_("ID name: {name}").format(name=escape_md(s.id_name)))
                st.caption(" · ".join(details))
            email = st.text_input(_("Speaker's email"), value=s.email, key=f"speaker_email_{key}",
                                  placeholder="name@example.org")
            buttons = st.columns(2)
            if (s.status == "vouched" or email != s.email) and buttons[0].button(
                    _("Send the request"), key=f"speaker_send_{key}", icon=":material/send:"):
                attempt(lambda: p.request_speaker_confirmation(event.id, s.person_id, email=email or None, actor=actor()),
                     _("Request sent to {email}.").format(email=email or s.email))
            if s.status == "pending" and email == s.email and buttons[1].button(
                    _("Remind"), key=f"speaker_remind_{key}", icon=":material/notifications:"):
                attempt(lambda: p.remind_speaker(event.id, s.person_id, actor=actor()), _("Reminder sent."))


def render() -> None:
    p = planner()
    st.title(_("Co-sponsors and speakers"))
    show_flash()
    events = [e for e in p.list_events(actor=actor()) if e.status != "cancelled"]
    if not events:
        st.info(_("No events yet: create one first."), icon=":material/event_note:")
        return
    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in by_id and "sponsor_event" not in st.session_state:
        st.session_state["sponsor_event"] = int(wanted)
    event = by_id[st.selectbox(_("Event"), list(by_id), key="sponsor_event", persist_state=PAGE_SET,
                               format_func=lambda i: event_choice(by_id[i]))]
    st.caption(_("Each organization and speaker you ask gets a private link by email to confirm or decline. Until "
                 "they say yes, the public page does not name them. Organizations and speakers you do not ask stay "
                 "as you entered them."))
    status = p.sign_on_status(event.id, actor=actor())
    shown = st.toggle(_("Show organizations that have not answered yet on the public page, marked “invited”"),
                      value=status.show_invited, key=f"sponsor_show_invited_{event.id}")
    if shown != status.show_invited:
        attempt(lambda: p.set_show_invited(event.id, shown, actor=actor()),
             _("Organizations that have not answered are now shown as invited.") if shown
             else _("Organizations that have not answered are no longer shown."))
    st.page_link(EDIT_EVENT, label=_("Edit the event's organizations and speakers"), icon=":material/edit:",
                 query_params={"id": str(event.id)})
    left, right = st.columns(2, gap="large")
    with left:
        _organizations(p, event, status)
    with right:
        _speakers(p, event, status)


if __name__ == "__main__":
    render()
