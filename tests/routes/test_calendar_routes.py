"""The calendar routes on a real `streamlit run app.py` with the demo events.

/calendar.ics (every public event), /calendar/<summit id>.ics and /events/<event id>.ics:
200 with text/calendar in UTF-8 and files every reader parses; drafts, unknown and
malformed ids give a short plain-text 404; only GET is served.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from bench.server import AppServer
from planner import Planner
from tests.domain.test_calendar import READERS, instants, vevents


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("calendar-routes")) as running:
        yield running


@pytest.fixture(scope="module")
def demo(server):
    """The demo events the server seeded at start-up, read straight from its database."""
    p = Planner(server.db)
    events = p.list_events()
    public = p.programme()
    drafts = [e for e in events if e.status == "draft"]
    assert public and drafts, "the demo should hold published events and a draft"
    return {"planner": p, "public": public, "drafts": drafts, "summits": p.list_summits()}


def request(server, method: str, path: str):
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def assert_calendar(response, body: bytes, disposition: str, filename: str) -> None:
    assert response.status == 200, body[:300]
    assert response.getheader("Content-Type") == "text/calendar; charset=utf-8"
    assert response.getheader("Content-Disposition") == f'{disposition}; filename="{filename}"'
    assert response.getheader("Cache-Control") == "no-cache"
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    body.decode("utf-8")


def test_programme_calendar_holds_every_public_event_and_no_draft(server, demo):
    response, body = request(server, "GET", "/calendar.ics")
    assert_calendar(response, body, "inline", "side-events.ics")
    for name, read in READERS.items():
        found = read(body)
        assert set(found) == {e.uid for e in demo["public"]}, name
        for e in demo["public"]:
            assert found[e.uid] == instants(e), (name, e.title)
    for draft in demo["drafts"]:
        assert draft.uid.encode() not in body and draft.title.encode() not in body
    urls = {str(v["URL"]) for v in vevents(body)}
    assert urls == {f"{server.url}/e/{e.id}" for e in demo["public"]}


def test_summit_calendars_hold_that_summits_public_events(server, demo):
    for summit in demo["summits"]:
        response, body = request(server, "GET", f"/calendar/{summit.id}.ics")
        assert_calendar(response, body, "inline", f"summit-{summit.id}.ics")
        expected = {e.uid for e in demo["public"] if e.summit_id == summit.id}
        assert expected
        for name, read in READERS.items():
            assert set(read(body)) == expected, name
        assert f"X-WR-CALNAME:{summit.name}".encode() in body.replace(b"\r\n ", b"")


def test_event_calendar_is_one_event_to_download(server, demo):
    for event in demo["public"]:
        response, body = request(server, "GET", f"/events/{event.id}.ics")
        assert_calendar(response, body, "attachment", f"event-{event.id}.ics")
        for name, read in READERS.items():
            assert read(body) == {event.uid: instants(event)}, name
        (vevent,) = vevents(body)
        assert vevent["SUMMARY"] == event.title and vevent["STATUS"] == "CONFIRMED"
        assert b"METHOD:PUBLISH" in body and b"ORGANIZER;CN=" in body and b"ATTENDEE" not in body


def test_drafts_unknown_and_malformed_ids_are_a_short_plain_404(server, demo):
    paths = [f"/events/{d.id}.ics" for d in demo["drafts"]] + [
        "/events/99999.ics",
        "/events/abc.ics",
        "/events/-1.ics",
        "/events/1.5.ics",
        "/events/%C2%B2.ics",  # a superscript two: a digit to str.isdigit, not an id
        "/events/99999999999999999999999999.ics",
        "/calendar/99999.ics",
        "/calendar/abc.ics",
    ]
    for path in paths:
        response, body = request(server, "GET", path)
        assert response.status == 404, path
        assert response.getheader("Content-Type").startswith("text/plain"), path
        text = body.decode()
        assert len(text) < 100 and "Traceback" not in text and "Error" not in text, (path, text)
        assert b"BEGIN:VCALENDAR" not in body


def test_only_get_is_served(server, demo):
    event = demo["public"][0]
    summit = demo["summits"][0]
    for path in ("/calendar.ics", f"/calendar/{summit.id}.ics", f"/events/{event.id}.ics"):
        response, body = request(server, "POST", path)
        assert response.status == 405, (path, response.status)
        assert b"BEGIN:VCALENDAR" not in body
