"""The audit log (admins only): who changed what and when, newest first, filtered by event,
account, kind and days, and downloaded as CSV or XLSX. Nothing here edits or deletes an entry."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from planner.access import of_user
from planner.codes import AUDIT_ACTIONS, label
from planner.i18n import _
from planner.ui.components import audit, language
from planner.ui.components.events import event_choice
from planner.ui.components.session import actor, planner, session_token, signed_in_user
from planner.ui.components.times import viewer_zone

PAGE = 100  # entries shown at first, and more at each "Show more"
ALL = 0  # "all events" / "all accounts" in the pickers


def render() -> None:
    p = planner()
    s = st.session_state
    st.title(_("Audit log"))
    me = signed_in_user()
    if me is None or not me.is_admin:
        st.error(_("Only admins can read the audit log."))
        return
    st.caption(_("Every change organizers and admins made, and every failed sign-in, newest first. Entries "
                 "cannot be edited or deleted. Guests are named by their registration number only."))
    zone = viewer_zone() or UTC
    names = audit.Names.of(p, actor())
    users = {u.id: u for u in p.list_users(actor=actor())}
    s.setdefault("al_limit", PAGE)
    fewer = lambda: s.update(al_limit=PAGE)  # noqa: E731 — a new filter starts again from the newest

    top = st.columns([2, 2, 2])
    event_id = top[0].selectbox(
        _("Event"), [ALL, *names.events], key="al_event", on_change=fewer,
        format_func=lambda i: _("All events") if i == ALL else event_choice(names.events[i]),
    )
    user_id = top[1].selectbox(
        _("Account"), [ALL, *users], key="al_user", on_change=fewer,
        format_func=lambda i: _("All accounts") if i == ALL else _("{name} ({email})").format(
            name=users[i].name, email=users[i].email),
    )
    action = top[2].selectbox(
        _("Kind"), ["", *AUDIT_ACTIONS], key="al_action", on_change=fewer,
        format_func=lambda a: label(AUDIT_ACTIONS, a) if a else _("All kinds"),
    )
    zone_name = getattr(zone, "key", "UTC")
    days = st.columns(2)
    first = days[0].date_input(_("From"), value=None, key="al_from", on_change=fewer,
                               help=_("Days in {zone}.").format(zone=zone_name))
    last = days[1].date_input(_("Until"), value=None, key="al_until", on_change=fewer,
                              help=_("Days in {zone}, this day included.").format(zone=zone_name))
    if first and last and last < first:
        st.warning(_("The last day is before the first: choose days in order."), icon=":material/warning:")
        return
    filters = dict(
        event_id=event_id or None, user_id=user_id or None, action=action or None,
        since=datetime.combine(first, time(), zone) if first else None,
        until=datetime.combine(last + timedelta(days=1), time(), zone) if last else None,
    )

    limit = s["al_limit"]
    entries = p.audit_log(**filters, limit=limit + 1, actor=actor())
    if not entries:
        st.info(_("No entries match these filters."), icon=":material/history:")
        return
    table = audit.frame(entries[:limit], names, zone)
    when, who, what, event, subject, details = audit.columns()
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={details: st.column_config.TextColumn(width="large")})
    st.caption(_("Times are in {zone}.").format(zone=zone_name))
    if len(entries) > limit:
        st.button(_("Show more"), key="al_more", icon=":material/expand_more:",
                  on_click=lambda: s.update(al_limit=limit + PAGE))

    token = session_token()  # the download runs outside this run: it asks again who is signed in
    actor_of = lambda: of_user(p.session_user(token))  # noqa: E731
    st.subheader(_("Download"), anchor=False)
    st.caption(_("Every entry these filters match, not only those shown."))
    buttons = st.columns(2)
    for column, kind, mime, name in (
        (buttons[0], "csv", "text/csv", _("Download as CSV")),
        (buttons[1], "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _("Download as Excel (XLSX)")),
    ):
        with column:
            st.download_button(
                name, data=language.later(lambda kind=kind: audit.export(p, actor_of, filters, zone, kind)),
                # Translators: the name of the audit log file people download, without its extension.
                file_name=_("audit-log") + f".{kind}", mime=mime, icon=":material/download:",
                key=f"al_download_{kind}", on_click="ignore",
            )


if __name__ == "__main__":
    render()
