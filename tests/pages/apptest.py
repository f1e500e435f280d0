"""Helpers for the page tests: an ``AppTest`` of the app, signed in or not, and what it shows.

``planner/ui/main.py`` is the entry file ``app.py`` hands to Streamlit; AppTest runs it
against the database the ``app_planner`` fixture (``conftest.py``) configured.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

MAIN = str(Path(__file__).resolve().parents[2] / "planner" / "ui" / "main.py")
DIALOGUE = "GCM celebration and civil society dialogue"


def app(**query) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def signed_in(app_planner, role="admin") -> AppTest:
    email = "admin@example.org" if role == "admin" else "org@example.org"
    user = next((u for u in app_planner.list_users() if u.email == email), None)
    if user is None:
        user = app_planner.add_user(email=email, name="Olga Organizer", password="another-long-pass", role=role)
    at = app()
    at.session_state["session_token"] = app_planner.start_session(user.id)
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [h.value for h in at.header]
    parts += [s.value for s in at.subheader]
    parts += [c.value for c in at.caption] + [e.value for e in at.error] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def dialogue(app_planner):
    return next(e for e in app_planner.list_events() if e.title.startswith(DIALOGUE))


def event_page(app_planner, event_id, at=None) -> AppTest:
    at = at if at is not None else app()
    at.query_params["id"] = str(event_id)
    at.run()
    at.switch_page("event_page.py").run()
    return at


def seen(at: AppTest) -> str:
    """The page's text as a reader sees it: Markdown's backslash escapes and the invisible word
    joiners ``escape_md`` puts where a link or shortcode would start taken out."""
    import re

    return re.sub(r"\\(.)", r"\1", texts(at)).replace("\u2060", "")
