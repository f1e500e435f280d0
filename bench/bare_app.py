"""The bare comparison app for bench/rush.py: the RSVP form and nothing else.

    BARE_DB=/tmp/bare.db streamlit run bench/bare_app.py

The same three fields as the event page's form (name, email, organization), submitted
through a form callback that does one SQLite ``BEGIN IMMEDIATE`` insert on its own
connection, after queueing on one in-process ``threading.Lock`` (as the planner's writes
do); afterwards the page shows "Registered". No validation, no page furniture: the floor a
Streamlit form with one write per submit stands on, on this machine.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime

import streamlit as st

DB = os.environ.get("BARE_DB", "bare.db")


@st.cache_resource
def _setup() -> threading.Lock:
    """Once per process: the table, WAL mode, and the lock every writer queues on."""
    conn = sqlite3.connect(DB, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS registrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " email TEXT NOT NULL, organization TEXT NOT NULL, created_at TEXT NOT NULL)"
        )
    finally:
        conn.close()
    return threading.Lock()


def _submit() -> None:
    s = st.session_state
    with _setup():
        conn = sqlite3.connect(DB, timeout=5, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO registrations (name, email, organization, created_at) VALUES (?, ?, ?, ?)",
                [s.get("name", ""), s.get("email", ""), s.get("organization", ""), datetime.now(UTC).isoformat()],
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
    s["done"] = s.get("name", "")


_setup()
st.title("Register")
if "done" in st.session_state:
    st.success(f"Registered, {st.session_state['done']}")
else:
    with st.form("rsvp"):
        st.text_input("Your name", key="name")
        st.text_input("Email", key="email")
        st.text_input("Organization (optional)", key="organization")
        st.form_submit_button("Register", on_click=_submit)
