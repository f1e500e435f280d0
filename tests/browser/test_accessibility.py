"""Browser checks: WCAG 2.1 AA with axe-core on the public pages, the door and the sign-in (issue #16).

Every page is checked as a person meets it, on a laptop (1280×800) and on a phone (390×844):
the programme; an event page, its form, and the form showing an error; the private page; the
door, and its verdicts (accepted, refused); the sign-in, and its error. axe-core must find no
serious or critical violation (``tests/browser/axe.py``, whose allow-list the README repeats).
Beyond axe: an error names its field (``aria-invalid``, ``aria-describedby`` that resolves to
the error's text) and is announced (role="alert"); the door's verdict is a live region with
words and a symbol; the QR ticket has its text alternative; captions are dark enough.
Screenshots go to ``test-artifacts/a11y-*.png``.
"""

from __future__ import annotations

import pytest

from bench.server import ADMIN_EMAIL, AppServer
from planner import Planner
from tests.browser.axe import assert_accessible
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser
LAPTOP = {"viewport": {"width": 1280, "height": 800}, "timezone_id": "Europe/Paris"}
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with AppServer(tmp_path_factory.mktemp("a11y")) as server, sync_playwright() as pw:
        planner = Planner(server.db, base_url=server.url)
        browser = launch(pw, chromium)
        try:
            yield server, planner, browser
        finally:
            browser.close()


def gcm(planner):
    return next(e for e in planner.list_events() if e.title.startswith("GCM celebration"))


