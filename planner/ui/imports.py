"""Import: events, or a guest list for an event, from a CSV or XLSX file. The organizer takes
the template, uploads the file, sees what it would do (rows ready, already there, refused with
the reason), and only then imports it, with a progress bar and a result sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner import clock
from planner.codes import REGISTRATION_STATUS_LABELS, label
from planner.i18n import _, format_number, format_skeleton, format_time, ngettext
from planner.ui.components.events import event_choice
from planner.ui.components.messages import flash, show_error, show_flash
from planner.ui.components.session import actor, planner

TYPES = ["csv", "txt", "tsv", "xlsx"]


def render() -> None:
    p = planner()
    st.title(_("Import"))
    show_flash()
    kinds = {"events": _("Events"), "guests": _("A guest list for an event")}
    kind = st.radio(_("What to import"), list(kinds), format_func=kinds.get, horizontal=True, key="imp_kind")

    event_id = summit_id = None
    if kind == "guests":
        now = clock.now()
        events = {e.id: e for e in p.list_events(status="published", actor=actor()) if e.registration_closed(now) is None}
        if not events:
            st.info(_("No event takes registrations now: publish one first."), icon=":material/info:")
            return
        event_id = st.selectbox(_("Event"), list(events), format_func=lambda i: event_choice(events[i], False),
                                key="imp_event")
        st.caption(_("Guests go in in file order, as if each had registered then: confirmed while places last, "
                     "then on the waiting list. An address already registered for the event is skipped."))
    else:
        summits = {s.id: s.name for s in p.list_summits()}
        summit_id = st.selectbox(
            _("Summit for rows that name none"), [None, *summits], key="imp_summit",
            format_func=lambda i: _("None") if i is None else summits[i],
        )
        st.caption(_("Dates are read day first (20/10/2026; 2026-10-20 works too), times as 17:00 in the event's "
                     "own time zone. Venues, rooms and summits must already exist. An event with the same title, "
                     "start and room as one already here is skipped."))

    columns = st.columns(2)
    for column, format in zip(columns, ("csv", "xlsx")):
        column.download_button(
            _("Template (CSV)") if format == "csv" else _("Template (Excel)"),
            data=p.import_template(kind, format), file_name=f"{kind}-template.{format}", icon=":material/download:",
            mime="text/csv" if format == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"imp_template_{kind}_{format}", width="stretch",
        )

    upload = st.file_uploader(_("File (CSV or Excel)"), type=TYPES, key=f"imp_file_{kind}")
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    try:
        if kind == "events":
            preview = p.preview_event_import(data, name, summit_id=summit_id, actor=actor())
        else:
            preview = p.preview_guest_import(event_id, data, name, actor=actor())
    except PlannerError as err:
        show_error(err)
        return

    metrics = st.container(key="metrics_import").columns(3)
    metrics[0].metric(_("Ready to import"), format_number(len(preview.ready)))
    metrics[1].metric(_("Already there"), format_number(len(preview.skipped)))
    metrics[2].metric(_("Refused"), format_number(len(preview.refused)))

    if preview.refused:
        st.subheader(_("Rows refused"))
        st.dataframe(pd.DataFrame({_("Row"): [r.row for r in preview.refused],
                                   _("Reason"): [r.reason for r in preview.refused]}),
                     hide_index=True, width="stretch")
    if preview.ready:
        st.subheader(_("Rows to import"))
        st.dataframe(_table(kind, preview.ready), hide_index=True, width="stretch")
    if preview.skipped:
        with st.expander(_("Already there, skipped ({count})").format(count=format_number(len(preview.skipped)))):
            st.dataframe(_table(kind, preview.skipped), hide_index=True, width="stretch")

    if not preview.ready:
        st.info(_("Nothing in this file is new: importing it would change nothing."), icon=":material/info:")
        return
    send = False
    if kind == "guests":
        send = st.checkbox(_("Send confirmations"), key="imp_send",
                           help=_("Each guest gets the confirmation (with the ticket) or the waiting-list message."))
    count = len(preview.ready)
    if st.button(ngettext("Import {count} row", "Import {count} rows", count).format(count=format_number(count)),
                 type="primary", icon=":material/upload:", key="imp_go"):
        bar = st.progress(0.0, text=_("Importing…"))
        tick = lambda done, total: bar.progress(min(done / total, 1.0) if total else 1.0, text=_("Importing…"))  # noqa: E731
        try:
            if kind == "events":
                result = p.import_events(data, name, summit_id=summit_id, actor=actor(), progress=tick)
            else:
                result = p.import_guests(event_id, data, name, send_confirmations=send, actor=actor(), progress=tick)
        except PlannerError as err:
            show_error(err)
            return
        flash(_result(result))
        st.rerun()


def _table(kind: str, rows) -> pd.DataFrame:
    if kind == "events":
        return pd.DataFrame({
            _("Row"): [r.row for r in rows],
            _("Title"): [r.values["title"] for r in rows],
            _("Date"): [format_skeleton("yMMMEd", r.values["starts_at"]) for r in rows],
            _("Time"): [f"{format_time(r.values['starts_at'])}–{format_time(r.values['ends_at'])}" for r in rows],
            _("Place"): [r.values["place"] for r in rows],
        })
    frame = {
        _("Row"): [r.row for r in rows],
        _("Name"): [r.values["name"] for r in rows],
        _("Email"): [r.values["email"] for r in rows],
        _("Organization"): [r.values["organization"] for r in rows],
    }
    if any("status" in r.values for r in rows):
        frame[_("Status")] = [label(REGISTRATION_STATUS_LABELS, r.values.get("status")) for r in rows]
    return pd.DataFrame(frame)


def _result(result) -> str:
    if result.kind == "events":
        done = ngettext("Imported {count} event as a draft.", "Imported {count} events as drafts.", result.created)
    else:
        done = ngettext("Registered {count} guest: {confirmed} confirmed, {waitlisted} on the waiting list.",
                        "Registered {count} guests: {confirmed} confirmed, {waitlisted} on the waiting list.",
                        result.created)
    done = done.format(count=format_number(result.created), confirmed=format_number(result.confirmed),
                       waitlisted=format_number(result.waitlisted))
    rest = _("{skipped} already there, {refused} refused.").format(
        skipped=format_number(result.skipped), refused=format_number(result.refused))
    sentences = [done, rest]
    if result.kind == "guests":
        sentences.append(_("Their confirmations are in the outbox.") if result.messages
                         else _("No messages were sent."))
    return " ".join(sentences)


if __name__ == "__main__":
    render()
