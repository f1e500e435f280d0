"""Helpers for the browser journeys: a real `streamlit run app.py` and Debian's Chromium.

Outside CI a missing Chromium skips the journeys with a message; with CI=true it fails them,
so a green CI run always means the journeys ran.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` on 127.0.0.1 with its own database, stopped at the end."""

    def __init__(self, tmp_path: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = tmp_path / "planner.db"
        self.log = tmp_path / "server.log"
        self.env = {
            **os.environ,
            "PLANNER_DB": str(self.db),
            "PLANNER_BASE_URL": self.url,
            "PLANNER_DEMO": "on",
            "PLANNER_ADMIN_EMAIL": "admin@example.org",
            "PLANNER_ADMIN_PASSWORD": "correct-horse-battery",
            **env,
        }
        self.process = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.port", str(self.port),
                "--server.address", "127.0.0.1",
                "--server.headless", "true",
                "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy:\n{self.log.read_text()}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def launch(playwright, chromium: str):
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


def screenshot(page, name: str) -> Path:
    wait_for_app(page)  # a page caught mid-run shows grey placeholders, not what people see
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
