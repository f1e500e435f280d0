"""Helpers for the browser journeys: Debian's Chromium, driven by Playwright (the real
`streamlit run app.py` they visit is ``bench.server.AppServer``).

Outside CI a missing Chromium skips the journeys with a message; with CI=true it fails them,
so a green CI run always means the journeys ran.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.server import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    problem = None
    if not found:
        problem = f"Chromium not found at {CHROMIUM} (install Debian's package: apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing (pip install -e '.[test]')"
    if problem:
        if in_ci:
            pytest.fail(f"Browser tests must run in CI, but {problem}.")
        pytest.skip(f"Browser journeys skipped: {problem}.")
    return found


def require_altcha(journey: str) -> None:
    """The proof-of-work widget's files must be installed for a journey that solves the check:
    a failure in CI, a skip with the way to install them elsewhere."""
    from planner.ui.components import altcha

    if not altcha.available():
        problem = "the ALTCHA widget is not installed (npm ci --prefix planner/ui/components/altcha/frontend)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Browser tests must run in CI, but {problem}.")
        pytest.skip(f"{journey} skipped: {problem}.")


def launch(playwright, chromium: str):
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


def screenshot(page, name: str) -> Path:
    """A full-page picture in test-artifacts/; a Streamlit page once its run is drawn (one caught
    mid-run shows grey placeholders, not what people see), a plain page (/e/<id>) as it is."""
    if not re.fullmatch(r"/e/\d+", urlsplit(page.url).path):  # the address as Playwright knows it: no
        wait_for_app(page)                                        # script run in a page that may be navigating
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the script and drawn what it sent.

    The status widget alone is not enough: it shows only after a run has lasted a moment, so a
    fresh page looks idle while still blank. Streamlit marks its root with the script's state.
    """
    page.wait_for_timeout(100)  # let a click's rerun reach the server first
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


# What has the keyboard's focus, for the keyboard-only tests: the element's tag, type, role, form
# field name (``field``), id, spoken name (``name``), label, link, whether it sits in a heading,
# its text, and whether it shows a focus outline of at least 2 px (on itself, or for an input on
# the box around it, where Streamlit draws its inputs' ring).
FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const box = e.matches('input, textarea') ? e.closest('[data-testid$=RootElement], [role=group], label') : null;
  const shows = (x) => { const r = getComputedStyle(x); return r.outlineStyle !== 'none' && parseFloat(r.outlineWidth) >= 2; };
  return { tag: e.tagName, type: e.type || '', role: e.getAttribute('role') || '', field: e.name || '', id: e.id || '',
           name: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 80),
           label: e.labels && e.labels[0] ? e.labels[0].innerText.trim() : (e.getAttribute('aria-label') || ''),
           text: (e.innerText || '').trim().slice(0, 80),
           href: e.getAttribute('href') || '', inHeading: !!e.closest('h1, h2, h3, h4, h5, h6'),
           outline: shows(e) || (box !== null && shows(box)) }; }"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, matches, what: str, limit: int = 80, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element ``matches``; each stop shows a focus outline."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        found = focused(page)
        if found is None:
            continue
        assert found["outline"], f"no visible focus outline on {found}"
        if matches(found):
            return found
    raise AssertionError(f"{what} is not reachable with Tab")
