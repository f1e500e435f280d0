"""Reconfirmation and no-shows (issue #12): "Still coming?" before the deadline, each link
usable once and only by its guest, places released to the waiting list, the no-show history and
the overbooking it suggests, and the door that never lets more people in than the room holds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from planner import NotFound, Planner, ValidationError
from planner.areas import ticket_codes
from tests.conftest import table_rows


@pytest.fixture
def mailer(tmp_path, smtp_server):
    return Planner(tmp_path / "planner.db", smtp=smtp_server.settings(), base_url="https://events.example.org")


@pytest.fixture
def asking(planner, open_event, clock):
    """``asking(capacity=2, release=False, overbooking=0)``: a published event asking "Still
    coming?", the clock three days before its start."""
    def make(capacity=2, release=False, overbooking=0, **fields):
        event = open_event(capacity=capacity, **fields)
        planner.set_reconfirmation(event.id, enabled=True, release_unanswered=release, overbooking=overbooking)
        clock.now = event.starts_at - timedelta(days=3)
        return event
    return make


def _token(planner, registration_id):
    return ticket_codes.reconfirm_token(planner._checkin_key, registration_id)


def _ask(planner, event, clock):
    """Moves the clock to the time of asking (24 h before the deadline, the start for now) and
    runs the sender's pass without a mail server (messages wait in the outbox)."""
    clock.now = event.starts_at - timedelta(hours=23)
    with planner._db.write() as db:
        planner._reconfirm_pass(db)


def _kinds(planner, registration_id):
    return [m.kind for m in planner.outbox() if m.registration_id == registration_id]


# ---------------------------------------------------------------------- asking


def test_guests_confirmed_by_then_are_asked_once_by_email_with_two_links(mailer, smtp_server, clock):
    from tests.domain.test_email import inbox
    from tests.domain.conftest import FUTURE

    room = mailer.add_room(venue_id=mailer.add_venue(name="V", timezone="America/New_York").id, name="R", capacity=1)
    event = mailer.publish_event(mailer.create_event(title="Borders dialogue", starts_at=FUTURE,
                                                     ends_at=FUTURE + timedelta(hours=2), room_id=room.id,
                                                     reminder_hours=None).id)
    mailer.set_reconfirmation(event.id, enabled=True, release_unanswered=True, overbooking=0)
    clock.now = event.starts_at - timedelta(days=3)
    ana = mailer.register(event.id, name="Ana", email="ana@example.org")
    mailer.register(event.id, name="Bo", email="bo@example.org")  # waiting: not asked
    mailer.deliver_outbox()
    clock.now = event.starts_at - timedelta(hours=23)
    assert mailer.deliver_outbox()["sent"] == 1
    assert mailer.deliver_outbox()["sent"] == 0  # once
    (asked,) = [m for m in inbox(smtp_server) if m["Subject"].startswith("Still coming?")]
    assert "ana@example.org" in asked["To"] and "Borders dialogue" in asked["Subject"]
    token = _token(mailer, ana.id)
    yes = f"https://events.example.org/still-coming?t={token}&a=yes"
    no = f"https://events.example.org/still-coming?t={token}&a=no"
    plain = asked.get_body(("plain",)).get_content()
    html = asked.get_body(("html",)).get_content()
    assert yes in plain and no in plain and "Yes, I'm coming" in plain and "I can't come" in plain
    assert f'href="{yes.replace("&", "&amp;")}"' in html and f'href="{no.replace("&", "&amp;")}"' in html
    assert "waiting list" in plain and asked["Auto-Submitted"] == "auto-generated"
    assert token not in repr([m.data for m in mailer.outbox()])  # the row holds no secret
    # The same message as an .eml, as organizers download it.
    import email
    from email import policy

    row = next(m for m in mailer.outbox() if m.kind == "reconfirm")
    eml = email.message_from_bytes(mailer.outbox_eml(row.id), policy=policy.default)
    assert yes in eml.get_body(("plain",)).get_content() and no in eml.get_body(("html",)).get_content().replace(
        "&amp;", "&")


