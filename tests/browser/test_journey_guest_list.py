"""Browser journey (issue #12): a required question, answered on a phone, ends up on the host's
security list.

An organizer on a laptop asks for the names as on the ID document (required) and a question of
their own (required) in a published Lima event's editor; an attendee on a phone is told beside
the field that the names are missing, gives them and registers; the organizer sees the answer on
the registrations page and downloads the security list, which the test opens with openpyxl.
The venue's guest-list rule is set through the Planner API before the browsers start.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.test_journey_editor import pick_row
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 900}, "timezone_id": "America/Lima", "accept_downloads": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/Lima"}
SHOTS = Path("/tmp/gl-shots")
OWN_QUESTION = "Which community do you speak for at the Tribunal?"
GIVEN, FAMILY = "María José Ñusta", "de la Cruz"


def test_a_required_id_question_answered_on_a_phone_reaches_the_security_list(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        planner = Planner(server.db)
        event = next(e for e in planner.list_events() if e.title.startswith("Rights of Nature Tribunal"))
        assert event.status == "published" and event.registration_mode == "open"
        venue = next(r for r in planner.list_rooms() if r.id == event.room_id).venue_id
        planner.set_guest_list_rule(venue_id=venue, working_days=2, sponsor="Ministerio del Ambiente del Perú")
        browser = launch(pw, chromium)

        # --- the organizer, on a laptop: the event's editor asks two required questions
        page = browser.new_context(**LAPTOP).new_page()
        page.goto(f"{server.url}/organize")
        page.get_by_label("Email").fill("admin@example.org")
        page.get_by_role("textbox", name="Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        pick_row(page, "o_upcoming", "Rights of Nature Tribunal")
        page.get_by_role("button", name="Edit").click()
        expect(page.get_by_role("heading", name="Registration questions")).to_be_visible(timeout=30_000)

        k = f"qe_{event.id}"
        page.locator(f".st-key-{k}_ask_id_names").get_by_text(
            "Given name(s) and family name as on your ID document").click()
        wait_for_app(page)
        page.locator(f".st-key-{k}_req_id_names").get_by_text("Required").click()
        wait_for_app(page)
        page.locator(f".st-key-{k}_save").get_by_role("button").click()
        expect(page.get_by_text("Saved the registration questions.")).to_be_visible(timeout=30_000)

        wait_for_app(page)
        page.get_by_text("Add a question of your own").click()
        page.locator(f".st-key-{k}_new_label").get_by_role("textbox").fill(OWN_QUESTION)
        page.locator(f".st-key-{k}_new_label").get_by_role("textbox").press("Enter")
        wait_for_app(page)
        page.locator(f".st-key-{k}_new_req").get_by_text("Required").click()
        wait_for_app(page)
        page.locator(f".st-key-{k}_add").get_by_role("button").click()
        expect(page.get_by_text("Saved the registration questions.")).to_be_visible(timeout=30_000)
        expect(page.locator(f"[class*='st-key-{k}_box_']").get_by_role("textbox", name="Question")).to_have_value(
            OWN_QUESTION, timeout=30_000)
        screenshot(page, "guest-list-organizer-questions")

        asked = {(q.builtin or q.label): q.required for q in Planner(server.db).event_questions(event.id) if q.asked}
        assert asked.get("id_names") is True, asked
        assert asked.get(OWN_QUESTION) is True, asked

        # --- an attendee on a phone: without the names as on the ID, refused beside the field
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(f"{server.url}/event?id={event.id}")
        expect(phone.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
        phone.get_by_label("Your name").fill(f"{GIVEN} {FAMILY}")
        phone.get_by_label("Email", exact=True).fill("mariajose@example.org")
        phone.get_by_role("textbox", name=OWN_QUESTION).fill("Comunidad de Sarayaku")
        given = phone.get_by_role("textbox", name="Given name(s) as on your ID document")
        family = phone.get_by_role("textbox", name="Family name as on your ID document")
        expect(given).to_be_visible()
        expect(family).to_be_visible()
        phone.get_by_role("button", name="Register").click()
        wait_for_app(phone)
        error = phone.locator('[data-testid="stAlert"]').filter(has_text="is required")
        expect(error).to_have_count(1)
        expect(error).to_contain_text("Given name")
        # beside the field: the alert comes right after the given names' input, before the family name's
        field_box = phone.locator(f".st-key-rsvp_q_{event.id}_given_names").bounding_box()
        error_box = error.bounding_box()
        family_box = family.bounding_box()
        assert field_box["y"] < error_box["y"] < family_box["y"], (field_box, error_box, family_box)
        assert not [r for r in Planner(server.db).registrations(event.id) if r.email == "mariajose@example.org"]
        error.scroll_into_view_if_needed()
        shot = screenshot(phone, "guest-list-phone-required-error")
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SHOTS / shot.name)

        given.fill(GIVEN)
        family.fill(FAMILY)
        phone.get_by_role("button", name="Register").click()
        wait_for_app(phone)
        expect(phone.get_by_text(f"You're registered, {GIVEN} {FAMILY}!")).to_be_visible(timeout=30_000)
        screenshot(phone, "guest-list-phone-registered")

        # --- the organizer: the answer on the registrations page, then the security list
        page.goto(f"{server.url}/registrations?id={event.id}")
        expect(page.get_by_role("heading", name="Registrations")).to_be_visible(timeout=30_000)
        grid = page.locator('[data-testid="stDataFrame"]').last
        grid.scroll_into_view_if_needed(timeout=30_000)
        # the grid draws on a canvas; its (visually hidden) accessible table holds the cells in view
        def cell(role, text):
            return grid.get_by_role(role, name=text, exact=True, include_hidden=True)

        expect(cell("columnheader", "Given name(s) as on the ID document")).to_have_count(1, timeout=30_000)
        expect(cell("gridcell", GIVEN)).to_have_count(1)
        grid.locator(".dvn-scroller").evaluate("e => { e.scrollLeft = e.scrollWidth }")
        expect(cell("columnheader", OWN_QUESTION)).to_have_count(1, timeout=10_000)
        expect(cell("gridcell", "Comunidad de Sarayaku")).to_have_count(1)
        expect(cell("gridcell", FAMILY)).to_have_count(1)
        panel = page.locator('[data-testid="stExpander"]').filter(has_text="Security list for the host")
        expect(panel).to_contain_text("Ministerio del Ambiente del Perú")
        panel.get_by_role("button", name="Make the security list (XLSX)").click()
        wait_for_app(page)
        expect(panel).to_contain_text("Last list made", timeout=30_000)  # recorded, and said at once
        made = Planner(server.db).security_lists(event.id)
        assert len(made) == 1 and made[0].actor, made  # making it was recorded, with who made it
        with page.expect_download(timeout=30_000) as caught:
            panel.get_by_role("button", name="Download the list just made (XLSX)").click()
        book = openpyxl.load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
        shot = screenshot(page, "guest-list-registrations-security-panel")
        shutil.copy(shot, SHOTS / shot.name)

        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert not [c for c in cells if c.data_type == "f"]
        sheet = book.worksheets[0]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        head = rows[0]
        ours = [r for r in rows[1:] if r[head.index("FAMILY NAME")] == "DE LA CRUZ"]
        assert len(ours) == 1, rows
        assert ours[0][head.index("Given names")] == GIVEN
        browser.close()
