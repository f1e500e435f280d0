"""Browser journey (issue #14, calls for side events): a member proposes an event on a phone
through the call's link (a speaker row added with the keyboard, the real proof-of-work widget
solved by Chromium), follows it through the private link, and an organizer on a laptop accepts
it at a room and time, which makes the draft event.

Screenshots go to test-artifacts/ (call-*.png)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_altcha, require_chromium, screenshot, wait_for_app
from tests.browser.test_journey_organizer import choose

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/Lima", "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "timezone_id": "America/Lima"}


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.scroll_into_view_if_needed()
    field.fill(text)
    field.press("Tab")  # Streamlit takes a field's value when it loses focus
    wait_for_app(page)


def prove_a_person(page, expect) -> None:
    """Tick the call form's proof-of-work box with the keyboard and wait until it is solved."""
    frame = page.frame_locator("iframe[title*='altcha']")
    box = frame.get_by_label("I am a person proposing an event")
    expect(box).to_be_visible(timeout=30_000)
    box.focus()
    page.keyboard.press("Space")
    expect(frame.get_by_text("Checked: you can send your proposal.")).to_be_visible(timeout=60_000)


def test_a_member_proposes_through_the_call_link_and_an_organizer_accepts(tmp_path):
    chromium = require_chromium()
    require_altcha("Call journey")
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        p = Planner(server.db)
        lima = next(s for s in p.list_summits() if "COP20" in s.name)
        now = datetime.now(UTC)
        call = p.open_call(lima.id, title="Call for side events, People's Summit",
                           text="Members propose side events here.\nWe decide within two weeks.",
                           opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20))
        browser = launch(pw, chromium)

        # --- a member, on a phone
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{server.url}/call?c={call.key}")
        expect(page.get_by_role("heading", name="Propose an event")).to_be_visible(timeout=30_000)
        screenshot(page, "call-form-phone")
        type_into(page, "Title of the event", "Climate mobility: a Lima dialogue")
        type_into(page, "Description", "Communities displaced by floods speak with negotiators.")
        type_into(page, "Name of speaker 1", "Ana Pérez")
        type_into(page, "Email of speaker 1 (optional)", "ana@example.org")
        add = page.get_by_role("button", name="Add a speaker")
        add.focus()
        page.keyboard.press("Enter")  # rows are added with the keyboard too
        wait_for_app(page)
        type_into(page, "Name of speaker 2", "Bo Li")
        type_into(page, "Name of organization 1", "CELS")
        type_into(page, "Contact email of organization 1 (optional)", "sign@cels.example.org")
        type_into(page, "Your name", "Marta Proposer")
        type_into(page, "Your email", "marta@example.org")
        page.get_by_role("button", name="Send the proposal").click()
        wait_for_app(page)
        expect(page.get_by_text("Please complete the check").first).to_be_visible(timeout=30_000)  # no check yet
        prove_a_person(page, expect)
        page.get_by_role("button", name="Send the proposal").click()
        wait_for_app(page)
        expect(page.get_by_text("was received")).to_be_visible(timeout=30_000)
        screenshot(page, "call-received-phone")
        link = page.locator('[data-testid="stCode"]').inner_text().strip()
        assert "/proposal?t=" in link
        [proposal] = p.proposals(call.id)
        assert [s["name"] for s in proposal.speakers] == ["Ana Pérez", "Bo Li"]

        page.goto(link)
        expect(page.get_by_role("heading", name="Your proposal")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Status: Submitted")).to_be_visible()
        screenshot(page, "call-proposal-phone")

        # --- an organizer, on a laptop
        desk = browser.new_context(**DESKTOP).new_page()
        desk.goto(f"{server.url}/organize")
        desk.get_by_label("Email").fill("admin@example.org")
        desk.get_by_role("textbox", name="Password").fill("correct-horse-battery")
        desk.get_by_role("button", name="Sign in").click()
        expect(desk.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        desk.goto(f"{server.url}/calls")
        expect(desk.get_by_role("heading", name="Calls for events")).to_be_visible(timeout=30_000)
        screenshot(desk, "call-calls-desktop")
        desk.goto(f"{server.url}/proposals?call={call.id}&id={proposal.id}")
        expect(desk.get_by_role("heading", name="Climate mobility: a Lima dialogue")).to_be_visible(timeout=30_000)
        desk.get_by_role("tab", name="Accept").click()
        choose(desk, "Room", "Workshop tent 3")
        expect(desk.get_by_text("No clash with the programme.").or_(
            desk.get_by_text("Clashes with the programme:"))).to_be_visible(timeout=30_000)
        screenshot(desk, "call-accept-desktop")
        desk.get_by_role("button", name="Accept and make the draft event").click()
        wait_for_app(desk)
        expect(desk.get_by_text("the draft event is made")).to_be_visible(timeout=30_000)
        screenshot(desk, "call-accepted-desktop")
        accepted = p.get_proposal(proposal.id)
        assert accepted.status == "accepted"
        event = p.get_event(accepted.event_id)
        assert event.status == "draft" and event.room.name == "Workshop tent 3"
        assert [s.name for s in event.speakers] == ["Ana Pérez", "Bo Li"]
        browser.close()