def test_nobody_is_asked_before_the_time_nor_at_an_event_that_does_not_ask(planner, asking, open_event, clock):
    event = asking()
    quiet = open_event()
    a = planner.register(event.id, name="Ana", email="ana@example.org")
    b = planner.register(quiet.id, name="Bo", email="bo@example.org")
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    assert "reconfirm" not in _kinds(planner, a.id)
    clock.now = quiet.starts_at - timedelta(hours=1)
    _ask(planner, event, clock)
    assert _kinds(planner, a.id).count("reconfirm") == 1 and "reconfirm" not in _kinds(planner, b.id)


def test_guests_confirmed_after_the_request_went_out_are_not_asked(planner, asking, clock):
    event = asking(capacity=1)
    planner.register(event.id, name="Ana", email="ana@example.org")
    bo = planner.register(event.id, name="Bo", email="bo@example.org")
    _ask(planner, event, clock)
    planner.answer_reconfirmation(_token(planner, 1), False)  # Ana cannot come: Bo moves up
    clock.advance(hours=1)
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    assert "reconfirm" not in _kinds(planner, bo.id) and "moved_up" in _kinds(planner, bo.id)


# ---------------------------------------------------------------------- answering


def test_yes_keeps_the_place_and_the_link_answers_once(planner, asking, clock):
    event = asking()
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    _ask(planner, event, clock)
    token = _token(planner, ana.id)
    assert planner.reconfirmation(token).answer is None
    done = planner.answer_reconfirmation(token, True)
    assert (done.answer, done.changed, done.status) == ("yes", True, "confirmed")
    before = table_rows(planner.path)
    again = planner.answer_reconfirmation(token, False)  # the other link, later: the first answer stands
    assert (again.answer, again.changed, again.status) == ("yes", False, "confirmed")
    assert table_rows(planner.path) == before


def test_no_frees_the_place_for_the_first_person_waiting_at_once(planner, asking, clock):
    event = asking(capacity=1)
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    bo = planner.register(event.id, name="Bo", email="bo@example.org")
    _ask(planner, event, clock)
    done = planner.answer_reconfirmation(_token(planner, ana.id), False)
    assert (done.answer, done.status, done.changed) == ("no", "cancelled", True)
    assert [r.status for r in planner.registrations(event.id)] == ["cancelled", "confirmed"]
    assert "registration_cancelled" in _kinds(planner, ana.id) and "moved_up" in _kinds(planner, bo.id)
    before = table_rows(planner.path)
    assert planner.answer_reconfirmation(_token(planner, ana.id), True).answer == "no"  # once
    assert table_rows(planner.path) == before


def test_a_token_answers_for_its_own_guest_only(planner, asking, clock, assert_refused):
    event = asking(capacity=3)
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    bo = planner.register(event.id, name="Bo", email="bo@example.org")
    _ask(planner, event, clock)
    planner.answer_reconfirmation(_token(planner, bo.id), False)
    assert planner.reconfirmation(_token(planner, ana.id)).answer is None
    assert [r.status for r in planner.registrations(event.id)] == ["confirmed", "cancelled"]
    late = planner.register(event.id, name="Cy", email="cy@example.org")  # never asked: its token answers nothing
    for token in (_token(planner, late.id), "x" * 43, "not a token", None, ticket_codes.link_token(
            planner._checkin_key, ana.id)):
        error = assert_refused(lambda: planner.answer_reconfirmation(token, False), exc=NotFound)
        assert error.code == "reconfirm_link_unknown"
    assert_refused(lambda: planner.answer_reconfirmation(_token(planner, ana.id), "no"), field="coming")


def test_a_registration_cancelled_before_answering_is_said_so(planner, asking, clock, assert_refused):
    event = asking()
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    _ask(planner, event, clock)
    planner.cancel_registration(ana.manage_token)
    error = assert_refused(lambda: planner.answer_reconfirmation(_token(planner, ana.id), True))
    assert error.code == "reconfirm_registration_cancelled"


# ---------------------------------------------------------------------- releasing


