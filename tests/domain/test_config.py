"""Settings from the environment, the first start (admin account) and where sign-in may send
people back to. What a real server does with them is in ``tests/routes/test_sign_in_routes.py``."""

from __future__ import annotations

import stat

import pytest

from planner import Planner
from planner.config import Settings, ensure_admin, settings_from_env
from planner.web import safe_next


def test_settings_have_documented_defaults():
    s = settings_from_env({})
    assert str(s.db_path) == "data/planner.db"
    assert s.base_url == "http://localhost:8501"
    assert s.demo is True and s.admin_email is None and not s.secure_cookies
    s = settings_from_env({"PLANNER_DEMO": "off", "PLANNER_BASE_URL": "https://events.example.org/"})
    assert s.demo is False and s.base_url == "https://events.example.org" and s.secure_cookies


@pytest.mark.parametrize(
    "base_url",
    ["events.example.org", "ftp://events.example.org", "https://", "https://x.org/?a=1", "https://x.org/#top", "",
     "https://exa\tmple.org", "https://example.org/side events"],
)
def test_a_base_url_that_cannot_start_links_is_refused_before_anything_opens(tmp_path, base_url):
    from planner import ValidationError

    with pytest.raises(ValidationError, match="base URL") as refused:
        Planner(tmp_path / "planner.db", base_url=base_url)
    assert refused.value.field == "base_url"
    assert not (tmp_path / "planner.db").exists()


def test_the_base_url_may_have_a_path_and_loses_its_trailing_slash(tmp_path):
    assert Planner(tmp_path / "p.db", base_url=" https://example.org/side-events/ ").base_url == (
        "https://example.org/side-events"
    )


@pytest.mark.parametrize(
    "raw, url, secure",
    [(" https://events.example.org/ ", "https://events.example.org", True),
     ("HTTPS://events.example.org", "https://events.example.org", True),
     ("http://localhost:8501", "http://localhost:8501", False)],
)
def test_the_settings_carry_one_normalized_base_url_for_links_and_cookies(raw, url, secure):
    settings = settings_from_env({"PLANNER_BASE_URL": raw})
    assert (settings.base_url, settings.secure_cookies) == (url, secure)


def test_a_contact_email_that_is_not_an_address_is_refused(tmp_path):
    from planner import ValidationError

    with pytest.raises(ValidationError, match="email") as refused:
        Planner(tmp_path / "planner.db", contact_email="events at example dot org")
    assert refused.value.field == "contact_email"


def test_first_start_without_credentials_writes_a_private_password_file(tmp_path):
    p = Planner(tmp_path / "planner.db")
    settings = Settings(p.path, "http://localhost:8501", False, None, None)
    message = ensure_admin(p, settings)
    path = tmp_path / "admin-password.txt"
    assert str(path) in message
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    password = path.read_text().split("password: ")[1].strip()
    user = p.authenticate("admin@example.org", password)
    assert user is not None and user.is_admin
    assert ensure_admin(p, settings) is None  # only once


def test_first_start_with_credentials_uses_them(tmp_path):
    p = Planner(tmp_path / "planner.db")
    ensure_admin(p, Settings(p.path, "", False, "Boss@Example.org", "a-long-password"))
    assert p.authenticate("boss@example.org", "a-long-password").is_admin
    assert not (tmp_path / "admin-password.txt").exists()


@pytest.mark.parametrize(
    "value, expected",
    [("/organize", "/organize"), ("//evil.example", "/organize"), ("https://evil.example", "/organize"),
     (None, "/organize"), ("/\\evil", "/organize")],
)
def test_sign_in_redirects_stay_on_this_site(value, expected):
    assert safe_next(value) == expected
