"""Sign-in throttling and the record of failed sign-ins (issue #9).

The policy (``planner/areas/accounts.py``, ``LIMITS``): in the last 15 minutes, from 5 failures
of one email (20 from one address) the next attempt waits 1 minute after the latest failure;
from 10 (30 from one address) it waits 15 minutes. A wait never tells whether an account
exists. scrypt costs about 50 ms per checked password, so these tests check few.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner import PermissionDenied, ValidationError
from planner.access import PUBLIC, of_user
from planner.areas import accounts as accounts_area
from tests.domain.test_users import database_bytes
from tests.domain.threads import run_together

PASSWORD = "the-right-password-42"
GUESS = "Sesame-Guess-7f3a9c"  # a wrong password easy to find in the file's bytes
HOME, ELSEWHERE = "203.0.113.7", "198.51.100.4"


@pytest.fixture
def sam(planner):
    return planner.add_user(email="sam@example.org", name="Sam Organizer", password=PASSWORD)


def attempt(planner, email, password=GUESS, client=HOME):
    """One sign-in: the user, None (wrong), or the refusal to try now."""
    try:
        return planner.authenticate(email, password, client=client)
    except ValidationError as err:
        return err


def is_wait(answer, minutes: int) -> bool:
    return (isinstance(answer, ValidationError) and answer.code == "sign_in_throttled"
            and answer.params == {"wait": timedelta(minutes=minutes)})


def test_thirty_wrong_passwords_lock_the_account_for_a_while(planner, clock, sam):
    answers = [attempt(planner, sam.email) for _ in range(30)]
    assert answers[:5] == [None] * 5  # five are checked at once
    assert all(is_wait(a, 1) for a in answers[5:]), answers[5:]  # the rest are told to wait a minute
    assert str(answers[5]) == "Too many sign-in attempts. Wait 1 minute and try again."
    for _ in range(5):  # a patient guesser: one a minute
        clock.advance(minutes=1)
        assert attempt(planner, sam.email) is None
    for waited in range(15):  # ten failures: locked for 15 minutes after the latest
        locked = attempt(planner, sam.email)
        assert is_wait(locked, 15 - waited), (waited, locked)
        clock.advance(minutes=1)
    assert is_wait(locked, 1) and str(locked) == "Too many sign-in attempts. Wait 1 minute and try again."
    assert len(planner.sign_in_failures()) == 10
    assert attempt(planner, sam.email) is None  # the lock is over


def test_a_guesser_never_gets_more_than_ten_guesses_in_fifteen_minutes(planner, clock, sam):
    checked = []
    for _ in range(6 * 60):  # one attempt every 10 seconds for an hour
        if attempt(planner, sam.email) is None:
            checked.append(clock.now)
        clock.advance(seconds=10)
    assert len(checked) >= 20  # it was let through now and then…
    for i, start in enumerate(checked):  # …but never more than 10 in any 15 minutes
        assert sum(start <= t < start + timedelta(minutes=15) for t in checked[i:]) <= 10


def test_the_right_password_waits_during_the_lockout_and_works_after_it(planner, clock, sam):
    for _ in range(5):
        attempt(planner, sam.email)
    clock.advance(minutes=1)
    for _ in range(5):
        attempt(planner, sam.email)
        clock.advance(minutes=1)
    assert is_wait(attempt(planner, sam.email, PASSWORD), 14)
    assert is_wait(attempt(planner, sam.email, PASSWORD, client=ELSEWHERE), 14)  # another machine too
    clock.advance(minutes=14)
    assert attempt(planner, sam.email, PASSWORD) == sam
    assert len(planner.sign_in_failures()) == 10  # the right one is not a failure


def test_a_wait_is_the_same_for_an_account_that_exists_and_one_that_does_not(planner, clock, sam, monkeypatch):
    checks = []
    real_verify = accounts_area.security.verify_password
    monkeypatch.setattr(accounts_area.security, "verify_password", lambda *a: checks.append(1) or real_verify(*a))

    def story(email, client):
        answers = []
        for step in range(20):
            before = len(checks)
            answer = attempt(planner, email, client=client)
            answers.append((answer, len(checks) - before))  # and how many passwords it checked
            clock.advance(seconds=40 if step % 2 else 30)
        return answers

    start = clock.now
    known = story(sam.email, HOME)
    clock.now = start
    unknown = story("nobody@example.org", ELSEWHERE)
    assert [(a, n) for a, n in known if a is None] == [(None, 1)] * 10  # one scrypt check each, dummy or real
    for (a, n), (b, m) in zip(known, unknown, strict=True):
        assert type(a) is type(b) and n == m
        if a is not None:
            assert (a.code, a.field, a.params, str(a)) == (b.code, b.field, b.params, str(b))
            assert n == 0  # a wait checks no password, so it takes no longer for either
    assert any(is_wait(a, 15) for a, _n in known)


def test_a_refused_attempt_writes_nothing(planner, clock, sam, assert_refused):
    for _ in range(5):
        attempt(planner, "nobody@example.org")
    error = assert_refused(lambda: planner.authenticate("nobody@example.org", PASSWORD, client=HOME), field=None)
    assert error.code == "sign_in_throttled"


def test_failures_are_logged_with_email_address_and_time_never_the_password(planner, clock, sam):
    assert attempt(planner, "  SAM@Example.org ", client="203.0.113.7") is None
    clock.advance(seconds=5)
    assert attempt(planner, "Mallory@Example.org", client="2001:db8:1:2:aaaa::1") is None
    clock.advance(seconds=5)
    assert attempt(planner, sam.email, PASSWORD) == sam
    failures = planner.sign_in_failures()
    assert [(f.email, f.address, f.failed_at) for f in failures] == [
        ("mallory@example.org", "2001:db8:1:2::/64", clock.now - timedelta(seconds=5)),
        ("sam@example.org", "203.0.113.7", clock.now - timedelta(seconds=10)),
    ]
    raw = database_bytes(planner)
    assert b"mallory@example.org" in raw  # we are looking at the right bytes
    assert GUESS.encode() not in raw and GUESS.encode("utf-16-le") not in raw
    assert PASSWORD.encode() not in raw


def test_one_address_cannot_spray_many_accounts(planner, clock, sam):
    for n in range(20):  # one guess each at twenty accounts
        assert attempt(planner, f"person{n}@example.org") is None
    assert is_wait(attempt(planner, "person20@example.org"), 1)
    for n in range(20, 30):
        clock.advance(minutes=1)
        assert attempt(planner, f"person{n}@example.org") is None
    assert is_wait(attempt(planner, "someone.new@example.org"), 15)
    assert is_wait(attempt(planner, sam.email, PASSWORD), 15)  # that machine waits, whichever account
    assert attempt(planner, sam.email, PASSWORD, client=ELSEWHERE) == sam  # the account itself is fine
    ipv6 = "2001:db8:1:2::"  # one machine's /64: any address in it counts as one
    for n in range(20):
        assert attempt(planner, f"v6-{n}@example.org", client=f"{ipv6}{n + 1:x}") is None
    assert is_wait(attempt(planner, "v6-new@example.org", client=f"{ipv6}ffff"), 1)


def test_guesses_at_the_same_moment_are_counted_exactly(planner, clock, sam):
    answers = []
    errors = run_together(lambda n: answers.append(attempt(planner, sam.email)), 20)
    assert not errors
    assert answers.count(None) == 5 and sum(is_wait(a, 1) for a in answers) == 15
    assert len(planner.sign_in_failures()) == 5


def test_failures_older_than_thirty_days_go_when_new_ones_are_written(planner, clock, sam):
    attempt(planner, "old@example.org")
    clock.advance(days=30, seconds=1)
    assert [f.email for f in planner.sign_in_failures()] == ["old@example.org"]
    attempt(planner, "new@example.org")
    assert [f.email for f in planner.sign_in_failures()] == ["new@example.org"]


def test_admins_see_failed_sign_ins_and_nobody_else_does(planner, clock, sam, assert_refused):
    admin = planner.add_user(email="boss@example.org", name="Boss", password=PASSWORD, role="admin")
    attempt(planner, "mallory@example.org")
    assert [f.email for f in planner.sign_in_failures(actor=of_user(admin))] == ["mallory@example.org"]
    for actor in (of_user(sam), PUBLIC):
        error = assert_refused(lambda: planner.sign_in_failures(actor=actor), exc=PermissionDenied)
        assert error.code == "admin_only"