@pytest.mark.parametrize("release", [True, False])
def test_unanswered_places_go_to_the_waiting_list_at_the_deadline_only_when_chosen(planner, asking, clock, release):
    event = asking(capacity=2, release=release)
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    bo = planner.register(event.id, name="Bo", email="bo@example.org")
    cy = planner.register(event.id, name="Cy", email="cy@example.org")  # waiting
    _ask(planner, event, clock)
    planner.answer_reconfirmation(_token(planner, bo.id), True)
    clock.now = event.starts_at - timedelta(minutes=1)
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    assert planner.registrations(event.id)[0].status == "confirmed"  # not yet: the deadline is the start
    clock.now = event.starts_at
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    statuses = [r.status for r in planner.registrations(event.id)]
    if release:
        assert statuses == ["cancelled", "confirmed", "confirmed"]
        assert "released" in _kinds(planner, ana.id) and "moved_up" in _kinds(planner, cy.id)
        assert planner.reconfirmation(_token(planner, ana.id)).answer == "released"
        before = table_rows(planner.path)
        assert planner.answer_reconfirmation(_token(planner, ana.id), True).answer == "released"
        assert table_rows(planner.path) == before
    else:
        assert statuses == ["confirmed", "confirmed", "waitlisted"]
        assert "released" not in _kinds(planner, ana.id)


def test_the_released_message_says_why_and_cancels_the_calendar_entry(planner, asking, clock):
    import email
    from email import policy

    event = asking(capacity=1, release=True)
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    _ask(planner, event, clock)
    clock.now = event.starts_at
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    row = next(m for m in planner.outbox() if m.kind == "released" and m.registration_id == ana.id)
    message = email.message_from_bytes(planner.outbox_eml(row.id), policy=policy.default)
    assert message["Subject"].startswith("Your place was released")
    assert "no answer" in message.get_body(("plain",)).get_content()
    assert any(p.get_content_type() == "text/calendar" and p.get_param("method") == "CANCEL" for p in message.walk())


# ---------------------------------------------------------------------- overbooking and the door


def test_registration_and_the_waiting_list_fill_up_to_capacity_and_allowance(planner, asking):
    event = asking(capacity=2, overbooking=1)
    guests = [planner.register(event.id, name=f"G{n}", email=f"g{n}@example.org") for n in range(5)]
    assert [g.status for g in guests] == ["confirmed"] * 3 + ["waitlisted"] * 2
    counts = planner.event_counts(event.id)
    assert (counts.capacity, counts.offered, counts.seats_left, counts.is_full) == (2, 3, 0, True)
    planner.cancel_registration(guests[0].manage_token)
    assert planner.registration(guests[3].manage_token).status == "confirmed"  # up to 2 + 1
    settings = planner.set_reconfirmation(event.id, enabled=True, release_unanswered=False, overbooking=2)
    assert settings.overbooking == 2 and planner.registration(guests[4].manage_token).status == "confirmed"
    assert [e.action for e in planner.audit_log()][0] == "reconfirmation_set"
    assert planner.capacity_preview(event.id, 2) == []


def test_the_door_never_lets_more_people_in_than_the_room_holds(planner, asking):
    event = asking(capacity=2, overbooking=2)
    guests = [planner.register(event.id, name=f"G{n}", email=f"g{n}@example.org") for n in range(4)]
    assert all(g.status == "confirmed" for g in guests)
    assert [planner.check_in(g.checkin_code, event.id).verdict for g in guests] == [
        "checked_in", "checked_in", "room_full", "room_full"]
    assert planner.attendance(event.id).checked_in == 2
    error = pytest.raises(ValidationError, planner.walk_in, event.id, name="Walker").value
    assert error.code == "walk_in_room_full" and "full" in str(error)
    assert [s.verdict for s in planner.scans(event.id)][:2] == ["room_full", "room_full"]  # recorded
    planner.undo_check_in(guests[0].id)  # someone left: the next one comes in
    assert planner.check_in(guests[2].checkin_code, event.id).verdict == "checked_in"


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, 10_001])
def test_bad_settings_are_refused_and_write_nothing(planner, open_event, assert_refused, bad):
    event = open_event()
    assert_refused(lambda: planner.set_reconfirmation(event.id, enabled=True, release_unanswered=False,
                                                      overbooking=bad), field="overbooking")
    assert_refused(lambda: planner.set_reconfirmation(event.id, enabled="yes", release_unanswered=False,
                                                      overbooking=0), field="enabled")
    assert_refused(lambda: planner.set_reconfirmation(99999, enabled=True, release_unanswered=False, overbooking=0),
                   exc=NotFound)
    assert planner.reconfirmation_settings(event.id).enabled is False


