"""Browser journey (issue #11): an organizer downloads an XLSX export and sees a chart.

A real `streamlit run app.py` with the demo data, Debian's Chromium; the workbook the browser
saved is opened with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bench.server import AppServer
from planner import Planner
from tests.browser.chromium import launch, require_chromium, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_an_organizer_downloads_an_xlsx_export_and_sees_a_chart(tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with AppServer(tmp_path) as server, sync_playwright() as pw:
        planner = Planner(server.db)
        dialogue = next(e for e in planner.programme() if e.status == "published")
        planner.register(dialogue.id, name="=HYPERLINK(\"http://evil.example\",\"x\")", email="eve@example.org")
        planner.register(dialogue.id, name="Zoë Ñandú", email="zoe@example.org")
        browser = launch(pw, chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(f"{server.url}/organize")
        page.get_by_label("Email").fill("admin@example.org")
        page.get_by_role("textbox", name="Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Manage an event")).to_be_visible(timeout=30_000)

        page.goto(f"{server.url}/exports")
        expect(page.get_by_role("heading", name="Exports")).to_be_visible(timeout=30_000)
        page.get_by_text("Everything", exact=True).click()
        wait_for_app(page)
        box = page.locator(".st-key-x_box_all")
        with page.expect_download(timeout=30_000) as caught:
            box.get_by_role("button", name="Download XLSX").click()
        saved = caught.value.path()
        book = openpyxl.load_workbook(io.BytesIO(open(saved, "rb").read()))
        assert len(book.sheetnames) == 4
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert not [c for c in cells if c.data_type == "f"]  # no formula in the whole workbook
        values = {c.value for c in cells}
        assert "=HYPERLINK(\"http://evil.example\",\"x\")" in values and "Zoë Ñandú" in values
        screenshot(page, "organizer-exports")

        page.goto(f"{server.url}/reports")
        expect(page.get_by_role("heading", name="Reports")).to_be_visible(timeout=30_000)
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        expect(chart).to_be_visible(timeout=30_000)
        expect(chart.locator("canvas, svg").first).to_be_visible(timeout=30_000)
        screenshot(page, "organizer-reports")
        browser.close()
