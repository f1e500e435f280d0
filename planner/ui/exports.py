"""Organizers take the data away: registrations, the check-in log, attendance and the
programme, of one event, one summit or everything, each as CSV and as XLSX.

Each file is made when its button is pressed (Streamlit calls the download's data then, in a
thread of its own, without rerunning the page): so an export of personal data is recorded in
the audit log only when someone takes it, and the session's sign-in is asked again at that
moment (captured now, like the door list's), so a page left open after signing out hands out
nothing."""

from __future__ import annotations

import streamlit as st

from planner import PlannerError
from planner.access import of_user
from planner.areas.exports import MIME, file_name
from planner.i18n import _
from planner.outputs.spreadsheets import csv_bytes, xlsx_bytes
from planner.ui.components import language
from planner.ui.components.events import event_choice
from planner.ui.components.session import PAGE_SET, actor, planner, session_token

EVENT, SUMMIT, EVERYTHING = "event", "summit", "all"


def render() -> None:
    p = planner()
    s = st.session_state
    st.title(_("Exports"))
    st.caption(_("Spreadsheet files to open in Excel, LibreOffice or Google Sheets: column names in your language, "
                 "times on each event's own clock with its time zone beside them."))
    events = {e.id: e for e in p.list_events(actor=actor())}
    summits = {x.id: x for x in p.list_summits()}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in events and "x_scope" not in s:
        s["x_scope"], s["x_event"] = EVENT, int(wanted)
    scopes = {EVENT: _("One event"), SUMMIT: _("One summit"), EVERYTHING: _("Everything")}
    scope = st.radio(_("What to export"), list(scopes), format_func=scopes.get, key="x_scope",
                     persist_state=PAGE_SET, horizontal=True)
    event_id = summit_id = None
    if scope == EVENT:
        if not events:
            st.info(_("There are no events yet."), icon=":material/event_note:")
            return
        event_id = st.selectbox(_("Event"), list(events), key="x_event",
                                persist_state=PAGE_SET, format_func=lambda i: event_choice(events[i]))
    elif scope == SUMMIT:
        if not summits:
            st.info(_("There are no summits yet."), icon=":material/public:")
            return
        summit_id = st.selectbox(_("Summit"), list(summits), key="x_summit", format_func=lambda i: summits[i].name)

    st.info(_("Registrations and the check-in log hold people's names, emails and needs: each of those files is "
              "recorded in the audit log with your name when you download it. Keep them safe, share them only "
              "with people who need them, and delete them when you are done."), icon=":material/shield_person:")
    token = session_token()  # the download cannot read the session: capture it now
    for kind, heading, what in (
        ("registrations", _("Registrations"),
         _("Everyone who registered (cancelled too): name, email, organization, needs, status, place on the "
           "waiting list, walk-in, when they registered, and when and by which door they came in; their privacy "
           "choices and a column per question of the form. For the organizers only.")),
        ("checkins", _("Check-in log"),
         _("Every scan at the doors, refused ones too: when, which door, the verdict and whose ticket it was.")),
        ("attendance", _("Attendance"),
         _("One line per event: capacity, confirmed, walk-ins, checked in, who registered but did not come, the "
           "waiting list, cancellations and scans. No names.")),
        ("programme", _("Programme"),
         _("Every event (drafts too, with their status): times in the venue's time zone, place, format, speakers "
           "and organizations under their roles.")),
        ("all", _("Everything in one workbook"),
         _("The four tables above, one sheet each, in one XLSX file.")),
        ("participants", _("Participants list to share"),
         _("For co-sponsors and funders: the names and organizations of confirmed guests, leaving out everyone "
           "who asked to keep their name off shared lists. The registrations table above stays for the organizers: "
           "it has everyone, with their answers and privacy choices.")),
    ):
        with st.container(border=True, key=f"x_box_{kind}"):
            st.markdown(f"**{heading}**")
            st.caption(what)
            formats = ["xlsx"] if kind == "all" else ["csv", "xlsx"]
            for column, format in zip(st.columns(len(formats) + 1)[: len(formats)], formats):
                with column:
                    st.download_button(
                        _("Download CSV") if format == "csv" else _("Download XLSX"),
                        data=language.later(lambda kind=kind, format=format: _file(p, token, kind, format, event_id,
                                                                                   summit_id)),
                        file_name=file_name(kind, format, event_id=event_id, summit_id=summit_id), mime=MIME[format],
                        icon=":material/download:", key=f"x_{kind}_{format}", on_click="ignore",
                    )


def _file(p, token, kind: str, format: str, event_id, summit_id) -> bytes:
    """The file, if the organizer who rendered the button is still signed in; else (or if the
    event is gone) a file holding the reason, in the same format."""
    try:
        return p.export(kind, format, event_id=event_id, summit_id=summit_id,
                        actor=of_user(p.session_user(token)))[0]
    except PlannerError as err:
        import pandas as pd

        refusal = pd.DataFrame({_("Exports"): [str(err)]})
        return csv_bytes(refusal) if format == "csv" else xlsx_bytes({_("Exports"): refusal})


if __name__ == "__main__":
    render()
