"""Browser journey: attendees RSVP on a phone, get the calendar file, manage their place.

The event has one place: the first attendee is confirmed, the second waits; when the first
cancels on their private page, the second's own page shows them confirmed.
"""

from __future__ import annotations

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York", "accept_downloads": True}


def register(page, server, event_id, name, email, button="Register"):
    from playwright.sync_api import expect

    page.goto(f"{server.url}/event?id={event_id}")
    expect(page.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name=button).click()
    wait_for_app(page)
    return page.locator("code").first.inner_text()


def test_attendee_registers_downloads_the_invite_and_cancels_and_the_next_moves_up(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        app_planner = Planner(server.db)
        event = next(e for e in app_planner.list_events() if e.title.startswith("GCM celebration"))
        app_planner.update_event(event.id, version=event.version, capacity=1)
        browser = launch(pw, chromium)

        ana = browser.new_context(**PHONE).new_page()
        ana_link = register(ana, server, event.id, "Ana Pérez", "ana@example.org")
        expect(ana.get_by_text("You're registered, Ana Pérez!")).to_be_visible()
        screenshot(ana, "attendee-registered")
        with ana.expect_download() as download:
            ana.get_by_role("button", name="Add to my calendar (.ics)").click()
        ics = download.value.path().read_text()
        assert "BEGIN:VCALENDAR" in ics and f"UID:{event.uid}" in ics and "METHOD:PUBLISH" in ics
        assert ana_link.startswith(f"{server.url}/ticket?t=")

        luis = browser.new_context(**PHONE).new_page()
        luis.goto(f"{server.url}/event?id={event.id}")
        expect(luis.get_by_text("This event is full")).to_be_visible(timeout=30_000)
        luis_link = register(luis, server, event.id, "Luis Quispe", "luis@example.org", button="Join the waiting list")
        expect(luis.get_by_text("You're on the waiting list, Luis Quispe")).to_be_visible()
        screenshot(luis, "attendee-waitlisted")

        ana.goto(ana_link)
        expect(ana.get_by_text("Your place is confirmed")).to_be_visible(timeout=30_000)
        screenshot(ana, "attendee-private-page")
        ana.get_by_role("button", name="Cancel my registration").click()
        expect(ana.get_by_text("cannot be undone")).to_be_visible(timeout=30_000)
        ana.get_by_role("button", name="Yes, cancel it").click()
        expect(ana.get_by_text("This registration is cancelled")).to_be_visible(timeout=30_000)
        screenshot(ana, "attendee-cancelled")

        luis.goto(luis_link)
        expect(luis.get_by_text("Your place is confirmed")).to_be_visible(timeout=30_000)
        screenshot(luis, "attendee-promoted")
        counts = app_planner.event_counts(event.id)
        assert (counts.confirmed, counts.waitlisted, counts.cancelled) == (1, 0, 1)

        stranger = browser.new_context(**PHONE).new_page()
        stranger.goto(f"{server.url}/ticket?t=not-a-real-token-at-all-0000000000")
        expect(stranger.get_by_role("heading", name="Registration not found")).to_be_visible(timeout=30_000)
        browser.close()
