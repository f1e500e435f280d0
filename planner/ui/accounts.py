"""Organizer accounts (admins only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import PlannerError
from planner.security import new_password
from planner.ui.common import planner, show_error


def render() -> None:
    p = planner()
    user = st.session_state["user"]
    st.title("Accounts")
    if not user.is_admin:
        st.error("Only admins can manage accounts.")
        return
    created = st.session_state.pop("created_account", None)
    if created:
        st.success(
            f"Created the account {created[0]}. Give them this password by a safe channel; it is not shown again:",
            icon=":material/key:",
        )
        st.code(created[1], language=None)
    users = p.list_users()
    st.dataframe(
        pd.DataFrame([{"Email": u.email, "Name": u.name, "Role": u.role} for u in users]), hide_index=True, width="stretch"
    )
    left, right = st.columns(2)
    with left:
        st.subheader("Add an organizer")
        with st.form("add_user"):
            email = st.text_input("Email")
            name = st.text_input("Name")
            role = st.selectbox("Role", ["organizer", "admin"])
            if st.form_submit_button("Add account", type="primary"):
                password = new_password()
                try:
                    p.add_user(email=email, name=name, password=password, role=role)
                except PlannerError as err:
                    show_error(err)
                else:
                    st.session_state["created_account"] = (email.strip().lower(), password)
                    st.rerun()
    with right:
        others = [u for u in users if u.id != user.id]
        if others:
            st.subheader("Remove an account")
            by_id = {u.id: u for u in others}
            chosen = st.selectbox("Account", list(by_id), format_func=lambda i: f"{by_id[i].name} ({by_id[i].email})")
            if st.button("Remove account"):
                try:
                    p.remove_user(chosen)
                except PlannerError as err:
                    show_error(err)
                else:
                    st.rerun()


if __name__ == "__main__":
    render()
