"""What the public pages, emails and calendar files say of an event's place and times (issue #16).

One rule each, in the domain: ``Event.place`` (pages and the calendar's LOCATION alike),
``times.own_times`` / ``i18n.own_time_range`` (the viewer's own clock, marked with the day when
it is not the event's) and ``i18n.zone_name`` (zones named for people, not "UTC-05").
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner import i18n, times
from planner.outputs import calendar

NY, LIMA, PARIS = ZoneInfo("America/New_York"), ZoneInfo("America/Lima"), ZoneInfo("Europe/Paris")
HONOLULU, TOKYO = ZoneInfo("Pacific/Honolulu"), ZoneInfo("Asia/Tokyo")


@pytest.fixture
def all_six(monkeypatch):
    monkeypatch.setattr(i18n, "available", lambda: list(i18n.NAMES))


@pytest.fixture
def ford(planner):
    venue = planner.add_venue(name="Ford Foundation Center for Social Justice", address="320 E 43rd St, New York",
                              timezone="America/New_York")
    return planner.add_room(venue_id=venue.id, name="Auditorium", capacity=200)


# ---------------------------------------------------------------------- the place


def test_a_hybrid_events_place_ends_with_and_online_after_the_address(make_event, ford):
    hybrid = make_event(room_id=ford.id, online_url="https://meet.example.org/x")
    assert hybrid.format == "hybrid"
    assert hybrid.place == "Auditorium, Ford Foundation Center for Social Justice, 320 E 43rd St, New York — and online"
    assert calendar.location(hybrid) == hybrid.place  # one rule for pages and the calendar's LOCATION


def test_an_in_person_events_place_is_room_venue_and_address(make_event, ford):
    event = make_event(room_id=ford.id)
    assert event.place == calendar.location(event) == (
        "Auditorium, Ford Foundation Center for Social Justice, 320 E 43rd St, New York")
    assert event.place_is_known


def test_an_event_with_neither_room_nor_link_is_place_to_be_announced_not_in_person(make_event):
    tba = make_event(room_id=None)
    assert tba.format == "in_person"
    assert tba.place == calendar.location(tba) == "Place to be announced"
    assert not tba.place_is_known


def test_an_online_event_is_online_whatever_else(make_event):
    online = make_event(room_id=None, online_url="https://zoom.us/j/1")
    assert online.place == calendar.location(online) == "Online"
    assert online.place_is_known


def test_the_place_is_said_in_the_active_language(all_six, make_event):
    tba = make_event(room_id=None)
    with i18n.using(i18n.PSEUDO):
        assert tba.place == "⟦Place to be announced⟧"


# ---------------------------------------------------------------------- the viewer's own clock


def _own(start, end, zone, viewer):
    return i18n.own_time_range(start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC")), zone, viewer)


def test_an_end_on_the_next_day_of_the_viewer_is_marked_plus_one_day():
    # 15:00–18:00 in New York (EDT) is 21:00–00:00 in Paris (CEST).
    start, end = datetime(2026, 10, 20, 15, tzinfo=NY), datetime(2026, 10, 20, 18, tzinfo=NY)
    assert _own(start, end, NY, PARIS) == "21:00–00:00 (+1 day) your time"


def test_a_whole_event_on_the_viewers_next_day_is_marked_once_after_the_end():
    start, end = datetime(2026, 10, 20, 19, tzinfo=NY), datetime(2026, 10, 20, 21, tzinfo=NY)
    assert _own(start, end, NY, PARIS) == "01:00–03:00 (+1 day) your time"


def test_an_event_on_the_viewers_day_before_is_marked_minus_one_day():
    start, end = datetime(2026, 10, 20, 1, tzinfo=NY), datetime(2026, 10, 20, 2, tzinfo=NY)
    assert _own(start, end, NY, HONOLULU) == "19:00–20:00 (−1 day) your time"


def test_a_start_the_day_before_and_an_end_on_the_day_are_each_marked():
    start, end = datetime(2026, 10, 20, 4, tzinfo=NY), datetime(2026, 10, 20, 8, tzinfo=NY)
    # 22:00 the day before in Honolulu (HST, UTC−10), to 02:00 on the day.
    assert _own(start, end, NY, HONOLULU) == "22:00 (−1 day)–02:00 your time"


def test_the_same_day_needs_no_mark_and_the_same_clock_no_line():
    start, end = datetime(2026, 10, 20, 10, tzinfo=NY), datetime(2026, 10, 20, 12, tzinfo=NY)
    assert _own(start, end, NY, PARIS) == "16:00–18:00 your time"
    assert _own(start, end, NY, ZoneInfo("America/Toronto")) is None  # the same clock
    assert _own(start, end, NY, None) is None  # no zone from the browser


def test_days_across_the_weeks_when_summer_time_begins_on_one_side_only():
    # New York is on summer time from 8 March 2026, Paris from 29 March: 5 hours apart between.
    start, end = datetime(2026, 3, 28, 18, tzinfo=NY), datetime(2026, 3, 28, 19, tzinfo=NY)
    assert _own(start, end, NY, PARIS) == "23:00–00:00 (+1 day) your time"
    # A day later Paris has moved on too: 6 hours apart, both times on the next day.
    start, end = datetime(2026, 3, 29, 18, tzinfo=NY), datetime(2026, 3, 29, 19, tzinfo=NY)
    assert _own(start, end, NY, PARIS) == "00:00–01:00 (+1 day) your time"


def test_the_night_new_york_clocks_go_back_is_counted_in_real_hours():
    # Sat 31 Oct 2026 22:00 EDT to Sun 1 Nov 02:00 EST is 5 hours; in Lima (UTC−5 all year).
    start = datetime(2026, 10, 31, 22, tzinfo=NY)
    end = datetime(2026, 11, 1, 2, tzinfo=NY)
    own = times.own_times(start, end, NY, LIMA)
    assert own.start.hour == 21 and own.end.hour == 2 and (own.start_days, own.end_days) == (0, 1)
    assert _own(start, end, NY, LIMA) == "21:00–02:00 (+1 day) your time"


def test_an_event_that_starts_on_the_same_clock_but_ends_after_a_change_gets_its_own_line():
    # Lima and New York read the same clock in winter: none; on the night New York goes back
    # the end differs (01:30 EST = 01:30 Lima, start 00:30 EDT = 23:30 Lima the day before).
    start, end = datetime(2026, 11, 1, 0, 30, tzinfo=NY), datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)
    assert _own(start, end, NY, LIMA) == "23:30 (−1 day)–01:30 your time"
    winter = datetime(2026, 12, 1, 10, tzinfo=NY), datetime(2026, 12, 1, 11, tzinfo=NY)
    assert _own(*winter, NY, LIMA) is None


def test_two_days_and_plurals_are_counted_in_the_language(all_six):
    assert i18n.day_mark(2) == "(+2 days)" and i18n.day_mark(-1) == "(−1 day)" and i18n.day_mark(0) == ""
    start, end = datetime(2026, 10, 20, 20, tzinfo=NY), datetime(2026, 10, 20, 22, tzinfo=NY)
    assert _own(start, end, NY, TOKYO) == "09:00–11:00 (+1 day) your time"
    with i18n.using(i18n.PSEUDO):
        assert _own(start, end, NY, TOKYO) == "⟦09:00–11:00 ⟦(+1 day)⟧ your time⟧"  # both marked for translation


# ---------------------------------------------------------------------- zones named for people


@pytest.mark.parametrize("code, zone, name", [
    ("en", "America/Lima", "Lima time"),
    ("en", "America/New_York", "New York time"),
    ("es", "America/Lima", "hora de Lima"),
    ("es", "America/New_York", "hora de Nueva York"),
    ("fr", "America/New_York", "heure : New York"),
    ("ar", "America/New_York", "توقيت نيويورك"),
    ("zh", "America/Lima", "利马时间"),
    ("ru", "America/Lima", "Лима"),
])
def test_zones_are_named_for_people_in_the_language(all_six, code, zone, name):
    with i18n.using(code):
        assert i18n.zone_name(zone) == name


def test_no_zone_is_named_by_its_offset_or_its_tz_name(all_six):
    for code in i18n.NAMES:
        with i18n.using(code):
            for zone in ("America/Lima", "America/New_York", "Asia/Kolkata", "Europe/Paris"):
                name = i18n.zone_name(zone)
                assert "UTC" not in name and "/" not in name and "GMT" not in name, (code, zone, name)
    assert i18n.zone_name("UTC") == "UTC"


def test_an_email_names_the_zone_for_people(all_six):
    start, end = datetime(2026, 10, 20, 17, tzinfo=LIMA), datetime(2026, 10, 20, 19, tzinfo=LIMA)
    assert i18n.format_when(start, end) == "Tuesday 20 October 2026, 17:00–19:00 (Lima time)"
    with i18n.using("es"):
        assert i18n.format_when(start, end).endswith("(hora de Lima)")
