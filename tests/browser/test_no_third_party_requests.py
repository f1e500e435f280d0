"""No page makes a visitor's browser ask anyone but our own server for anything: no fonts,
icons, scripts or images from a third party (people at risk of reprisals use these pages)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, wait_for_app

pytestmark = pytest.mark.browser


def test_public_pages_ask_only_our_own_server(tmp_path):
    chromium = require_chromium()
    with AppServer(tmp_path) as server, sync_playwright() as p:
        event = Planner(server.db).programme()[0]
        browser = launch(p, chromium)
        asked: list[str] = []
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on("request", lambda request: asked.append(request.url))
        for path in ("/", f"/event?id={event.id}", "/organize", "/checkin"):
            page.goto(server.url + path)
            wait_for_app(page)
            page.wait_for_timeout(1500)  # icons and the favicon load after the first paint
        browser.close()
    ours = urlsplit(server.url).netloc
    elsewhere = sorted({u for u in asked if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != ours})
    assert len(asked) > 10, asked  # the pages were really loaded
    assert elsewhere == [], elsewhere