# ---------------------------------------------------------------------- the no-show history


def _past_event(planner, make_event, clock, *, confirmed, came, walk_ins=0, **fields):
    """An event on Tue 20 Oct 10:00 New York with ``confirmed`` guests of whom ``came`` came."""
    clock.now = clock.now.replace(year=2026, month=10, day=20, hour=12)  # 08:00 in New York, before the start
    event = planner.publish_event(make_event(**fields).id, allow_room_clash=True)
    guests = [planner.register(event.id, name=f"G{n}", email=f"g{n}-{event.id}@example.org")
              for n in range(confirmed)]
    for g in guests[:came]:
        planner.check_in(g.checkin_code, event.id)
    for n in range(walk_ins):
        planner.walk_in(event.id, name=f"W{n}")
    return event


def test_the_no_show_rate_counts_confirmed_guests_never_checked_in_at_past_events(planner, make_event, clock,
                                                                                   at):
    a = _past_event(planner, make_event, clock, confirmed=4, came=1, walk_ins=2)
    b = _past_event(planner, make_event, clock, confirmed=6, came=5)
    online = _past_event(planner, make_event, clock, confirmed=3, came=0, room_id=None, online_url="https://x.org/m",
                         timezone="America/New_York")
    later = _past_event(planner, make_event, clock, confirmed=2, came=0, starts_at=at(22, 10), ends_at=at(22, 11))
    clock.now = at(21, 9)  # a and b ended, "later" has not
    rates = planner.no_show_rates()
    assert [(e.event_id, e.confirmed, e.no_shows) for e in rates.events] == [(a.id, 4, 3), (b.id, 6, 1)]
    assert rates.events[0].rate == 0.75 and (rates.confirmed, rates.no_shows, rates.rate) == (10, 4, 0.4)
    assert online.id not in [e.event_id for e in rates.events] and later.id not in [e.event_id for e in rates.events]
    planner.cancel_event(b.id, reason="Closed.")
    assert planner.no_show_rates().rate == 0.75
    assert planner.no_show_rates(summit_id=a.summit_id).confirmed == 4
    with pytest.raises(NotFound):
        planner.no_show_rates(summit_id=999)


def test_the_suggestion_offers_a_quarter_more_for_a_forty_percent_no_show_history(planner, make_event, clock, at):
    assert planner.suggested_overbooking(100).places == 0  # no history
    _past_event(planner, make_event, clock, confirmed=10, came=6)
    clock.now = at(21, 9)
    few = planner.suggested_overbooking(100)
    assert (few.places, few.enough, few.rate) == (0, False, 0.4)  # 10 confirmed say too little
    _past_event(planner, make_event, clock, confirmed=15, came=9, starts_at=at(20, 12), ends_at=at(20, 13))
    clock.now = at(21, 9)
    found = planner.suggested_overbooking(100)
    assert (found.places, found.share, found.rate, found.events, found.enough) == (25, 0.25, 0.4, 2, True)
    assert planner.suggested_overbooking(40).places == 10
    assert planner.suggested_overbooking(None).places == 0


def test_with_a_guest_list_rule_guests_are_asked_a_day_before_the_lists_deadline(planner, asking, venue, clock):
    """The places freed by "I can't come" and by releases must still make the list sent to the
    host: the question goes out 24 hours before the security list's deadline, not the start."""
    event = asking(release=True)
    planner.set_guest_list_rule(venue_id=venue.id, hours=48, sponsor="Mission")
    ana = planner.register(event.id, name="Ana", email="ana@example.org")
    clock.now = event.starts_at - timedelta(hours=73)
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    assert "reconfirm" not in _kinds(planner, ana.id)
    clock.now = event.starts_at - timedelta(hours=71)  # 48 h + 24 h before the start, and a bit
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    assert "reconfirm" in _kinds(planner, ana.id)
    clock.now = event.starts_at - timedelta(hours=47)  # the list's deadline passed unanswered
    with planner._db.write() as db:
        planner._reconfirm_pass(db)
    assert planner.registration(ana.manage_token).status == "cancelled"
