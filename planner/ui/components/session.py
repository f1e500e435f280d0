"""What every page works with: the Planner, the app's public address, who is signed in."""

from __future__ import annotations

import streamlit as st

from planner import PUBLIC, Actor, Planner, User
from planner.security import new_token
from planner.access import of_door, of_user
from planner.config import open_planner, settings_from_env
from planner.ratelimit import UNKNOWN_ADDRESS, ClientKey
from planner.ratelimit import client_address as ratelimit_address
from planner.web import DOOR_COOKIE, SESSION_COOKIE

# ``persist_state`` of every widget whose value the page writes into its key (an event loaded
# into the editor, a new row's role, an event picker set from the link). Streamlit tells the
# browser such a value only in the run that wrote it. When the browser's next change cuts that
# run short, the browser never draws it: it shows the widget's default and sends that back as if
# the organizer had chosen it (a second speaker saved as "chair", an end time of "now"). With a
# scope set, Streamlit sends the page's value to a browser that has not reported the widget yet
# (tests/routes/test_cut_short_runs.py). "page": kept while the page is open, even while hidden.
PAGE_SET = "page"


def planner() -> Planner:
    return open_planner()


def base_url() -> str:
    return settings_from_env().base_url


def _cookie(name: str) -> str | None:
    cookie = st.context.cookies.get(name)
    return cookie if isinstance(cookie, str) else None  # AppTest has no cookies (it hands back a mock)


def session_token() -> str | None:
    """The sign-in session: the cookie set by /auth/sign-in (or, in tests, session state)."""
    return _cookie(SESSION_COOKIE) or st.session_state.get("session_token")


def client_address() -> str | None:
    """The client's address, as sign-in throttling and the flood limits both count it: the
    connection's peer (uvicorn already puts the client a reverse proxy on this machine names
    there, see ``FORWARDED_ALLOW_IPS``), or, only when PLANNER_TRUSTED_PROXY names a header,
    the right-most address in that header. None when unknown (localhost, AppTest)."""
    header = settings_from_env().trusted_proxy
    forwarded = list(st.context.headers.get_all(header)) if header else None
    peer = st.context.ip_address if isinstance(st.context.ip_address, str) else None
    address = ratelimit_address(peer, forwarded)
    return None if address == UNKNOWN_ADDRESS else address


def door_pass_secret() -> str | None:
    """The door pass this browser opened: this session's, else the cookie set by /auth/door."""
    return st.session_state.get("door_pass_secret") or _cookie(DOOR_COOKIE)


def current_user() -> User | None:
    """Who is signed in, asked of the Planner (``main.py`` does it once per run)."""
    return planner().session_user(session_token())


def actor() -> Actor:
    """Who this session acts as, for the Planner's access rules: the signed-in account, else
    the door pass this browser opened, else the public. Asked afresh (a callback may run
    before ``main.py`` in a run, and a pass may have been revoked since)."""
    user = current_user()
    if user is not None:
        return of_user(user)
    door_pass = planner().door_pass(door_pass_secret())
    return of_door(door_pass) if door_pass is not None else PUBLIC


def signed_in_user() -> User | None:
    """Who this run found signed in (``main.py`` keeps it in the session state)."""
    return st.session_state.get("user")


def client_key() -> ClientKey:
    """This browser session and its address, for the Planner's flood limits. The session's id
    is made here, server-side, so a client cannot choose it; the address is the connection's,
    or, only when PLANNER_TRUSTED_PROXY names a header, the right-most address in that header."""
    state = st.session_state
    if "client_session" not in state:
        state["client_session"] = new_token()
    return ClientKey(session=state["client_session"], address=client_address() or UNKNOWN_ADDRESS)
