"""Accounts, passwords, sessions and one-time sign-in codes.

scrypt costs about 50 ms per hash (adding a user, checking or setting a password), so these
tests create as few users as they can.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner import NotFound, User, ValidationError

ADMIN_PASSWORD = "correct-horse-battery-staple"
ORGANIZER_PASSWORD = "Tr0ub4dor&3-but-longer"


@pytest.fixture
def admin(planner):
    return planner.add_user(email="Olga.Admin@Example.org", name="Olga Admin", password=ADMIN_PASSWORD, role="admin")


@pytest.fixture
def organizer(planner):
    return planner.add_user(email="sam@example.org", name="Sam Organizer", password=ORGANIZER_PASSWORD)


def database_bytes(planner) -> bytes:
    """The database file and its write-ahead log, as anyone copying them would see them."""
    path = Path(planner.path)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def users_row(planner, user_id: int) -> dict:
    conn = sqlite3.connect(planner.path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM users WHERE id = ?", [user_id]).fetchone())
    finally:
        conn.close()


# ---------------------------------------------------------------------- add_user


def test_add_user(planner, admin, organizer):
    assert isinstance(admin, User)
    assert (admin.email, admin.name, admin.role, admin.is_admin) == (
        "olga.admin@example.org", "Olga Admin", "admin", True,
    )
    assert (organizer.role, organizer.is_admin) == ("organizer", False)  # the default role
    assert planner.get_user(admin.id) == admin
    assert planner.list_users() == [admin, organizer]
    assert planner.has_admin()


def test_no_admin_in_a_new_planner(planner):
    assert not planner.has_admin() and planner.list_users() == []


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "two@@example.org"}, "email"),
        ({"name": "  "}, "name"),
        ({"name": "Bad\x00Name"}, "name"),
        ({"role": "superuser"}, "role"),
        ({"password": "short"}, "password"),
        ({"password": None}, "password"),
        ({"password": "x" * 1001}, "password"),
    ],
)
def test_add_user_refuses_bad_input_and_writes_nothing(planner, assert_refused, fields, field):
    values = dict(email="new@example.org", name="New Person", password="long-enough-password", role="organizer")
    values.update(fields)
    assert_refused(lambda: planner.add_user(**values), field=field)
    assert planner.list_users() == []


def test_one_account_per_email_whatever_its_case(planner, organizer, assert_refused):
    error = assert_refused(
        lambda: planner.add_user(email="SAM@example.org", name="Sam Again", password="another-password"),
        field="email",
    )
    assert "sam@example.org" in str(error)


def test_unknown_user_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.get_user(99), exc=NotFound)


# ---------------------------------------------------------------------- authenticate


def test_authenticate_with_the_right_password(planner, admin):
    assert planner.authenticate("  OLGA.ADMIN@example.org ", ADMIN_PASSWORD) == admin


def test_a_wrong_password_and_an_unknown_email_both_give_none(planner, admin):
    assert planner.authenticate(admin.email, ADMIN_PASSWORD + "!") is None
    assert planner.authenticate("nobody@example.org", ADMIN_PASSWORD) is None
    assert planner.authenticate(admin.email, "") is None
    assert planner.authenticate(None, None) is None


def test_passwords_are_stored_hashed_never_in_clear(planner, admin):
    stored = users_row(planner, admin.id)["password_hash"]
    assert stored.startswith("scrypt$")
    assert ADMIN_PASSWORD not in stored
    raw = database_bytes(planner)
    assert b"olga.admin@example.org" in raw  # we are looking at the right bytes
    assert ADMIN_PASSWORD.encode() not in raw
    assert ADMIN_PASSWORD.encode("utf-16-le") not in raw


def test_the_same_password_hashes_differently_for_each_user(planner, admin):
    other = planner.add_user(email="twin@example.org", name="Twin", password=ADMIN_PASSWORD)
    assert users_row(planner, admin.id)["password_hash"] != users_row(planner, other.id)["password_hash"]


# ---------------------------------------------------------------------- set_password


def test_set_password_replaces_the_old_one_and_signs_out_everywhere(planner, organizer):
    token = planner.start_session(organizer.id)
    planner.set_password(organizer.id, "a-brand-new-password")
    assert planner.authenticate(organizer.email, "a-brand-new-password") == organizer
    assert planner.authenticate(organizer.email, ORGANIZER_PASSWORD) is None
    assert planner.session_user(token) is None
    assert b"a-brand-new-password" not in database_bytes(planner)


@pytest.mark.parametrize("password", ["short", "", None, 1234567890])
def test_set_password_refuses_a_weak_password(planner, organizer, assert_refused, password):
    assert_refused(lambda: planner.set_password(organizer.id, password), field="password")


def test_set_password_of_an_unknown_user_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.set_password(99, "long-enough-password"), exc=NotFound)


# ---------------------------------------------------------------------- sessions


def test_a_session_knows_its_user_until_it_ends(planner, organizer):
    token = planner.start_session(organizer.id)
    assert isinstance(token, str) and len(token) >= 32
    assert planner.session_user(token) == organizer
    planner.end_session(token)
    assert planner.session_user(token) is None
    planner.end_session(token)  # ending twice is harmless
    planner.end_session(None)


@pytest.mark.parametrize("token", [None, "", "made-up-token", "x" * 500, 12345])
def test_unknown_session_tokens_give_none(planner, organizer, token):
    planner.start_session(organizer.id)
    assert planner.session_user(token) is None


def test_session_tokens_are_stored_hashed(planner, organizer):
    token = planner.start_session(organizer.id)
    assert token.encode() not in database_bytes(planner)


def test_each_session_is_its_own(planner, organizer):
    first, second = planner.start_session(organizer.id), planner.start_session(organizer.id)
    assert first != second
    planner.end_session(first)
    assert planner.session_user(second) == organizer


def test_a_session_idle_for_more_than_12_hours_expires(planner, organizer, clock):
    token = planner.start_session(organizer.id)
    clock.advance(hours=12, seconds=1)
    assert planner.session_user(token) is None
    clock.advance(seconds=-10)  # even going back, an expired session stays gone
    assert planner.session_user(token) is None


def test_using_a_session_keeps_it_alive(planner, organizer, clock):
    token = planner.start_session(organizer.id)
    for _ in range(3):
        clock.advance(hours=11)
        assert planner.session_user(token) == organizer
    clock.advance(hours=12, minutes=1)
    assert planner.session_user(token) is None


def test_start_session_for_an_unknown_user_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.start_session(99), exc=NotFound)


# ---------------------------------------------------------------------- sign-in codes


def test_a_sign_in_code_becomes_a_session_once(planner, organizer, clock):
    code = planner.issue_sign_in_code(organizer.id)
    assert code.encode() not in database_bytes(planner)
    token = planner.redeem_sign_in_code(code)
    assert planner.session_user(token) == organizer
    assert planner.redeem_sign_in_code(code) is None  # single use


def test_a_sign_in_code_expires_after_two_minutes(planner, organizer, clock):
    fresh = planner.issue_sign_in_code(organizer.id)
    stale = planner.issue_sign_in_code(organizer.id)
    clock.advance(minutes=1, seconds=59)
    assert planner.session_user(planner.redeem_sign_in_code(fresh)) == organizer
    clock.advance(seconds=2)
    assert planner.redeem_sign_in_code(stale) is None


@pytest.mark.parametrize("code", [None, "", "guessed-code", "y" * 500])
def test_unknown_sign_in_codes_give_none(planner, organizer, code):
    planner.issue_sign_in_code(organizer.id)
    assert planner.redeem_sign_in_code(code) is None


def test_sign_in_code_for_an_unknown_user_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.issue_sign_in_code(99), exc=NotFound)


# ---------------------------------------------------------------------- remove_user


def test_remove_user_deletes_the_account_and_its_sessions(planner, admin, organizer):
    token = planner.start_session(organizer.id)
    planner.remove_user(organizer.id)
    assert planner.list_users() == [admin]
    assert planner.session_user(token) is None
    with pytest.raises(NotFound):
        planner.get_user(organizer.id)


def test_the_last_admin_cannot_be_removed(planner, admin, organizer, assert_refused):
    error = assert_refused(lambda: planner.remove_user(admin.id))
    assert "admin" in str(error)
    assert planner.get_user(admin.id) == admin


def test_an_admin_can_be_removed_while_another_remains(planner, admin):
    second = planner.add_user(email="second@example.org", name="Second Admin", password=ADMIN_PASSWORD, role="ADMIN")
    assert second.is_admin
    planner.remove_user(admin.id)
    assert planner.list_users() == [second]
    with pytest.raises(ValidationError):
        planner.remove_user(second.id)


def test_removing_an_unknown_user_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.remove_user(99), exc=NotFound)
