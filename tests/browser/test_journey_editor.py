"""Browser journeys of the event editor (issue #16), in Debian's Chromium against a real
`streamlit run app.py`.

* The event of the issue — title, room, link, times, two speakers (one chair), four organizations
  (a host and three co-sponsors), description, publish — in at most 15 counted actions.
* The same kind of event with the keyboard alone (Tab, Enter, Space and typing), speakers and
  organizations typed row after row.
* axe-core on the sign-in page and on the editor showing its errors: no serious or critical
  WCAG 2.1 A/AA violation (``tests/browser/axe_editor.py``).

**How actions are counted** (the same rule as the README's): one action is one thing a person
does — a click or tap; typing into one field (the click or Tab that put the cursor there is part of
it, and so is moving through the date's year, month and day as one types); or a key pressed on its
own to make something happen (Enter, Tab, Escape). Waiting for the page is not an action. The
count starts on the events table, signed in, and ends when the event is public.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bench.server import AppServer
from planner import Planner, clock
from tests.browser.axe_editor import serious_violations
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SHOTS = "editor"


class Counted:
    """Playwright actions, counted as the module's docstring says, with what each was."""

    def __init__(self, page):
        self.page, self.done = page, []

    def click(self, locator, what: str) -> None:
        wait_for_app(self.page)
        locator.click()
        self.done.append(f"click {what}")
        wait_for_app(self.page)

    def fill(self, locator, text: str, what: str) -> None:
        wait_for_app(self.page)
        locator.fill(text)
        self.done.append(f"type {what}")

    def type_into(self, locator, text: str, what: str) -> None:
        """Click into a field made of parts (a date, a time) and type across them: one field."""
        wait_for_app(self.page)
        locator.click()
        self.page.keyboard.type(text)
        self.done.append(f"type {what}")


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/organize")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_role("textbox", name="Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Manage an event").wait_for(timeout=30_000)


def pick_row(page, table_key: str, text: str) -> None:
    """Click the row of the events table (``o_upcoming`` or ``o_past``) whose cells hold ``text``.
    The grid is drawn on a canvas; its hidden accessible table says which row is where, and the
    row's selection box is the canvas's first column."""
    wait_for_app(page)
    box = page.locator(f".st-key-{table_key}")
    box.locator("canvas").first.wait_for(timeout=30_000)
    page.wait_for_function(  # the grid's accessible table is filled a moment after the canvas shows
        "(key) => document.querySelectorAll(`.st-key-${key} tbody tr`).length > 0", arg=table_key, timeout=30_000)
    index = page.evaluate(
        """([key, text]) => { const rows = document.querySelectorAll(`.st-key-${key} tbody tr`);
             for (const row of rows) if (row.innerText.includes(text)) return Number(row.getAttribute('aria-rowindex'));
             return -1; }""", [table_key, text])
    assert index > 0, (f"no row with {text!r} in {table_key}", page.evaluate(
        "(key) => [...document.querySelectorAll(`.st-key-${key} tbody tr`)].map(r => r.innerText)", table_key))
    grid = box.locator(".dvn-scroller").first  # lies over the canvas and takes its clicks
    grid.scroll_into_view_if_needed()
    row_height = 35  # Streamlit's data grid: header and rows 35 px high
    grid.click(position={"x": 18, "y": row_height * (index - 1) + row_height / 2})
    wait_for_app(page)


