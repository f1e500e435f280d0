"""A run cut short by the next keystroke must not leave a widget on its default instead of the
value the page gave it, through a real ``streamlit run app.py`` and Streamlit's own protocol
(``bench/stclient.py``).

How it happens: the page writes a value into a widget's key (a new speaker row's role, the
times of the event the editor loads) and draws the widget in the same run. The browser, still
drawing, sends the next change; Streamlit stops that run and starts the next one. The browser
never drew the widget the stopped run sent, and Streamlit tells a browser a keyed widget's
value only in the run where the page wrote it, so the next run showed the widget's default
(a second speaker as "chair", the end of the event at "now"), and the browser sent it back as if
the organizer had chosen it. Seen in the keyboard-only editor journey under load, and open to a
quick typist on a busy server. Widgets whose value the page gives keep ``persist_state="page"``:
Streamlit then sends the page's value to a browser that has not reported the widget.

Each test sends the second rerun as soon as the first run draws the field just before the one
tested, and drops the rest of the first run, as the browser did. A try counts only if the first
run drew the tested field and was then stopped (it never said it finished); otherwise the test
tries again in a new tab. The event has forty organizations, whose rows keep a run going after
the speakers and the times, so most tries count. Without ``PAGE_SET`` both tests fail.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.server import AppServer
from bench.stclient import StClient, http_get, key_of, set_cookies, shown_value
from planner import Planner, clock

TRIES = 40  # each in a new tab


async def _signed_in(url: str) -> dict[str, str]:
    """The cookies of an organizer signed in through the sign-in page and its cookie route."""
    async with StClient(url) as client:
        await client.open("organize")
        await client.submit_form("Sign in", {"Email": "admin@example.org", "Password": "correct-horse-battery"})
        target = re.search(r'replace\("([^"]+)"', " ".join(client.texts())).group(1)
        status, headers, _ = await http_get(client.host, client.port, target, 10, client.cookies)
        assert status == 303, status
        return {**client.cookies, **set_cookies(headers)}


async def _recv(client: StClient) -> tuple[ForwardMsg, str]:
    msg = ForwardMsg()
    msg.ParseFromString(await asyncio.wait_for(client.ws.recv(), 30))
    return msg, msg.WhichOneof("type")


def _draws(msg: ForwardMsg, key: str) -> bool:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return False
    kind = msg.delta.new_element.WhichOneof("type")
    return kind is not None and key_of(getattr(getattr(msg.delta.new_element, kind), "id", "")) == key


async def _cut_short(client: StClient, first: list, send_at: str, key: str, second_changes: dict) -> bool:
    """Send a rerun with ``first`` states; as soon as it draws ``send_at``, send the next one with
    ``second_changes`` (widget key -> value) over what the browser held before. Drop the rest of
    the first run, as a browser that never drew it, and apply the second. True when the first run
    drew ``key`` and was then cut short (it never said it finished); False when the second came
    too early or too late for that, and nothing was tested."""
    await client.ws.send(client._back_msg(first, "", False))
    while True:
        msg, kind = await _recv(client)
        if _draws(msg, send_at):
            break
        assert kind != "script_finished", f"the run finished without drawing {send_at}"
    for name, value in second_changes.items():
        client._set(client.widget(name), value)
    await client.ws.send(client._back_msg(client.browser_states(), "", False))
    drawn = finished = False
    while kind != "new_session":  # the rest of the first run, up to the second's start
        msg, kind = await _recv(client)
        drawn = drawn or _draws(msg, key)
        finished = finished or kind == "script_finished"
    client._apply(msg, kind)
    while True:
        msg, kind = await _recv(client)
        if kind == "script_finished":
            return drawn and not finished
        client._apply(msg, kind)


def _shown(client: StClient, key: str):
    """What the browser shows in the widget ``key``."""
    return shown_value(client.widget(key).proto)


def _event(server) -> int:
    """A draft with one speaker and a long list of organizations, 09:00-11:00 in New York: the
    rows drawn after the speakers keep a run going long enough to be cut after them."""
    zone = ZoneInfo("America/New_York")
    day = clock.now().astimezone(zone).date() + timedelta(days=30)
    return Planner(server.db).create_event(
        title="Dialogue on migrants' rights", timezone="America/New_York",
        starts_at=datetime.combine(day, time(9, 0), zone), ends_at=datetime.combine(day, time(11, 0), zone),
        speakers=[{"name": "Ana Pérez", "affiliation": "Red Migrante", "role": "chair"}],
        organizations=[{"name": f"Member organization {i}", "role": "co-sponsor"} for i in range(1, 41)],
    ).id


def _try(server, attempt) -> None:
    event_id = _event(server)

    async def run():
        cookies = await _signed_in(server.url)
        for _ in range(TRIES):
            async with StClient(server.url, cookies=cookies) as client:
                if await attempt(client, event_id):
                    return
        raise AssertionError(f"no first run was cut short right after drawing the widget in {TRIES} tries")

    asyncio.run(run())


def test_a_new_speaker_row_keeps_its_role_when_the_run_that_added_it_is_cut_short(tmp_path):
    async def attempt(client: StClient, event_id: int) -> bool:
        await client.open("edit-event", f"id={event_id}")  # Ana (row 1) and the empty row 2
        client._set(client.widget("ev_sp_2_name"), "Luis Quispe")  # typing a name adds row 3 ("speaker")
        cut = await _cut_short(client, client.browser_states(), "ev_sp_3_name", "ev_sp_3_role",
                               {"ev_sp_2_affiliation": "Red Migrante"})
        if cut:
            assert _shown(client, "ev_sp_3_role") == "speaker"
            assert _shown(client, "ev_sp_1_role") == "chair"
        return cut

    with AppServer(tmp_path) as server:
        _try(server, attempt)


def test_the_editor_keeps_the_times_it_loaded_when_its_first_run_is_cut_short(tmp_path):
    async def attempt(client: StClient, event_id: int) -> bool:
        await client.open("organize")
        # The event's link in the events table: the editor loads it in its first run.
        client.page_name, client.page_script_hash, client.query_string = "edit-event", "", f"id={event_id}"
        cut = await _cut_short(client, [], "ev_start", "ev_end", {})
        if cut:
            assert _shown(client, "ev_title") == "Dialogue on migrants' rights"
            assert (_shown(client, "ev_start"), _shown(client, "ev_end")) == ("09:00", "11:00")
        return cut

    with AppServer(tmp_path) as server:
        _try(server, attempt)
