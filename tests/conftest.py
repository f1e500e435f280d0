"""What the tests of every layer share.

* The hypothesis profile: no example database left in the working tree, no flaky per-example
  deadline (each example touches SQLite).
* ``table_rows(path)`` — every row of every table of a database file.
* ``is_readable(message)`` — a message is a sentence a person can act on.
* ``smtp_server`` — a real SMTP server on 127.0.0.1 for one test, with knobs for failures
  (``tests/support/smtp.py``).

A folder with fixtures of its own has one conftest: ``domain/`` (``planner``, a fresh Planner
on a temporary database, and a small world to plan in) and ``pages/`` (``app_planner``, the
planner of the app under AppTest). ``planner`` always means the fresh, empty one.
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import settings

settings.register_profile("planner", database=None, deadline=None)
settings.load_profile("planner")


def table_rows(path) -> dict[str, list[tuple]]:
    """Every row of every table of the database at ``path`` (order-independent)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def is_readable(message: str) -> bool:
    """A message a person can act on: a sentence, not a repr or a traceback."""
    return (
        isinstance(message, str)
        and len(message) >= 10
        and " " in message
        and message.rstrip().endswith((".", "?", "!"))
        and "Traceback" not in message
        and "NoneType" not in message
        and "sqlite3" not in message
    )


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (``tests/support/smtp.py``), started for the test and
    stopped after it (its thread ends): ``.host``, ``.port``, ``.messages``, ``.connections``,
    ``.settings(**overrides)`` and the knobs for failures."""
    from tests.support.smtp import SmtpServer

    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()
