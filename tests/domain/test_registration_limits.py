"""Flood limits on registrations (issue #9): four scripted sessions made 508 registrations in
20 s and filled an 80-place room in 3.5 s. Per browser session, per client address and per
event, a number a minute (``planner/ratelimit.py``); a refused attempt writes nothing and
counts against nothing, while hundreds of people behind one conference Wi-Fi still register.
"""

from __future__ import annotations

import pytest

from planner import ClientKey, Planner, TooManyRequests, ValidationError
from planner.config import settings_from_env
from planner.errors import ConfigurationError
from planner import ratelimit
from planner.ratelimit import RegistrationLimits, address_key, client_address
from tests.conftest import is_readable

WAIT = "Please wait a minute and try again."


def test_a_flood_from_one_session_stops_at_the_limit_and_writes_nothing(planner, open_event, assert_refused):
    event = open_event(capacity=80)
    bot = ClientKey(session="s-1", address="203.0.113.7")
    for i in range(5):  # the default: 5 a minute per browser session
        planner.register(event.id, name=f"Bot {i}", email=f"bot{i}@example.org", client=bot)
    error = assert_refused(
        lambda: planner.register(event.id, name="Bot 5", email="bot5@example.org", client=bot), exc=TooManyRequests
    )
    assert error.code == "registration_rate_limited" and str(error).endswith(WAIT)
    assert planner.event_counts(event.id).confirmed == 5


def test_a_flood_from_one_address_with_fresh_sessions_stops_at_the_address_limit(planner, open_event, assert_refused):
    event = open_event(capacity=200)
    for i in range(60):  # the default: 60 a minute per address; every attempt a new session
        planner.register(event.id, name=f"Bot {i}", email=f"bot{i}@example.org",
                         client=ClientKey(session=f"s-{i}", address="198.51.100.9"))
    error = assert_refused(
        lambda: planner.register(event.id, name="Bot", email="bot-x@example.org",
                                 client=ClientKey(session="s-new", address="198.51.100.9")),
        exc=TooManyRequests,
    )
    assert error.code == "registration_rate_limited"
    # Someone else, elsewhere, is not held up.
    planner.register(event.id, name="Ana", email="ana@example.org", client=ClientKey("s-ana", "192.0.2.1"))
    assert planner.event_counts(event.id).confirmed == 61


def test_two_hundred_people_on_different_connections_in_one_minute_all_register(planner, open_event):
    event = open_event(capacity=150)
    for i in range(200):
        r = planner.register(event.id, name=f"Person {i}", email=f"p{i}@example.org",
                             client=ClientKey(session=f"s-{i}", address=f"10.0.{i // 250}.{i % 250 + 1}"))
        assert not r.already_registered
    counts = planner.event_counts(event.id)
    assert (counts.confirmed, counts.waitlisted) == (150, 50)


def test_hundreds_behind_one_conference_address_get_the_address_limit_each_minute(planner, open_event):
    """60 a minute from one Wi-Fi: the 61st person waits a minute, nobody is refused for good."""
    event = open_event()
    wifi = [ClientKey(session=f"phone-{i}", address="203.0.113.50") for i in range(61)]
    for i, phone in enumerate(wifi[:60]):
        planner.register(event.id, name=f"Delegate {i}", email=f"d{i}@example.org", client=phone)
    with pytest.raises(TooManyRequests):
        planner.register(event.id, name="Delegate 60", email="d60@example.org", client=wifi[60])


def test_the_event_limit_holds_a_flood_spread_over_many_addresses(tmp_path):
    from tests.domain.conftest import FUTURE

    planner = Planner(tmp_path / "p.db", registration_limits=RegistrationLimits(per_event=30))
    event = _published(planner, FUTURE)
    second = _published(planner, FUTURE.replace(hour=18))
    for i in range(30):
        planner.register(event.id, name=f"P {i}", email=f"p{i}@example.org", client=ClientKey(f"s{i}", f"10.1.0.{i + 1}"))
    with pytest.raises(TooManyRequests) as info:
        planner.register(event.id, name="P 30", email="p30@example.org", client=ClientKey("s30", "10.1.0.31"))
    assert info.value.code == "registration_rate_limited_event" and str(info.value).endswith(WAIT)
    assert is_readable(str(info.value))
    # Another event is not held up by this one's flood.
    planner.register(second.id, name="Ana", email="ana@example.org", client=ClientKey("s-ana", "10.2.0.1"))
    assert planner.event_counts(event.id).confirmed == 30


