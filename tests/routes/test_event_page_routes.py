"""The plain HTML event page (issue #17) on a real ``streamlit run app.py`` with the demo events.

``/e/<id>`` is what people open from a shared link: one HTML document with the registration form
as an HTML form. These tests speak HTTP to it as a browser does (a GET for the page and its
``planner_browser`` cookie, then a POST of the form with the cookie, the hidden ``form_key`` and
this site's ``Origin``) and check what a person sees (``#answer``, the fields' errors) and what the
database holds afterwards (``Planner(server.db)``: registrations, answers, the outbox). Refused
forms — bad or hostile input, another site's post, a flood — must write nothing at all.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bench.server import AppServer
from planner import Planner
from tests.conftest import table_rows
from tests.domain.test_questions import ALL_KINDS
from tests.domain.test_registration_mode import solve
from tests.domain.test_sign_on import jpeg, link_token, png

WAIT = "Too many registrations came from here in the last minute. Please wait a minute and try again."
NEUTRAL_LINK = ("If this address is registered, we have sent it its private link. It can take a few minutes; "
                "check the spam folder too.")
CHECK_EMAIL = "Check your email: we sent a link to confirm your place. It is valid for 30 minutes."
HOSTILE_DESCRIPTION = ('**Bold words** and <script>alert("d")</script> and [a link](javascript:alert(2)) '
                       'and <img src=x onerror=alert(3)>')


# ---------------------------------------------------------------------- the servers and the events


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("event-page-routes")) as running:
        yield running


class Events:
    """Public events made for these tests in the demo's Lima room (a venue with a zone other than
    UTC), each in its own two hours so that none clashes with another."""

    def __init__(self, db, url):
        self.planner = Planner(db, base_url=url)
        demo = next(e for e in self.planner.programme() if e.room and e.summit and e.venue and e.venue.address)
        self.room_id, self.summit_id = demo.room.id, demo.summit.id
        self.slot = 0

    def draft(self, **fields):
        start = (datetime.now(UTC) + timedelta(days=30)).replace(hour=14, minute=0, second=0, microsecond=0)
        start += timedelta(hours=2 * self.slot)
        self.slot += 1
        values = dict(title=f"Event page test {self.slot}", starts_at=start, ends_at=start + timedelta(minutes=90),
                      summit_id=self.summit_id, room_id=self.room_id)
        values.update(fields)
        return self.planner.create_event(**values)

    def publish(self, draft):
        return self.planner.publish_event(draft.id, allow_room_clash=True)

    def public(self, **fields):
        return self.publish(self.draft(**fields))

    def questions(self, event_id, asked):
        self.planner.set_event_questions(event_id, asked)
        return self.planner.event_questions(event_id)


@pytest.fixture(scope="module")
def events(server):
    return Events(server.db, server.url)


@pytest.fixture(scope="module")
def pictured(events):
    """A public event with: a speaker who confirmed with a photo, one asked who never answered,
    one the organizer added without asking; an organization that signed on with a logo, one asked
    that never answered, one added without asking; and a description with hostile markup."""
    p = events.planner
    draft = events.draft(
        title="Pictured event",
        description=HOSTILE_DESCRIPTION,
        speakers=[{"name": "Ana Photo", "affiliation": "CELS", "email": "ana.photo@example.org"},
                  {"name": "Silent Speaker", "affiliation": "Nowhere", "email": "silent@example.org"},
                  {"name": "Vouched Speaker", "affiliation": "Coalition"}],
        organizations=[{"name": "Logo Org", "role": "co-sponsor"}, {"name": "Silent Org", "role": "endorser"},
                       {"name": "Vouched Org", "role": "host"}],
    )
    by_name = {s.name: s for s in draft.speakers}
    p.request_speaker_confirmation(draft.id, by_name["Ana Photo"].person_id)
    p.answer_speaker(link_token(p, "speaker_request", "speaker"), confirm=True, attendance="remote", photo=jpeg(),
                     bio="Lawyer.")
    p.request_speaker_confirmation(draft.id, by_name["Silent Speaker"].person_id)
    p.request_sign_on(draft.id, "Logo Org", "contact@logo.example.org")
    token = link_token(p, "sign_on", "sign-on")
    p.answer_sign_on(token, p.sign_on(token).requests[0].id, confirm=True, display_name="Logo Org Shown",
                     logo=png())
    p.request_sign_on(draft.id, "Silent Org", "contact@silent.example.org")
    return events.publish(draft)


@pytest.fixture(scope="module")
def other_pictured(events):
    """Another public event with a confirmed speaker's photo (a picture that is not the first one's)."""
    p = events.planner
    draft = events.draft(title="Other pictured event",
                         speakers=[{"name": "Bea Photo", "affiliation": "X", "email": "bea.photo@example.org"}])
    p.request_speaker_confirmation(draft.id, draft.speakers[0].person_id)
    p.answer_speaker(link_token(p, "speaker_request", "speaker"), confirm=True, attendance="remote",
                     photo=png(200, 200, "green"))
    return events.publish(draft)


# ---------------------------------------------------------------------- HTTP as a browser speaks it


def request(server, path: str, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def cookie_of(response) -> str | None:
    header = response.getheader("Set-Cookie") or ""
    found = re.match(r"planner_browser=([^;]+)", header)
    return found.group(1) if found else None


class Browser:
    """One browser: the cookie the page set, sent back with every form."""

    def __init__(self, server, event_id: int, language: str = ""):
        self.server, self.event_id = server, event_id
        response, body = request(server, f"/e/{event_id}{language}")
        assert response.status == 200, body[:300]
        self.key = cookie_of(response)
        assert self.key
        self.page = body.decode()

    def post(self, fields, path: str = "", *, key: str | None = None, origin: str | None = "same",
             cookie: bool = True):
        """POSTs ``fields`` (a dict, or a list of pairs for repeated names) to ``/e/<id><path>``."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs.append(("form_key", self.key if key is None else key))
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = f"planner_browser={self.key}"
        if origin is not None:
            headers["Origin"] = self.server.url if origin == "same" else origin
        response, body = request(self.server, f"/e/{self.event_id}{path}", method="POST",
                                 body=urlencode(pairs).encode(), headers=headers)
        self.redirect = None
        if response.status == 303:  # a registration: the page with the answer, as a browser follows it
            self.redirect = response
            self.answer_cookie = re.search(r"planner_answer=([^;]+)", response.getheader("Set-Cookie")).group(1)
            response, body = self.get(response.getheader("Location").partition("#")[0])
        return response, body.decode()

    def get(self, address: str, *, answer_cookie: bool = True):
        """GETs ``address`` with this browser's cookies (the answer cookie too, unless told not to)."""
        cookie = f"planner_browser={self.key}"
        if answer_cookie and getattr(self, "answer_cookie", None):
            cookie += f"; planner_answer={self.answer_cookie}"
        return request(self.server, address, headers={"Cookie": cookie})


