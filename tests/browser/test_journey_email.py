"""Browser journey: the emails an attendee gets, delivered by the app's own sender thread.

A real ``streamlit run app.py`` whose ``PLANNER_SMTP_*`` point at the test's aiosmtpd server
(``smtp_server``), links (``PLANNER_BASE_URL``) at the app itself. An attendee registers on an
event page; the confirmation arrives with the calendar invitation and the inline QR ticket. The
tab is closed (the session is gone); in a new browser context the attendee asks "Lost your
private link?" with the same address, sees the neutral sentence, gets the private-link email,
opens its link and sees the ticket the confirmation carried: the same QR image, the same code,
their name. Once at desktop size and once on a phone.
"""

from __future__ import annotations

import base64
import shutil
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from bench.server import AppServer
from planner import Planner
from planner.outputs.qrscan import decode_first
from planner.ui.components.link_request import SENT
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SHOTS_FOR_THE_LEAD = Path("/tmp/email-shots")
MAIL_WITHIN = 20  # seconds: the sender thread wakes when a change writes a message


def wait_for_message(smtp_server, server, subject_starts: str, to: str, after: int = 0):
    """The first message received (from index ``after`` on) for ``to`` whose subject starts
    with ``subject_starts``; fails after ``MAIL_WITHIN`` seconds saying what did arrive."""
    deadline = time.monotonic() + MAIL_WITHIN
    while time.monotonic() < deadline:
        for received in smtp_server.messages[after:]:
            msg = received.message
            if to in received.rcpt_tos and str(msg["Subject"]).startswith(subject_starts):
                return received
        time.sleep(0.1)
    seen = [(r.rcpt_tos, str(r.message["Subject"])) for r in smtp_server.messages]
    pytest.fail(
        f"no message {subject_starts!r} to {to} within {MAIL_WITHIN} s; received: {seen}\n"
        f"server log:\n{server.log_tail()}"
    )


def text_part(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None, "the message has no text/plain part"
    return body.get_content()


def private_link_in(text: str, base_url: str) -> str:
    links = [line.strip() for line in text.splitlines() if "/ticket?t=" in line]
    assert len(links) == 1, f"expected one private link in the text part, found {links}:\n{text}"
    assert links[0].startswith(f"{base_url}/ticket?t="), (links[0], base_url)
    return links[0]


def save_shot(page, name: str, folder: Path) -> Path:
    """A full-page screenshot in ``folder`` (and, as for every journey, in test-artifacts/)."""
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(screenshot(page, name), folder / f"{name}.png"))