def test_an_event_is_chosen_by_clicking_its_row_in_the_events_table(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        browser = launch(pw, chromium)
        for width, height, kind in ((1280, 800, "desktop"), (390, 844, "phone")):
            page = browser.new_page(viewport={"width": width, "height": height})
            sign_in(page, server.url)
            page.locator(".st-key-o_upcoming canvas").first.wait_for(timeout=30_000)
            if kind == "desktop":  # every column's header inside the table's width
                page.wait_for_timeout(500)
                scroll = page.evaluate("""() => { const s = document.querySelector('.st-key-o_upcoming .dvn-scroller');
                                                 return s ? [s.scrollWidth, s.clientWidth] : null; }""")
                assert scroll is not None and scroll[0] <= scroll[1], scroll  # no sideways scrolling
                headers = page.evaluate("() => [...document.querySelectorAll('.st-key-o_upcoming thead th')]"
                                        ".map(th => th.textContent)")
                assert headers == ["When", "Title", "Status", "Registered", "Places left", "Waiting", "Clashes",
                                   "Place"]
            screenshot(page, f"{SHOTS}-events-{kind}")
            pick_row(page, "o_upcoming", "Rights of Nature Tribunal")
            expect(page.get_by_role("button", name="Duplicate")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Rights of Nature Tribunal (Published)")).to_be_visible()
            screenshot(page, f"{SHOTS}-events-chosen-{kind}")
            page.close()
        browser.close()


def test_the_event_of_the_issue_takes_at_most_15_actions(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        day = clock.now().date() + timedelta(days=75)  # clear of the demo's events
        browser = launch(pw, chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        sign_in(page, server.url)
        act = Counted(page)

        act.click(page.get_by_role("button", name="New event"), "New event")
        expect(page.get_by_role("heading", name="New event")).to_be_visible(timeout=30_000)
        act.fill(page.get_by_label("Title", exact=True), "Migrants' rights in a warming world", "the title")
        act.click(page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Room", exact=True)),
                  "the room picker")
        act.click(page.get_by_role("option", name=re.compile("Conference Room 6")), "Conference Room 6")
        act.fill(page.get_by_role("textbox", name="Online link (for online or hybrid events)"), "https://meet.example.org/warming",
                 "the link")
        act.type_into(page.get_by_role("spinbutton", name="year, Date"), f"{day:%Y%m%d}", "the date")
        act.type_into(page.get_by_role("spinbutton", name="hour, Starts"), "1315", "the start")
        act.type_into(page.get_by_role("spinbutton", name="hour, Ends"), "1445", "the end")
        act.fill(page.get_by_role("textbox", name="Rows to add").first,
                 "Ana Pérez; Red Migrante; chair\nLuis Quispe; CELS", "the two speakers")
        act.fill(page.get_by_role("textbox", name="Rows to add").last,
                 "Climate Space; host\nGCM\nWECAN\nPICUM", "the four organizations")
        act.fill(page.get_by_role("textbox", name="Description (Markdown)"), "A dialogue on **climate mobility**.", "the description")
        expect(page.get_by_label("Name of speaker 2")).to_have_value("Luis Quispe")
        screenshot(page, "editor-journey-before-publish")
        act.click(page.get_by_role("button", name="Publish"), "Publish")
        expect(page.get_by_text("it is now on the public programme")).to_be_visible(timeout=30_000)

        event = next(e for e in Planner(server.db).list_events() if e.title == "Migrants' rights in a warming world")
        assert event.status == "published" and event.format == "hybrid"
        assert (event.local_start.hour, event.local_start.minute, event.local_end.minute) == (13, 15, 45)
        assert [(s.name, s.role) for s in event.speakers] == [("Ana Pérez", "chair"), ("Luis Quispe", "speaker")]
        assert [(o.name, o.role) for o in event.organizations] == [
            ("Climate Space", "host"), ("GCM", "co-sponsor"), ("WECAN", "co-sponsor"), ("PICUM", "co-sponsor")]
        print(f"{len(act.done)} actions: " + "; ".join(act.done))
        assert len(act.done) <= 15, act.done
        browser.close()


def _focused(page) -> str:
    """The accessible name of the control with the keyboard focus: its aria-label, or a button's
    or link's text (without the name of its icon); '' when no control has it."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " if (!e || e === document.body) return '';"
        " if (e.getAttribute('aria-label')) return e.getAttribute('aria-label').trim();"
        " if (!['BUTTON', 'A'].includes(e.tagName)) return '';"
        " const icons = [...e.querySelectorAll('[data-testid=stIconMaterial]')].map(i => i.innerText);"
        " return e.innerText.split('\\n').map(t => t.trim()).filter(t => t && !icons.includes(t)).join(' '); }"
    )


def tab_to(page, name: str, limit: int = 150, back: bool = False) -> int:
    """Press Tab (Shift+Tab with ``back``) until the focus is on the control named ``name``."""
    for presses in range(limit):
        if _focused(page) == name:
            return presses
        page.keyboard.press("Shift+Tab" if back else "Tab")
        page.wait_for_timeout(20)
    raise AssertionError(f"Tab never reached {name!r} (at {_focused(page)!r})")


def test_an_organizer_plans_and_publishes_an_event_with_the_keyboard_alone(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        day = clock.now().date() + timedelta(days=80)
        browser = launch(pw, chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{server.url}/organize")
        page.get_by_label("Email").wait_for(timeout=30_000)
        wait_for_app(page)
        tab_to(page, "Email")
        page.keyboard.type("admin@example.org")
        tab_to(page, "Password")
        page.keyboard.type("correct-horse-battery")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        wait_for_app(page)

        tab_to(page, "New event")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="New event")).to_be_visible(timeout=30_000)
        wait_for_app(page)
        tab_to(page, "Title")
        page.keyboard.type("Keyboard-only dialogue")
        tab_to(page, "Room")  # a searchable list: type to narrow, Enter to choose
        page.keyboard.type("Workshop tent")
        page.keyboard.press("Enter")
        wait_for_app(page)
        tab_to(page, "year, Date")
        page.keyboard.type(f"{day:%Y%m%d}")
        tab_to(page, "hour, Starts")
        page.keyboard.type("0900")
        wait_for_app(page)

        tab_to(page, "Speaker's name")
        page.keyboard.type("Ana Pérez")
        tab_to(page, "Affiliation")
        page.keyboard.type("Red Migrante")
        tab_to(page, "Role")
        page.keyboard.type("chair")
        page.keyboard.press("Enter")
        wait_for_app(page)
        tab_to(page, "Name of speaker 2")  # the next row appeared once the first had a name
        page.keyboard.type("Luis Quispe")
        page.keyboard.press("Tab")
        wait_for_app(page)
        for n, name in enumerate(["Climate Space", "GCM", "WECAN", "PICUM"], start=1):
            tab_to(page, "Organization" if n == 1 else f"Organization {n}")
            page.keyboard.type(name)
            page.keyboard.press("Tab")
            wait_for_app(page)
        tab_to(page, "Description (Markdown)")
        page.keyboard.type("Planned without a mouse.")
        tab_to(page, "Publish")
        page.keyboard.press("Enter")
        expect(page.get_by_text("it is now on the public programme")).to_be_visible(timeout=30_000)

        event = next(e for e in Planner(server.db).list_events() if e.title == "Keyboard-only dialogue")
        assert event.status == "published" and event.room.name == "Workshop tent 3"
        assert event.local_start.hour == 9
        assert [(s.name, s.affiliation, s.role) for s in event.speakers] == [
            ("Ana Pérez", "Red Migrante", "chair"), ("Luis Quispe", "", "speaker")]
        assert [(o.name, o.role) for o in event.organizations] == [
            ("Climate Space", "host"), ("GCM", "co-sponsor"), ("WECAN", "co-sponsor"), ("PICUM", "co-sponsor")]
        browser.close()


def test_axe_finds_no_serious_violation_on_the_sign_in_page_and_the_editor_with_its_errors(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        browser = launch(pw, chromium)
        for width, height, kind in ((1280, 800, "desktop"), (390, 844, "phone")):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{server.url}/organize")
            page.get_by_label("Email").wait_for(timeout=30_000)
            wait_for_app(page)
            assert serious_violations(page) == [], "sign-in page"
            screenshot(page, f"{SHOTS}-sign-in-{kind}")
            sign_in(page, server.url)
            page.goto(f"{server.url}/edit-event")
            expect(page.get_by_role("heading", name="New event")).to_be_visible(timeout=30_000)
            wait_for_app(page)
            assert serious_violations(page) == [], "editor"
            page.get_by_label("Organization", exact=True).fill("Climate Space")
            page.get_by_role("textbox", name="Online link (for online or hybrid events)").fill("ftp://files.example.org")
            page.get_by_role("button", name="Create draft").click()
            expect(page.get_by_text("Not saved: 2 things to fix")).to_be_visible(timeout=30_000)
            # Each message is tied to its field, for screen readers.
            title = page.get_by_label("Title", exact=True)
            expect(title).to_have_attribute("aria-invalid", "true")
            described = title.get_attribute("aria-describedby")
            expect(page.locator(f"#{described}")).to_contain_text("The title is required.")
            assert serious_violations(page) == [], "editor with errors"
            screenshot(page, f"{SHOTS}-errors-{kind}")
            page.close()
        browser.close()