def text(html: str) -> str:
    """What a person reads: tags stripped (a line break or the end of a block as a space), entities
    unescaped, whitespace collapsed."""
    spaced = re.sub(r"<(br|/p|/div|/li|/h[1-6]|/summary|/label|/legend|/option)\b[^>]*>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", spaced)).split())


def answer(page: str) -> tuple[str, str]:
    """The ``#answer`` box: its inner HTML and its text."""
    found = re.search(r'<div id="answer"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no #answer in the page"
    return found.group(1), text(found.group(1))


def private_token(page: str) -> str:
    found = re.search(r'<a id="private-link"[^>]*href="([^"]+)"', page)
    assert found, "no private link in the answer"
    return re.search(r"[?&]t=([A-Za-z0-9_-]+)", unescape(found.group(1))).group(1)


def attributes(page: str, tag: str, **match) -> dict:
    """The attributes of the first ``tag`` whose attributes include ``match``."""
    class Finder(HTMLParser):
        found = None

        def handle_starttag(self, t, attrs):
            values = dict(attrs)
            if self.found is None and t == tag and all(values.get(k) == v for k, v in match.items()):
                self.found = values

    finder = Finder()
    finder.feed(page)
    assert finder.found is not None, f"no <{tag} {match}>"
    return finder.found


def field_error(page: str, name: str, field: str | None = None) -> str:
    """The error a refused form shows beside ``name`` (an input, textarea or select), checking it
    is tied to it; returns the error's text."""
    field = field or name
    control = re.search(rf'<(input|textarea|select)[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    assert control, f"no field {name}"
    assert 'aria-invalid="true"' in control.group(0), control.group(0)
    assert f'aria-describedby="error-{field}"' in control.group(0), control.group(0)
    message = re.search(rf'<p class="field-error" id="error-{re.escape(field)}">(.*?)</p>', page, re.S)
    assert message, f"no error paragraph for {field}"
    summary = re.search(r'<div id="form-errors"[^>]*role="alert"[^>]*>', page)
    assert summary, "no #form-errors summary with role=alert"
    return text(message.group(1))


def value_of(page: str, name: str) -> str:
    control = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    return unescape(re.search(r'value="([^"]*)"', control.group(0)).group(1))


def rows(server) -> dict:
    return table_rows(server.db)


def registrations(server, event_id):
    return Planner(server.db).registrations(event_id)


def outbox_to(server, address: str) -> list:
    return [m for m in Planner(server.db).outbox() if m.recipient == address]


def new_email(prefix: str = "guest") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.org"


# ---------------------------------------------------------------------- 1. the page


def test_the_page_shows_the_event_its_form_and_only_public_people(server, events, pictured):
    event = events.planner.get_event(pictured.id)
    response, body = request(server, f"/e/{event.id}")
    page = body.decode()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/html")
    assert f'<h1 dir="auto">{event.title}</h1>' in page
    assert unescape(re.search(r'<p class="summit">(.*?)</p>', page).group(1)) == event.summit.name

    # When: the venue's day and times, its zone named (Lima is UTC-5, not the UTC the database keeps).
    when = text(re.search(r'<div class="when">(.*?)</div>', page, re.S).group(1))
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    assert f"{start:%A} {start.day} {start:%B} {start:%Y}" in when
    assert f"{start:%H:%M}–{end:%H:%M}" in when and "Lima time" in when
    assert f"{event.starts_at.astimezone(UTC):%H:%M}–" not in when
    # Where: room, venue and address.
    where = text(re.search(r'<div class="where">(.*?)</div>', page, re.S).group(1))
    for part in (event.room.name, event.venue.name, event.venue.address):
        assert part in where

    # The form, its key the HttpOnly, SameSite=Lax cookie the response sets.
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith("planner_browser=") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    form = attributes(page, "form", id="register-form")
    # The form carries the page's language, so the answer and the email speak it whatever the browser asks.
    assert form["method"] == "post" and form["action"] == f"/e/{event.id}?lang=en#register"
    assert attributes(page, "input", name="form_key")["value"] == cookie_of(response)
    for name in ("name", "email", "organization"):
        attributes(page, "input", name=name)
    assert "Register</button>" in page

    # People: confirmed speakers (asked and agreed, or added without asking), never the one who did
    # not answer; the organizations of Event.public_organizations, never the one asked that did not answer.
    shown = text(page)
    assert {s.name for s in event.public_speakers} == {"Ana Photo", "Vouched Speaker"}
    for s in event.public_speakers:
        assert s.name in shown
    assert "Silent Speaker" not in page
    assert {o.shown_name for o in event.public_organizations} == {"Logo Org Shown", "Vouched Org"}
    for o in event.public_organizations:
        assert o.shown_name in shown
    assert "Silent Org" not in page

    # The description: its Markdown rendered, its markup never.
    description = re.search(r'<div class="description"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "<strong>Bold words</strong>" in description
    assert "<script" not in description.lower() and "<img" not in description.lower()
    assert not re.search(r'href="\s*javascript:', description, re.I)
    assert '<script>alert("d")</script>' in text(description)  # shown as the text it is
    assert "<script>alert" not in page


def test_speakers_of_one_role_are_not_headed_speakers_twice(server, events):
    only = events.public(title="Panel only", speakers=[{"name": "Ana Pérez", "role": "speaker"},
                                                       {"name": "Bo Li", "role": "speaker"}])
    _response, body = request(server, f"/e/{only.id}")
    page = body.decode()
    assert "<h2>Speakers</h2>" in page and "<h3>Speakers</h3>" not in page and "Ana Pérez" in page
    mixed = events.public(title="Chaired panel", speakers=[{"name": "Cy Chair", "role": "chair"},
                                                          {"name": "Di Dee", "role": "speaker"}])
    _response, body = request(server, f"/e/{mixed.id}")
    assert "<h3>Chair</h3>" in body.decode() and "<h3>Speakers</h3>" in body.decode()


def test_organizations_asked_show_as_invited_only_when_the_organizer_chose_it(server, events):
    p = events.planner
    draft = events.draft(title="Invited orgs event", organizations=[{"name": "Answered Org", "role": "host"},
                                                                    {"name": "Waiting Org", "role": "co-sponsor"}])
    p.request_sign_on(draft.id, "Waiting Org", "contact@waiting.example.org")
    event = events.publish(draft)
    page = request(server, f"/e/{event.id}")[1].decode()
    assert [o.shown_name for o in p.get_event(event.id).public_organizations] == ["Answered Org"]
    assert "Answered Org" in page and "Waiting Org" not in page
    p.set_show_invited(event.id, True)
    public = p.get_event(event.id).public_organizations
    assert {o.shown_name: o.invited for o in public} == {"Answered Org": False, "Waiting Org": True}
    page = text(request(server, f"/e/{event.id}")[1].decode())
    assert "Waiting Org (invited)" in page and "Answered Org (invited)" not in page


# ---------------------------------------------------------------------- 2. registering


def test_a_registration_is_confirmed_with_its_private_link_and_a_message(server, events):
    event = events.public(title="Register here")
    browser = Browser(server, event.id)
    email = new_email("ana")
    response, page = browser.post({"name": "Ana Rivera", "email": email, "organization": "CELS"})
    assert response.status == 200
    _html, said = answer(page)
    assert said.startswith("You're registered, Ana Rivera! Your place is confirmed.")
    (stored,) = registrations(server, event.id)
    assert (stored.name, stored.email, stored.organization, stored.status) == ("Ana Rivera", email, "CELS",
                                                                               "confirmed")
    assert Planner(server.db).registration(private_token(page)).id == stored.id  # the link opens this one
    assert [m.kind for m in outbox_to(server, email)] and all(m.registration_id == stored.id
                                                               for m in outbox_to(server, email))

    # The same address again: said so, nothing changed (its private link emailed again instead).
    before = rows(server)["registrations"]
    response, page = browser.post({"name": "Someone Else", "email": email})
    assert response.status == 200
    _html, said = answer(page)
    assert said.startswith(f"{email} is already registered for this event, so nothing was changed.")
    assert rows(server)["registrations"] == before
    assert 'id="private-link"' not in page and "Someone Else" not in said


def test_the_answer_is_a_page_of_its_own_that_a_reload_shows_again(server, events):
    """Post/Redirect/Get: the POST answers 303 to ``/e/<id>?answer=<nonce>``; the private link
    stays out of the address, in an HttpOnly cookie of that event's path, so reloading shows the
    answer again instead of asking to send the form twice."""
    event = events.public(title="Reload me")
    browser = Browser(server, event.id, "?lang=ar")
    email = new_email("reload")
    response, page = browser.post({"name": "Ana Rivera", "email": email}, "?lang=ar")
    redirect = browser.redirect
    assert redirect is not None and response.status == 200
    location = redirect.getheader("Location")
    assert re.fullmatch(rf"/e/{event.id}\?answer=[A-Za-z0-9_-]{{24}}&lang=ar#register", location)
    token = private_token(page)
    assert token not in location
    cookie = redirect.getheader("Set-Cookie")
    assert cookie.startswith("planner_answer=") and token in cookie
    assert {"httponly", f"path=/e/{event.id}", "max-age=1800", "samesite=lax"} <= {
        part.strip().lower() for part in cookie.split(";")}
    assert redirect.getheader("Cache-Control") == "no-store"
    assert 'dir="rtl"' in page  # the answer in the page's language

    for _reload in range(2):
        again, body = browser.get(location.partition("#")[0])
        assert again.status == 200 and private_token(body.decode()) == token
        assert again.getheader("Cache-Control") == "no-store"
    assert len(registrations(server, event.id)) == 1  # nothing sent again

    # "Register someone else" (the page without the nonce), another browser given the address, and
    # a nonce that is not the cookie's: the form, not the answer.
    for address, with_cookie in ((f"/e/{event.id}", True), (location.partition("#")[0], False),
                                 (f"/e/{event.id}?answer={'x' * 24}", True)):
        response, shown = browser.get(address, answer_cookie=with_cookie)
        shown = shown.decode()
        assert 'id="answer"' not in shown and 'id="private-link"' not in shown and 'name="email"' in shown
        ended = response.getheader("Set-Cookie") or ""
        # The page without the nonce ends the answer cookie (the next person at a shared computer
        # cannot go back to the answer); a wrong nonce leaves it (an older tab of the same person).
        assert ("planner_answer=" in ended) == (address == f"/e/{event.id}")
        if "planner_answer=" in ended:
            parts = {part.strip().lower() for part in ended.split(";")}
            assert {"max-age=0", f"path=/e/{event.id}", "httponly"} <= parts, ended
            assert token not in ended

    # Once the registration is cancelled (on the private page), the old answer is not shown again.
    Planner(server.db).cancel_registration(token)
    shown = browser.get(location.partition("#")[0])[1].decode()
    assert 'id="answer"' not in shown and 'name="email"' in shown

    # The answers that only send an email are pages of their own too: a reload sends nothing again.
    email = new_email("again")
    browser.post({"name": "Bo", "email": email})
    for fields, path, expected in (({"name": "Someone Else", "email": email}, "", "is already registered"),
                                   ({"email": email}, "/link", None)):
        response, page = browser.post(fields, path)
        assert browser.redirect is not None and response.status == 200
        assert '"' not in browser.redirect.getheader("Set-Cookie")  # a bare value, the address encoded
        said = answer(page)[1]
        assert (expected or "") in said and (email in said if expected else "private link" in said)
        sent = len(outbox_to(server, email))
        again = browser.get(browser.redirect.getheader("Location").partition("#")[0])[1].decode()
        assert answer(again)[1] == said and len(outbox_to(server, email)) == sent
    assert [r.name for r in registrations(server, event.id) if r.status != "cancelled"] == ["Bo"]


def test_a_full_event_puts_people_on_the_waiting_list_in_order(server, events):
    event = events.public(title="Small room", capacity=1)
    browser = Browser(server, event.id)
    first, second, third = new_email("first"), new_email("second"), new_email("third")
    assert answer(browser.post({"name": "First", "email": first})[1])[1].startswith("You're registered, First!")
    page = request(server, f"/e/{event.id}")[1].decode()
    assert "This event is full" in text(page) and "Join the waiting list</button>" in page
    for name, email, place in (("Second", second, 1), ("Third", third, 2)):
        response, page = browser.post({"name": name, "email": email})
        assert response.status == 200
        assert answer(page)[1].startswith(f"You're on the waiting list, {name} — place {place}.")
    stored = {r.email: (r.status, r.position) for r in registrations(server, event.id)}
    assert stored == {first: ("confirmed", None), second: ("waitlisted", 1), third: ("waitlisted", 2)}


# ---------------------------------------------------------------------- 3. hostile and bad input


@pytest.mark.parametrize("name", [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "**x**",
    "[a](javascript:alert(1))",
])
def test_a_hostile_name_is_shown_as_the_text_typed(server, events, name):
    event = events.public(title="Hostile names")
    browser = Browser(server, event.id)
    response, page = browser.post({"name": name, "email": new_email()})
    assert response.status == 200
    html, said = answer(page)
    assert said.startswith(f"You're registered, {name}! Your place is confirmed.")
    assert "<script" not in html and "<img" not in html and "<em>" not in html and "<a " not in html
    assert "<strong>x</strong>" not in html and not re.search(r'href="\s*javascript:', html)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert [r.name for r in registrations(server, event.id)] == [name]


def test_a_bad_email_comes_back_with_the_values_kept_and_the_error_beside_its_field(server, events):
    event = events.public(title="Bad email")
    browser = Browser(server, event.id)
    before = rows(server)
    response, page = browser.post({"name": "Ana <b>Rivera</b>", "email": "not-an-email", "organization": "CELS"})
    assert response.status == 200
    assert "not-an-email" in field_error(page, "email") or "email" in field_error(page, "email").lower()
    assert value_of(page, "name") == "Ana <b>Rivera</b>" and value_of(page, "email") == "not-an-email"
    assert value_of(page, "organization") == "CELS" and "<b>Rivera</b>" not in page
    assert 'id="answer"' not in page
    assert rows(server) == before


def test_an_empty_name_comes_back_with_the_error_beside_its_field(server, events):
    event = events.public(title="Empty name")
    browser = Browser(server, event.id)
    before = rows(server)
    email = new_email()
    response, page = browser.post({"name": "   ", "email": email, "needs": "Ramp"})
    assert response.status == 200
    assert field_error(page, "name")
    assert value_of(page, "email") == email and ">Ramp</textarea>" in page
    assert 'id="answer"' not in page
    assert rows(server) == before


def test_an_empty_form_marks_every_field_it_needs_at_once(server, events):
    """Name and email both empty: both are marked on the first try, not the email on the second."""
    event = events.public(title="Everything empty")
    browser = Browser(server, event.id)
    before = rows(server)
    response, page = browser.post({"name": "", "email": "", "organization": "x" * 201})
    assert response.status == 200 and rows(server) == before
    assert "name is required" in field_error(page, "name")
    assert field_error(page, "email") and field_error(page, "organization")
    summary = re.search(r'<div id="form-errors"[^>]*>([^<]+)', page).group(1)
    assert summary == "Please correct the 3 fields marked below."
    response, page = browser.post({"name": "", "email": new_email()})  # one left: said as one
    assert re.search(r'<div id="form-errors"[^>]*>([^<]+)', page).group(1) == "Please correct the field marked below."
    assert field_error(page, "name") and 'aria-invalid="true"' not in re.search(r'<input id="f-email"[^>]*>', page).group(0)


# ---------------------------------------------------------------------- 4. cross-site and broken bodies


def test_forms_from_elsewhere_are_refused_and_write_nothing(server, events):
    event = events.public(title="Cross-site")
    browser = Browser(server, event.id)
    before = rows(server)
    fields = {"name": "Mallory", "email": new_email("mallory")}
    for attempt in (dict(cookie=False), dict(key="x" * 43), dict(key=""), dict(origin="https://evil.example"),
                    dict(origin="null")):
        response, page = browser.post(fields, **attempt)
        assert response.status == 403, attempt
        assert "This form has expired or was sent from another site." in text(page), attempt
        assert "Mallory" not in page
    response, _page = browser.post(fields, "/link", origin="https://evil.example")
    assert response.status == 403
    # Refused before anything is read, still in the page's language (the address's ?lang=).
    response, page = browser.post(fields, "?lang=ar", origin="https://evil.example")
    assert response.status == 403 and 'dir="rtl"' in page
    assert "انتهت صلاحية هذا النموذج" in text(page) and "expired" not in text(page)
    assert rows(server) == before


def test_a_too_large_or_malformed_body_is_refused_in_words(server, events):
    event = events.public(title="Broken bodies")
    browser = Browser(server, event.id)
    before = rows(server)
    errors_before = server.errors()
    cookie = {"Cookie": f"planner_browser={browser.key}", "Origin": server.url}
    big = urlencode({"form_key": browser.key, "name": "Big", "email": new_email(), "needs": "x" * 70_000}).encode()
    response, body = request(server, f"/e/{event.id}", method="POST", body=big,
                             headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 413 and "too large" in text(body.decode())
    broken = [
        ("multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAna\r\n--x--\r\n"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\nAna"),
        ("multipart/form-data; boundary=x", b"--x\r\nno header separator at all"),
    ]
    for content_type, payload in broken:
        response, body = request(server, f"/e/{event.id}", method="POST", body=payload,
                                 headers={**cookie, "Content-Type": content_type})
        page = body.decode()
        assert response.status == 400, (content_type, payload, response.status)
        assert "The form could not be read. Please try again." in text(page)
        assert "Traceback" not in page and "Exception" not in page
    assert rows(server) == before
    assert server.errors() == errors_before, server.log_tail()


def test_a_chunked_body_is_held_to_the_same_size(server, events):
    """Without a Content-Length the body is counted as it arrives (64 KB at most), and a key that
    is not of the form the server makes is refused before anything is read into the limits."""
    import socket

    event = events.public(title="Chunked bodies")
    browser = Browser(server, event.id)
    before = rows(server)
    body = urlencode({"form_key": browser.key, "name": "Chunked", "email": new_email(),
                      **{f"x{i}": "y" * 60_000 for i in range(3)}}).encode()
    # Nine chunks of 8 KB, just past 64 KB, and no last chunk: the server must answer without the end.
    chunks = b"".join(b"%x\r\n%s\r\n" % (8192, body[i:i + 8192]) for i in range(0, 9 * 8192, 8192))
    netloc = urlsplit(server.url).netloc
    head = (f"POST /e/{event.id} HTTP/1.1\r\nHost: {netloc}\r\nTransfer-Encoding: chunked\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nCookie: planner_browser={browser.key}\r\n"
            f"Origin: {server.url}\r\nConnection: close\r\n\r\n").encode()
    host, port = netloc.rsplit(":", 1)
    with socket.create_connection((host, int(port)), 30) as s:
        s.sendall(head + chunks)
        answer_bytes = b""
        while chunk := s.recv(65536):
            answer_bytes += chunk
    assert answer_bytes.startswith(b"HTTP/1.1 413"), answer_bytes[:200]
    assert rows(server) == before
    response, page = browser.post({"name": "Odd key", "email": new_email()}, key="<script>" * 3)
    assert response.status == 403 and rows(server) == before


def test_keys_of_its_own_do_not_take_a_script_past_the_address_limit(tmp_path):
    """A script sending a fresh key with every form (as one opening new sessions would) is held by
    the per-address limit."""
    with AppServer(tmp_path, env={"PLANNER_REGISTRATIONS_PER_ADDRESS": "3"}) as limited:
        event = Events(limited.db, limited.url).public(title="Rotating keys", capacity=100)
        statuses = []
        for i in range(5):
            key = f"fresh-key-number-{i:04d}-abcdefgh"
            response, body = request(limited, f"/e/{event.id}", method="POST",
                                     body=urlencode({"form_key": key, "name": f"Bot {i}",
                                                     "email": f"bot{i}@example.org"}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Cookie": f"planner_browser={key}", "Origin": limited.url})
            statuses.append(response.status)
        assert statuses == [303, 303, 303, 429, 429]  # registered (the answer is the next page), then refused
        assert len(registrations(limited, event.id)) == 3


# ---------------------------------------------------------------------- 5. flood limits


def test_the_third_registration_from_one_browser_in_a_minute_is_refused(tmp_path):
    with AppServer(tmp_path, env={"PLANNER_REGISTRATIONS_PER_SESSION": "2"}) as limited:
        event = Events(limited.db, limited.url).public(title="Flood", capacity=100)
        browser = Browser(limited, event.id)
        for i in range(2):
            response, page = browser.post({"name": f"Visitor {i}", "email": f"visitor{i}@example.org"})
            assert response.status == 200 and answer(page)[1].startswith(f"You're registered, Visitor {i}!")
        before = rows(limited)
        response, page = browser.post({"name": "Visitor 2", "email": "visitor2@example.org"})
        assert response.status == 429
        summary = re.search(r'<div id="form-errors"[^>]*role="alert"[^>]*>(.*?)</div>', page, re.S)
        assert summary and WAIT in text(summary.group(1))
        assert value_of(page, "email") == "visitor2@example.org"
        assert rows(limited) == before
        assert [r.name for r in registrations(limited, event.id)] == ["Visitor 0", "Visitor 1"]


# ---------------------------------------------------------------------- 6. questions


def _asking(events):
    event = events.public(title="Questions of every kind")
    asked = events.questions(event.id, ALL_KINDS)
    keys = {q.label: q.key for q in asked if not q.builtin}
    return event, asked, keys


def test_answers_to_every_kind_of_question_are_stored_as_posted(server, events):
    event, asked, keys = _asking(events)
    browser = Browser(server, event.id)
    page = browser.page
    for key in ("q_given_names", "q_family_name", keys["Your role"]):
        attributes(page, "input", name=key if key.startswith("q_") else f"q_{key}")
    for key in ("q_country", "q_organization_type", "q_gender"):
        assert f'name="{key}"' in page
    assert f'name="q_{keys["What do you hope to learn?"]}"' in page and 'name="needs"' in page
    assert page.count(f'name="q_{keys["Sessions"]}"') == 3 and page.count(f'name="q_{keys["Lunch"]}"') == 3

    email = new_email("asked")
    fields = [("name", "Ana"), ("email", email), ("needs", "Step-free access"),
              ("q_given_names", "Ana María"), ("q_family_name", "Pérez Gómez"), ("q_country", "PE"),
              ("q_organization_type", "ngo"), ("q_gender", "non_binary"),
              (f"q_{keys['Your role']}", "Coordinator"),
              (f"q_{keys['What do you hope to learn?']}", "Line one\r\nLine two"),
              (f"q_{keys['Lunch']}", "Vegan"),
              (f"q_{keys['Sessions']}", "Evening"), (f"q_{keys['Sessions']}", "Morning"),
              (f"q_{keys['First time at the summit?']}", "no"),
              ("no_photos", "1")]
    response, page = browser.post(fields)
    assert response.status == 200 and answer(page)[1].startswith("You're registered, Ana!"), text(page)[:500]
    (stored,) = registrations(server, event.id)
    assert stored.answers == {
        "given_names": "Ana María", "family_name": "Pérez Gómez", "country": "PE", "organization_type": "ngo",
        "gender": "non_binary", keys["Your role"]: "Coordinator",
        keys["What do you hope to learn?"]: "Line one\nLine two", keys["Lunch"]: "Vegan",
        keys["Sessions"]: ("Morning", "Evening"), keys["First time at the summit?"]: False,
    }
    assert stored.needs == "Step-free access" and stored.no_photos and not stored.hide_name


@pytest.mark.parametrize("left_empty", ["given_names", "country", "Your role", "Lunch"])
def test_a_required_question_left_empty_is_refused_beside_its_field(server, events, left_empty):
    event, asked, keys = _asking(events)
    browser = Browser(server, event.id)
    fields = {"name": "Ana", "email": new_email(), "q_given_names": "Ana", "q_family_name": "Pérez",
              "q_country": "PE", f"q_{keys['Your role']}": "Coordinator", f"q_{keys['Lunch']}": "Any"}
    key = keys.get(left_empty, left_empty)
    fields[f"q_{key}"] = ""
    before = rows(server)
    response, page = browser.post(fields)
    assert response.status == 200 and 'id="answer"' not in page
    if left_empty == "Lunch":  # radio buttons: the error is on their fieldset
        assert re.search(rf'<fieldset class="field" aria-invalid="true" aria-describedby="error-{key}">', page)
        assert re.search(rf'<p class="field-error" id="error-{key}">', page)
        assert re.search(r'<div id="form-errors"[^>]*role="alert"', page)
    else:
        assert field_error(page, f"q_{key}", key)
    assert value_of(page, "q_family_name") == "Pérez"  # the rest kept
    assert rows(server) == before


# ---------------------------------------------------------------------- 7. proof of work


def test_a_proof_of_work_event_needs_the_solved_check(server, events):
    event = events.public(title="Proof of work", registration_mode="proof_of_work")
    browser = Browser(server, event.id)
    widget = attributes(browser.page, "altcha-widget", name="altcha")
    assert '<altcha-widget name="altcha"' in browser.page
    challenge = json.loads(widget["data-challenge"])
    assert '<script type="module" src="/assets/altcha.min.js"></script>' in browser.page

    before = rows(server)
    for proof, said in ((None, "Please complete the check above the button"),
                        ("bm90IGEgcHJvb2Y=", "The check could not be confirmed."),
                        (solve(challenge)[:-4] + "AAAA", None)):
        fields = {"name": "Bot", "email": new_email("bot")} | ({"altcha": proof} if proof else {})
        response, page = browser.post(fields)
        assert response.status == 200 and 'id="answer"' not in page and 'id="private-link"' not in page
        assert re.search(r'<div id="form-errors"[^>]*role="alert"', page)
        beside = re.search(r'<p class="field-error" id="error-proof">(.*?)</p>', page, re.S)  # under the widget
        assert beside and "check" in text(beside.group(1)).lower()
        assert page.index('id="error-proof"') > page.index("<altcha-widget")
        if said:
            assert said in text(beside.group(1))
        assert value_of(page, "name") == "Bot"
    assert rows(server) == before

    email = new_email("person")
    response, page = browser.post({"name": "Person", "email": email, "altcha": solve(challenge)})
    assert response.status == 200 and answer(page)[1].startswith("You're registered, Person!")
    assert [r.email for r in registrations(server, event.id)] == [email]


def test_a_form_refused_for_another_field_after_the_check_comes_back_checking_itself(server, events):
    """The person did the check, then the form was refused for the address: the page comes back
    with a new challenge that its script solves by itself (``data-again``), so they correct the
    address and register without ticking again. Refused for the check itself, or on a first
    visit, the box waits for the person."""
    event = events.public(title="Proof of work again", registration_mode="proof_of_work")
    browser = Browser(server, event.id)
    assert "data-again" not in attributes(browser.page, "altcha-widget", name="altcha")
    first = json.loads(attributes(browser.page, "altcha-widget", name="altcha")["data-challenge"])

    response, page = browser.post({"name": "Ana", "email": "not an address", "altcha": solve(first)})
    assert response.status == 200 and field_error(page, "email", "email")
    widget = attributes(page, "altcha-widget", name="altcha")
    assert "data-again" in widget and "aria-invalid" not in widget
    again = json.loads(widget["data-challenge"])
    assert again != first  # a new challenge: the page solves that one

    response, page = browser.post({"name": "Ana", "email": new_email("ana")})  # the check not done
    assert "data-again" not in attributes(page, "altcha-widget", name="altcha")
    response, page = browser.post({"name": "Ana", "email": new_email("ana"), "altcha": "bm90IGEgcHJvb2Y="})
    assert "data-again" not in attributes(page, "altcha-widget", name="altcha")  # a bad proof: the person again

    email = new_email("ana")
    response, page = browser.post({"name": "Ana", "email": email, "altcha": solve(again)})
    assert answer(page)[1].startswith("You're registered, Ana!")
    assert [r.email for r in registrations(server, event.id)] == [email]


# ---------------------------------------------------------------------- 8. confirmation by email


def test_an_event_confirmed_by_email_answers_check_your_email_whatever_the_address(server, events):
    event = events.public(title="Confirmed by email", registration_mode="email")
    browser = Browser(server, event.id)
    first = new_email("first")
    said = []
    for email in (first, first, new_email("other")):
        response, page = browser.post({"name": "Ana", "email": email})
        assert response.status == 200
        said.append(answer(page)[1])
        assert 'id="private-link"' not in page
    assert said == [CHECK_EMAIL] * 3
    assert registrations(server, event.id) == []  # nobody is registered before they open the link
    assert outbox_to(server, first)


# ---------------------------------------------------------------------- 9. lost link


def test_the_lost_link_form_says_the_same_whatever_the_address(server, events):
    event = events.public(title="Lost link")
    browser = Browser(server, event.id)
    registered = new_email("registered")
    browser.post({"name": "Ana", "email": registered})
    sent_before = len(outbox_to(server, registered))
    unknown = new_email("unknown")

    response, page = browser.post({"email": registered}, "/link")
    assert response.status == 200 and answer(page)[1] == NEUTRAL_LINK
    shown_registered = page.replace(browser.key, "KEY").replace(registered, "ADDRESS")
    response, page = browser.post({"email": unknown}, "/link")
    assert response.status == 200 and answer(page)[1] == NEUTRAL_LINK
    assert page.replace(browser.key, "KEY").replace(unknown, "ADDRESS") == shown_registered  # nothing tells them apart
    assert len(outbox_to(server, registered)) == sent_before + 1
    assert outbox_to(server, unknown) == []

    before = rows(server)
    response, page = browser.post({"email": "not an address"}, "/link")
    assert response.status == 200 and 'id="answer"' not in page
    control = re.search(r'<input id="f-link-email"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in control and 'aria-describedby="error-link-email"' in control
    assert 'value="not an address"' in control
    assert re.search(r'<p class="field-error" id="error-link-email">[^<]+', page)
    assert rows(server) == before


def test_the_lost_link_answer_is_where_the_page_opens_and_its_address_opens_again(server, events):
    """On a phone the lost link's form is far below the top of the registration form: its answer,
    or its field when refused, opens the page at the form (``#lost``) and takes the focus. The
    address a refused form leaves (POST ``/e/<id>/link``) opened again is the page at that form,
    and any other address under ``/e/<id>/`` a plain 404, not a blank Streamlit page."""
    event = events.public(title="Lost link, found")
    browser = Browser(server, event.id, "?lang=es")
    assert f'action="/e/{event.id}/link?lang=es#lost"' in browser.page and '<details class="lost" id="lost">' in browser.page

    response, page = browser.post({"email": new_email("found")}, "/link?lang=es")
    assert browser.redirect.getheader("Location").endswith("#lost")
    assert re.search(r'<div id="answer"[^>]*tabindex="-1" data-take-focus>', page)
    response, page = browser.post({"email": "bad@"}, "/link?lang=es")
    assert response.status == 200 and browser.redirect is None
    assert re.search(r'<input id="f-link-email"[^>]*data-take-focus', page)

    response, _body = request(server, f"/e/{event.id}/link?lang=es")
    assert response.status == 303 and response.getheader("Location") == f"/e/{event.id}?lang=es#lost"
    response, _body = request(server, f"/e/{event.id}/?lang=es")  # a slash added by a website: the page
    assert response.status == 303 and response.getheader("Location") == f"/e/{event.id}?lang=es"
    for path in (f"/e/{event.id}/anything", f"/e/{event.id}/a/b", "/e/abc/link", "/e/999999/whatever"):
        response, body = request(server, path)
        assert response.status == 404 and body.decode() == "There is no such event.", path
    before = rows(server)
    response, _body = request(server, f"/e/{event.id}/anything", method="POST", body=b"x=1")
    assert response.status in (404, 405) and rows(server) == before


# ---------------------------------------------------------------------- 10. pictures, assets, calendar


def test_pictures_of_public_people_are_served_and_nothing_else(server, pictured, other_pictured):
    event = Planner(server.db).get_event(pictured.id)
    (photo,) = [s.photo for s in event.public_speakers if s.photo]
    (logo,) = [o.logo for o in event.public_organizations if o.logo]
    page = request(server, f"/e/{event.id}")[1].decode()
    for name in (photo, logo):
        assert f'src="/e/{event.id}/picture/{name}"' in page
        response, body = request(server, f"/e/{event.id}/picture/{name}")
        assert response.status == 200 and response.getheader("Content-Type") in ("image/png", "image/jpeg")
        assert Image.open(io.BytesIO(body)).format == response.getheader("Content-Type").split("/")[1].upper()
    (elsewhere,) = [s.photo for s in Planner(server.db).get_event(other_pictured.id).public_speakers]
    assert request(server, f"/e/{other_pictured.id}/picture/{elsewhere}")[0].status == 200
    for name in (elsewhere, "..%2Fplanner.db", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "random.png", "x" * 300,
                 "planner.db"):
        response, body = request(server, f"/e/{event.id}/picture/{name}")
        assert response.status in (400, 404), name  # 400: the server refuses an encoded "/" in a path itself
        assert not body.startswith((b"\x89PNG", b"\xff\xd8", b"SQLite"))
    assert request(server, f"/e/{event.id}/picture/../../planner.db")[0].status in (400, 404)


def test_the_page_assets_are_served_and_nothing_else(server):
    response, body = request(server, "/assets/event-page.js")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/javascript") and body
    response, _body = request(server, "/assets/event-page.css")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/css")
    for name in ("nope", "event-page.JS", "altcha.js", "__init__.py"):
        assert request(server, f"/assets/{name}")[0].status == 404, name
    assert request(server, "/assets/..%2Fevent_page.py")[0].status in (400, 404)


def test_the_registration_calendar_file_needs_its_private_link(server, events):
    event = events.public(title="Calendar file")
    browser = Browser(server, event.id)
    page = browser.post({"name": "Ana", "email": new_email()})[1]
    token = private_token(page)
    assert f'href="/r/calendar.ics?t={token}"' in page
    response, body = request(server, f"/r/calendar.ics?t={token}")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/calendar")
    assert body.startswith(b"BEGIN:VCALENDAR") and f"UID:{event.uid}".encode() in body.replace(b"\r\n ", b"")
    for bad in ("", "?t=", "?t=nope", f"?t={token[:-2]}", f"?t={token}x"):
        response, body = request(server, f"/r/calendar.ics{bad}")
        assert response.status == 404, bad
        assert b"BEGIN:VCALENDAR" not in body


# ---------------------------------------------------------------------- 11. drafts, languages, cancellations


def test_drafts_and_unknown_ids_are_404_for_get_and_post(server, events):
    draft = events.draft(title="A draft nobody may see")
    demo_draft = next(e for e in Planner(server.db).list_events() if e.status == "draft" and e.id != draft.id)
    public = events.public(title="Key donor")
    browser = Browser(server, public.id)  # a real browser key, so only the event decides
    before = rows(server)
    for ident in (draft.id, demo_draft.id, 999999, "abc"):
        response, body = request(server, f"/e/{ident}")
        assert response.status == 404 and body.decode() == "There is no such event.", ident
        browser.event_id = ident
        for path in ("", "/link"):
            response, page = browser.post({"name": "Ana", "email": new_email()}, path)
            assert response.status == 404, (ident, path)
            assert draft.title not in page
    after = rows(server)
    assert {t: r for t, r in after.items() if t != "link_requests"} == {
        t: r for t, r in before.items() if t != "link_requests"}
    # "Email me my private link" on an event that is not public answers 404 but must not count a
    # request against the address either (the per-inbox hourly quota of areas/recovery.py).
    assert after["link_requests"] == before["link_requests"], "a 404 POST /e/<id>/link recorded a link request"


def test_the_page_in_arabic_reads_right_to_left(server, events):
    event = events.public(title="Arabic page")
    response, body = request(server, f"/e/{event.id}?lang=ar")
    page = body.decode()
    assert response.status == 200
    html = attributes(page, "html")
    assert html["dir"] == "rtl" and html["lang"] == "ar"
    heading = text(re.search(r'<h2 id="register">(.*?)</h2>', page).group(1))
    assert re.search(r"[\u0600-\u06FF]{3,}", heading), heading
    assert attributes(page, "form", id="register-form")["action"] == f"/e/{event.id}?lang=ar#register"


def test_a_cancelled_event_says_so_and_has_no_form(server, events):
    event = events.public(title="Called off")
    p = events.planner
    p.cancel_event(event.id, reason="The venue <b>closed</b>.")
    response, body = request(server, f"/e/{event.id}")
    page = body.decode()
    assert response.status == 200
    shown = text(page)
    assert "This event is cancelled. The venue <b>closed</b>." in shown and "<b>closed</b>" not in page
    assert 'id="register-form"' not in page and "Register</button>" not in page
    browser = Browser(server, event.id)
    before = rows(server)
    response, page = browser.post({"name": "Ana", "email": new_email()})
    assert 'id="private-link"' not in page and rows(server)["registrations"] == before["registrations"]


# ---------------------------------------------------------------------- 12. the page's own policy


class Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.found.append(values["src"])
        if tag == "link" and "stylesheet" in (values.get("rel") or ""):
            self.found.append(values["href"])
        if tag == "img" and values.get("src"):
            self.found.append(values["src"])


def test_the_policy_allows_only_this_sites_scripts_and_no_framing(server, events, pictured):
    pow_event = events.public(title="Policy", registration_mode="proof_of_work")
    for path in (f"/e/{pictured.id}", f"/e/{pow_event.id}", f"/e/{pictured.id}?lang=ar"):
        response, body = request(server, path)
        policy = response.getheader("Content-Security-Policy")
        assert policy and "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-eval" not in policy and "script-src 'self' " not in policy.replace("; ", ";")
        resources = Resources()
        resources.feed(body.decode())
        assert resources.found, path
        for url in resources.found:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc and url.startswith("/"), (path, url)
        assert not re.search(r'<script[^>]+src="(https?:)?//', body.decode()), path
        assert not re.search(r'<link[^>]+rel="stylesheet"[^>]+href="(https?:)?//', body.decode()), path