def assert_no_exception(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_confirmation_email_then_lost_link_email_opens_the_ticket(tmp_path, smtp_server, size):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    name, address = "Ana Pérez", f"ana.{size}@example.org"
    shots = tmp_path / "shots"
    mail_env = {
        "PLANNER_SMTP_HOST": smtp_server.host,
        "PLANNER_SMTP_PORT": str(smtp_server.port),
        "PLANNER_SMTP_SECURITY": "none",
        "PLANNER_SMTP_FROM": "events@example.org",
        "PLANNER_MAIL_SENDER": "app",
    }
    context_options = {**VIEWPORTS[size], "locale": "en-US", "timezone_id": "America/New_York"}
    with AppServer(tmp_path, env=mail_env) as server, sync_playwright() as pw:
        event = next(e for e in Planner(server.db).list_events() if e.title.startswith("GCM celebration"))
        event_url = f"{server.url}/event?id={event.id}"
        browser = launch(pw, chromium)

        # 1. Register on the public event page.
        first = browser.new_context(**context_options)
        page = first.new_page()
        page.goto(event_url)
        expect(page.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
        page.get_by_label("Your name", exact=True).fill(name)
        page.get_by_label("Email", exact=True).fill(address)
        page.get_by_role("button", name="Register").click()
        wait_for_app(page)
        expect(page.get_by_text(f"You're registered, {name}!")).to_be_visible(timeout=30_000)
        shown_link = page.locator("code").first.inner_text()
        assert shown_link.startswith(f"{server.url}/ticket?t="), shown_link
        assert_no_exception(page)

        # 2. The confirmation arrives: to the attendee, with the invitation and the inline ticket.
        confirmation = wait_for_message(smtp_server, server, "You are registered:", address)
        msg = confirmation.message
        assert confirmation.mail_from == "events@example.org"
        assert confirmation.rcpt_tos == (address,)
        (to,) = msg["To"].addresses
        assert (to.addr_spec, to.display_name) == (address, name)
        assert msg["From"].addresses[0].addr_spec == "events@example.org"
        assert str(msg["Subject"]) == f"You are registered: {event.title}"
        parts = list(msg.walk())
        calendars = [p for p in parts if p.get_content_type() == "text/calendar"]
        assert len(calendars) == 1, [p.get_content_type() for p in parts]
        assert calendars[0].get_param("method") == "REQUEST"
        ics = calendars[0].get_content()
        assert "BEGIN:VCALENDAR" in ics and f"UID:{event.uid}" in ics and "METHOD:REQUEST" in ics
        qr_parts = [p for p in parts if p.get_content_type() == "image/png" and p["Content-ID"] == "<ticket@planner>"]
        assert len(qr_parts) == 1 and qr_parts[0].get_content_disposition() == "inline"
        email_qr = qr_parts[0].get_content()
        email_says = decode_first(email_qr)
        assert email_says is not None and email_says.startswith(f"{server.url}/checkin?code="), email_says
        html = msg.get_body(preferencelist=("html",)).get_content()
        assert 'src="cid:ticket@planner"' in html
        confirmation_text = text_part(msg)
        code_lines = [line for line in confirmation_text.splitlines() if line.startswith("Your ticket code: ")]
        assert len(code_lines) == 1, confirmation_text
        ticket_code = code_lines[0].removeprefix("Your ticket code: ").strip()
        assert ticket_code and ticket_code in html
        assert private_link_in(confirmation_text, server.url) == shown_link

        # 3. The tab is closed: the session and everything it knew are gone.
        first.close()

        # 4. A new browser asks for the private link again, on the event page.
        second = browser.new_context(**context_options)
        page = second.new_page()
        page.goto(event_url)
        expect(page.get_by_role("heading", name="Register")).to_be_visible(timeout=30_000)
        page.get_by_text("Lost your private link?").click()
        page.get_by_label("Your email").fill(address)
        save_shot(page, f"email-{size}-lost-link-form", shots)
        before = len(smtp_server.messages)
        page.get_by_role("button", name="Email me my private link").click()
        wait_for_app(page)
        expect(page.get_by_text(str(SENT))).to_be_visible(timeout=30_000)
        assert_no_exception(page)
        save_shot(page, f"email-{size}-lost-link-sent", shots)

        # 5. The private-link email's link opens the ticket the confirmation carried.
        recovery = wait_for_message(smtp_server, server, "Your private link", address, after=before)
        assert recovery.rcpt_tos == (address,) and recovery.mail_from == "events@example.org"
        link = private_link_in(text_part(recovery.message), server.url)
        assert link == shown_link, "the emailed link is not the one shown at registration"
        ticket = second.new_page()  # a link opened from a mail app: a new tab, no session of its own
        ticket.goto(link)
        expect(ticket.get_by_text("Your place is confirmed")).to_be_visible(timeout=30_000)
        expect(ticket.get_by_role("heading", name=event.title)).to_be_visible()
        expect(ticket.locator('[data-testid="stAlert"]', has_text="Your place is confirmed")).to_contain_text(name)
        expect(ticket.locator("[data-testid=ticket-code] code", has_text=ticket_code)).to_be_visible()
        expect(ticket.get_by_label("Your name", exact=True)).to_have_value(name)
        qr = ticket.locator('[data-testid="ticket-qr"]')  # a data: image with its text alternative (issue #16)
        expect(qr).to_have_count(1)
        expect(qr).to_be_visible()
        expect(qr).to_have_attribute("alt", f"QR code for ticket {ticket_code}")
        # Compare what the two codes say (the page's is a PNG in a data: address).
        page_qr = base64.b64decode(qr.get_attribute("src").split(",", 1)[1])
        page_says = decode_first(page_qr)
        assert page_says is not None, "the ticket page's QR image does not scan"
        assert page_says == email_says, "the ticket page's QR code is not the one the confirmation carried"
        assert_no_exception(ticket)
        # The page scrolls inside Streamlit's own container: bring the QR and its code into view.
        ticket.locator('[data-testid="ticket-qr"]').evaluate("e => e.scrollIntoView({block: 'center'})")
        ticket_shot = save_shot(ticket, f"email-{size}-ticket-from-email", shots)

        assert server.errors() == {}, server.log_tail()
        browser.close()

    SHOTS_FOR_THE_LEAD.mkdir(exist_ok=True)
    if size == "phone":
        shutil.copy(shots / f"email-{size}-lost-link-sent.png", SHOTS_FOR_THE_LEAD)
        shutil.copy(ticket_shot, SHOTS_FOR_THE_LEAD)
