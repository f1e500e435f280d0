"""Browser journey: a volunteer at the door scans a ticket with the phone camera.

Chromium's fake camera plays a video made from the guest's QR ticket. The volunteer opens the
door link, takes a photo, sees green; takes another, sees amber. An anonymous browser opening
the ticket's URL learns nothing about the guest.
"""

from __future__ import annotations

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app
from tests.support.fakecamera import png_to_y4m

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York"}


def take_photo(page) -> None:
    """Press the shutter once the (fresh) camera shows a picture, as a volunteer would."""
    wait_for_app(page)
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=\"stCameraInput\"] video');"
        " return v && v.readyState >= 2 && v.videoWidth > 0; }",
        timeout=30_000,
    )
    page.wait_for_timeout(500)  # a few frames of the fake camera's video
    page.get_by_role("button", name="Take Photo").click(timeout=30_000)


def test_volunteer_scans_a_ticket_green_then_amber_and_strangers_learn_nothing(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        app_planner = Planner(server.db, base_url=server.url)
        event = next(e for e in app_planner.list_events() if e.title.startswith("GCM celebration"))
        guest = app_planner.register(event.id, name="Ana Pérez", email="ana@example.org", organization="Red Migrante")
        door_pass = app_planner.create_door_pass(event.id, "Main door")
        video = tmp_path / "ticket.y4m"
        png_to_y4m(app_planner.ticket_qr_png(guest.manage_token), video)

        browser = launch(
            pw, chromium,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        volunteer = browser.new_context(**PHONE, permissions=["camera"]).new_page()
        volunteer.goto(door_pass.url)
        expect(volunteer.get_by_text("expected")).to_be_visible(timeout=30_000)
        assert "pass=" not in volunteer.url  # the secret left the address bar for a cookie
        screenshot(volunteer, "door-ready")

        take_photo(volunteer)
        verdict = volunteer.locator("[data-testid='door-verdict']")
        expect(verdict).to_contain_text("Welcome, Ana Pérez", timeout=30_000)
        assert verdict.get_attribute("data-verdict") == "green"
        screenshot(volunteer, "door-green")
        assert app_planner.attendance(event.id).checked_in == 1

        take_photo(volunteer)
        expect(verdict).to_contain_text("Already checked in", timeout=30_000)
        assert verdict.get_attribute("data-verdict") == "amber"
        screenshot(volunteer, "door-amber")
        assert app_planner.attendance(event.id).checked_in == 1

        stranger = browser.new_context(**PHONE).new_page()
        stranger.goto(app_planner.ticket_url(guest))
        expect(stranger.get_by_text("Show this code to the volunteer")).to_be_visible(timeout=30_000)
        wait_for_app(stranger)
        body = stranger.locator("body").inner_text()
        assert "Ana" not in body and "Red Migrante" not in body and event.title not in body
        screenshot(stranger, "door-stranger")
        assert app_planner.attendance(event.id).checked_in == 1
        browser.close()


def test_the_volunteer_stays_on_the_tab_they_were_using(tmp_path):
    """Typing codes one after another: the verdict appears above the tabs, and the Code tab
    stays open for the next guest (it used to jump back to Scan after every check-in)."""
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        app_planner = Planner(server.db, base_url=server.url)
        event = next(e for e in app_planner.list_events() if e.title.startswith("GCM celebration"))
        guests = [app_planner.register(event.id, name=f"Guest {n}", email=f"g{n}@example.org") for n in range(2)]
        door_pass = app_planner.create_door_pass(event.id, "Main door")
        browser = launch(pw, chromium)
        volunteer = browser.new_context(**PHONE).new_page()
        volunteer.goto(door_pass.url)
        wait_for_app(volunteer)
        code_tab = volunteer.get_by_role("tab", name="Code")
        code_tab.click()
        for guest in guests:
            field = volunteer.get_by_role("textbox").first
            field.fill(guest.ticket_code)
            field.press("Enter")
            verdict = volunteer.locator("[data-testid='door-verdict']")
            expect(verdict).to_contain_text(f"Welcome, {guest.name}", timeout=30_000)
            wait_for_app(volunteer)
            expect(code_tab).to_have_attribute("aria-selected", "true")
        screenshot(volunteer, "door-code-tab-kept")
        browser.close()
