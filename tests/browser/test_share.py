"""Browser journey: sharing an event (issue #15).

The event page's browser tab is titled with the event's title (in the visitor's language when the
organizers gave one), its share section offers *Copy link* (which copies the short address and says
so), share links that are plain addresses, and the poster and cards; the short address /e/<id>
is the public event page itself, with the same share section. Screenshots at 1280×800 and 390×844 go to
``test-artifacts/share-*.png``.
"""

from __future__ import annotations

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "timezone_id": "America/New_York"}
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York"}


def test_the_event_page_is_titled_with_the_event_and_shares_its_short_link(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        planner = Planner(server.db, base_url=server.url)
        event = next(e for e in planner.programme() if e.title.startswith("GCM celebration"))
        browser = launch(pw, chromium)
        try:
            context = browser.new_context(**DESKTOP)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
            page = context.new_page()
            page.goto(f"{server.url}/event?id={event.id}")
            wait_for_app(page)
            page.wait_for_function(f"() => document.title === {event.title!r}", timeout=30_000)
            assert page.title() == event.title

            page.get_by_text("Share this event").scroll_into_view_if_needed()
            page.get_by_role("button", name="Copy link").click()
            page.get_by_text("Link copied").wait_for(timeout=10_000)
            assert page.evaluate("navigator.clipboard.readText()") == f"{server.url}/e/{event.id}"
            whatsapp = page.get_by_role("link", name="WhatsApp").get_attribute("href")
            assert whatsapp.startswith("https://wa.me/?text=")
            poster = page.get_by_role("link", name="Poster (A4)").get_attribute("href")
            assert poster == f"/e/{event.id}/poster.pdf?paper=a4"
            screenshot(page, "share-desktop")

            # The short address is the public page itself (issue #17): titled, with its own share section.
            phone_context = browser.new_context(**PHONE)
            phone_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
            phone = phone_context.new_page()
            phone.goto(f"{server.url}/e/{event.id}")
            assert phone.url == f"{server.url}/e/{event.id}" and phone.title() == event.title
            assert phone.locator("h1").inner_text() == event.title
            phone.get_by_role("button", name="Copy link").click()
            phone.get_by_role("status").filter(has_text="Link copied").wait_for(timeout=10_000)
            assert phone.evaluate("navigator.clipboard.readText()") == f"{server.url}/e/{event.id}"
            assert phone.get_by_role("link", name="Poster (A4)").get_attribute("href") == poster
            screenshot(phone, "share-phone")
        finally:
            browser.close()
