"""Time zones of places only, the hours skipped and repeated when clocks change, and events
dated in the past (issue #9, part "times")."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from planner import ValidationError
from planner import validate as check
from planner.times import wall_clock
from tests.domain.conftest import NY

LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # summer time is half an hour ahead
LIMA = ZoneInfo("America/Lima")


# ---------------------------------------------------------------------- zone names


NOT_PLACES = ["localtime", "Factory", "EST5EDT", "CST6CDT", "Etc/GMT+5", "EST", "GB", "Zulu", "posixrules",
              "posix/America/New_York", "right/America/New_York", "SystemV/EST5"]


@pytest.mark.parametrize("name", NOT_PLACES)
def test_names_that_are_not_a_places_zone_are_refused_for_venues_summits_and_events(
        planner, make_event, assert_refused, name):
    """zoneinfo opens ``localtime`` (whatever the server is set to), ``Factory`` ("-00"),
    ``Etc/GMT+5`` (which is UTC−5) … none of them is where an event happens."""
    assert_refused(lambda: planner.add_venue(name="Hall", timezone=name), field="timezone", match=name)
    assert_refused(lambda: planner.add_summit(name="S", timezone=name, starts_on=date(2027, 1, 1),
                                              ends_on=date(2027, 1, 2)), field="timezone")
    assert_refused(lambda: make_event(room_id=None, summit_id=None, online_url="https://zoom.us/j/1", timezone=name),
                   field="timezone")


def test_an_old_spelling_is_refused_with_the_name_to_use(planner, assert_refused):
    error = assert_refused(lambda: planner.add_venue(name="Hall", timezone="US/Eastern"), field="timezone")
    assert error.code == "timezone_renamed" and "America/New_York" in str(error)
    assert "Asia/Kolkata" in str(assert_refused(lambda: planner.add_venue(name="Hall", timezone="Asia/Calcutta")))
    assert "Europe/Kyiv" in str(assert_refused(lambda: planner.add_venue(name="Hall", timezone="Europe/Kiev")))


@pytest.mark.parametrize("name", ["America/New_York", "Europe/Amsterdam", "Europe/Stockholm", "Asia/Kolkata",
                                  "Australia/Lord_Howe", "Antarctica/Troll", "UTC"])
def test_the_zones_of_places_are_accepted(planner, name):
    """Amsterdam and Stockholm keep their own names (zone.tab lists a zone per country), though
    the tz database now gives them Brussels' and Berlin's rules."""
    assert planner.add_venue(name="Hall", timezone=name).timezone == name


def test_the_pickers_offer_exactly_the_names_accepted():
    names = check.timezone_names()
    assert len(names) == len(set(names)) > 300 and names[-1] == "UTC"
    for name in names:
        assert check.timezone(name) == name
    for name in set(available_timezones()) - set(names):  # every other name zoneinfo opens
        with pytest.raises(ValidationError):
            check.timezone(name)
    assert not set(NOT_PLACES) & set(names)


def _store_zone(planner, table: str, row_id: int, zone: str) -> None:
    """What a database written before this rule may hold."""
    with sqlite3.connect(planner.path) as conn:
        conn.execute(f"UPDATE {table} SET timezone = ? WHERE id = ?", [zone, row_id])


def test_a_zone_stored_before_the_rule_still_reads_and_never_blocks_other_changes(planner, venue, room, summit,
                                                                                    make_event, assert_refused):
    event = make_event()
    online = make_event(room_id=None, summit_id=None, online_url="https://zoom.us/j/1", timezone="America/Lima")
    _store_zone(planner, "venues", venue.id, "US/Eastern")
    _store_zone(planner, "summits", summit.id, "localtime")
    _store_zone(planner, "events", event.id, "US/Eastern")
    _store_zone(planner, "events", online.id, "Factory")

    read = planner.get_event(event.id)
    assert read.timezone == "US/Eastern" and read.local_start.hour == 10
    assert planner.get_event(online.id).timezone == "Factory"
    assert planner.update_event(event.id, version=read.version, title="Renamed", allow_past=True).title == "Renamed"
    stale_zone = planner.get_event(online.id)
    assert planner.update_event(online.id, version=stale_zone.version, title="Still online",
                                allow_past=True).timezone == "Factory"
    assert planner.preview_conflicts(online.id, title="Preview") == []
    assert planner.duplicate_event(online.id).timezone == "Factory"
    assert planner.update_venue(venue.id, name="Church Center").timezone == "US/Eastern"
    assert planner.update_summit(summit.id, name="UNGA Week").timezone == "localtime"
    # Only what is typed anew is checked: another old name is still refused …
    assert_refused(lambda: planner.update_venue(venue.id, timezone="Asia/Calcutta"), field="timezone")
    # … and the pickers keep the stored one, so opening the form does not change it unseen.
    assert check.timezone_names("US/Eastern")[0] == "US/Eastern"
    assert check.timezone_names("America/Lima") == check.timezone_names()
    assert planner.update_venue(venue.id, timezone="America/New_York", keep_local_times=False).timezone == "America/New_York"


# ---------------------------------------------------------------------- clock changes


@pytest.mark.parametrize(
    "zone, day, typed, gap",
    [
        (NY, date(2026, 3, 8), time(2, 30), ("02:00", "03:00")),  # an hour forward
        (LORD_HOWE, date(2026, 10, 4), time(2, 15), ("02:00", "02:30")),  # half an hour forward
    ],
)
def test_a_time_skipped_when_summer_time_begins_is_refused_naming_time_and_zone(zone, day, typed, gap):
    for fold in (None, 0, 1):
        with pytest.raises(ValidationError) as info:
            wall_clock(day, typed, zone, fold=fold, field="ends_at")
        error = info.value
        assert (error.code, error.field) == ("time_skipped", "ends_at")
        text = str(error)
        assert typed.strftime("%H:%M") in text and zone.key in text, text
        assert f"from {gap[0]} to {gap[1]}" in text, text


@pytest.mark.parametrize(
    "zone, day, typed, first, second, back",
    [
        (NY, date(2026, 11, 1), time(1, 30), "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", ("02:00", "01:00")),
        (LORD_HOWE, date(2027, 4, 4), time(1, 45), "2027-04-03T14:45:00Z", "2027-04-03T15:15:00Z",
         ("02:00", "01:30")),
    ],
)
def test_a_time_that_happens_twice_asks_which_one(zone, day, typed, first, second, back):
    with pytest.raises(ValidationError) as info:
        wall_clock(day, typed, zone)
    error = info.value
    assert (error.code, error.field) == ("time_repeated", "starts_at")
    text = str(error)
    assert typed.strftime("%H:%M") in text and zone.key in text and f"from {back[0]} to {back[1]}" in text, text
    utc = [wall_clock(day, typed, zone, fold=fold).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for fold in (0, 1)]
    assert utc == [first, second]


def test_ordinary_times_and_the_edges_of_a_change_need_no_choice():
    assert wall_clock(date(2026, 10, 20), time(17, 0), NY).utcoffset() == timedelta(hours=-4)
    assert wall_clock(date(2026, 3, 8), time(3, 0), NY).utcoffset() == timedelta(hours=-4)  # just after the gap
    assert wall_clock(date(2026, 3, 8), time(1, 59), NY).utcoffset() == timedelta(hours=-5)  # just before it
    assert wall_clock(date(2026, 11, 1), time(2, 0), NY).utcoffset() == timedelta(hours=-5)  # after the repeat
    assert wall_clock(date(2026, 11, 1), time(0, 59), NY).utcoffset() == timedelta(hours=-4)  # before it


@pytest.mark.parametrize(
    "zone, start",
    [(NY, datetime(2026, 3, 8, 2, 30)), (LORD_HOWE, datetime(2026, 10, 4, 2, 15))],
)
def test_an_event_given_a_skipped_time_is_refused_not_shifted(planner, make_event, assert_refused, zone, start):
    """Python would quietly read 02:30 on the spring-forward night as 03:30."""
    start = start.replace(tzinfo=zone)
    error = assert_refused(lambda: make_event(room_id=None, summit_id=None, timezone=zone.key, starts_at=start,
                                              ends_at=start + timedelta(hours=2)), field="starts_at")
    assert error.code == "time_skipped"
    end = datetime(2026, 3, 8, 2, 45, tzinfo=NY) if zone is NY else datetime(2026, 10, 4, 2, 20, tzinfo=zone)
    assert_refused(lambda: make_event(starts_at=start - timedelta(hours=2), ends_at=end), field="ends_at")
    assert planner.list_events() == []


def test_an_aware_time_in_the_repeated_hour_is_the_instant_its_fold_says(planner, make_event):
    """A datetime with its zone and ``fold`` is one precise instant (PEP 495): the API takes it
    as given; the question is the editor's, which builds times from what people type."""
    first = make_event(room_id=None, starts_at=datetime(2026, 11, 1, 1, 30, tzinfo=NY),
                       ends_at=datetime(2026, 11, 1, 3, 0, tzinfo=NY))
    second = make_event(room_id=None, starts_at=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY),
                        ends_at=datetime(2026, 11, 1, 3, 0, tzinfo=NY))
    assert first.starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second.starts_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert (first.local_start.fold, second.local_start.fold) == (0, 1)


