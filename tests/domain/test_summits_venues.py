"""Summits, venues and rooms: the places and dates events are planned around."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner import NotFound, Room, Summit, Venue

# Characters that cannot be shown, each must be refused in any name.
CONTROL_CHARACTERS = [
    pytest.param("\x00", id="NUL"),
    pytest.param("\x07", id="BEL"),
    pytest.param("\x1b", id="ESC"),
    pytest.param("\x7f", id="DEL"),
    pytest.param("\x1c", id="FS-file-separator"),
    pytest.param("\x1f", id="US-unit-separator"),
    pytest.param("\x9b", id="C1-CSI"),
]
# The same rule applies to every name; summits and rooms check a short sample.
SOME_CONTROL_CHARACTERS = [pytest.param("\x00", id="NUL"), pytest.param("\x1b", id="ESC")]


# ---------------------------------------------------------------------- summits


def test_add_summit_returns_what_was_stored(planner):
    summit = planner.add_summit(
        name="  COP31 ", city="Antalya", timezone="Europe/Istanbul",
        starts_on=date(2026, 11, 9), ends_on=date(2026, 11, 20),
    )
    assert isinstance(summit, Summit)
    assert summit.name == "COP31"  # trimmed
    assert (summit.city, summit.timezone) == ("Antalya", "Europe/Istanbul")
    assert (summit.starts_on, summit.ends_on) == (date(2026, 11, 9), date(2026, 11, 20))
    assert planner.get_summit(summit.id) == summit


def test_list_summits_in_date_order(planner):
    later = planner.add_summit(name="B later", timezone="UTC", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2))
    earlier = planner.add_summit(name="A earlier", timezone="UTC", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))
    assert planner.list_summits() == [earlier, later]


def test_a_one_day_summit_is_fine(planner):
    s = planner.add_summit(name="One day", timezone="UTC", starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 1))
    assert s.starts_on == s.ends_on


def test_update_summit_changes_only_the_given_fields(planner, summit):
    updated = planner.update_summit(summit.id, ends_on=date(2026, 10, 25))
    assert updated.ends_on == date(2026, 10, 25)
    assert (updated.name, updated.city, updated.timezone, updated.starts_on) == (
        summit.name, summit.city, summit.timezone, summit.starts_on,
    )
    assert planner.get_summit(summit.id) == updated


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"starts_on": date(2026, 10, 24)}, "ends_on"),  # would end before it starts
        ({"ends_on": date(2026, 10, 18)}, "ends_on"),
        ({"starts_on": datetime(2026, 10, 19, 9, 0)}, "starts_on"),  # a datetime is not a day
        ({"ends_on": "2026-10-23"}, "ends_on"),
        ({"capital": "Brasília"}, "capital"),  # no such field
    ],
)
def test_update_summit_refuses_bad_input_and_writes_nothing(planner, summit, assert_refused, fields, field):
    assert_refused(lambda: planner.update_summit(summit.id, **fields), field=field)
    assert planner.get_summit(summit.id) == summit


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"timezone": "Not/AZone"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": None}, "timezone"),
        ({"ends_on": date(2026, 10, 1)}, "ends_on"),
        ({"starts_on": None}, "starts_on"),
        ({"starts_on": date(1, 1, 1)}, "starts_on"),
        ({"ends_on": date(9999, 12, 31)}, "ends_on"),
    ],
)
def test_add_summit_refuses_bad_input_and_writes_nothing(planner, assert_refused, fields, field):
    values = dict(name="Summit", city="", timezone="UTC", starts_on=date(2026, 10, 19), ends_on=date(2026, 10, 23))
    values.update(fields)
    assert_refused(lambda: planner.add_summit(**values), field=field)
    assert planner.list_summits() == []


@pytest.mark.parametrize("ch", SOME_CONTROL_CHARACTERS)
def test_summit_names_with_control_characters_are_refused(planner, assert_refused, ch):
    assert_refused(
        lambda: planner.add_summit(
            name=f"Bad{ch}Summit", timezone="UTC", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2)
        ),
        field="name",
    )


@pytest.mark.parametrize("bad_id", [999, 0, -1, "abc", None, 2**63, "1" * 30])
def test_unknown_summit_is_not_found(planner, summit, assert_refused, bad_id):
    assert_refused(lambda: planner.get_summit(bad_id), exc=NotFound)
    assert_refused(lambda: planner.update_summit(bad_id, name="New name"), exc=NotFound)


# ---------------------------------------------------------------------- venues


def test_add_venue_returns_what_was_stored(planner):
    venue = planner.add_venue(name="Centro Cultural  de España", address="Natalio Sánchez 181", timezone="America/Lima")
    assert isinstance(venue, Venue)
    assert venue.name == "Centro Cultural de España"  # runs of spaces folded
    assert (venue.address, venue.timezone) == ("Natalio Sánchez 181", "America/Lima")
    assert planner.get_venue(venue.id) == venue


def test_list_venues_by_name(planner):
    b = planner.add_venue(name="B venue", timezone="UTC")
    a = planner.add_venue(name="A venue", timezone="UTC")
    assert planner.list_venues() == [a, b]


def test_update_venue(planner, venue):
    updated = planner.update_venue(venue.id, address="777 UN Plaza")
    assert updated.address == "777 UN Plaza"
    assert (updated.name, updated.timezone) == (venue.name, venue.timezone)
    assert planner.get_venue(venue.id) == updated


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": "  "}, "name"),
        ({"timezone": "New York"}, "timezone"),
        ({"timezone": "america/new_yorkk"}, "timezone"),
        ({"address": "x" * 501}, "address"),
        ({"city": "New York"}, "city"),  # venues have no city field
    ],
)
def test_update_venue_refuses_bad_input_and_writes_nothing(planner, venue, assert_refused, fields, field):
    assert_refused(lambda: planner.update_venue(venue.id, **fields), field=field)
    assert planner.get_venue(venue.id) == venue


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "", "  ", "EST+5", None, 5])
def test_add_venue_refuses_an_unknown_time_zone(planner, assert_refused, timezone):
    error = assert_refused(lambda: planner.add_venue(name="Hall", timezone=timezone), field="timezone")
    assert "time zone" in str(error)
    assert planner.list_venues() == []


@pytest.mark.parametrize("ch", CONTROL_CHARACTERS)
def test_venue_names_with_control_characters_are_refused(planner, assert_refused, ch):
    assert_refused(lambda: planner.add_venue(name=f"Hall{ch}A", timezone="UTC"), field="name")


def test_unknown_venue_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.get_venue(42), exc=NotFound)
    assert_refused(lambda: planner.update_venue(42, name="x"), exc=NotFound)


# ---------------------------------------------------------------------- rooms


def test_add_room_returns_room_with_its_venue(planner, venue):
    room = planner.add_room(venue_id=venue.id, name="Boss Room", capacity=80, accessibility="Step-free access")
    assert isinstance(room, Room)
    assert (room.venue_id, room.name, room.capacity, room.accessibility) == (venue.id, "Boss Room", 80, "Step-free access")
    assert room.venue == venue
    assert room.label == "Boss Room — Church Center for the United Nations"
    assert planner.get_room(room.id) == room


def test_list_rooms_all_or_of_one_venue(planner, venue):
    other_venue = planner.add_venue(name="Another venue", timezone="UTC")
    a = planner.add_room(venue_id=venue.id, name="A", capacity=10)
    b = planner.add_room(venue_id=venue.id, name="B", capacity=10)
    c = planner.add_room(venue_id=other_venue.id, name="C", capacity=10)
    assert planner.list_rooms(venue.id) == [a, b]
    assert planner.list_rooms(other_venue.id) == [c]
    assert {r.id for r in planner.list_rooms()} == {a.id, b.id, c.id}


def test_update_room(planner, room):
    updated = planner.update_room(room.id, capacity=120, name="Boss Room (large)")
    assert (updated.capacity, updated.name) == (120, "Boss Room (large)")
    assert updated.venue_id == room.venue_id
    assert planner.get_room(room.id) == updated


BAD_CAPACITIES = [
    pytest.param(0, id="zero"),
    pytest.param(-1, id="negative"),
    pytest.param(True, id="True"),
    pytest.param(False, id="False"),
    pytest.param("ten", id="text"),
    pytest.param("10", id="digits-as-text"),
    pytest.param(2.5, id="fraction"),
    pytest.param(None, id="missing"),
    pytest.param(10**7, id="absurd"),
]


@pytest.mark.parametrize("capacity", BAD_CAPACITIES)
def test_add_room_refuses_a_bad_capacity(planner, venue, assert_refused, capacity):
    error = assert_refused(
        lambda: planner.add_room(venue_id=venue.id, name="Hall", capacity=capacity), field="capacity"
    )
    assert "apacity" in str(error)
    assert planner.list_rooms() == []


@pytest.mark.parametrize("capacity", BAD_CAPACITIES)
def test_update_room_refuses_a_bad_capacity(planner, room, assert_refused, capacity):
    assert_refused(lambda: planner.update_room(room.id, capacity=capacity), field="capacity")
    assert planner.get_room(room.id) == room


def test_add_room_in_an_unknown_venue_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.add_room(venue_id=999, name="Hall", capacity=10), exc=NotFound)


def test_rooms_cannot_move_to_another_venue(planner, room, assert_refused):
    assert_refused(lambda: planner.update_room(room.id, venue_id=room.venue_id + 1), field="venue_id")


@pytest.mark.parametrize("ch", SOME_CONTROL_CHARACTERS)
def test_room_names_with_control_characters_are_refused(planner, venue, assert_refused, ch):
    assert_refused(lambda: planner.add_room(venue_id=venue.id, name=f"Room{ch}1", capacity=10), field="name")


def test_unknown_room_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.get_room(7), exc=NotFound)
    assert_refused(lambda: planner.update_room(7, capacity=10), exc=NotFound)
