"""Organizer accounts (admins only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner.codes import USER_ROLE_LABELS, label
from planner.i18n import _
from planner.security import new_password
from planner.ui.components.markdown import escape_md
from planner.ui.components.messages import show_error
from planner.ui.components.session import actor, planner, signed_in_user


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
            email = st.text_input(_("Email"))
            name = st.text_input(_("Name"))
            role = st.selectbox(_("Role"), ["organizer", "admin"], format_func=lambda r: label(USER_ROLE_LABELS, r))
            if st.form_submit_button(_("Add account"), type="primary"):
                password = new_password()
                try:
                    p.add_user(email=email, name=name, password=password, role=role, actor=actor())
                except PlannerError as err:
                    show_error(err)
                else:
                    st.session_state["created_account"] = (email.strip().lower(), password)
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


if __name__ == "__main__":
    render()
