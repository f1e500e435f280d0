"""The outbox: every message the planner has written, of one event or all, with where each
one is (waiting, delivered, failed and why, not sent and why), and any one to download as an
``.eml`` file, to read or forward when no mail server is set up."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from planner.codes import MESSAGE_KINDS, OUTBOX_STATUS_LABELS, OUTBOX_STATUSES, label
from planner.i18n import _, format_number, ngettext
from planner.ui.components.events import event_choice
from planner.ui.components.mail import no_mail_server, show_counts, skip_reason
from planner.ui.components.navigation import WRITE_TO_GUESTS
from planner.ui.components.session import PAGE_SET, actor, planner
from planner.ui.components.times import day_and_time, viewer_zone

log = logging.getLogger(__name__)
ALL = 0  # "all events" in the picker


def render() -> None:
    p = planner()
    s = st.session_state
    st.title(_("Outbox"))
    if p.smtp is None:
        no_mail_server()

    events = {e.id: e for e in p.list_events(actor=actor())}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in events and "ob_event" not in s:
        s["ob_event"] = int(wanted)
    filters = st.columns([2, 1])
    event_id = filters[0].selectbox(
        _("Event"), [ALL, *events], key="ob_event", persist_state=PAGE_SET,
        format_func=lambda i: _("All events") if i == ALL else event_choice(events[i]),
    )
    status = filters[1].selectbox(
        _("Status"), ["", *OUTBOX_STATUSES], key="ob_status",
        format_func=lambda x: label(OUTBOX_STATUS_LABELS, x) if x else _("All"),
    )
    event = events.get(event_id)
    counts = p.outbox_counts(event_id=event.id if event else None, actor=actor())
    show_counts(counts, "outbox")
    if event is not None:
        st.page_link(WRITE_TO_GUESTS, label=_("Write to this event's guests"), icon=":material/forward_to_inbox:",
                     query_params={"id": str(event.id)})
    if counts["failed"]:
        st.warning(
            ngettext(
                "{count} message could not be delivered: the mail server's reason is next to the guest. Check the "
                "address, or download the message and forward it.",
                "{count} messages could not be delivered: the mail server's reason is next to each guest. Check "
                "the addresses, or download the messages and forward them.", counts["failed"],
            ).format(count=format_number(counts["failed"])),
            icon=":material/warning:",
        )

    messages = list(reversed(p.outbox(event.id if event else None, status or None, actor=actor())))
    if not messages:
        st.info(_("No messages here yet. Confirmations, updates and your messages to guests appear here as they "
                  "are written."), icon=":material/inbox:")
        return
    zone = event.zone if event is not None else viewer_zone()
    _table(messages, events, zone, show_event=event is None)
    _download(p, messages)


def _table(messages, events, zone, show_event: bool) -> None:
    when, what, to, address, status, tries, why, event_title = (
        _("Written"), _("Message"), _("To"), _("Address"), _("Status"), _("Attempts"), _("Reason"), _("Event"))
    rows = []
    for m in messages:
        row = {  # what a phone shows without scrolling sideways first: where it is, and to whom
            status: label(OUTBOX_STATUS_LABELS, m.status),
            to: m.recipient_name,
            what: label(MESSAGE_KINDS, m.kind),
            when: day_and_time(m.created_at.astimezone(zone) if zone else m.created_at),
            address: m.recipient,
            tries: m.attempts,
            # The mail server's own words for a failure (or for the last try of a message waiting
            # to be tried again); why a message was not sent, in ours.
            why: skip_reason(m.last_error) if m.status == "skipped" else (m.last_error or ""),
        }
        if show_event:
            e = events.get(m.event_id)
            row[event_title] = e.title if e else ""
        rows.append(row)
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch",
        column_config={why: st.column_config.TextColumn(width="large"), tries: st.column_config.NumberColumn(width="small")},
    )
    if zone is not None:
        st.caption(_("Times are in {zone}.").format(zone=getattr(zone, "key", str(zone))))
    else:
        st.caption(_("Times are in UTC."))


def _download(p, messages) -> None:
    """One message as an ``.eml`` file, rendered now from the latest state (as it would go out)."""
    st.subheader(_("Download a message"), anchor=False)
    by_id = {m.id: m for m in messages}
    chosen = st.selectbox(
        _("Message"), list(by_id), key="ob_message",
        # Translators: one message to choose: what it is, to whom, and where it is ("Reminder to Ana <a@b.org>, Waiting").
        format_func=lambda i: _("{kind} to {name} <{address}>, {status}").format(
            kind=label(MESSAGE_KINDS, by_id[i].kind), name=by_id[i].recipient_name or "", address=by_id[i].recipient,
            status=label(OUTBOX_STATUS_LABELS, by_id[i].status),
        ),
    )
    try:
        data = p.outbox_eml(chosen, actor=actor())
    except Exception:  # noqa: BLE001 — said in words on the page, never a traceback
        log.exception("outbox message %s could not be written out", chosen)
        st.warning(_("This message cannot be written out right now, so it cannot be downloaded. The others still "
                     "can; whoever runs this server can find the details in its log."), icon=":material/warning:")
        return
    st.download_button(
        _("Download the message (.eml)"), data=data, file_name=f"message-{chosen}.eml", mime="message/rfc822",
        icon=":material/download:", on_click="ignore", key="ob_download",
    )
    st.caption(_("Open the file with a mail app to read it, or attach it to an email to forward it."))


if __name__ == "__main__":
    render()
