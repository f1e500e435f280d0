"""A real server's start and sign-in routes: the plain-HTTP half of ``tests/domain/test_config.py``.

Here, not under ``domain/``, because each test starts ``streamlit run app.py`` and talks HTTP
to it; no browser is needed, so these run with ``-m "not browser"``.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from bench.server import AppServer
from planner import Planner


def test_the_server_stops_at_start_with_a_plain_message_for_a_bad_base_url(tmp_path):
    import subprocess
    import sys

    from bench.server import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "PLANNER_DB": str(tmp_path / "p.db"), "PLANNER_BASE_URL": "events.example.org"},
    )
    assert result.returncode != 0
    assert "cannot start: The base URL “events.example.org” must be a web address" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def _get(server, path, cookie=None):
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    return response


def test_sign_in_route_swaps_a_code_for_a_session_cookie_once(tmp_path):
    with AppServer(tmp_path, env={"PLANNER_DEMO": "off"}) as server:
        p = Planner(server.db)
        admin = p.list_users()[0]
        code = p.issue_sign_in_code(admin.id)

        response = _get(server, f"/auth/sign-in?code={code}&next=/organize")
        assert response.status == 303 and response.getheader("Location") == "/organize"
        cookie = response.getheader("Set-Cookie")
        assert cookie.startswith("planner_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
        token = cookie.split(";")[0].split("=", 1)[1]
        assert p.session_user(token) == admin

        again = _get(server, f"/auth/sign-in?code={code}")
        assert again.status == 303 and again.getheader("Location") == "/organize?signin=expired"
        assert again.getheader("Set-Cookie") is None

        out = _get(server, "/auth/sign-out", cookie=f"planner_session={token}")
        assert out.status == 303 and out.getheader("Location") == "/"
        assert p.session_user(token) is None

        assert _get(server, "/auth/sign-in", cookie=None).getheader("Location") == "/organize?signin=expired"


def test_the_server_stops_at_start_with_a_plain_message_on_a_database_it_cannot_write(tmp_path):
    """/proc takes no new files, not even from root (CI runs as root, for whom file modes do not count)."""
    import subprocess
    import sys

    from bench.server import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "PLANNER_DB": "/proc/planner.db"},
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "cannot start: The database /proc/planner.db cannot be written" in output, output
    assert "Traceback" not in output
