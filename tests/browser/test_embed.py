"""The programme on a partner's website (issue #14), as a partner pastes it: a plain HTML page
served by this test from another origin (127.0.0.1 on another port), holding the README's
iframe snippet as it is written there, pointed at a real `streamlit run app.py`.

The embedded programme must show the events, open each event page in a new tab, fit its frame
(the frame as tall as the programme: no scrollbar inside), ask nobody but the two servers for
anything, and still show the programme at the snippet's height when scripts are off.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from bench.server import ROOT, AppServer
from planner import Planner
from tests.browser.chromium import ARTIFACTS, launch, require_chromium

pytestmark = pytest.mark.browser

GCM = "Global Coalition on Migration (GCM)"
README_URL = "https://events.example.org"
SHOTS = Path("/tmp/shots-embed")


def readme_snippet() -> str:
    """The HTML block of the README's *The programme on your website*, exactly as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### The programme on your website"):]
    return re.search(r"```html\n(.*?)```", section, re.S).group(1)


def partner_page(snippet: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A partner's website</title></head>
<body style="margin: 0; font-family: serif">
<header style="padding: 16px; background: #234"><h1 style="color: #fff; margin: 0">Our partner's news</h1></header>
<main style="padding: 16px"><h2>Our side events</h2>
{snippet}
<p id="after">Thank you for coming.</p></main>
</body></html>""".encode()


class PartnerSite:
    """A static site on 127.0.0.1, another port than the app's: another origin."""

    def __init__(self, body: bytes):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server name)
                self.send_response(200 if self.path == "/" else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body if self.path == "/" else b"")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    chromium = require_chromium()
    with AppServer(tmp_path_factory.mktemp("embed")) as server:
        p = Planner(server.db)
        # One event of the organization that is over, to show under "Past events".
        start = (datetime.now(UTC) - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        past = p.create_event(title="Last week's GCM briefing", starts_at=start, ends_at=start + timedelta(hours=1),
                              timezone="America/New_York", format="online", online_url="https://meet.example.org/x",
                              organizations=[{"name": GCM, "role": "host"}], allow_past=True)
        p.publish_event(past.id, allow_past=True)
        events = [e for e in p.programme() if any(o.name == GCM for o in e.public_organizations)]
        snippet = readme_snippet()
        assert README_URL in snippet and "/embed?" in snippet
        src = re.search(r'src="([^"]+)"', snippet).group(1)
        snippet = snippet.replace(src, f"{server.url}/embed?organization=gcm&amp;lang=en").replace(README_URL, server.url)
        with PartnerSite(partner_page(snippet)) as site:
            yield {"server": server, "site": site, "chromium": chromium, "events": events, "past": past}


def fitted(page) -> dict:
    """Wait until the frame has taken the programme's height, then measure both."""
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe');
                   return f.clientHeight !== 640 && f.clientHeight > 100; }""", timeout=30_000)
    page.wait_for_timeout(300)  # a last resize settles
    return page.evaluate("""() => { const f = document.querySelector('iframe');
        return {frame: f.clientHeight, width: f.clientWidth}; }""")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}],
                         ids=["phone", "desktop"])
def test_the_embedded_programme_shows_the_events_fits_its_frame_and_opens_event_pages_in_a_new_tab(world, viewport):
    server, site = world["server"], world["site"]
    with sync_playwright() as p:
        browser = launch(p, world["chromium"])
        context = browser.new_context(viewport=viewport)
        asked: list[str] = []
        context.on("request", lambda request: asked.append(request.url))
        page = context.new_page()
        page.goto(site.url)
        frame_size = fitted(page)
        frame = next(f for f in page.frames if f.url.startswith(server.url + "/embed"))
        inner = frame.evaluate("""() => ({scroll: document.documentElement.scrollHeight,
                                         view: window.innerHeight,
                                         body: Math.ceil(document.body.getBoundingClientRect().height)})""")
        # The frame is as tall as the programme: nothing to scroll inside it.
        assert abs(frame_size["frame"] - inner["body"]) <= 2, (frame_size, inner)
        assert inner["scroll"] <= inner["view"] + 1, inner
        text = frame.inner_text("body")
        for event in world["events"]:
            assert event.title in text, event.title
        assert "Upcoming events" in text and "Past events" in text
        assert text.index("Upcoming events") < text.index("Past events") < text.index(world["past"].title)
        assert "New York time" in text or "Lima time" in text
        links = frame.locator("a.title")
        assert links.count() == len(world["events"])
        for i in range(links.count()):
            assert links.nth(i).get_attribute("target") == "_blank"
            assert links.nth(i).get_attribute("rel") == "noopener"
        SHOTS.mkdir(exist_ok=True)
        ARTIFACTS.mkdir(exist_ok=True)
        name = f"embed-partner-{viewport['width']}"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        first = world["events"][0] if world["events"][0].ends_at > datetime.now(UTC) else world["events"][1]
        with context.expect_page() as opened:
            frame.get_by_role("link", name=re.compile(re.escape(first.title))).first.click()
        event_page = opened.value
        event_page.wait_for_load_state()
        assert urlsplit(event_page.url)[:3] == urlsplit(f"{server.url}/e/{first.id}")[:3]  # the light public page
        assert event_page.locator("h1").inner_text() == first.title
        assert page.url == site.url  # the partner's page stayed where it was
        browser.close()
    ours, theirs = urlsplit(server.url).netloc, urlsplit(site.url).netloc
    elsewhere = sorted({u for u in asked if urlsplit(u).scheme in ("http", "https")
                        and urlsplit(u).netloc not in (ours, theirs)})
    assert elsewhere == [], elsewhere


def test_without_scripts_the_programme_shows_at_the_snippets_height(world):
    with sync_playwright() as p:
        browser = launch(p, world["chromium"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
        page = context.new_page()
        page.goto(world["site"].url)
        frame = page.frame_locator("iframe")
        frame.locator("a.title").first.wait_for(timeout=30_000)
        assert page.locator("iframe").bounding_box()["height"] == 640
        assert world["events"][0].title in frame.locator("body").inner_text()
        browser.close()
