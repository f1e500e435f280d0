"""The flood limits through a real ``streamlit run app.py``: who the client is, as the server
sees it. Visitors speak Streamlit's websocket protocol (``bench/stclient.py``) from 127.0.0.1,
each a new browser session, some with a forged ``X-Forwarded-For`` on the handshake.

PLANNER_TRUSTED_PROXY off: the header is never read, so forging a new address per visit does
not get a bot past the per-address limit. On (``x-forwarded-for``): the right-most address,
the one the proxy appended, is the client's; what the client wrote to its left changes nothing.

uvicorn, which serves ``st.App``, believes X-Forwarded-For itself from loopback peers (its
``FORWARDED_ALLOW_IPS``, default ``127.0.0.1,::1``), and these visitors are loopback peers:
the servers here run with ``FORWARDED_ALLOW_IPS=""`` so that they see each connection as a
client on another machine would be seen, and only the planner's own setting reads the header.
"""

from __future__ import annotations

import asyncio

from bench import rush
from bench.server import AppServer
from bench.stclient import StClient
from planner import Planner

AS_IF_REMOTE = {"FORWARDED_ALLOW_IPS": ""}  # uvicorn trusts no proxy: the planner's setting alone decides
WAIT = "Too many registrations came from here in the last minute. Please wait a minute and try again."


async def _register(server, event_id: int, i: int, forwarded: str) -> str:
    """One visitor: open the event page, register, return what the page said."""
    target = rush.Target.event(server.url, event_id)
    client = StClient(server.url, timeout=60, headers={"X-Forwarded-For": forwarded})
    try:
        await client.open(target.path, target.query)
        (button,) = [e for e in client.find(type="button") if e.form_id == target.form_id and e.proto.is_form_submitter]
        name_key, email_key, _ = target.fields
        await client.submit_form(button.key, {name_key: f"Visitor {i}", email_key: f"visitor{i}@example.org"})
        assert not client.exceptions(), client.exceptions()
        return " ".join(client.texts("alert"))
    finally:
        await client.close()


def _visits(server, forwarded: list[str]) -> list[str]:
    event_id = rush.prepare_event(Planner(server.db, base_url=server.url), 100, copy=False)

    async def all_in_turn():
        return [await _register(server, event_id, i, f) for i, f in enumerate(forwarded)]

    return asyncio.run(all_in_turn())


def test_a_forged_forwarded_header_is_ignored_without_a_trusted_proxy(tmp_path):
    with AppServer(tmp_path, env={**AS_IF_REMOTE, "PLANNER_REGISTRATIONS_PER_ADDRESS": "2"}) as server:
        said = _visits(server, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
    assert "You're registered, Visitor 0!" in said[0] and "You're registered, Visitor 1!" in said[1]
    assert WAIT in said[2], said[2]  # three "different" addresses were one: 127.0.0.1


def test_behind_a_trusted_proxy_the_right_most_forwarded_address_counts(tmp_path):
    env = {**AS_IF_REMOTE, "PLANNER_REGISTRATIONS_PER_ADDRESS": "2", "PLANNER_TRUSTED_PROXY": "x-forwarded-for"}
    with AppServer(tmp_path, env=env) as server:
        said = _visits(server, [
            "203.0.113.1",
            "203.0.113.2",
            "203.0.113.3",
            "9.9.9.1, 203.0.113.9",  # the client forged the left part; the proxy appended .9
            "9.9.9.2, 203.0.113.9",
            "9.9.9.3, 203.0.113.9",
        ])
    for i in range(5):
        assert f"You're registered, Visitor {i}!" in said[i], said[i]
    assert WAIT in said[5], said[5]
