"""The sign-in page under throttling, and the failed sign-ins admins see (issue #9)."""

from __future__ import annotations

import re

from tests.pages.apptest import app, no_exception, signed_in, texts

ADMIN_PASSWORD = "correct-horse-battery"  # the app_planner's first admin


def sign_in(email: str, password: str):
    at = app().run()
    at.switch_page("sign_in.py").run()
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click().run()
    no_exception(at)
    return at


def test_the_sign_in_page_says_how_long_to_wait_after_too_many_wrong_passwords(app_planner):
    for _ in range(5):
        assert app_planner.authenticate("admin@example.org", "not the password") is None
    at = sign_in("Admin@Example.org", ADMIN_PASSWORD)  # even the right password waits now
    assert "Too many sign-in attempts. Wait 1 minute and try again." in [e.value for e in at.error]
    assert "do not match" not in texts(at)
    assert "sign_in_code" not in at.session_state


def test_a_wait_reads_the_same_on_the_page_for_an_unknown_email(app_planner):
    for email in ("admin@example.org", "nobody@example.org"):
        for _ in range(5):
            assert app_planner.authenticate(email, "not the password") is None
    known = sign_in("admin@example.org", "not the password")
    unknown = sign_in("nobody@example.org", "not the password")
    assert [e.value for e in known.error] == [e.value for e in unknown.error]
    assert "Too many sign-in attempts" in known.error[0].value


def test_admins_see_the_failed_sign_ins_on_the_accounts_page(app_planner):
    app_planner.authenticate("Mallory@Example.org ", "a guess at a password", client="203.0.113.9")
    at = signed_in(app_planner, role="admin").run()
    at.switch_page("accounts.py").run()
    no_exception(at)
    assert "Failed sign-ins" in texts(at)
    table = at.dataframe[1].value
    assert table["Email as typed"].tolist() == ["mallory@example.org"]
    assert table["IP address"].tolist() == ["203.0.113.9"]
    when = table["Time"].tolist()[0]
    assert re.fullmatch(r"\w{3} \d{2} \w{3} \d{2}:\d{2}:\d{2} UTC", when), when  # "Mon 30 Nov 08:31:05 UTC"
    assert "a guess at a password" not in str(table)


def test_the_accounts_page_says_when_there_are_no_failed_sign_ins(app_planner):
    at = signed_in(app_planner, role="admin").run()
    at.switch_page("accounts.py").run()
    no_exception(at)
    assert "No failed sign-ins in the last 30 days." in texts(at)
    assert len(at.dataframe) == 1  # the accounts only
