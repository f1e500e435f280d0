"""The List-Unsubscribe header (RFC 2369, RFC 8058) that reminders and organizers' messages
carry: one plain line a mail app reads as a URL, pointing at the /unsubscribe route with a
private link token the Planner accepts (tests/routes/test_unsubscribe_routes.py posts to it)."""

from __future__ import annotations

import email
import email.policy
from urllib.parse import parse_qs, urlsplit

BASE = "https://side-events.example-coalition.org/planner/with/a/long/path"


def test_the_unsubscribe_header_is_one_plain_line_even_after_a_long_base_url(planner, open_event):
    planner.base_url = BASE
    event = open_event()
    guest = planner.register(event.id, name="Ana", email="ana@example.org")
    planner.message_guests(event.id, "Doors open at 6", "See you there.")
    (row,) = [m for m in planner.outbox(event.id) if m.kind == "organizer_message"]
    raw = planner.outbox_eml(row.id)

    (line,) = [line for line in raw.split(b"\n") if line.startswith(b"List-Unsubscribe:")]
    assert b"=?" not in line  # not RFC 2047 encoded words: no mail app reads those as a URL
    header = email.message_from_bytes(raw, policy=email.policy.default)["List-Unsubscribe"]
    assert line.decode().strip() == f"List-Unsubscribe: {header}"
    assert header.startswith(f"<{BASE}/unsubscribe?t=") and header.endswith(">")
    (token,) = parse_qs(urlsplit(header[1:-1]).query)["t"]
    assert planner.registration(token).id == guest.id
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
