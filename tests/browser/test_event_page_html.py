"""Browser journeys on the plain HTML event page ``/e/<id>`` (issue #17).

Debian's Chromium, driven by Playwright, against a real ``streamlit run app.py`` (``AppServer``):
a phone registers with the event's questions and privacy choices and opens its private page; a
refused form says what is wrong beside the field, takes the focus to its summary and keeps what
was typed; the proof-of-work widget is solved in the page and nothing is fetched from anyone but
our own server; the keyboard alone registers, with a visible focus at every stop; axe-core finds
no serious or critical violation (laptop, phone, Arabic); the visitor's own times appear only in
another zone; the Copy link button says so in its live region. Screenshots go to
``test-artifacts/event-html-*.png``.

Every page a test opens records the requests its browser made: each must go to our server.
Three of them found bugs, since fixed: the policy blocked the proof-of-work widget's worker, the
address's #register took the focus off a refusal's summary, and a checkbox shrank on a phone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from bench.server import AppServer
from planner import Planner, i18n
from tests.browser.axe import TAGS, report
from tests.browser.chromium import ARTIFACTS, launch, require_altcha, require_chromium, tab_to, wait_for_app

pytestmark = pytest.mark.browser
LAPTOP = {"viewport": {"width": 1280, "height": 800}, "timezone_id": "America/New_York"}
PHONE = {"viewport": {"width": 390, "height": 844}, "timezone_id": "America/New_York", "is_mobile": True,
         "has_touch": True}
QUESTIONS = [
    {"builtin": "country"},
    {"kind": "one_choice", "label": "Lunch", "choices": ["Vegetarian", "Vegan", "Any"], "required": True},
    {"kind": "short_text", "label": "Your role"},
    {"builtin": "needs"},
]


# ---------------------------------------------------------------------- helpers


class Site:
    def __init__(self, server, planner, browser):
        self.server, self.planner, self.browser = server, planner, browser
        self.asked: list[str] = []  # every request any page of this module made

    def page(self, **context):
        ctx = self.browser.new_context(**context)
        page = ctx.new_page()
        ctx.on("request", lambda request: self.asked.append(request.url))
        return page

    def event(self, starts: str):
        return next(e for e in self.planner.list_events() if e.title.startswith(starts))

    def stray(self) -> list[str]:
        ours = urlsplit(self.server.url).netloc
        return sorted({u for u in self.asked if urlsplit(u).scheme not in ("data", "blob")
                       and urlsplit(u).netloc != ours})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with AppServer(tmp_path_factory.mktemp("event-html")) as server, sync_playwright() as pw:
        planner = Planner(server.db, base_url=server.url)
        gcm = next(e for e in planner.list_events() if e.title.startswith("GCM celebration"))
        planner.set_event_questions(gcm.id, QUESTIONS)
        browser = launch(pw, chromium)
        found = Site(server, planner, browser)
        try:
            yield found
        finally:
            browser.close()
        assert found.stray() == [], f"the pages asked another server: {found.stray()}"
        assert server.errors() == {}, server.log_tail()


def lunch_key(site, event) -> str:
    return next(q.key for q in site.planner.event_questions(event.id) if q.label == "Lunch")


def role_key(site, event) -> str:
    return next(q.key for q in site.planner.event_questions(event.id) if q.label == "Your role")


def shot(page, name: str):
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"event-html-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_event(site, page, event, query: str = ""):
    from playwright.sync_api import expect

    response = page.goto(f"{site.server.url}/e/{event.id}{query}")
    assert response.status == 200
    expect(page.locator("#register-form")).to_be_visible(timeout=30_000)
    page.wait_for_load_state("load")  # the module scripts have run (the Copy buttons are shown)


def answer_text(page) -> str:
    return " ".join(page.locator("#answer").inner_text(timeout=30_000).split())


def axe_violations(page) -> list[dict]:
    """axe-core's serious or critical WCAG 2.1 A/AA violations on this (non-Streamlit) page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [(n["target"], n.get("failureSummary", "")) for n in v["nodes"]]}
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def assert_accessible(page, name: str) -> None:
    found = axe_violations(page)
    assert not found, f"axe-core on {name}:\n{report(found)}"


