"""Browser journey: an organizer plans a Lima side event and publishes it; a visitor finds it.

Runs a real `streamlit run app.py` and Debian's Chromium. Screenshots of every page go to
test-artifacts/ (look at them after a run).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app
from tests.browser.test_journey_editor import pick_row

pytestmark = pytest.mark.browser

TITLE = "Climate mobility and migrants' rights: a Lima dialogue"


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True))
    wait_for_app(page)  # a rerun still drawing can swallow the click that opens the list
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    wait_for_app(page)


def set_time(page, label: str, hour: int, minute: int) -> None:
    """Streamlit's time input is a field of hour and minute spin buttons."""
    page.get_by_role("spinbutton", name=f"hour, {label}").click()
    page.keyboard.type(f"{hour:02d}")
    page.get_by_role("spinbutton", name=f"minute, {label}").click()
    page.keyboard.type(f"{minute:02d}")
    page.keyboard.press("Tab")
    wait_for_app(page)


def set_date(page, label: str, day) -> None:
    """Streamlit's date input is a field of year, month and day spin buttons."""
    for part, value in (("year", f"{day.year:04d}"), ("month", f"{day.month:02d}"), ("day", f"{day.day:02d}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    wait_for_app(page)


def test_organizer_publishes_a_lima_event_and_a_visitor_finds_it(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        lima = next(s for s in Planner(server.db).list_summits() if "COP20" in s.name)
        day = lima.starts_on.replace(day=lima.starts_on.day + 1)
        browser = launch(pw, chromium)

        # --- the organizer, on a laptop
        page = browser.new_page(viewport={"width": 1280, "height": 900}, timezone_id="America/Lima")
        page.goto(f"{server.url}/organize")
        page.get_by_label("Email").fill("admin@example.org")
        page.get_by_role("textbox", name="Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        page.reload()  # the sign-in lives in a cookie, not in the Streamlit session
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        screenshot(page, "organizer-events")

        page.get_by_role("button", name="New event").click()
        expect(page.get_by_role("heading", name="New event")).to_be_visible(timeout=30_000)
        page.get_by_label("Title", exact=True).fill(TITLE)
        page.get_by_label("Title", exact=True).press("Enter")
        wait_for_app(page)
        choose(page, "Summit", "COP20")
        choose(page, "Room", "Workshop tent 3")
        expect(page.get_by_text("America/Lima", exact=True)).to_be_visible()
        set_date(page, "Date", day)
        set_time(page, "Ends", 20, 0)
        set_time(page, "Starts", 18, 0)

        # The lists are typed as lists (open while empty); leaving a box adds its rows.
        page.get_by_role("textbox", name="Rows to add").first.fill(
            "Ana Pérez; Red Latinoamericana de Migración; moderator\nLuis Quispe; CELS; speaker"
        )
        wait_for_app(page)
        page.get_by_role("textbox", name="Rows to add").nth(1).click()  # leaving the first box adds its rows
        wait_for_app(page)
        page.get_by_role("textbox", name="Rows to add").nth(1).fill(
            "Climate Space; co-sponsor\nWomen's Earth & Climate Action Network (WECAN); co-sponsor\n"
            "Global Coalition on Migration (GCM); co-sponsor"
        )
        page.get_by_role("textbox", name="Title", exact=True).click()  # leaving the box adds the rows
        wait_for_app(page)
        expect(page.get_by_label("Name of speaker 2")).to_have_value("Luis Quispe")
        screenshot(page, "organizer-new-event")
        page.get_by_role("button", name="Create draft").click()
        expect(page.get_by_text("Created the draft")).to_be_visible(timeout=30_000)

        app_planner = Planner(server.db)
        event = next(e for e in app_planner.list_events() if e.title == TITLE)
        assert event.status == "draft"
        assert event.timezone == "America/Lima"
        assert event.local_start == datetime.combine(day, datetime.min.time(), ZoneInfo("America/Lima")).replace(hour=18)
        assert [s.name for s in event.speakers] == ["Ana Pérez", "Luis Quispe"]
        assert len(event.organizations_with_role("co-sponsor")) == 3

        page.get_by_text("Back to events").click()
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        table = "o_upcoming" if event.ends_at > datetime.now(ZoneInfo("UTC")) else "o_past"
        pick_row(page, table, TITLE)  # a click on the event's row chooses it
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("it is now on the public programme")).to_be_visible(timeout=30_000)
        screenshot(page, "organizer-published")
        assert Planner(server.db).get_event(event.id).status == "published"

        # --- an anonymous visitor in Berlin, on a phone
        visitor = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Europe/Berlin").new_page()
        visitor.goto(server.url)
        expect(visitor.get_by_role("heading", name="Side events programme")).to_be_visible(timeout=30_000)
        visitor.get_by_placeholder("Search titles").fill("Lima dialogue")
        visitor.get_by_placeholder("Search titles").press("Enter")
        wait_for_app(visitor)
        expect(visitor.get_by_text("18:00–20:00 Lima time")).to_be_visible()
        expect(visitor.get_by_text("00:00–02:00 (+1 day) your time")).to_be_visible()
        screenshot(visitor, "visitor-programme")
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible(timeout=30_000)
        expect(visitor.get_by_text("Ana Pérez")).to_be_visible()
        expect(visitor.get_by_text("Global Coalition on Migration (GCM)")).to_be_visible()
        expect(visitor.get_by_text("Workshop tent 3")).to_be_visible()
        screenshot(visitor, "visitor-event")
        browser.close()
