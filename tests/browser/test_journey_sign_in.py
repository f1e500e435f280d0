"""Browser journey: someone guesses passwords on a phone and is told to wait; the server
records the client's address, never the password.

The phone is reached through a stand-in for a reverse proxy on the same machine: the browser
sends ``X-Forwarded-For``, which Streamlit's server (uvicorn) believes from 127.0.0.1 only, as
it would from nginx in front of the app. (Straight from localhost ``st.context.ip_address`` is
None: then only the per-account limit applies.)"""

from __future__ import annotations

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot

pytestmark = pytest.mark.browser

GUESS = "Guessing-Sesame-42"
PHONE = "203.0.113.50"


def test_guessing_on_a_phone_is_told_to_wait_and_recorded_with_the_address(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        browser = launch(pw, chromium)
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                extra_http_headers={"X-Forwarded-For": PHONE})
        page.goto(f"{server.url}/organize")
        for n in range(6):
            page.get_by_label("Email").fill("admin@example.org")
            page.get_by_role("textbox", name="Password").fill(GUESS)
            page.get_by_role("button", name="Sign in").click()
            answer = "do not match" if n < 5 else "Too many sign-in attempts. Wait 1 minute and try again."
            expect(page.get_by_text(answer)).to_be_visible(timeout=30_000)
        screenshot(page, "sign-in-wait-phone")
        failures = Planner(server.db).sign_in_failures()
        assert [(f.email, f.address) for f in failures] == [("admin@example.org", PHONE)] * 5
        assert GUESS.encode() not in server.db.read_bytes()
