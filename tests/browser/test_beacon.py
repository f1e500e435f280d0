"""Browser journey: hostile text in every field a person can type loads nothing, runs nothing.

A beacon, a small HTTP server on 127.0.0.1, records every request it gets. Strings pointing at
it (Markdown images and links, bare addresses, HTML ``<img>`` and ``<script>``, CSS ``url()``,
reference links, ``javascript:`` and ``data:`` links, Streamlit's directives) go into every
field: summits, venues, addresses, rooms, accessibility notes, event titles, descriptions,
speakers, organizations, cancel reasons, door labels, an online link (a valid one, pointing at
the beacon), attendees' names, organizations and needs, a walk-in, an account's name. Chromium
then opens every page as an anonymous visitor, an attendee, a door volunteer and an organizer
(an admin whose own name is hostile). The beacon must get no request, no page may offer a
``javascript:`` or ``data:`` link, no dialog may open, no script error may happen, and the
hostile text must show as typed. Screenshots go to test-artifacts/beacon-*.png.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser
NY = ZoneInfo("America/New_York")
PASSWORD = "a long enough password"


class Beacon:
    """An HTTP server on 127.0.0.1 that answers every request with a 1×1 GIF and records it."""

    def __init__(self):
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.end_headers()
                self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

            do_POST = do_HEAD = do_OPTIONS = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def hostile(b: str, tag: str) -> str:
    """One line (at most 200 characters) that would fetch ``b/tag…`` or run script if rendered."""
    return (
        f"{tag} ![i]({b}/{tag}1) <img src={b}/{tag}2> [j](javascript:alert(1)) {b}/{tag}3 "
        f"<script>alert(1)</script> :red[r]"
    )


def hostile_text(b: str, tag: str) -> str:
    """Many lines of every trick, for the long text fields (descriptions, notes, needs)."""
    return "\n\n".join(
        [
            f"**{tag}** ![poster]({b}/{tag}-md-image) ![]({b}/{tag}-bare-image)",
            f'<img src="{b}/{tag}-html-image" onerror="alert(1)"> <script>alert(1)</script>',
            f'<div style="background:url({b}/{tag}-css)">css</div> <svg onload="alert(1)"></svg>',
            f"[reference][r] ![ref image][ri] <{b}/{tag}-autolink> {b}/{tag}-bare-link www.example.org",
            "[js](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) <javascript:alert(1)>",
            f"<iframe src={b}/{tag}-iframe></iframe> <link rel=stylesheet href={b}/{tag}-css-link>",
            ":material/home: :red[red] :smile: $x^2$",
            f"[r]: javascript:alert(2)\n[ri]: {b}/{tag}-ref-image",
        ]
    )


def typed(text: str) -> re.Pattern:
    """``text`` as a page shows it: escaped data may hold invisible word joiners (U+2060)."""
    return re.compile(r"\u2060?".join(re.escape(ch).replace("/", r"\/") for ch in text))


def links_offered(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")


def test_hostile_text_everywhere_loads_nothing_and_runs_nothing(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with Beacon() as beacon, AppServer(tmp_path) as server, sync_playwright() as pw:
        b = beacon.url
        p = Planner(server.db, base_url=server.url)
        soon = date.today() + timedelta(days=30)
        start = datetime.combine(soon, datetime.min.time(), NY).replace(hour=17)
        # The summit ends before the events: the "outside the summit" clash names it too.
        summit = p.add_summit(name=hostile(b, "summit"), city=hostile(b, "city"), timezone="America/New_York",
                              starts_on=soon - timedelta(days=3), ends_on=soon - timedelta(days=1))
        venue = p.add_venue(name=hostile(b, "venue"), address=hostile(b, "address"), timezone="America/New_York")
        room = p.add_room(venue_id=venue.id, name=hostile(b, "room"), capacity=1,
                          accessibility=hostile_text(b, "access"))
        people = dict(
            speakers=[{"name": hostile(b, "speaker"), "affiliation": hostile(b, "affil"), "role": "speaker"}],
            organizations=[{"name": hostile(b, "org"), "role": "host"}],
        )
        main = p.create_event(title=hostile(b, "title"), starts_at=start, ends_at=start + timedelta(hours=2),
                              summit_id=summit.id, room_id=room.id, online_url=f"{b}/online-link?x=1#y",
                              description=hostile_text(b, "desc"), **people)
        main = p.publish_event(main.id, allow_room_clash=True)
        clash = p.create_event(title=hostile(b, "clash"), starts_at=start, ends_at=start + timedelta(hours=1),
                               summit_id=summit.id, room_id=room.id, description="", **people)  # a draft
        gone = p.create_event(title=hostile(b, "gone"), starts_at=start + timedelta(hours=3),
                              ends_at=start + timedelta(hours=4), room_id=None, online_url=f"{b}/gone-link")
        p.publish_event(gone.id)
        deep = p.create_event(title="Deep quotes", starts_at=start + timedelta(days=1),
                              ends_at=start + timedelta(days=1, hours=1), room_id=None, online_url=None,
                              description=">" * 20_000)
        p.publish_event(deep.id)
        lists = "\n".join("  " * i + f"- level {i}" for i in range(120)) + "\n\n" + "*" * 1000 + "x" + "*" * 1000
        nested = p.create_event(title="Deep lists", starts_at=start + timedelta(days=2),
                                ends_at=start + timedelta(days=2, hours=1), room_id=None, description=lists[:20_000])
        p.publish_event(nested.id)

        guests = [
            p.register(main.id, name=hostile(b, f"guest{n}"), email=f"g{n}@example.org",
                       organization=hostile(b, f"gorg{n}"), needs=hostile_text(b, f"needs{n}")[:500])
            for n in range(3)
        ]  # one confirmed (capacity 1), two waiting
        gone_guest = p.register(gone.id, name=hostile(b, "goneguest"), email="gg@example.org")
        p.cancel_event(gone.id, reason=hostile(b, "reason"))
        door = p.create_door_pass(main.id, hostile(b, "door")[:100])
        p.revoke_door_pass(p.create_door_pass(main.id, hostile(b, "revoked")[:100]).id)
        p.add_user(email="evil@example.org", name=hostile(b, "admin"), password=PASSWORD, role="admin")

        browser = launch(pw, chromium)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Europe/Berlin")
        requested, dialogs, errors, bad_links = [], [], [], []
        context.on("request", lambda r: requested.append(r.url) if r.url.startswith(b) else None)

        def watch(page):
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            return page

        def visit(page, url: str | None, name: str):
            if url is not None:
                page.goto(url)
            wait_for_app(page)
            page.wait_for_timeout(300)  # images and scripts, if any, get their chance
            for href in links_offered(page):
                if href.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                    bad_links.append((name, href))
            assert page.locator("[data-testid='stException']").count() == 0, name
            screenshot(page, f"beacon-{name}")
            return page

        # --- anonymous visitors
        visitor = watch(context.new_page())
        visit(visitor, server.url, "programme")
        expect(visitor.get_by_text(typed(f"![i]({b}/title1)")).first).to_be_visible()
        visit(visitor, f"{server.url}/event?id={main.id}", "event")
        expect(visitor.get_by_role("heading", name=typed(f"title ![i]({b}/title1)"))).to_be_visible()
        expect(visitor.get_by_text(typed(f"![poster]({b}/desc-md-image)"))).to_have_count(0)  # a link now
        expect(visitor.get_by_role("link", name="poster", exact=True)).to_have_attribute("href", f"{b}/desc-md-image")
        expect(visitor.get_by_text('<img src="', exact=False).first).to_be_visible()  # HTML shows as text
        visitor.locator(".planner-description").scroll_into_view_if_needed()
        screenshot(visitor, "beacon-event-description")
        visit(visitor, f"{server.url}/event?id={gone.id}", "event-cancelled")
        for event in (deep, nested):
            visit(visitor, f"{server.url}/event?id={event.id}", f"event-deep-{event.id}")
            expect(visitor.get_by_role("heading", name=event.title)).to_be_visible()
            assert "Maximum call stack" not in visitor.locator("body").inner_text()
        expect(visitor.locator(".planner-description li").first).to_contain_text("level 0")

        # --- attendees on their private pages
        for registration, name in ((guests[0], "ticket"), (guests[1], "ticket-waiting"), (gone_guest, "ticket-gone")):
            visit(visitor, f"{server.url}/ticket?t={registration.manage_token}", name)
        expect(visitor.get_by_text(typed(f"reason ![i]({b}/reason1)")).first).to_be_visible()

        # --- a volunteer at the door: search a guest, let a walk-in in
        volunteer = watch(context.new_page())
        visit(volunteer, door.url, "door")
        volunteer.get_by_role("tab", name="Find guest").click()
        volunteer.get_by_label("Guest's name or organization").fill("guest")
        volunteer.get_by_label("Guest's name or organization").press("Enter")
        visit(volunteer, None, "door-search")
        expect(volunteer.get_by_text(typed(f"guest1 ![i]({b}/guest11)")).first).to_be_visible()
        volunteer.get_by_role("tab", name="Walk-in").click()
        volunteer.get_by_label("Name", exact=True).fill(hostile(b, "walkin"))
        volunteer.get_by_label("Organization (optional)").fill(hostile(b, "walkorg"))
        volunteer.get_by_role("button", name="Add and check in").click()
        wait_for_app(volunteer)
        volunteer.get_by_text("There is space: let them in anyway").click()
        volunteer.get_by_role("button", name="Add and check in").click()
        visit(volunteer, None, "door-walk-in")
        expect(volunteer.locator("[data-testid='door-verdict']")).to_contain_text(typed(f"walkin ![i]({b}/walkin1)"))

        # --- an organizer (an admin with a hostile name of their own)
        organizer = watch(context.new_page())
        organizer.goto(f"{server.url}/organize")
        organizer.get_by_label("Email").fill("evil@example.org")
        organizer.get_by_role("textbox", name="Password").fill(PASSWORD)
        organizer.get_by_role("button", name="Sign in").click()
        expect(organizer.get_by_text("Manage an event")).to_be_visible(timeout=30_000)
        visit(organizer, f"{server.url}/organize", "organizer-events")
        expect(organizer.get_by_text(typed(f"admin ![i]({b}/admin1)")).first).to_be_visible()
        visit(organizer, f"{server.url}/edit-event?id={main.id}", "organizer-editor")
        visit(organizer, f"{server.url}/edit-event?id={clash.id}", "organizer-editor-clash")
        visit(organizer, f"{server.url}/edit-event?id={gone.id}", "organizer-editor-cancelled")
        visit(organizer, f"{server.url}/registrations?id={main.id}", "organizer-registrations")
        organizer.get_by_text("Change the capacity").click()
        organizer.get_by_label("New capacity").fill("3")
        organizer.get_by_label("New capacity").press("Enter")
        visit(organizer, None, "organizer-capacity-preview")
        expect(organizer.get_by_text("moves **", exact=False)).to_have_count(0)
        expect(organizer.get_by_text(typed(f"guest1 ![i]({b}/guest11)")).first).to_be_visible()
        organizer.get_by_text("Door check-in").click()
        organizer.get_by_text("Cancel a registration on someone's behalf").click()
        organizer.get_by_text("Yes, cancel this person's registration").click()
        wait_for_app(organizer)
        organizer.get_by_role("button", name="Cancel registration").click()
        visit(organizer, None, "organizer-cancelled-registration")
        expect(organizer.get_by_text("Cancelled guest0", exact=False)).to_be_visible()
        visit(organizer, f"{server.url}/venues", "organizer-venues")
        organizer.locator("[data-testid='stExpander'] summary").first.click()
        visit(organizer, None, "organizer-venue-open")
        visit(organizer, f"{server.url}/summits", "organizer-summits")
        visit(organizer, f"{server.url}/accounts", "organizer-accounts")
        visit(organizer, f"{server.url}/checkin?event={main.id}", "organizer-door")
        browser.close()

        assert Planner(server.db).attendance(main.id).walk_ins == 1  # the walk-in really happened
        assert beacon.hits == [], f"the beacon was reached: {beacon.hits}"
        assert requested == [], f"the browser asked for: {requested}"
        assert bad_links == [], f"script or data links offered: {bad_links}"
        assert dialogs == [], f"a script opened a dialog: {dialogs}"
        assert errors == [], f"script errors: {errors}"