def no_horizontal_overflow(page, name: str) -> None:
    """Nothing sticks out sideways: the page is no wider than the screen (390 px on a phone)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect(); return r.width && (r.right > w + 1 || r.left < -1); })
        .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className).slice(0, 10)""", viewport)
    assert width <= viewport and not wide, f"{name}: {width}px wide on a {viewport}px screen: {wide}"


# ---------------------------------------------------------------------- 1. the phone journey


def test_a_phone_registers_with_questions_and_privacy_choice_and_opens_its_private_page(site):
    from playwright.sync_api import expect

    event = site.event("GCM celebration")
    page = site.page(**PHONE)
    open_event(site, page, event)
    shot(page, "form-phone")
    no_horizontal_overflow(page, "the form on a phone")
    form = page.locator("#register-form")
    form.get_by_label("Your name").fill("Ana Pérez")
    form.get_by_label("Email", exact=True).fill("ana.phone@example.org")
    form.get_by_label("Organization (optional)").fill("Red Migrante")
    form.get_by_label("Country or nationality (optional)").select_option("PE")
    form.locator("fieldset", has_text="Lunch").get_by_label("Vegan").tap()
    form.get_by_label("Your role (optional)").fill("Coordinator")
    form.get_by_label("Please do not photograph or film me").tap()
    form.get_by_role("button", name="Register").tap()

    expect(page.locator("#answer")).to_contain_text("You're registered, Ana Pérez!", timeout=30_000)
    assert answer_text(page).startswith("You're registered, Ana Pérez! Your place is confirmed.")
    link = page.locator("#private-link")
    address = link.inner_text()
    assert address.startswith(f"{site.server.url}/ticket?t=") and link.get_attribute("href") == address
    token = address.split("?t=", 1)[1]
    done = site.planner.registration(token)  # the link is this registration's
    assert done.email == "ana.phone@example.org" and done.event_id == event.id
    assert (done.name, done.organization, done.status, done.no_photos, done.hide_name) == \
        ("Ana Pérez", "Red Migrante", "confirmed", True, False)
    assert done.country == "PE"
    assert done.answers[lunch_key(site, event)] == "Vegan"
    assert done.answers[role_key(site, event)] == "Coordinator"
    shot(page, "answer-phone")
    no_horizontal_overflow(page, "the answer on a phone")
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the long link wraps, never cut off

    # The answer is a page of its own (Post/Redirect/Get): its address holds no private link, and
    # reloading it (a phone's pull to refresh) shows the same answer without sending the form again.
    assert "answer=" in page.url and token not in page.url
    answer_address = page.url
    page.reload()
    expect(page.locator("#private-link")).to_have_text(address, timeout=30_000)
    assert len([r for r in site.planner.registrations(event.id) if r.email == "ana.phone@example.org"]) == 1

    page.get_by_role("link", name="Open my private page").tap()
    page.wait_for_url(f"**/ticket?t={token}", timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("Your place is confirmed").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(event.title).first).to_be_visible()
    expect(page.get_by_label("Your name", exact=True)).to_have_value("Ana Pérez")

    # At a shared phone or a registration desk: once *Register someone else* is pressed, going
    # back to the answer's address shows the form, not Ana's private link.
    page.goto(answer_address)
    expect(page.locator("#private-link")).to_have_text(address, timeout=30_000)
    page.get_by_role("link", name="Register someone else").tap()
    expect(page.locator("#register-form").get_by_label("Your name")).to_have_value("", timeout=30_000)
    page.go_back()
    expect(page.locator("#register-form").get_by_label("Your name")).to_be_visible(timeout=30_000)
    assert page.locator("#private-link").count() == 0 and "answer=" in page.url


