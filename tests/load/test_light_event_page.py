"""The event page under a rush stays light: *Register* reruns the registration box alone (issue #17).

A real ``streamlit run app.py``, driven over Streamlit's websocket protocol as the browser
does (bench/stclient.py: a button inside an ``st.fragment`` sends a rerun of that fragment
only). What the server sends back after a press is counted: only the box's elements, each
marked with the box's fragment id; the event's title, details and the rest of the page are not
sent again, and the page still does all it did: confirmed, waiting list, a refused email,
*Register someone else*.
"""

from __future__ import annotations

import asyncio

import pytest

from bench import rush
from bench.server import AppServer
from bench.stclient import StClient
from planner import Planner


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("light"), env=rush.UNLIMITED) as app:
        yield app


def _press_register(client: StClient, event_id: int, name: str, email: str):
    target = rush.Target.event(client.base_url, event_id)
    (button,) = [e for e in client.find(type="button") if e.form_id == target.form_id and e.proto.is_form_submitter]
    assert button.fragment_id, "the Register button is not inside a fragment"
    return button, client.submit_form(button.key, {target.fields[0]: name, target.fields[1]: email})


def test_register_reruns_the_registration_box_alone_and_the_page_stays(server):
    app_planner = Planner(server.db, base_url=server.url)
    event_id = rush.prepare_event(app_planner, 1, copy=True)

    async def journey():
        async with StClient(server.url) as first, StClient(server.url) as second:
            page = await first.open("/event", f"id={event_id}")
            button, pressing = _press_register(first, event_id, "Ana Pérez", "ana.light@example.org")
            answer = await pressing
            await second.open("/event", f"id={event_id}")
            _, pressing = _press_register(second, event_id, "Ben Okoro", "ben.light@example.org")
            waiting = await pressing
            return page, button, answer, first, waiting, second

    page, button, answer, first, waiting, second = asyncio.run(journey())
    assert "" in page.delta_fragments and page.deltas > answer.deltas
    # Only the box came back, every element of it marked as the box's.
    assert answer.delta_fragments == {button.fragment_id}, answer.delta_fragments
    assert answer.deltas < page.deltas / 2, (answer.deltas, page.deltas)
    assert any("You're registered, Ana Pérez!" in t for t in first.texts("alert"))
    assert any("GCM celebration" in t for t in first.texts("heading")), first.elements  # the page around it stays
    assert waiting.delta_fragments == {button.fragment_id}
    assert any("waiting list, Ben Okoro** — place 1" in t for t in second.texts("alert"))
    stored = {r.email: (r.status, r.position) for r in app_planner.registrations(event_id)}
    assert stored == {"ana.light@example.org": ("confirmed", None), "ben.light@example.org": ("waitlisted", 1)}
    assert not first.exceptions() and not second.exceptions()


def test_a_refused_registration_and_register_someone_else_stay_in_the_box(server):
    app_planner = Planner(server.db, base_url=server.url)
    event_id = rush.prepare_event(app_planner, 10, copy=True)

    async def journey():
        async with StClient(server.url) as client:
            await client.open("/event", f"id={event_id}")
            button, pressing = _press_register(client, event_id, "Chen Li", "not an email")
            refused = await pressing
            refused_text = list(client.texts("alert"))
            _, pressing = _press_register(client, event_id, "Chen Li", "chen.light@example.org")
            done = await pressing
            again = await client.click(f"rsvp_again_{event_id}")
            return button, refused, refused_text, done, again, client

    button, refused, refused_text, done, again, client = asyncio.run(journey())
    # the box and the lost-link form inside it (a fragment of its own), nothing of the page
    assert button.fragment_id in refused.delta_fragments and "" not in refused.delta_fragments
    assert any("email" in t.lower() for t in refused_text), refused_text
    assert done.delta_fragments == {button.fragment_id}
    assert button.fragment_id in again.delta_fragments and "" not in again.delta_fragments
    assert client.find(key=f"rsvp_name_{event_id}"), "the empty form is back"
    assert [r.email for r in app_planner.registrations(event_id)] == ["chen.light@example.org"]
    assert not client.exceptions()
