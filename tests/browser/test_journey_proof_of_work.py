"""Browser journey: registering for an event that asks for a proof of work (issue #9, part "mode").

Chromium solves the real ALTCHA widget, served by our own server, and the registration goes
through; pressing Register without the check is refused in words; no request leaves our
server; the online link of the hybrid event is not on the public page, only on the private one.
"""

from __future__ import annotations


import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_altcha, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "timezone_id": "America/New_York"}
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York", "is_mobile": True,
         "has_touch": True}
LINK = "https://meet.example.org/secret-room"


def fill_in(page, server, event_id, name, email):
    from playwright.sync_api import expect

    page.goto(f"{server.url}/event?id={event_id}")
    expect(page.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email", exact=True).fill(email)


def _frame_url(request) -> str:
    from playwright.sync_api import Error

    try:
        return request.frame.url
    except Error:  # a worker's request has no frame: it is the widget's (the app starts no other)
        return "/component/ (worker)"


def tick_the_check(page):
    from playwright.sync_api import expect

    frame = page.frame_locator("iframe[title*='altcha']")
    box = frame.get_by_label("I am a person registering")
    expect(box).to_be_visible(timeout=30_000)
    box.focus()  # as a keyboard user would: the sticky page header may cover the box after scrolling
    page.keyboard.press("Space")
    expect(frame.get_by_text("Checked: you can register.")).to_be_visible(timeout=60_000)


def check_and_register(page, name, device):
    """Tick the widget's box, wait until the browser has done the work, register."""
    from playwright.sync_api import expect

    tick_the_check(page)
    screenshot(page, f"proof-of-work-checked-{device}")
    page.get_by_role("button", name="Register").click()
    wait_for_app(page)
    expect(page.get_by_text(f"You're registered, {name}!")).to_be_visible(timeout=30_000)
    screenshot(page, f"proof-of-work-registered-{device}")


def test_chromium_solves_the_check_and_the_registration_goes_through(tmp_path):
    chromium = require_chromium()
    require_altcha("Proof-of-work journey")
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        app_planner = Planner(server.db)
        event = next(e for e in app_planner.list_events() if e.title.startswith("GCM celebration"))
        event = app_planner.update_event(event.id, version=event.version, registration_mode="proof_of_work",
                                         online_url=LINK)
        assert event.format == "hybrid" and not event.join_link_public
        browser = launch(pw, chromium)

        ana = browser.new_context(**DESKTOP).new_page()
        widget_requests = []  # everything the widget's frame (and its workers) asked for
        ana.on("request", lambda r: widget_requests.append(r.url) if "/component/" in _frame_url(r) else None)
        fill_in(ana, server, event.id, "Ana Pérez", "ana@example.org")
        expect(ana.get_by_text("People registered get the link to join on their private page.")).to_be_visible()
        assert ana.get_by_role("link", name="Join online").count() == 0
        ana.get_by_role("button", name="Register").click()
        wait_for_app(ana)
        expect(ana.get_by_text("Please complete the check above the button")).to_be_visible()
        assert app_planner.registrations(event.id) == []
        check_and_register(ana, "Ana Pérez", "desktop")
        link = ana.locator("code").first.inner_text()
        ana.goto(link)
        expect(ana.get_by_role("link", name="Join online")).to_have_attribute("href", LINK, timeout=30_000)
        assert widget_requests and all(u.startswith((server.url, "data:", "blob:")) for u in widget_requests), \
            f"the widget asked another server: {widget_requests}"

        luis = browser.new_context(**PHONE).new_page()
        fill_in(luis, server, event.id, "Luis Quispe", "luis@example.org")
        check_and_register(luis, "Luis Quispe", "phone")
        browser.close()

        assert sorted(r.email for r in app_planner.registrations(event.id)) == ["ana@example.org", "luis@example.org"]
        assert server.errors() == {}
