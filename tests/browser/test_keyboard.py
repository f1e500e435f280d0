"""Browser journeys with the keyboard only (issue #16): Tab, Shift+Tab, Enter, Space and typing.

No click and no pointer: the RSVP on an event page, the private page (its Copy button, saving a
change), and the door by typed code and by name search. Every step looks for the element that
has the focus, so a control the keyboard cannot reach fails the journey; each focused control
must show a visible outline (``:focus-visible``). The programme's headings add no tab stop.
"""

from __future__ import annotations

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import focused, launch, require_chromium, screenshot, tab_to, wait_for_app

pytestmark = pytest.mark.browser
LAPTOP = {"viewport": {"width": 1280, "height": 800}, "timezone_id": "America/New_York"}
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York"}



def labelled(text: str):
    return lambda f: f["tag"] in ("INPUT", "TEXTAREA") and f["label"].startswith(text)


def button(text: str):
    return lambda f: f["tag"] in ("BUTTON", "A") and text in f["name"]  # the name after any icon


def test_rsvp_and_the_private_page_with_the_keyboard_only(tmp_path):
    chromium = require_chromium()
    with AppServer(tmp_path) as server:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            planner = Planner(server.db, base_url=server.url)
            event = next(e for e in planner.list_events() if e.title.startswith("GCM celebration"))
            browser = launch(pw, chromium)
            context = browser.new_context(**LAPTOP)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
            page = context.new_page()

            # The programme: the search, then the event links; no heading anchor in between.
            page.goto(server.url)
            page.get_by_role("heading", name="Side events programme").wait_for(timeout=30_000)
            page.locator("a.planner-event-link[href^='/e/']").first.wait_for(timeout=30_000)  # the public pages
            wait_for_app(page)
            stops = []
            for _ in range(40):  # to the second event's link
                page.keyboard.press("Tab")
                stops.append(focused(page) or {})
                if sum(s.get("href", "").startswith("/e/") for s in stops) == 2:
                    break
            assert not any(s.get("inHeading") for s in stops), stops  # Streamlit's "Skip to main content" is fine
            assert sum(s.get("href", "").startswith("/e/") for s in stops) == 2, stops

            # Into an event and through the form.
            page.goto(f"{server.url}/event?id={event.id}")
            page.get_by_role("heading", name="Register").wait_for(timeout=30_000)
            wait_for_app(page)
            tab_to(page, labelled("Your name"), "the name field")
            page.keyboard.type("Kay Board")
            tab_to(page, labelled("Email"), "the email field")
            page.keyboard.type("not-an-email")
            tab_to(page, button("Register"), "the Register button")
            page.keyboard.press("Enter")
            page.get_by_text("email address does not look right").wait_for(timeout=30_000)
            wait_for_app(page)
            # Back to the email field: it says it is invalid.
            found = tab_to(page, labelled("Email"), "the email field, again", back=True)
            assert page.evaluate("() => document.activeElement.getAttribute('aria-invalid')") == "true", found
            page.keyboard.press("Control+a")
            page.keyboard.type("kay@example.org")
            tab_to(page, button("Register"), "the Register button")
            page.keyboard.press("Space")
            page.get_by_text("You're registered, Kay Board!").wait_for(timeout=30_000)
            wait_for_app(page)
            screenshot(page, "keyboard-registered")

            # On to the private page by its link button, with Enter.
            tab_to(page, button("Open my private page"), "the private page's link")
            with context.expect_page() as opened:
                page.keyboard.press("Enter")
            ticket = opened.value
            ticket.get_by_text("Your place is confirmed").wait_for(timeout=30_000)
            wait_for_app(ticket)
            # Copy the private link with the keyboard.
            tab_to(ticket, lambda f: f["tag"] == "BUTTON" and f["name"] == "Copy", "the Copy button")
            ticket.keyboard.press("Enter")
            ticket.locator("[data-copy-status]", has_text="Copied").wait_for(timeout=10_000)
            assert len([r for r in planner.registrations(event.id) if r.email == "kay@example.org"]) == 1
            assert "/ticket?t=" in ticket.evaluate("() => navigator.clipboard.readText()")
            # Change the organization and save, with the keyboard.
            tab_to(ticket, labelled("Organization"), "the organization field")
            ticket.keyboard.type("Keyboard Collective")
            tab_to(ticket, button("Save changes"), "Save changes")
            ticket.keyboard.press("Enter")
            ticket.get_by_text("Saved your details.").wait_for(timeout=30_000)
            assert [r.organization for r in planner.registrations(event.id) if r.email == "kay@example.org"] == [
                "Keyboard Collective"]
            screenshot(ticket, "keyboard-private-page")
            browser.close()


def test_the_door_by_typed_code_and_by_name_with_the_keyboard_only(tmp_path):
    chromium = require_chromium()
    with AppServer(tmp_path) as server:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            planner = Planner(server.db, base_url=server.url)
            event = next(e for e in planner.list_events() if e.title.startswith("GCM celebration"))
            first = planner.register(event.id, name="Tabitha Enter", email="tab@example.org")
            planner.register(event.id, name="Spacey Barr", email="space@example.org")
            code = planner.registration(first.manage_token).ticket_code
            door_pass = planner.create_door_pass(event.id, "Keyboard door")
            browser = launch(pw, chromium)
            page = browser.new_context(**PHONE).new_page()
            page.goto(door_pass.url)
            page.get_by_text("expected").first.wait_for(timeout=30_000)
            wait_for_app(page)

            # The tabs are one tab stop; the arrow keys move between them, Enter/Space pick.
            tab_to(page, lambda f: f["role"] == "tab", "the door's tabs")
            page.keyboard.press("ArrowRight")
            assert focused(page)["name"] == "Code"
            page.keyboard.press("Enter")
            tab_to(page, labelled("Type the code on the ticket"), "the code field")
            page.keyboard.type(code)
            page.keyboard.press("Enter")
            verdict = page.locator("[data-testid=door-verdict]")
            verdict.wait_for(timeout=30_000)
            wait_for_app(page)
            assert "Welcome, Tabitha Enter" in verdict.inner_text()
            assert planner.attendance(event.id).checked_in == 1

            # By name: back to the tabs, the arrow keys to Find guest, then type and Tab to the guest.
            tab_to(page, lambda f: f["role"] == "tab", "the door's tabs", back=True)
            for _ in range(4):
                if focused(page)["name"] == "Find guest":
                    break
                page.keyboard.press("ArrowRight")
            assert focused(page)["name"] == "Find guest"
            page.keyboard.press("Enter")
            tab_to(page, labelled("Guest's name or organization"), "the name search")
            page.keyboard.type("Spacey")
            page.keyboard.press("Enter")
            wait_for_app(page)
            tab_to(page, button("Check in"), "the guest's Check in button")
            page.keyboard.press("Space")
            page.wait_for_function("() => (document.querySelector('[data-testid=door-verdict]')?.innerText || '')"
                                   ".includes('Spacey Barr')", timeout=30_000)
            assert planner.attendance(event.id).checked_in == 2
            screenshot(page, "keyboard-door")
            browser.close()