def described_error(page, field_selector: str) -> str:
    """The text that ``aria-describedby`` of the field points at, once the field is invalid."""
    page.wait_for_function(
        "s => { const f = document.querySelector(s); return f && f.getAttribute('aria-invalid') === 'true'"
        " && f.getAttribute('aria-describedby'); }", arg=field_selector, timeout=10_000)
    return page.eval_on_selector(
        field_selector,
        "f => f.getAttribute('aria-describedby').split(/\\s+/).map(id => document.getElementById(id))"
        ".filter(Boolean).map(e => e.innerText).join(' ')")


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_programme_and_an_event_page_with_its_form_pass_axe(site, device):
    server, planner, browser = site
    page = browser.new_context(**(LAPTOP if device == "laptop" else PHONE)).new_page()
    page.goto(server.url)
    page.get_by_role("heading", name="Side events programme").wait_for(timeout=30_000)
    screenshot(page, f"a11y-programme-{device}")
    assert_accessible(page, "the programme")
    # Headings in order: one h1, then the days as h2 (no h3 straight after the h1).
    levels = page.eval_on_selector_all("[data-testid=stMain] :is(h1,h2,h3,h4)", "hs => hs.map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    # No heading carries a link anchor in the tab order.
    assert page.locator("[data-testid=stMain] :is(h1,h2,h3) a[href^='#']:not([tabindex='-1'])").count() == 0
    # Captions are dark enough (Streamlit's own grey is 3.9:1).
    colour = page.eval_on_selector("[data-testid=stCaptionContainer]", "e => getComputedStyle(e).color")
    assert colour == "rgb(95, 99, 110)"

    event = gcm(planner)
    page.goto(f"{server.url}/event?id={event.id}")
    page.get_by_role("heading", name="Register").wait_for(timeout=30_000)
    screenshot(page, f"a11y-event-{device}")
    assert_accessible(page, "the event page and its form")
    levels = page.eval_on_selector_all("[data-testid=stMain] :is(h1,h2,h3,h4)", "hs => hs.map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels

    # The form with an error: tied to its field and announced.
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email", exact=True).fill("not-an-email")
    page.get_by_role("button", name="Register").click()
    wait_for_app(page)
    email = f'[class*="st-key-rsvp_email_{event.id}"] input'
    assert "email address does not look right" in described_error(page, email)
    assert page.locator('[class*="st-key-a11y_error__rsvp_email"] [role=alert]').count() == 1
    assert page.get_attribute(f'[class*="st-key-rsvp_name_{event.id}"] input', "aria-invalid") is None
    screenshot(page, f"a11y-event-error-{device}")
    assert_accessible(page, "the event page with an error in its form")

    # Corrected: the field is valid again.
    page.get_by_label("Email", exact=True).fill(f"ana-{device}@example.org")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You're registered, Ana Pérez!").wait_for(timeout=30_000)
    assert page.locator(email).count() == 0 or page.get_attribute(email, "aria-invalid") is None
    assert_accessible(page, "the event page once registered")


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_private_page_passes_axe_with_its_ticket_described_and_its_link_in_full(site, device):
    server, planner, browser = site
    guest = planner.register(gcm(planner).id, name="Luis Quispe", email=f"luis-{device}@example.org")
    code = planner.registration(guest.manage_token).ticket_code
    page = browser.new_context(**(LAPTOP if device == "laptop" else PHONE)).new_page()
    page.goto(f"{server.url}/ticket?t={guest.manage_token}")
    page.get_by_text("Your place is confirmed").wait_for(timeout=30_000)
    screenshot(page, f"a11y-private-{device}")
    assert_accessible(page, "the private page")
    assert page.get_attribute("[data-testid=ticket-qr]", "alt") == f"QR code for ticket {code}"
    link = page.locator("[data-testid=copy-link-private-link] [data-copy-text]")
    assert link.inner_text() == f"{server.url}/ticket?t={guest.manage_token}"
    box, viewport = link.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # wraps: never cut off
    page.get_by_role("button", name="Add to my calendar (.ics)").wait_for()
    levels = page.eval_on_selector_all("[data-testid=stMain] :is(h1,h2,h3,h4)", "hs => hs.map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels

    # Saving without a name: the error is tied to the name field.
    page.get_by_label("Your name", exact=True).fill("")
    page.get_by_role("button", name="Save changes").click()
    wait_for_app(page)
    assert described_error(page, '[class*="st-key-tk_name"] input')
    assert_accessible(page, "the private page with an error")


def test_the_door_and_its_verdicts_pass_axe_and_are_announced_in_words(site):
    server, planner, browser = site
    event = gcm(planner)
    guest = planner.register(event.id, name="Rosa Door", email="rosa@example.org")
    code = planner.registration(guest.manage_token).ticket_code
    door_pass = planner.create_door_pass(event.id, "Side door")
    page = browser.new_context(**PHONE).new_page()
    page.goto(door_pass.url)
    page.get_by_text("expected").first.wait_for(timeout=30_000)
    screenshot(page, "a11y-door")
    assert_accessible(page, "the door")

    page.get_by_role("tab", name="Code").click()
    page.get_by_label("Type the code on the ticket").fill(code)
    page.get_by_label("Type the code on the ticket").press("Enter")
    verdict = page.locator("[data-testid=door-verdict]")
    verdict.wait_for(timeout=30_000)
    wait_for_app(page)
    assert verdict.get_attribute("data-verdict") == "green"
    assert verdict.get_attribute("role") == "alert"  # a live region: said as it appears
    assert "Welcome, Rosa Door" in verdict.inner_text() and "✓" in verdict.inner_text()
    screenshot(page, "a11y-door-accepted")
    assert_accessible(page, "the door's accepted verdict")

    page.get_by_label("Type the code on the ticket").fill("NOPE-NOPE")
    page.get_by_label("Type the code on the ticket").press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=door-verdict]')?.dataset.verdict === 'red'",
                           timeout=30_000)
    wait_for_app(page)
    assert "✕" in verdict.inner_text() and "Invalid code" in verdict.inner_text()  # symbol and words, not colour
    screenshot(page, "a11y-door-refused")
    assert_accessible(page, "the door's refused verdict")


def test_the_sign_in_and_its_error_pass_axe(site):
    server, planner, browser = site
    page = browser.new_context(**LAPTOP).new_page()
    page.goto(f"{server.url}/organize")
    page.get_by_role("heading", name="Organizer sign-in").wait_for(timeout=30_000)
    assert_accessible(page, "the sign-in")
    page.get_by_label("Email", exact=True).fill(ADMIN_EMAIL)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    assert "do not match" in described_error(page, '[class*="st-key-sign_in_password"] input')
    screenshot(page, "a11y-sign-in-error")
    assert_accessible(page, "the sign-in with its error")


def test_arabic_private_page_and_event_page_pass_axe(site):
    server, planner, browser = site
    guest = planner.register(gcm(planner).id, name="Layla", email="layla@example.org")
    page = browser.new_context(**PHONE, locale="ar").new_page()
    page.goto(f"{server.url}/ticket?t={guest.manage_token}&lang=ar")
    page.locator("[data-testid=ticket-qr]").wait_for(timeout=30_000)
    screenshot(page, "a11y-private-ar")
    assert_accessible(page, "the private page in Arabic")
    page.goto(f"{server.url}/event?id={gcm(planner).id}&lang=ar")
    wait_for_app(page)
    page.wait_for_selector('[class*="st-key-rsvp_name"] input', timeout=30_000)
    screenshot(page, "a11y-event-ar")
    assert_accessible(page, "the event page in Arabic")