def test_the_privacy_checkboxes_keep_their_size_on_a_phone(site):
    event = site.event("GCM celebration")
    page = site.page(**PHONE)
    open_event(site, page, event)
    sizes = page.eval_on_selector_all(
        "#register-form input[type=checkbox], #register-form input[type=radio]",
        "es => es.map(e => [e.name, Math.round(e.getBoundingClientRect().width), "
        "Math.round(e.getBoundingClientRect().height)])")
    assert len(sizes) == 5, sizes  # three lunch choices, two privacy choices
    assert all(w >= 19 and h >= 19 for _, w, h in sizes), sizes


# ---------------------------------------------------------------------- 2. refused, then corrected


def test_a_bad_email_is_refused_beside_its_field_with_the_focus_on_the_summary_and_values_kept(site):
    from playwright.sync_api import expect

    event = site.event("GCM celebration")
    before = len(site.planner.registrations(event.id))
    page = site.page(**LAPTOP)
    open_event(site, page, event)
    hostile = 'Luis <img src=x onerror="document.title=1"> Quispe'
    form = page.locator("#register-form")
    form.get_by_label("Your name").fill(hostile)
    form.get_by_label("Email", exact=True).fill("not-an-email")
    form.get_by_label("Organization (optional)").fill("Cáritas")
    form.locator("fieldset", has_text="Lunch").get_by_label("Any").check()
    form.get_by_label("Do not show my name on any list shared beyond the organizers").check()
    form.get_by_role("button", name="Register").click()

    error = page.locator("#error-email")
    expect(error).to_be_visible(timeout=30_000)
    assert "email address does not look right" in error.inner_text()
    email = page.locator("#f-email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "error-email" in email.get_attribute("aria-describedby").split()
    assert page.locator("#f-name").get_attribute("aria-invalid") is None
    summary = page.locator("#form-errors")
    assert summary.get_attribute("role") == "alert" and summary.get_attribute("tabindex") == "-1"
    assert "Please correct the field marked below." in summary.inner_text()
    # What was typed is kept, the hostile name as text (no element made of it).
    expect(email).to_have_value("not-an-email")
    expect(page.locator("#f-name")).to_have_value(hostile)
    expect(page.locator("#f-organization")).to_have_value("Cáritas")
    expect(page.locator("fieldset", has_text="Lunch").get_by_label("Any")).to_be_checked()
    expect(page.get_by_label("Do not show my name on any list shared beyond the organizers")).to_be_checked()
    assert page.locator("img[src=x]").count() == 0 and page.title() != "1"
    assert len(site.planner.registrations(event.id)) == before  # nothing written
    shot(page, "refused-laptop")

    email.fill("luis.fixed@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#answer")).to_contain_text("You're registered", timeout=30_000)
    assert hostile in answer_text(page)
    assert page.locator("img[src=x]").count() == 0 and page.title() != "1"
    done = next(r for r in site.planner.registrations(event.id) if r.email == "luis.fixed@example.org")
    assert (done.name, done.organization, done.hide_name, done.no_photos) == (hostile, "Cáritas", True, False)
    assert done.answers[lunch_key(site, event)] == "Any"
    assert page.locator("#form-errors").count() == 0


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_a_refused_form_puts_the_focus_on_its_error_summary(site, device):
    from playwright.sync_api import expect

    event = site.event("GCM celebration")
    page = site.page(**(LAPTOP if device == "laptop" else PHONE))
    open_event(site, page, event)
    page.locator("#f-name").fill("Focus Tester")
    page.locator("#f-email").fill("focus@@example")
    page.locator("#register-form button[type=submit]").click()
    expect(page.locator("#error-email")).to_be_visible(timeout=30_000)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # what the browser does after the load (the #register fragment) has happened
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    box = page.locator("#form-errors").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # and it is on the screen


# ---------------------------------------------------------------------- 3. proof of work


