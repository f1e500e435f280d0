"""Organizer sign-in at /organize for anonymous sessions.

A correct password gives a single-use code; the browser is sent to /auth/sign-in, which
swaps it for an HttpOnly session cookie (pages cannot set cookies) and comes back here.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import streamlit as st

from planner import PlannerError
from planner.i18n import _
from planner.ui.components import a11y, language
from planner.ui.components.messages import show_error
from planner.ui.components.session import client_address, planner
from planner.ui.components import organizer_style


def render() -> None:
    organizer_style.apply()
    st.title(_("Organizer sign-in"), anchor=False)
    if st.query_params.get("signin") == "expired":
        st.warning(_("That sign-in link has expired or was already used. Please sign in again."))

    code = st.session_state.get("sign_in_code")
    if code:
        back, chosen = "/organize", language.for_address()
        if chosen:  # the sign-in route starts a new session: it keeps the language in the address
            back += "?" + urlencode({"lang": chosen})
        target = f"/auth/sign-in?code={code}&next={quote(back, safe='/')}"
        st.success(_("Password accepted. Signing you in…"), icon=":material/check_circle:")
        # Send the browser on by itself; the button is there if scripts are blocked.
        st.html(f"<script>window.parent.location.replace({json.dumps(target)});</script>", unsafe_allow_javascript=True)
        st.link_button(_("Continue"), target, type="primary")
        del st.session_state["sign_in_code"]
        return

    left, _right = st.columns([1, 1])
    with left:
        with st.form("sign_in", border=True):
            email = st.text_input(_("Email"), autocomplete="email", key="sign_in_email")
            password = st.text_input(_("Password"), type="password", autocomplete="current-password",
                                     key="sign_in_password")
            submitted = st.form_submit_button(_("Sign in"), type="primary", width="stretch")
        if submitted:
            try:
                user = planner().authenticate(email, password, client=client_address())
            except PlannerError as err:  # too many attempts: how long to wait
                show_error(err)
            else:
                _answer(user)
        st.caption(
            _(
                "Organizer accounts are created by an admin. Attendees do not need an account: "
                "the programme and event pages are public."
            )
        )


def _answer(user) -> None:
    """A wrong email or password in plain words, or on to the cookie route."""
    if user is None:
        # Beside the form, announced, and tied to the password field (a11y).
        a11y.field_error(_("That email and password do not match an organizer account."), "sign_in_password")
    else:
        st.session_state["sign_in_code"] = planner().issue_sign_in_code(user.id)
        st.rerun()


if __name__ == "__main__":
    render()
