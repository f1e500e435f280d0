"""The security list and its deadline (issue #12): hosts' rules inherited venue → room → event,
deadlines in the venue's zone (hours as an instant, working days on the wall clock) across clock
changes and weekends, the list as the host wants it, and guests who joined after it was sent."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from planner import ValidationError
from planner.areas.security_list import GuestListRule, deadline
from planner.codes import SECURITY_LIST_COLUMNS

NY = ZoneInfo("America/New_York")
GENEVA = ZoneInfo("Europe/Zurich")


def rule(**fields) -> GuestListRule:
    values = dict(source="venue", source_id=1, hours=None, working_days=None, sponsor="", columns=())
    return GuestListRule(**{**values, **fields})


# ---------------------------------------------------------------------- deadlines


def test_hours_before_count_real_hours_across_the_spring_forward_night():
    # Monday 9 March 2026, 10:00 in New York (EDT, the day after the clocks went forward).
    start = datetime(2026, 3, 9, 10, 0, tzinfo=NY)
    due = deadline(start, NY, rule(hours=48))
    assert start.astimezone(UTC) - due.astimezone(UTC) == timedelta(hours=48)
    # 48 real hours earlier the clocks still showed standard time: 09:00 on the Saturday.
    assert (due.date(), due.hour, due.utcoffset()) == (date(2026, 3, 7), 9, timedelta(hours=-5))


def test_working_days_skip_the_weekend_and_keep_the_wall_clock_across_the_autumn_change():
    # Palais des Nations, 3 working days: Tuesday 27 October 2026, 10:00 CET (after the clocks went back).
    start = datetime(2026, 10, 27, 10, 0, tzinfo=GENEVA)
    due = deadline(start, GENEVA, rule(working_days=3))
    # Monday 26, (weekend), Friday 23, Thursday 22: at 10:00 on the wall clock, then summer time.
    assert due == datetime(2026, 10, 22, 10, 0, tzinfo=GENEVA)
    assert due.utcoffset() == timedelta(hours=2) and start.utcoffset() == timedelta(hours=1)
    assert start.astimezone(UTC) - due.astimezone(UTC) == timedelta(days=5, hours=1)


def test_working_days_skip_the_rules_holidays_and_a_start_on_a_weekend():
    start = datetime(2026, 10, 25, 18, 0, tzinfo=GENEVA)  # a Sunday
    assert deadline(start, GENEVA, rule(working_days=1)) == datetime(2026, 10, 23, 18, 0, tzinfo=GENEVA)
    holiday = rule(working_days=1, holidays=(date(2026, 10, 23),))
    assert deadline(start, GENEVA, holiday) == datetime(2026, 10, 22, 18, 0, tzinfo=GENEVA)


def test_the_status_gives_the_deadline_in_the_venues_zone(planner, clock):
    venue = planner.add_venue(name="Palais des Nations", address="Geneva", timezone="Europe/Zurich")
    room = planner.add_room(venue_id=venue.id, name="Room XX", capacity=50)
    event = planner.create_event(title="Geneva dialogue", room_id=room.id, allow_past=True,
                                 starts_at=datetime(2026, 10, 27, 10, 0, tzinfo=GENEVA),
                                 ends_at=datetime(2026, 10, 27, 12, 0, tzinfo=GENEVA))
    planner.set_guest_list_rule(venue_id=venue.id, working_days=3, sponsor="Permanent Mission of Argentina")
    clock.now = datetime(2026, 10, 22, 7, 0, tzinfo=UTC)  # 09:00 in Geneva, an hour before the deadline
    status = planner.guest_list_status(event.id)
    assert status.deadline == datetime(2026, 10, 22, 10, 0, tzinfo=GENEVA)
    assert status.deadline.tzinfo.key == "Europe/Zurich"
    assert status.time_left == timedelta(hours=1) and not status.passed


# ---------------------------------------------------------------------- rules


def test_an_event_inherits_its_venues_rule_then_its_rooms_then_its_own(planner, venue, room, other_room,
                                                                        make_event):
    event = make_event()
    elsewhere = make_event(room_id=other_room.id)
    assert planner.guest_list_rule(event.id) is None
    planner.set_guest_list_rule(venue_id=venue.id, hours=48, sponsor="Permanent Mission of Argentina")
    found = planner.guest_list_rule(event.id)
    assert (found.source, found.hours, found.sponsor) == ("venue", 48, "Permanent Mission of Argentina")
    planner.set_guest_list_rule(room_id=room.id, working_days=3, sponsor="Mission of Chile",
                                columns=["family_name", "given_names"])
    found = planner.guest_list_rule(event.id)
    assert (found.source, found.working_days, found.columns) == ("room", 3, ("family_name", "given_names"))
    assert planner.guest_list_rule(elsewhere.id).source == "venue"  # another room of the venue
    planner.set_guest_list_rule(event_id=event.id, hours=24, sponsor="Mission of Peru")
    assert (planner.guest_list_rule(event.id).source, planner.guest_list_rule(event.id).hours) == ("event", 24)
    # An event's rule without a deadline turns the list off for it; removing it inherits again.
    planner.set_guest_list_rule(event_id=event.id)
    assert not planner.guest_list_rule(event.id).required
    assert planner.guest_list_status(event.id).deadline is None
    planner.clear_guest_list_rule(event_id=event.id)
    assert planner.guest_list_rule(event.id).source == "room"
    assert [e.action for e in planner.audit_log()][:2] == ["guest_list_rule_cleared", "guest_list_rule_set"]


def test_a_rule_is_refused_with_both_deadlines_no_scope_or_an_unknown_column(planner, venue, room, assert_refused):
    assert_refused(lambda: planner.set_guest_list_rule(venue_id=venue.id, hours=48, working_days=3), field="hours")
    assert_refused(lambda: planner.set_guest_list_rule(hours=48), field="venue_id")
    assert_refused(lambda: planner.set_guest_list_rule(venue_id=venue.id, room_id=room.id, hours=48),
                   field="venue_id")
    assert_refused(lambda: planner.set_guest_list_rule(venue_id=venue.id, hours=0), field="hours")
    assert_refused(lambda: planner.set_guest_list_rule(venue_id=venue.id, hours=48, columns=["passport"]),
                   field="columns")
    assert_refused(lambda: planner.set_guest_list_rule(venue_id=venue.id, hours=48, columns=[]), field="columns")


def test_deleting_a_draft_takes_its_rule_and_lists_with_it(planner, make_event):
    event = make_event()
    planner.set_guest_list_rule(event_id=event.id, hours=48)
    planner.delete_event(event.id)
    assert planner.guest_list_rules() == []


# ---------------------------------------------------------------------- the list


NAMES = ["Ana Pérez", "محمد العلي", "王 小明", "Zoë =cmd|' /C calc'!A0", "Bob de la Cruz", "Ägnes Öberg"]


@pytest.fixture
def listed(planner, venue, open_event):
    event = open_event(title="@SUM(1+1) dialogue")
    planner.set_guest_list_rule(venue_id=venue.id, hours=48, sponsor="Permanent Mission of Argentina",
                                columns=["family_name", "given_names", "organization", "event_title", "date",
                                         "start_time", "sponsor"])
    guests = [planner.register(event.id, name=n, email=f"g{i}@example.org", organization="-Red Migrante" if i else "")
              for i, n in enumerate(NAMES)]
    planner.register(event.id, name="Kim Lee", email="kim@example.org")
    planner.cancel_registration(planner.register(event.id, name="Gone Too", email="gone2@example.org").manage_token)
    return event, guests


def _rows(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_list_has_the_hosts_columns_family_names_in_capitals_sorted_and_no_formulas(planner, listed):
    event, guests = listed
    data, name = planner.make_security_list(event.id)
    assert name.endswith(".xlsx")
    sheet, rows = _rows(data)
    assert rows[0] == [str(SECURITY_LIST_COLUMNS[c]) for c in ("family_name", "given_names", "organization",
                                                                "event_title", "date", "start_time", "sponsor")]
    families = [r[0] for r in rows[1:]]
    # Sorted by family name, accents aside; scripts without capitals come through untouched.
    assert families == ["CALC'!A0", "CRUZ", "LEE", "ÖBERG", "PÉREZ", "العلي", "小明"]
    assert [r[1] for r in rows[1:]][-2:] == ["محمد", "王"]
    assert rows[2][1] == "Bob de la"  # no ID names stored: the registered name split at its last word
    assert len(rows) == 1 + 7  # confirmed guests only: the cancelled one is left out
    assert all(r[6] == "Permanent Mission of Argentina" and r[3] == event.title for r in rows[1:])
    assert "f" not in {c.data_type for row in sheet.iter_rows() for c in row}  # no formula cell
    assert rows[1][3] == "@SUM(1+1) dialogue"  # kept exactly as typed, as text
    assert any(r[2] == "-Red Migrante" for r in rows[1:])
    assert rows[1][5] == event.local_start.strftime("%H:%M")


def test_making_a_list_is_recorded_with_who_was_on_it(planner, listed, clock):
    event, guests = listed
    clock.now = datetime.now(UTC).replace(microsecond=0)
    planner.make_security_list(event.id)
    made = planner.security_lists(event.id)
    assert len(made) == 1 and made[0].made_at == clock.now
    assert {g.id for g in guests} <= set(made[0].registration_ids) and len(made[0].registration_ids) == 7
    entry = planner.audit_log(action="security_list_made")[0]
    assert entry.event_id == event.id and entry.details["guests"] == 7
    assert "Pérez" not in str(entry.details)


def test_a_list_needs_a_rule_with_a_deadline(planner, open_event, assert_refused):
    event = open_event()
    error = assert_refused(lambda: planner.make_security_list(event.id), field="event_id")
    assert error.code == "guest_list_no_rule"


def test_the_status_counts_guests_without_id_names_and_flags_changes_since_the_list(planner, listed):
    event, guests = listed
    status = planner.guest_list_status(event.id)
    assert status.confirmed == 7 and len(status.missing_id_names) == 7  # no ID names stored yet
    assert status.latest_list is None and not status.not_on_list
    planner.make_security_list(event.id)
    planner.check_in(guests[0].checkin_code, event.id)  # checking in changes nothing the list says
    planner.update_registration(guests[1].manage_token, name="Muhammad Al-Ali")
    late = planner.register(event.id, name="Late Comer", email="late@example.org")
    status = planner.guest_list_status(event.id)
    assert [g.id for g in status.changed_since_list] == [guests[1].id]
    assert [g.id for g in status.not_on_list] == [late.id]


# ---------------------------------------------------------------------- late guests and the door


def test_guests_confirmed_after_the_deadline_are_late(planner, venue, make_event, clock):
    start = datetime(2030, 3, 11, 10, 0, tzinfo=NY)
    event = planner.publish_event(make_event(starts_at=start, ends_at=start + timedelta(hours=1)).id)
    planner.set_guest_list_rule(venue_id=venue.id, hours=48)
    clock.now = start - timedelta(hours=49)
    early = planner.register(event.id, name="Early Bird", email="early@example.org")
    clock.now = start - timedelta(hours=47)
    late = planner.register(event.id, name="Late Comer", email="late@example.org")
    status = planner.guest_list_status(event.id)
    assert status.passed and [g.id for g in status.late] == [late.id]
    assert early.id not in {g.id for g in status.late}


def test_a_guest_not_on_the_list_gets_amber_at_the_door_and_can_be_let_in_anyway(planner, listed):
    event, guests = listed
    planner.make_security_list(event.id)
    late = planner.register(event.id, name="Late Comer", email="late@example.org")
    door = planner.create_door_pass(event.id, "North door")
    from planner.access import of_door

    volunteer = of_door(door)
    assert planner.check_in(guests[0].checkin_code, event.id, actor=volunteer).verdict == "checked_in"
    refused = planner.check_in(late.checkin_code, event.id, "North door", actor=volunteer)
    assert refused.verdict == "not_on_security_list" and refused.registration.email == ""
    assert planner.attendance(event.id).checked_in == 1
    let_in = planner.check_in_anyway(late.id, event.id, "North door", actor=volunteer)
    assert let_in.verdict == "let_in_anyway" and let_in.registration.checked_in_at is not None
    assert planner.attendance(event.id).checked_in == 2
    assert planner.check_in(late.checkin_code, event.id, actor=volunteer).verdict == "already_checked_in"
    assert [s.verdict for s in planner.scans(event.id)][:3] == ["already_checked_in", "let_in_anyway",
                                                                "not_on_security_list"]
    entry = planner.audit_log(action="let_in_not_on_security_list")[0]
    assert entry.subject == str(late.id) and entry.actor_label == "North door"


def test_no_amber_without_a_list_made_or_once_the_rule_is_gone(planner, listed, venue):
    event, guests = listed
    late = planner.register(event.id, name="Late Comer", email="late@example.org")
    assert planner.check_in(guests[0].checkin_code, event.id).verdict == "checked_in"  # no list made yet
    planner.make_security_list(event.id)
    other = planner.register(event.id, name="Later Still", email="later@example.org")
    planner.clear_guest_list_rule(venue_id=venue.id)
    assert planner.check_in(late.checkin_code, event.id).verdict == "checked_in"
    planner.set_guest_list_rule(venue_id=venue.id, hours=48)
    assert planner.check_in(other.checkin_code, event.id).verdict == "not_on_security_list"


def test_check_in_anyway_gives_other_tickets_their_usual_verdict(planner, listed):
    event, guests = listed
    waiting = planner.register(event.id, name="Not Confirmed", email="w@example.org")
    planner.cancel_registration(waiting.manage_token)
    assert planner.check_in_anyway(waiting.id, event.id).verdict == "cancelled"
    assert planner.check_in_anyway(guests[0].id, event.id).verdict == "checked_in"
    with pytest.raises(ValidationError):
        planner.check_in_anyway(guests[0].id, event.id, door="")


def test_erasing_a_guest_blanks_their_hash_in_the_lists_made(planner, listed):
    """A list keeps a short hash of what it showed of each guest; erased, nobody can match it."""
    import json

    event, guests = listed
    planner.make_security_list(event.id)
    with planner._db.read() as db:
        before = {r[0]: r[2] for r in json.loads(db.execute("SELECT rows FROM security_lists").fetchone()[0])}
    assert before[guests[0].id]
    planner.erase_person("g0@example.org")
    with planner._db.read() as db:
        after = {r[0]: r[2] for r in json.loads(db.execute("SELECT rows FROM security_lists").fetchone()[0])}
    assert after[guests[0].id] == "" and after[guests[1].id] == before[guests[1].id]


def test_the_list_uses_the_names_as_on_the_id_document_and_the_country(planner, venue, open_event):
    """With the ID-name and country questions asked, the list carries what the guest typed as on
    their passport (family name in capitals), not their display name, and the country's name."""
    event = open_event(title="Borders")
    planner.set_event_questions(event.id, [{"builtin": "id_names", "required": True}, {"builtin": "country"}])
    planner.set_guest_list_rule(venue_id=venue.id, hours=48, sponsor="Mission",
                                columns=["family_name", "given_names", "country"])
    ana = planner.register(event.id, name="Ana", email="ana@example.org",
                           answers={"given_names": "Ana María", "family_name": "de la Cruz Pérez", "country": "PE"})
    _, rows = _rows(planner.make_security_list(event.id)[0])
    assert rows[1] == ["DE LA CRUZ PÉREZ", "Ana María", "Peru"]
    status = planner.guest_list_status(event.id)
    assert ana.id not in {g.id for g in status.missing_id_names}
