"""Browser journeys through ``python -m planner serve --processes 2`` (HAProxy in front, issue #17).

* A volunteer scans a ticket with the phone camera: the photo goes over plain HTTP to
  ``/_stcore/upload_file``, which only the process holding the volunteer's session accepts;
  HAProxy's cookie takes it there. Green, then amber; a reload stays on the same process.
* An attendee registers: the browser asks for a rerun of the registration box alone (the
  ``BackMsg`` it sends names the box's fragment) and everything the server sends back
  belongs to that fragment, so the event page around it is not run or sent again. Confirmed,
  then a second attendee on the waiting list, then a refused email.
"""

from __future__ import annotations

import pytest

from bench import rush
from bench.server import ServedApp
from planner import Planner
from planner.serve import STICKY_COOKIE
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app
from tests.browser.test_journey_door import PHONE, take_photo
from tests.load.test_serve_processes import require_haproxy
from tests.support.fakecamera import png_to_y4m

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_chromium()
    require_haproxy()
    with ServedApp(tmp_path_factory.mktemp("served-browser"), processes=2) as app:
        yield app


def test_a_volunteer_scans_by_camera_through_the_proxy(served, tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    app_planner = Planner(served.db, base_url=served.url)
    event = next(e for e in app_planner.list_events() if e.title.startswith("GCM celebration"))
    guest = app_planner.register(event.id, name="Ana Pérez", email="ana.served@example.org", organization="Red Migrante")
    door_pass = app_planner.create_door_pass(event.id, "Main door")
    video = tmp_path / "ticket.y4m"
    png_to_y4m(app_planner.ticket_qr_png(guest.manage_token), video)

    with sync_playwright() as pw:
        browser = launch(pw, chromium, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                         f"--use-file-for-fake-video-capture={video}")
        context = browser.new_context(**PHONE, permissions=["camera"])
        volunteer = context.new_page()
        volunteer.goto(door_pass.url)
        expect(volunteer.get_by_text("expected")).to_be_visible(timeout=30_000)
        (sticky,) = [c["value"] for c in context.cookies() if c["name"] == STICKY_COOKIE]
        assert sticky in ("app1", "app2")

        take_photo(volunteer)
        verdict = volunteer.locator("[data-testid='door-verdict']")
        expect(verdict).to_contain_text("Welcome, Ana Pérez", timeout=30_000)
        assert verdict.get_attribute("data-verdict") == "green"
        screenshot(volunteer, "served-door-green")

        volunteer.reload()  # a reconnect: the same process, the camera works again
        expect(volunteer.get_by_text("expected")).to_be_visible(timeout=30_000)
        take_photo(volunteer)
        expect(verdict).to_contain_text("Already checked in", timeout=30_000)
        assert verdict.get_attribute("data-verdict") == "amber"
        assert [c["value"] for c in context.cookies() if c["name"] == STICKY_COOKIE] == [sticky]
        assert app_planner.attendance(event.id).checked_in == 1
        browser.close()
    assert not served.errors(), served.errors()


def _watch_frames(page) -> dict:
    """Every BackMsg the page sends and every ForwardMsg it receives, decoded."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    seen = {"sent": [], "received": []}

    def on_socket(ws):
        if not ws.url.endswith("/_stcore/stream"):
            return

        def sent(payload):
            if isinstance(payload, bytes):
                msg = BackMsg()
                msg.ParseFromString(payload)
                seen["sent"].append(msg)

        def received(payload):
            if isinstance(payload, bytes):
                msg = ForwardMsg()
                msg.ParseFromString(payload)
                seen["received"].append(msg)

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    page.on("websocket", on_socket)
    return seen


def _press(page, seen, button: str):
    """Press a button and return (the rerun the browser asked for, the deltas that came back)."""
    sent, received = len(seen["sent"]), len(seen["received"])
    page.get_by_role("button", name=button).click()
    wait_for_app(page)
    page.wait_for_timeout(300)
    reruns = [m.rerun_script for m in seen["sent"][sent:] if m.WhichOneof("type") == "rerun_script"]
    deltas = [m.delta for m in seen["received"][received:] if m.WhichOneof("type") == "delta"]
    assert len(reruns) == 1, reruns
    return reruns[0], deltas


def test_register_reruns_only_the_registration_box_in_the_browser(served):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    app_planner = Planner(served.db, base_url=served.url)
    event_id = rush.prepare_event(app_planner, 1, copy=True)

    with sync_playwright() as pw:
        browser = launch(pw, chromium)
        results = []
        for name, email, button in (("Ana Pérez", "ana.box@example.org", "Register"),
                                    ("Luis Quispe", "luis.box@example.org", "Join the waiting list")):
            page = browser.new_context(**PHONE).new_page()
            seen = _watch_frames(page)
            page.goto(f"{served.url}/event?id={event_id}")
            expect(page.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
            wait_for_app(page)
            page.get_by_label("Your name").fill(name)
            page.get_by_label("Email", exact=True).fill(email)
            rerun, deltas = _press(page, seen, button)
            results.append((page, rerun, deltas))
            assert rerun.fragment_id, "the browser asked for the whole page"
            assert deltas and all(d.fragment_id == rerun.fragment_id for d in deltas), {d.fragment_id for d in deltas}
            expect(page.get_by_role("heading", name="Register")).to_be_visible()
            expect(page.locator("h1")).to_contain_text("GCM celebration")  # the page around the box stays
        expect(results[0][0].get_by_text("You're registered, Ana Pérez!")).to_be_visible()
        expect(results[1][0].get_by_text("You're on the waiting list, Luis Quispe")).to_be_visible()
        screenshot(results[1][0], "served-waiting-list")

        page = browser.new_context(**PHONE).new_page()
        seen = _watch_frames(page)
        page.goto(f"{served.url}/event?id={event_id}")
        expect(page.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
        wait_for_app(page)
        page.get_by_label("Your name").fill("Chen Li")
        page.get_by_label("Email", exact=True).fill("not an email")
        rerun, deltas = _press(page, seen, "Join the waiting list")
        assert rerun.fragment_id and all(d.fragment_id for d in deltas)
        expect(page.locator("[data-testid='stAlert']").filter(has_text="email").first).to_be_visible()
        browser.close()
    stored = {r.email: r.status for r in app_planner.registrations(event_id)}
    assert stored == {"ana.box@example.org": "confirmed", "luis.box@example.org": "waitlisted"}
    assert not served.errors(), served.errors()
