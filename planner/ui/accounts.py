"""Organizer accounts (admins only)."""

from __future__ import annotations

from datetime import UTC

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner.codes import USER_ROLE_LABELS, label
from planner.i18n import _
from planner.models import SignInFailure
from planner.security import new_password
from planner.ui.components.markdown import escape_md
from planner.ui.components.messages import show_error
from planner.ui.components.session import actor, planner, signed_in_user
from planner.ui.components.times import clock_seconds, short_day, viewer_zone, zone_abbreviation


def render() -> None:
    p = planner()
    me = signed_in_user()
    st.title(_("Accounts"))
    if not me.is_admin:
        st.error(_("Only admins can manage accounts."))
        return
    created = st.session_state.pop("created_account", None)
    if created:
        st.success(
            _("Created the account {email}. Give them this password by a safe channel; it is not shown again:").format(
                email=escape_md(created[0])
            ),
            icon=":material/key:",
        )
        st.code(created[1], language=None)
    users = p.list_users(actor=actor())
    columns = _("Email"), _("Name"), _("Role")
    st.dataframe(
        pd.DataFrame([dict(zip(columns, (u.email, u.name, label(USER_ROLE_LABELS, u.role)))) for u in users]),
        hide_index=True,
        width="stretch",
    )
    left, right = st.columns(2)
    with left:
        st.subheader(_("Add an organizer"))
        with st.form("add_user"):
            email = st.text_input(_("Email"), key="acc_new_email")
            name = st.text_input(_("Name"), key="acc_new_name")
            role = st.selectbox(_("Role"), ["organizer", "admin"], format_func=lambda r: label(USER_ROLE_LABELS, r),
                                key="acc_new_role")
            if st.form_submit_button(_("Add account"), type="primary"):
                password = new_password()
                try:
                    p.add_user(email=email, name=name, password=password, role=role, actor=actor())
                except PlannerError as err:
                    show_error(err)
                else:
                    st.session_state["created_account"] = (email.strip().lower(), password)
                    for key in ("acc_new_email", "acc_new_name", "acc_new_role"):  # an empty form for the next one
                        del st.session_state[key]
                    st.rerun()
    with right:
        others = [u for u in users if u.id != me.id]
        if others:
            st.subheader(_("Remove an account"))
            by_id = {u.id: u for u in others}
            chosen = st.selectbox(
                _("Account"), list(by_id), format_func=lambda i: _("{name} ({email})").format(name=by_id[i].name, email=by_id[i].email)
            )
            if st.button(_("Remove account")):
                try:
                    p.remove_user(chosen, actor=actor())
                except PlannerError as err:
                    show_error(err)
                else:
                    st.rerun()
    failed_sign_ins(p.sign_in_failures(actor=actor()))


def failed_sign_ins(failures: list[SignInFailure]) -> None:
    """The latest wrong sign-ins, in the viewer's time zone (else UTC)."""
    st.subheader(_("Failed sign-ins"))
    if not failures:
        st.caption(_("No failed sign-ins in the last 30 days."))
        return
    st.caption(
        _(
            "The latest failed sign-ins, newest first; each is kept for 30 days. Many for one account or "
            "from one address mean someone is guessing passwords: sign-in then makes them wait."
        )
    )
    zone = viewer_zone() or UTC
    columns = _("Time"), _("IP address"), _("Email as typed")
    rows = []
    for failure in failures:
        moment = failure.failed_at.astimezone(zone)
        # Translators: when a sign-in failed, e.g. "Tue 06 Oct 17:00:05 EDT".
        when = _("{day} {time} {zone}").format(
            day=short_day(moment), time=clock_seconds(moment), zone=zone_abbreviation(moment)
        )
        rows.append(dict(zip(columns, (when, failure.address or _("unknown"), failure.email))))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
