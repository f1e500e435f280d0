"""The browser journeys' ``wait_for_app`` waits for the run a page asked for, however late the
server starts it: here the server is stopped (SIGSTOP) while the page asks for a rerun, and
given its processor back a second later. Waiting a fixed moment and then for the root's "not
running" returned at once, on the last run's page (checked: the search's answer was not there)."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from bench.server import AppServer
from tests.browser.chromium import launch, require_chromium, wait_for_app

pytestmark = pytest.mark.browser
RUNS = "() => window.__plannerRuns && { asked: window.__plannerRuns.asked, finished: window.__plannerRuns.finished }"


def test_wait_for_app_waits_for_the_run_a_page_asked_for_when_the_server_starts_it_late(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        browser = launch(pw, chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        wait_for_app(page)
        first = page.evaluate(RUNS)
        assert first["asked"] > 0 and first["finished"] >= first["asked"], first  # the first run, seen both ways
        assert page.get_by_text("No events match").count() == 0

        search = page.get_by_placeholder("Search titles")
        search.fill("no such event anywhere")
        os.kill(server.pid, signal.SIGSTOP)
        resume = threading.Timer(1.0, os.kill, (server.pid, signal.SIGCONT))
        try:
            search.press("Enter")  # the rerun waits in the server's socket until it runs again
            resume.start()
            wait_for_app(page)
        finally:
            resume.join()
            os.kill(server.pid, signal.SIGCONT)
        after = page.evaluate(RUNS)
        assert after["asked"] > first["asked"] and after["finished"] >= after["asked"], (first, after)
        assert page.get_by_text("No events match").count() > 0  # at once: the run's page is drawn
        browser.close()