def proof_event(site):
    event = site.event("OHCHR launch")
    if event.registration_mode != "proof_of_work":
        event = site.planner.update_event(event.id, version=event.version, registration_mode="proof_of_work")
    return event


def test_the_proof_of_work_widget_shows_and_without_it_nothing_is_registered(site):
    require_altcha("Proof-of-work on the HTML event page")
    from playwright.sync_api import expect

    event = proof_event(site)
    page = site.page(**PHONE)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    open_event(site, page, event)
    box = page.get_by_label("I am a person registering")
    expect(box).to_be_visible(timeout=30_000)  # the widget is drawn, from our own copy of its script
    expect(box).not_to_be_checked()
    assert f"{site.server.url}/assets/altcha.min.js" in asked
    assert page.locator("#register-form altcha-widget input[type=hidden][name=altcha]").count() == 1
    form = page.locator("#register-form")
    form.get_by_label("Your name").fill("Rosa Check")
    form.get_by_label("Email", exact=True).fill("rosa.check@example.org")

    # Without the check: refused beside the widget, nothing written, the values kept.
    form.get_by_role("button", name="Register").tap()
    expect(page.locator("#error-proof")).to_contain_text("Please complete the check above the button",
                                                         timeout=30_000)
    assert page.locator("#answer").count() == 0
    assert site.planner.registrations(event.id, query="rosa.check@example.org") == []
    expect(page.locator("#f-email")).to_have_value("rosa.check@example.org")
    expect(page.locator("#f-name")).to_have_value("Rosa Check")
    shot(page, "proof-refused-phone")

    # A made-up payload in the widget's field: refused the same way, nothing written.
    page.eval_on_selector("input[type=hidden][name=altcha]", "e => { e.value = btoa(JSON.stringify("
                          "{algorithm: 'SHA-256', challenge: 'x', number: 1, salt: 'y', signature: 'z'})); }")
    page.locator("#register-form").get_by_role("button", name="Register").tap()
    expect(page.locator("#form-errors")).to_be_visible(timeout=30_000)
    assert page.locator("#answer").count() == 0
    assert site.planner.registrations(event.id, query="rosa.check@example.org") == []
    ours = urlsplit(site.server.url).netloc
    assert all(urlsplit(u).netloc == ours for u in asked if urlsplit(u).scheme in ("http", "https")), asked


