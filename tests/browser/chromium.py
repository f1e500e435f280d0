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


# What wait_for_app reads to know that the run a page asked for has finished, set up in every page
# before Streamlit's own scripts: when the page last asked the server for a run (a BackMsg with
# rerun_script, field 11: a click, a form, a fragment's timer, the first run), and when a run
# last finished (a ForwardMsg with script_finished, field 6, other than "stopped early for a
# rerun", 2). Streamlit's root shows the script's state too, but a short run can start and end
# between two frames, and the root never shows it running.
RUNS_WATCHER = """(() => {
  if (window.__plannerRuns) return;
  const runs = window.__plannerRuns = { asked: 0, finished: 0 };
  const fields = (bytes) => {  // the top-level fields of a protobuf message: number -> varint or bytes
    const out = new Map(); let i = 0;
    const varint = () => { let v = 0, m = 1, b; do { b = bytes[i++]; v += (b & 127) * m; m *= 128; } while (b & 128); return v; };
    while (i < bytes.length) {
      const tag = varint(), wire = tag % 8;
      if (wire === 0) out.set(Math.floor(tag / 8), varint());
      else if (wire === 2) { const n = varint(); out.set(Math.floor(tag / 8), bytes.subarray(i, i + n)); i += n; }
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else break;
    }
    return out;
  };
  const asBytes = (data) => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  const received = (bytes) => {
    const status = fields(bytes).get(6);
    if (status !== undefined && status !== 2) runs.finished = performance.now();
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!this.__plannerWatched) {
      this.__plannerWatched = true;
      this.addEventListener('message', (event) => {
        if (event.data instanceof Blob) event.data.arrayBuffer().then((b) => received(new Uint8Array(b)));
        else { const bytes = asBytes(event.data); if (bytes) received(bytes); }
      });
    }
    const bytes = asBytes(data);
    if (bytes && fields(bytes).has(11)) runs.asked = performance.now();
    return send.call(this, data);
  };
})();"""


def launch(playwright, chromium: str, *extra_args: str):
    """Debian's Chromium, headless; every page of every context made from it carries the runs
    watcher ``wait_for_app`` reads."""
    browser = playwright.chromium.launch(executable_path=chromium, args=[*CHROMIUM_ARGS, *extra_args])
    new_context, new_page = browser.new_context, browser.new_page

    def watched_context(**options):
        context = new_context(**options)
        context.add_init_script(RUNS_WATCHER)
        return context

    def watched_page(**options):  # as Playwright's own: a page in a context of its own, closed with it
        page = watched_context(**options).new_page()
        page.on("close", lambda _: page.context.close())
        return page

    browser.new_context, browser.new_page = watched_context, watched_page
    return browser


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
    """Wait until Streamlit has finished the run the page last asked for and drawn what it sent.

    The status widget alone is not enough: it shows only after a run has lasted a moment, so a
    fresh page looks idle while still blank. Streamlit marks its root with the script's state,
    but a page that has just asked for a run still shows the last one's "not running" until the
    server starts the new one, which a busy server may do late (``RUNS_WATCHER``).
    """
    # The run the page last asked for has finished, however long the server took to start it
    # (a page without the watcher, or one that is navigating, waits a fixed moment instead).
    try:
        watched = page.evaluate("() => !!window.__plannerRuns")
    except Exception:  # noqa: BLE001 - the page is navigating: its next document is waited for below
        watched = False
    page.wait_for_timeout(20 if watched else 100)  # the page's handlers (a click sends as it is handled)
    if watched:
        page.wait_for_function("() => { const r = window.__plannerRuns; return !r || r.finished >= r.asked; }",
                               timeout=30_000)
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