def _published(planner, start):
    from datetime import timedelta

    event = planner.create_event(title=f"Event at {start:%H}", starts_at=start, ends_at=start + timedelta(hours=1),
                                 timezone="UTC", online_url="https://meet.example.org/x")
    return planner.publish_event(event.id)


def test_bad_input_and_closed_events_do_not_use_up_a_limit(planner, open_event, make_event):
    """A typo costs nothing, and junk cannot use up an event's minute."""
    event = open_event()
    draft = make_event()
    me = ClientKey(session="s-me", address="192.0.2.10")
    for _ in range(10):
        with pytest.raises(ValidationError):
            planner.register(event.id, name="Ana", email="not-an-email", client=me)
        with pytest.raises(ValidationError):
            planner.register(draft.id, name="Ana", email="ana@example.org", client=me)
    for i in range(5):
        planner.register(event.id, name=f"Ana {i}", email=f"ana{i}@example.org", client=me)


def test_an_address_already_registered_counts_so_nobody_probes_addresses_for_free(planner, open_event):
    event = open_event()
    planner.register(event.id, name="Ana", email="ana@example.org")
    prober = ClientKey(session="s-probe", address="192.0.2.20")
    for _ in range(5):
        assert planner.register(event.id, name="X", email="ana@example.org", client=prober).already_registered
    with pytest.raises(TooManyRequests):
        planner.register(event.id, name="X", email="bo@example.org", client=prober)


def test_a_refused_attempt_counts_against_no_limit(planner, open_event):
    event = open_event()
    for i in range(5):
        planner.register(event.id, name=f"A {i}", email=f"a{i}@example.org", client=ClientKey("s-a", "192.0.2.30"))
    for _ in range(100):  # hammering on after the session's limit
        with pytest.raises(TooManyRequests):
            planner.register(event.id, name="A", email="a-more@example.org", client=ClientKey("s-a", "192.0.2.30"))
    # The same address from another session still has 55 of its 60.
    for i in range(55):
        planner.register(event.id, name=f"B {i}", email=f"b{i}@example.org", client=ClientKey(f"s-b{i}", "192.0.2.30"))


def test_trusted_callers_without_a_client_are_not_limited(planner, open_event):
    event = open_event(capacity=100)
    for i in range(80):
        planner.register(event.id, name=f"Imported {i}", email=f"i{i}@example.org")
    assert planner.event_counts(event.id).confirmed == 80


def test_ipv6_addresses_count_per_64_block():
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1") == "192.0.2.1"


# ---------------------------------------------------------------------- the client's address


def test_without_a_trusted_proxy_a_forwarded_header_is_never_read():
    """PLANNER_TRUSTED_PROXY off: the page passes no header at all, so a forged one changes nothing."""
    assert client_address("198.51.100.1", None) == "198.51.100.1"
    assert client_address(None, None) == "unknown"  # localhost (Streamlit gives no address): one shared key


def test_with_a_trusted_proxy_the_right_most_address_is_the_clients():
    # The client wrote "1.2.3.4" itself; the proxy appended what it saw.
    assert client_address("10.0.0.2", ["1.2.3.4, 203.0.113.7"]) == "203.0.113.7"
    assert client_address("10.0.0.2", ["1.2.3.4", "203.0.113.7"]) == "203.0.113.7"  # repeated header lines
    assert client_address("10.0.0.2", ["2001:db8::5"]) == "2001:db8::5"
    # Missing or not an address (a proxy set up wrong): the connection's address, never the junk.
    assert client_address("10.0.0.2", []) == "10.0.0.2"
    assert client_address("10.0.0.2", ["1.2.3.4, not-an-ip"]) == "10.0.0.2"


def test_the_limits_and_the_trusted_proxy_come_from_the_environment(tmp_path):
    base = {"PLANNER_DB": str(tmp_path / "p.db")}
    settings = settings_from_env(base)
    assert settings.trusted_proxy is None
    assert settings.registration_limits == RegistrationLimits(per_session=5, per_address=60, per_event=600)
    settings = settings_from_env({**base, "PLANNER_TRUSTED_PROXY": " X-Forwarded-For ",
                                  "PLANNER_REGISTRATIONS_PER_SESSION": "7", "PLANNER_REGISTRATIONS_PER_ADDRESS": "1000",
                                  "PLANNER_REGISTRATIONS_PER_EVENT": "5000"})
    assert settings.trusted_proxy == "x-forwarded-for"
    assert settings.registration_limits == RegistrationLimits(per_session=7, per_address=1000, per_event=5000)