def test_chromium_solves_the_proof_of_work_in_the_page_and_registers(site):
    require_altcha("Proof-of-work on the HTML event page")
    from playwright.sync_api import expect

    event = proof_event(site)
    page = site.page(**PHONE)
    asked, problems = [], []
    page.on("request", lambda request: asked.append(request.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    open_event(site, page, event)
    form = page.locator("#register-form")
    form.get_by_label("Your name").fill("Tomás Check")
    form.get_by_label("Email", exact=True).fill("tomas.check@example.org")
    box = page.get_by_label("I am a person registering")
    expect(box).to_be_visible(timeout=30_000)
    # A thumb lands on the words (the box itself is covered by the widget's drawn tick).
    page.locator("altcha-widget label", has_text="I am a person registering").tap()
    expect(page.get_by_text("Checked: you can register.")).to_be_visible(timeout=60_000)
    assert problems == [], problems
    shot(page, "proof-checked-phone")
    form.get_by_role("button", name="Register").tap()
    expect(page.locator("#answer")).to_contain_text("You're registered, Tomás Check!", timeout=30_000)
    assert [r.email for r in site.planner.registrations(event.id, query="tomas.check@example.org")] == \
        ["tomas.check@example.org"]
    ours = urlsplit(site.server.url).netloc
    assert all(urlsplit(u).netloc == ours for u in asked if urlsplit(u).scheme in ("http", "https")), asked


def test_a_form_refused_for_the_address_after_the_check_does_the_new_check_by_itself(site):
    """Ticked, then refused for a mistyped address: the page comes back with the address to
    correct and a new check that the browser solves without a second tick; corrected, it registers."""
    require_altcha("Proof-of-work on the HTML event page")
    from playwright.sync_api import expect

    event = proof_event(site)
    page = site.page(**PHONE)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    open_event(site, page, event)
    form = page.locator("#register-form")
    form.get_by_label("Your name").fill("Inès Again")
    form.get_by_label("Email", exact=True).fill("ines.again@")
    page.locator("altcha-widget label", has_text="I am a person registering").tap()
    expect(page.get_by_text("Checked: you can register.")).to_be_visible(timeout=60_000)
    form.get_by_role("button", name="Register").tap()

    expect(page.locator("#error-email")).to_be_visible(timeout=30_000)
    assert page.locator("#error-proof").count() == 0
    expect(page.get_by_text("Checked: you can register.")).to_be_visible(timeout=60_000)  # no tap this time
    expect(page.locator("#register-form altcha-widget input[type=hidden][name=altcha]")).not_to_have_value("")
    shot(page, "proof-again-phone")
    assert site.planner.registrations(event.id, query="ines.again") == []
    page.locator("#f-email").fill("ines.again@example.org")
    page.locator("#register-form").get_by_role("button", name="Register").tap()
    expect(page.locator("#answer")).to_contain_text("You're registered, Inès Again!", timeout=30_000)
    assert [r.email for r in site.planner.registrations(event.id, query="ines.again")] == ["ines.again@example.org"]
    assert problems == [], problems


# ---------------------------------------------------------------------- 4. the keyboard only



def test_the_keyboard_alone_registers_with_a_visible_focus(site):
    from playwright.sync_api import expect

    event = site.event("GCM celebration")
    page = site.page(**LAPTOP)
    open_event(site, page, event)
    page.locator("body").focus()
    for name, typed in (("name", "Mei Keyboard"), ("email", "mei.keys@example.org"), ("organization", "Kb Org")):
        tab_to(page, lambda f, n=name: f["field"] == n, f"the {name} field")
        page.keyboard.type(typed)
    tab_to(page, lambda f: f["field"] == "q_country", "the country")
    tab_to(page, lambda f: f["type"] == "radio", "the lunch choices")
    page.keyboard.press("Space")  # the first choice
    tab_to(page, lambda f: f["field"].startswith("q_") and f["tag"] == "INPUT" and f["type"] == "text", "the role")
    page.keyboard.type("Student")
    tab_to(page, lambda f: f["field"] == "needs", "the needs")
    page.keyboard.type("Step-free access")
    tab_to(page, lambda f: f["field"] == "no_photos", "no photos")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["field"] == "hide_name", "hide my name")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Register", "Register")
    shot(page, "keyboard-laptop")
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text("You're registered, Mei Keyboard!", timeout=30_000)
    done = next(r for r in site.planner.registrations(event.id) if r.email == "mei.keys@example.org")
    assert (done.organization, done.needs, done.no_photos, done.hide_name) == ("Kb Org", "Step-free access", True, True)
    assert done.answers[lunch_key(site, event)] == "Vegetarian"
    assert done.answers[role_key(site, event)] == "Student"
    # The private link and the page's buttons after it are reached by the keyboard too.
    tab_to(page, lambda f: f["id"] == "private-link", "the private link")


# ---------------------------------------------------------------------- 5. axe-core


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_form_its_refusal_and_its_answer_pass_axe(site, device):
    from playwright.sync_api import expect

    event = site.event("GCM celebration")
    page = site.page(**(LAPTOP if device == "laptop" else PHONE))
    open_event(site, page, event)
    shot(page, f"form-{device}")
    assert_accessible(page, f"the event page and its form ({device})")
    form = page.locator("#register-form")
    form.get_by_label("Your name").fill("Axe Tester")
    form.get_by_label("Email", exact=True).fill("axe@")
    form.locator("fieldset", has_text="Lunch").get_by_label("Vegan").check()
    form.get_by_role("button", name="Register").click()
    expect(page.locator("#error-email")).to_be_visible(timeout=30_000)
    assert_accessible(page, f"the refused form ({device})")
    page.locator("#f-email").fill(f"axe-{device}@example.org")
    page.locator("#register-form").get_by_role("button", name="Register").click()
    expect(page.locator("#answer")).to_contain_text("You're registered", timeout=30_000)
    shot(page, f"answer-{device}")
    assert_accessible(page, f"the answer ({device})")
    if device == "phone":
        no_horizontal_overflow(page, "the answer on a phone")


@pytest.mark.skipif("ar" not in i18n.available(), reason="the Arabic catalogue is not there")
def test_the_arabic_page_runs_right_to_left_and_passes_axe(site):
    from playwright.sync_api import expect

    event = site.event("GCM celebration")
    page = site.page(**PHONE, locale="ar")
    open_event(site, page, event, "?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert page.eval_on_selector("main", "e => getComputedStyle(e).direction") == "rtl"
    assert page.eval_on_selector("#f-email", "e => getComputedStyle(e).direction") == "ltr"
    shot(page, "form-ar-phone")
    no_horizontal_overflow(page, "the Arabic form on a phone")
    assert_accessible(page, "the Arabic event page")
    form = page.locator("#register-form")
    form.locator("#f-name").fill("ليلى")
    form.locator("#f-email").fill("bad")
    form.locator("button[type=submit]").click()
    expect(page.locator("#error-email")).to_be_visible(timeout=30_000)
    shot(page, "refused-ar-phone")
    assert_accessible(page, "the Arabic refused form")
    page.locator("#f-email").fill("layla@example.org")
    page.locator("fieldset input[type=radio]").first.check()
    page.locator("#register-form button[type=submit]").click()
    expect(page.locator("#answer")).to_contain_text("ليلى", timeout=30_000)
    shot(page, "answer-ar-phone")
    assert_accessible(page, "the Arabic answer")
    no_horizontal_overflow(page, "the Arabic answer on a phone")
    assert page.eval_on_selector("#private-link", "e => getComputedStyle(e).direction") == "ltr"


# ---------------------------------------------------------------------- 6. the visitor's own time


def test_a_visitor_in_tokyo_sees_a_new_york_evening_in_their_own_time(site):
    event = site.event("GCM celebration")  # 17:00–19:00 in New York
    assert event.timezone == "America/New_York" and event.local_start.hour == 17
    tokyo = site.page(**{**LAPTOP, "timezone_id": "Asia/Tokyo"})
    open_event(site, tokyo, event)
    line = tokyo.locator("[data-viewer-time]")
    line.wait_for(state="visible", timeout=10_000)
    text = " ".join(line.inner_text().replace("\u202f", " ").split())
    # 06:00–08:00 the next day in Tokyo (UTC+9), on the same clock as the venue's line.
    assert "17:00–19:00" in tokyo.locator(".when").inner_text()
    assert text == "06:00–08:00 (+1 day) your time", text

    new_york = site.page(**LAPTOP)
    open_event(site, new_york, event)
    assert new_york.locator("[data-viewer-time]").is_hidden()
    assert "your time" not in new_york.locator("main").inner_text()


# ---------------------------------------------------------------------- 7. copy link


def test_the_copy_link_button_says_link_copied(site):
    event = site.event("GCM celebration")
    page = site.page(**LAPTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.server.url)
    open_event(site, page, event)
    button = page.get_by_role("button", name="Copy link")
    button.click()
    status = page.locator("[data-copy]", has=button).locator("[data-copy-status]")
    page.wait_for_function("e => e.textContent === 'Link copied'", arg=status.element_handle(), timeout=10_000)
    assert status.get_attribute("role") == "status"
    assert page.evaluate("navigator.clipboard.readText()") == f"{site.server.url}/e/{event.id}"
