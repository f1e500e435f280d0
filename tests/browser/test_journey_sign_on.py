"""Browser journey (issue #14): an organizer asks a co-sponsor and a speaker to sign on; the
co-sponsor's contact confirms on a phone with a logo, the speaker with a photo; the published
event page shows them, and not the organization that has not answered.

Screenshots (laptop and phone) go to ``test-artifacts/`` (``tests/browser/chromium.py``)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bench.server import AppServer
from planner import Planner
from planner.areas import ticket_codes
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def picture(path, colour, size, kind="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    path.write_bytes(out.getvalue())
    return path


def test_a_co_sponsor_and_a_speaker_sign_on_and_the_event_page_shows_only_them(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        p = Planner(server.db)
        start = (datetime.now(UTC) + timedelta(days=30)).replace(hour=15, minute=0, second=0, microsecond=0)
        event = p.create_event(
            title="Border dialogue", starts_at=start, ends_at=start + timedelta(hours=2),
            online_url="https://meet.example.org/border",
            speakers=[{"name": "Ana Pérez", "affiliation": "CELS", "email": "ana@example.org"}],
            organizations=[{"name": "ACLU", "role": "co-sponsor"}, {"name": "Quiet Org", "role": "co-sponsor"},
                           {"name": "OHCHR", "role": "endorser"}])
        browser = launch(pw, chromium)

        # --- the organizer asks, on a laptop
        page = browser.new_page(viewport=LAPTOP)
        page.goto(f"{server.url}/organize")
        page.get_by_label("Email").fill("admin@example.org")
        page.get_by_role("textbox", name="Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        page.goto(f"{server.url}/sponsors?id={event.id}")
        wait_for_app(page)
        key = f"{event.id}_{event.organizations[0].organization_id}_co-sponsor"
        page.locator(f".st-key-sponsor_org_{key}").get_by_label("Contact's email").fill("contact@aclu.example.org")
        page.locator(f".st-key-sponsor_org_{key}").get_by_role("button", name="Send the request").click()
        expect(page.get_by_text("Request sent to contact@aclu.example.org.")).to_be_visible(timeout=30_000)
        p.request_sign_on(event.id, "Quiet Org", "someone@quiet.example.org")  # never answers
        page.locator(f".st-key-sponsor_speaker_{event.id}_{event.speakers[0].person_id}").get_by_role(
            "button", name="Send the request").click()
        expect(page.get_by_text("Request sent to ana@example.org.")).to_be_visible(timeout=30_000)
        screenshot(page, "sign-on-organizer-laptop")
        page.set_viewport_size(PHONE)
        page.reload()
        wait_for_app(page)
        expect(page.get_by_text("Quiet Org")).to_be_visible(timeout=30_000)
        screenshot(page, "sign-on-organizer-phone")

        messages = {m.kind: m for m in p.outbox() if m.recipient in ("contact@aclu.example.org", "ana@example.org")}
        contact = ticket_codes.sign_on_token(p._checkin_key, messages["sign_on"].data["contact_id"])
        speaker = ticket_codes.speaker_token(p._checkin_key, messages["speaker_request"].data["request_id"])

        # --- the co-sponsor's contact answers on a phone, with a logo
        phone = browser.new_page(viewport=PHONE)
        phone.goto(f"{server.url}/sign-on?t={contact}")
        wait_for_app(phone)
        expect(phone.get_by_text("Border dialogue")).to_be_visible(timeout=30_000)
        screenshot(phone, "sign-on-contact-phone")
        phone.get_by_label("Name to show on the event page").fill("ACLU of New York")
        phone.locator("input[type=file]").set_input_files(str(picture(tmp_path / "logo.png", "red", (400, 160))))
        phone.wait_for_timeout(1000)
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.get_by_text("your answer for “Border dialogue” is saved")).to_be_visible(timeout=30_000)
        expect(phone.get_by_text("Your logo")).to_be_visible()
        screenshot(phone, "sign-on-contact-answered-phone")

        # --- the speaker answers on a phone, with a photo
        phone.goto(f"{server.url}/speaker?t={speaker}")
        wait_for_app(phone)
        phone.get_by_text("Remotely (live online)").click()
        phone.get_by_label("Short bio for the event page").fill("Lawyer at CELS, twenty years with migrants.")
        phone.locator("input[type=file]").set_input_files(
            str(picture(tmp_path / "photo.jpg", "navy", (1200, 1200), "JPEG")))
        phone.wait_for_timeout(1000)
        screenshot(phone, "sign-on-speaker-phone")
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.get_by_text("Thank you: your answer is saved.")).to_be_visible(timeout=30_000)

        # --- published: the public page shows who agreed, and nobody else
        p.publish_event(event.id)
        for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            visitor = browser.new_page(viewport=viewport)
            visitor.goto(f"{server.url}/event?id={event.id}")
            wait_for_app(visitor)
            expect(visitor.get_by_text("ACLU of New York")).to_be_visible(timeout=30_000)
            expect(visitor.get_by_text("Lawyer at CELS, twenty years with migrants.")).to_be_visible()
            assert visitor.get_by_text("Quiet Org").count() == 0
            expect(visitor.locator("[data-testid=stImage] img")).to_have_count(2)  # the logo and the photo
            visitor.get_by_role("heading", name="Speakers").scroll_into_view_if_needed()
            screenshot(visitor, f"sign-on-event-page-{name}")
        browser.close()
        assert server.errors() == {}