@pytest.mark.parametrize(
    "name, value",
    [("PLANNER_REGISTRATIONS_PER_SESSION", "0"), ("PLANNER_REGISTRATIONS_PER_ADDRESS", "-5"),
     ("PLANNER_REGISTRATIONS_PER_EVENT", "lots"), ("PLANNER_REGISTRATIONS_PER_EVENT", "1.5"),
     ("PLANNER_TRUSTED_PROXY", "X-Forwarded-For: 1.2.3.4"), ("PLANNER_TRUSTED_PROXY", "a b")],
)
def test_a_limit_or_proxy_setting_that_makes_no_sense_stops_the_start_in_words(tmp_path, name, value):
    with pytest.raises(ConfigurationError) as info:
        settings_from_env({"PLANNER_DB": str(tmp_path / "p.db"), name: value})
    assert is_readable(str(info.value)) and value in str(info.value), str(info.value)


def test_the_limits_store_is_swept_every_few_seconds_and_forgets_sessions_whose_minute_is_over(monkeypatch):
    """``limits`` walked every key 10 ms after any hit, on a timer thread, and kept every key
    whose entries had expired: every session ever seen, walked a hundred times a second. The
    limiter sweeps instead, at most every ``CLEAN_EVERY`` seconds as it counts, and drops the
    emptied keys; the limits still count by the entries' own times."""
    limiter = ratelimit.RegistrationLimiter(ratelimit.RegistrationLimits(per_session=2))
    storage = limiter._storage
    client = ClientKey("browser-1", "192.0.2.7")
    for _ in range(2):
        limiter.count(limiter.check(client, 1))
    with pytest.raises(TooManyRequests):  # the window, not the sweep, decides
        limiter.check(client, 1)
    assert not storage.timer.is_alive()  # no clean-up thread
    assert len(storage.events) == 3  # session, address, event
    for n in range(3, 40):  # sessions that each register once
        limiter.count(limiter.check(ClientKey(f"browser-{n}", "192.0.2.7"), 1))
    assert len(storage.events) == 40 and not storage.sweep()  # not yet: CLEAN_EVERY has not passed

    for entries in storage.events.values():  # as if their minute had passed
        for entry in entries:
            entry.atime -= 61
            entry.expiry -= 61
    monkeypatch.setattr(ratelimit, "CLEAN_EVERY", 0.0)
    limiter.count(limiter.check(ClientKey("browser-new", "192.0.2.8"), 2))  # counts, then sweeps
    assert sorted(key.split("/")[2:4] for key in storage.events) == [
        ["address", "192.0.2.8"], ["event", "2"], ["session", "browser-new"]]
    assert set(storage.locks) <= set(storage.events)
    limiter.count(limiter.check(client, 1))  # browser-1's minute is over: it registers again


def test_the_link_limiter_is_swept_the_same_way(monkeypatch):
    limiter = ratelimit.LinkRequestLimiter(per_session="2/minute", per_address="100/minute")
    for n in range(10):
        limiter.hit(ClientKey(f"browser-{n}", "192.0.2.7"))
    assert len(limiter._storage.events) == 11 and not limiter._storage.timer.is_alive()
    for entries in limiter._storage.events.values():
        for entry in entries:
            entry.atime -= 61
            entry.expiry -= 61
    monkeypatch.setattr(ratelimit, "CLEAN_EVERY", 0.0)
    limiter.hit(ClientKey("browser-0", "192.0.2.7"))
    assert len(limiter._storage.events) == 2


def test_a_sweep_that_fails_does_not_fail_the_registration_it_follows(planner, open_event, monkeypatch, caplog):
    """The sweep runs after a registration is written: if it breaks (a new ``limits`` inside),
    the person is still registered and told so, and the log says what failed."""
    def broken(self):
        raise AttributeError("renamed")

    monkeypatch.setattr(ratelimit, "CLEAN_EVERY", 0.0)
    monkeypatch.setattr(ratelimit._Storage, "_MemoryStorage__expire_events", broken)
    event = open_event(capacity=10)
    done = planner.register(event.id, name="Sam Sweep", email="sam.sweep@example.org", client=ClientKey("s-1", "192.0.2.9"))
    assert done.status == "confirmed"
    assert "sweeping the flood limits' store failed" in caplog.text
