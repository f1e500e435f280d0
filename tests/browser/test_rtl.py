"""Browser journey: Arabic lays the pages out right to left (issue #13).

With ``?lang=ar`` the RSVP form, a ticket and the door's green verdict run right to left (the
computed ``direction`` of Streamlit's main block), while the ticket code stays left to right.
Screenshots go to ``test-artifacts/rtl-*.png`` for a reader of Arabic to look at.

Arabic is only ever active once its catalogue exists (English text is never turned around), so
until ``locale/ar/LC_MESSAGES/messages.mo`` lands this journey is expected to fail:
``xfail(strict=False)``, and it turns green by itself when the catalogue arrives.
"""

from __future__ import annotations

import pytest

from bench.server import AppServer
from planner import Planner, i18n
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xfail("ar" not in i18n.available(), strict=False,
                      reason="the Arabic catalogue lands separately; until then ?lang=ar is English, left to right"),
]
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York", "locale": "ar"}
MAIN = '[data-testid="stMain"]'


def direction(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).direction")


def test_arabic_pages_run_right_to_left_with_codes_left_to_right(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        planner = Planner(server.db, base_url=server.url)
        event = next(e for e in planner.list_events() if e.title.startswith("GCM celebration"))
        guest = planner.register(event.id, name="Ana Pérez", email="ana@example.org", organization="Red Migrante")
        door_pass = planner.create_door_pass(event.id, "Main door")
        browser = launch(pw, chromium)
        try:
            page = browser.new_context(**PHONE).new_page()

            page.goto(f"{server.url}/event?id={event.id}&lang=ar")
            wait_for_app(page)
            page.wait_for_selector('[class*="st-key-rsvp_name"] input', timeout=30_000)
            screenshot(page, "rtl-rsvp")
            assert direction(page, MAIN) == "rtl"
            assert direction(page, '[class*="st-key-rsvp_name"] input') == "rtl"
            assert direction(page, '[class*="st-key-rsvp_email"] input') == "ltr"  # an address reads left to right

            page.goto(f"{server.url}/ticket?t={guest.manage_token}&lang=ar")
            wait_for_app(page)
            code = page.locator("code", has_text=guest.ticket_code).first
            code.wait_for(timeout=30_000)
            screenshot(page, "rtl-ticket")
            assert direction(page, MAIN) == "rtl"
            assert code.evaluate("e => getComputedStyle(e).direction") == "ltr"

            door = browser.new_context(**PHONE).new_page()
            door.goto(f"{door_pass.url}&lang=ar")
            wait_for_app(door)
            door.get_by_role("tab").nth(1).click(timeout=30_000)  # "Code", whatever the language calls it
            typed = door.locator('[class*="st-key-door_typed"] input')
            typed.wait_for(timeout=30_000)
            typed.fill(guest.ticket_code)
            typed.press("Enter")
            verdict = door.locator('[data-testid="door-verdict"][data-verdict="green"]')
            verdict.wait_for(timeout=30_000)
            screenshot(door, "rtl-door-green")
            assert direction(door, MAIN) == "rtl"
            assert verdict.evaluate("e => getComputedStyle(e).direction") == "rtl"
        finally:
            browser.close()