# ---------------------------------------------------------------------- events dated in the past


def test_creating_an_event_dated_in_the_past_asks_for_a_confirmation_naming_the_date(
        planner, make_event, assert_refused, clock, at):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)  # 08:00 in New York
    error = assert_refused(lambda: make_event(starts_at=at(19, 10), ends_at=at(19, 11), allow_past=False),
                           field="starts_at")
    assert error.code == "event_in_the_past"
    assert "Mon, 19 Oct 2026 10:00" in str(error), str(error)  # with its year, in the venue's zone
    assert make_event(starts_at=at(19, 10), ends_at=at(19, 11), allow_past=True).status == "draft"
    assert make_event(starts_at=at(20, 9), ends_at=at(20, 11), allow_past=False).status == "draft"  # 13:00 UTC


def test_the_date_in_the_question_is_in_the_events_own_zone(planner, make_event, assert_refused, clock):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    start = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)  # 21:00 on the 19th in Lima
    error = assert_refused(lambda: make_event(room_id=None, summit_id=None, timezone="America/Lima",
                                              starts_at=start, ends_at=start + timedelta(hours=1), allow_past=False))
    assert "Mon, 19 Oct 2026 21:00" in str(error), str(error)


def test_an_event_that_already_started_counts_as_past(make_event, assert_refused, clock, at):
    clock.now = at(20, 10, 30).astimezone(UTC)
    assert_refused(lambda: make_event(starts_at=at(20, 10), ends_at=at(20, 12), allow_past=False), field="starts_at")


