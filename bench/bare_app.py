"""The bare comparison app for bench/rush.py: the RSVP form and nothing else.

    BARE_DB=/tmp/bare.db streamlit run bench/bare_app.py      # then open /?event=<id>

A fair floor (issue #17): the same three fields as the event page's form (name, email,
organization), submitted through a form callback that does what a real RSVP does in one
SQLite ``BEGIN IMMEDIATE`` transaction on its own connection, after queueing on one
in-process ``threading.Lock`` (as the planner's writes do): read the event's capacity, count
its confirmed places, insert the person as confirmed or at the end of the waiting list.
The page then answers in the app's own words: "You're registered, NAME! Your place is
confirmed." or "You're on the waiting list, NAME — place N." No validation, no page
furniture, no translation. The bench creates the events (``add_event``) with their capacity.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

DB = os.environ.get("BARE_DB", "bare.db")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS registrations (id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL,"
    " name TEXT NOT NULL, email TEXT NOT NULL, organization TEXT NOT NULL, status TEXT NOT NULL,"
    " position INTEGER, created_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS registrations_event ON registrations (event_id, status)",
)


def setup_database(path: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        for statement in SCHEMA:
            conn.execute(statement)
    finally:
        conn.close()


def add_event(path: str, capacity: int) -> int:
    """A new event of the bare app with its capacity (the bench calls this from outside)."""
    setup_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return conn.execute("INSERT INTO events (capacity) VALUES (?)", [capacity]).lastrowid
    finally:
        conn.close()


@st.cache_resource
def _setup() -> threading.Lock:
    """Once per process: the tables, WAL mode, and the lock every writer queues on; and
    Nagle's algorithm off on the connections accepted from now on, as app.py has it
    (planner/web/nodelay.py), so the two servers differ in their pages only. That module
    alone, not the planner package: the bare app stays bare (its heap is what Streamlit's
    after-run collection walks)."""
    spec = importlib.util.spec_from_file_location("nodelay", Path(__file__).parents[1] / "planner" / "web" / "nodelay.py")
    nodelay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nodelay)
    nodelay.turn_on()
    setup_database(DB)
    return threading.Lock()


def register(event_id: int, name: str, email: str, organization: str) -> tuple[str, int | None]:
    """The capacity check and the insert, one transaction: ("confirmed", None) or ("waitlisted", place)."""
    with _setup():
        conn = sqlite3.connect(DB, timeout=5, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("BEGIN IMMEDIATE")
            try:
                (capacity,) = conn.execute("SELECT capacity FROM events WHERE id = ?", [event_id]).fetchone()
                (confirmed,) = conn.execute(
                    "SELECT count(*) FROM registrations WHERE event_id = ? AND status = 'confirmed'", [event_id]
                ).fetchone()
                if confirmed < capacity:
                    status, position = "confirmed", None
                else:
                    (last,) = conn.execute(
                        "SELECT coalesce(max(position), 0) FROM registrations WHERE event_id = ? AND status = 'waitlisted'",
                        [event_id],
                    ).fetchone()
                    status, position = "waitlisted", last + 1
                conn.execute(
                    "INSERT INTO registrations (event_id, name, email, organization, status, position, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [event_id, name, email, organization, status, position, datetime.now(UTC).isoformat()],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
    return status, position


def _submit(event_id: int) -> None:
    s = st.session_state
    s["done"] = (s.get("name", ""), *register(event_id, s.get("name", ""), s.get("email", ""), s.get("organization", "")))


def page() -> None:
    _setup()
    event = int(st.query_params.get("event", "1"))
    st.title("Register")
    if "done" in st.session_state:
        name, status, position = st.session_state["done"]
        if status == "confirmed":
            st.success(f"**You're registered, {name}!** Your place is confirmed.")
        else:
            st.warning(f"**You're on the waiting list, {name}** — place {position}.")
    else:
        with st.form("rsvp"):
            st.text_input("Your name", key="name")
            st.text_input("Email", key="email")
            st.text_input("Organization (optional)", key="organization")
            st.form_submit_button("Register", on_click=_submit, args=(event,))


if __name__ == "__main__":  # `streamlit run` runs the file as __main__; the bench imports add_event only
    page()
