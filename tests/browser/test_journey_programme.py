"""Browser journey (issue #14, the whole path): a member proposes an event through the call's
link on a phone, an organizer accepts it on a laptop, the co-sponsor the member named confirms
through its own link with a logo, the speaker confirms with a photo, the organizer publishes the
event, and it appears in the embedded programme on a partner's plain HTML page (another origin,
served by this test) with the co-sponsor's name and the speaker — and without the organization
that never answered.

Screenshots go to test-artifacts/ (programme-*.png)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bench.server import AppServer
from planner import Planner
from planner.areas import ticket_codes
from tests.browser.chromium import ARTIFACTS, launch, require_altcha, require_chromium, screenshot, wait_for_app
from tests.browser.test_embed import PartnerSite, partner_page, readme_snippet
from tests.browser.test_journey_call import prove_a_person, type_into
from tests.browser.test_journey_organizer import choose

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/Lima", "is_mobile": True,
         "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}, "timezone_id": "America/Lima"}


def picture(path, colour, size, kind="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    path.write_bytes(out.getvalue())
    return str(path)


def test_from_a_members_proposal_to_the_event_in_a_partners_embedded_programme(tmp_path):
    chromium = require_chromium()
    require_altcha("Programme journey")
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        p = Planner(server.db)
        lima = next(s for s in p.list_summits() if "COP20" in s.name)
        now = datetime.now(UTC)
        call = p.open_call(lima.id, title="Call for side events, People's Summit", text="Members propose here.",
                           opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20))
        browser = launch(pw, chromium)

        # --- a member proposes, on a phone, naming a co-sponsor with a contact and one without
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{server.url}/call?c={call.key}")
        expect(page.get_by_role("heading", name="Propose an event")).to_be_visible(timeout=30_000)
        type_into(page, "Title of the event", "Climate mobility: a Lima dialogue")
        type_into(page, "Description", "Communities displaced by floods speak with negotiators.")
        type_into(page, "Name of speaker 1", "Ana Pérez")
        type_into(page, "Email of speaker 1 (optional)", "ana@example.org")
        type_into(page, "Name of organization 1", "CELS")
        type_into(page, "Contact email of organization 1 (optional)", "sign@cels.example.org")
        page.get_by_role("button", name="Add an organization").click()
        wait_for_app(page)
        type_into(page, "Name of organization 2", "Quiet Network")
        type_into(page, "Contact email of organization 2 (optional)", "nobody@quiet.example.org")
        type_into(page, "Your name", "Marta Proposer")
        type_into(page, "Your email", "marta@example.org")
        prove_a_person(page, expect)
        page.get_by_role("button", name="Send the proposal").click()
        wait_for_app(page)
        expect(page.get_by_text("was received")).to_be_visible(timeout=30_000)
        [proposal] = p.proposals(call.id)

        # --- the organizer accepts it, on a laptop
        desk = browser.new_context(**LAPTOP).new_page()
        desk.goto(f"{server.url}/organize")
        desk.get_by_label("Email").fill("admin@example.org")
        desk.get_by_role("textbox", name="Password").fill("correct-horse-battery")
        desk.get_by_role("button", name="Sign in").click()
        expect(desk.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        desk.goto(f"{server.url}/proposals?call={call.id}&id={proposal.id}")
        expect(desk.get_by_role("heading", name="Climate mobility: a Lima dialogue")).to_be_visible(timeout=30_000)
        desk.get_by_role("tab", name="Accept").click()
        choose(desk, "Room", "Workshop tent 3")
        desk.get_by_role("button", name="Accept and make the draft event").click()
        wait_for_app(desk)
        expect(desk.get_by_text("the draft event is made")).to_be_visible(timeout=30_000)
        event = p.get_event(p.get_proposal(proposal.id).event_id)
        assert {o.name: o.status for o in event.organizations} == {"CELS": "pending", "Quiet Network": "pending"}
        assert event.public_organizations == () and event.public_speakers == ()  # nobody has said yes yet

        # --- the co-sponsor's contact confirms through its link, with a logo (a phone)
        sent = {m.recipient: m for m in p.outbox() if m.kind in ("sign_on", "speaker_request")}
        contact = ticket_codes.sign_on_token(p._checkin_key, sent["sign@cels.example.org"].data["contact_id"])
        speaker = ticket_codes.speaker_token(p._checkin_key, sent["ana@example.org"].data["request_id"])
        page.goto(f"{server.url}/sign-on?t={contact}")
        wait_for_app(page)
        expect(page.get_by_text("Climate mobility: a Lima dialogue")).to_be_visible(timeout=30_000)
        page.get_by_label("Name to show on the event page").fill("CELS Argentina")
        page.locator("input[type=file]").set_input_files(picture(tmp_path / "logo.png", "teal", (400, 160)))
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_text("is saved")).to_be_visible(timeout=30_000)
        screenshot(page, "programme-co-sponsor-phone")

        # --- the speaker confirms, with a photo
        page.goto(f"{server.url}/speaker?t={speaker}")
        wait_for_app(page)
        page.get_by_text("In person", exact=True).first.click()
        page.get_by_label("Short bio for the event page").fill("Lawyer at CELS, twenty years with migrants.")
        page.get_by_role("textbox", name="Your name as written on your ID document").fill("ANA MARIA PEREZ")
        page.locator("input[type=file]").set_input_files(picture(tmp_path / "photo.jpg", "navy", (900, 900), "JPEG"))
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible(timeout=30_000)

        # --- the organizer publishes (the domain call the editor's Publish makes: the editor's
        # own journey clicks it) and the public page names who agreed, and nobody else
        p.publish_event(event.id)
        desk.goto(f"{server.url}/event?id={event.id}")
        wait_for_app(desk)
        expect(desk.get_by_text("CELS Argentina")).to_be_visible(timeout=30_000)
        expect(desk.get_by_text("Lawyer at CELS, twenty years with migrants.")).to_be_visible()
        assert desk.get_by_text("Quiet Network").count() == 0
        screenshot(desk, "programme-event-page-laptop")

        # --- a partner's plain HTML page embeds the programme (README's snippet, another origin)
        snippet = readme_snippet()
        src = re.search(r'src="([^"]+)"', snippet).group(1)
        snippet = snippet.replace(src, f"{server.url}/embed?summit={lima.id}&amp;lang=en").replace(
            "https://events.example.org", server.url)
        with PartnerSite(partner_page(snippet)) as site:
            partner = browser.new_context(**LAPTOP).new_page()
            partner.goto(site.url)
            embedded = partner.frame_locator("iframe")
            expect(embedded.get_by_text("Climate mobility: a Lima dialogue")).to_be_visible(timeout=30_000)
            expect(embedded.get_by_text("CELS Argentina")).to_be_visible()
            expect(embedded.get_by_text("Ana Pérez")).to_be_visible()
            assert embedded.get_by_text("Quiet Network").count() == 0
            link = embedded.get_by_role("link", name="Climate mobility: a Lima dialogue")
            assert link.get_attribute("target") == "_blank"
            assert link.get_attribute("href").endswith(f"/e/{event.id}")
            partner.screenshot(path=str(ARTIFACTS / "programme-embedded-laptop.png"), full_page=True)  # not Streamlit
        browser.close()
        assert server.errors() == {}