def test_publishing_an_event_dated_in_the_past_asks_too(planner, make_event, assert_refused, clock, at):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    past = make_event(starts_at=at(19, 10), ends_at=at(19, 11))
    error = assert_refused(lambda: planner.publish_event(past.id), field="starts_at")
    assert error.code == "event_in_the_past" and "19 Oct 2026" in str(error)
    assert planner.publish_event(past.id, allow_past=True).status == "published"
    upcoming = make_event(starts_at=at(21, 10), ends_at=at(21, 11))
    assert planner.publish_event(upcoming.id).status == "published"


def test_a_draft_that_went_past_while_waiting_asks_when_it_is_published(planner, make_event, assert_refused, clock,
                                                                         at):
    clock.now = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    e = make_event(allow_past=False)
    clock.now = datetime(2026, 10, 21, 12, 0, tzinfo=UTC)
    assert_refused(lambda: planner.publish_event(e.id), field="starts_at")


def test_moving_an_event_into_the_past_asks_but_other_changes_to_a_past_event_do_not(
        planner, make_event, assert_refused, clock, at):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    e = make_event(starts_at=at(21, 10), ends_at=at(21, 11), allow_past=False)
    error = assert_refused(lambda: planner.update_event(e.id, version=e.version, starts_at=at(18, 10),
                                                       ends_at=at(18, 11)), field="starts_at")
    assert "Sun, 18 Oct 2026 10:00" in str(error)
    moved = planner.update_event(e.id, version=e.version, starts_at=at(18, 10), ends_at=at(18, 11), allow_past=True)
    assert moved.local_start == at(18, 10)
    # It took place: fixing its title, or its end, asks nothing (the start did not move) …
    fixed = planner.update_event(e.id, version=moved.version, title="Corrected title", ends_at=at(18, 12))
    assert fixed.title == "Corrected title"
    # … moving it to another past time asks again; to the future, not.
    assert_refused(lambda: planner.update_event(e.id, version=fixed.version, starts_at=at(17, 10),
                                                ends_at=at(17, 11)), field="starts_at")
    assert planner.update_event(e.id, version=fixed.version, starts_at=at(22, 10), ends_at=at(22, 11)).version


def test_a_duplicate_of_a_past_event_is_a_draft_and_asks_when_published(planner, make_event, assert_refused, clock,
                                                                         at):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    copy = planner.duplicate_event(make_event(starts_at=at(19, 10), ends_at=at(19, 11)).id)
    assert copy.status == "draft"
    assert_refused(lambda: planner.publish_event(copy.id), field="starts_at")


def test_an_end_at_midnight_or_later_is_marked_with_its_day_in_emails_and_captions():
    """"22:00–00:00" read as an event that ends before it starts (an email of a changed time
    wrote it so); the end's day is said, as the pages say the viewer's own."""
    from planner import i18n
    from planner.codes import When

    i18n.activate("en")
    start = datetime(2027, 10, 22, 22, tzinfo=ZoneInfo("Europe/London"))
    assert "22:00–00:00 (+1 day) (" in i18n.format_when(start, start + timedelta(hours=2))  # then the zone
    assert str(When(start, start + timedelta(hours=2))).endswith("22:00–00:00 (+1 day)")
    assert str(When(start, start + timedelta(hours=1))).endswith("22:00–23:00")  # the same day: no mark
