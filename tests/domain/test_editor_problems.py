"""Issue #16: the editor hears of every problem at once, each naming its field (and row), and a
summit, venue or room is never added twice under the same name."""

from __future__ import annotations

import pytest

from tests.conftest import is_readable


def fields_of(problems):
    return [(p.field, p.params.get("row")) for p in problems]


def test_every_problem_of_an_event_is_named_at_once_with_its_field(planner, room, at, snapshot):
    before = snapshot()
    problems = planner.event_problems(
        title="  ", room_id=room.id, online_url="javascript:alert", starts_at=at(20, 11), ends_at=at(20, 10),
        capacity=0, speakers=[{"name": "Ana", "role": "chair"}, {"name": "", "affiliation": "CELS"}],
        organizations=[{"name": "GCM", "role": "host"}, {"name": "Oxfam", "role": "sponsor"}],
    )
    assert fields_of(problems) == [
        ("title", None), ("online_url", None), ("ends_at", None), ("capacity", None), ("speakers", 2),
        ("organizations", 2),
    ]
    assert [p.code for p in problems][:3] == ["required", "link_not_web", "event_ends_before_start"]
    assert all(is_readable(str(p)) for p in problems)
    assert snapshot() == before  # nothing written


def test_fields_the_save_accepts_have_no_problems(planner, room, at):
    fields = dict(title="Dialogue", room_id=room.id, starts_at=at(20, 10), ends_at=at(20, 11),
                  speakers=[{"name": "Ana", "role": "chair"}], organizations=[{"name": "GCM", "role": "host"}])
    assert planner.event_problems(**fields) == []
    planner.create_event(**fields, allow_past=True)  # and the save agrees


def test_a_problem_only_the_whole_event_shows_is_found_once_the_fields_are_right(planner, room, at):
    problems = planner.event_problems(title="Dialogue", room_id=room.id, format="online",
                                      starts_at=at(20, 10), ends_at=at(20, 11))
    assert [(p.code, p.field) for p in problems] == [("online_with_room", "format")]


def test_problems_of_a_saved_event_take_its_stored_fields(planner, make_event):
    event = make_event()
    assert planner.event_problems(event.id) == []
    assert fields_of(planner.event_problems(event.id, title="")) == [("title", None)]


def test_a_missing_start_and_end_are_both_named(planner):
    problems = planner.event_problems(title="No times yet", starts_at=None, ends_at=None)
    assert fields_of(problems) == [("starts_at", None), ("ends_at", None)]


def test_a_second_summit_of_the_same_name_is_refused(planner, summit, assert_refused):
    err = assert_refused(lambda: planner.add_summit(name="un general assembly week ", timezone="UTC",
                                                    starts_on=summit.starts_on, ends_on=summit.ends_on), field="name")
    assert err.code == "summit_name_taken" and "UN General Assembly Week" in str(err)


def test_renaming_a_summit_to_another_ones_name_is_refused_but_keeping_its_own_is_not(planner, summit,
                                                                                      assert_refused):
    other = planner.add_summit(name="COP31", timezone="UTC", starts_on=summit.starts_on, ends_on=summit.ends_on)
    assert_refused(lambda: planner.update_summit(other.id, name="UN General Assembly Week"), field="name")
    assert planner.update_summit(summit.id, name="UN General Assembly Week", city="NYC").city == "NYC"


def test_a_second_venue_of_the_same_name_is_refused_accents_and_capitals_aside(planner, venue, assert_refused):
    err = assert_refused(lambda: planner.add_venue(name="CHURCH CENTER for the United Nations", timezone="UTC"),
                         field="name")
    assert err.code == "venue_name_taken"
    other = planner.add_venue(name="Palais des Nations", timezone="Europe/Zurich")
    assert_refused(lambda: planner.update_venue(other.id, name=venue.name), field="name")


def test_a_room_name_is_refused_twice_in_one_venue_but_not_in_another(planner, venue, room, assert_refused):
    err = assert_refused(lambda: planner.add_room(venue_id=venue.id, name="boss room, 8th floor", capacity=10),
                         field="name")
    assert err.code == "room_name_taken" and venue.name in str(err)
    other = planner.add_venue(name="Palais des Nations", timezone="Europe/Zurich")
    assert planner.add_room(venue_id=other.id, name=room.name, capacity=10).venue_id == other.id
    chapel = planner.add_room(venue_id=venue.id, name="Chapel", capacity=40)
    assert_refused(lambda: planner.update_room(chapel.id, name=room.name), field="name")
    assert planner.update_room(room.id, name=room.name, capacity=90).capacity == 90


@pytest.mark.parametrize("name", ["Ana\nBob", "x" * 201])
def test_a_bad_speaker_name_is_on_its_row(planner, at, name):
    problems = planner.event_problems(title="T", starts_at=at(20, 10), ends_at=at(20, 11),
                                      speakers=[{"name": "Ok"}, {"name": "Ok too"}, {"name": name}])
    assert fields_of(problems) == [("speakers", 3)]


# ---------------------------------------------------------------- walk-ins past the capacity


def test_a_walk_in_let_in_past_capacity_is_explained_with_its_door_and_time(planner, open_event, clock):
    from datetime import timedelta

    event = open_event(capacity=3)
    clock.now = event.starts_at + timedelta(minutes=5)
    for n in range(3):
        planner.walk_in(event.id, name=f"Guest {n}", door="Side door")
    assert planner.past_capacity_note(event.id) is None  # full, but nobody let in past it
    planner.walk_in(event.id, name="Fourth", door="Main door", force=True)
    expected_time = f"{clock().astimezone(event.zone):%H:%M}"
    assert planner.past_capacity_note(event.id) == (
        f"4 inside for 3 places: 1 let in past capacity by Main door at {expected_time}")
    planner.walk_in(event.id, name="Fifth", door="Side door", force=True)
    note = planner.past_capacity_note(event.id)
    assert note.startswith("5 inside for 3 places: 2 let in past capacity by Main door at ")
    assert " and Side door at " in note


def test_one_place_reads_in_the_singular(planner, open_event):
    event = open_event(capacity=1)
    planner.walk_in(event.id, name="First")
    planner.walk_in(event.id, name="Second", force=True)
    assert planner.past_capacity_note(event.id).startswith("2 inside for 1 place: 1 let in past capacity by Main door")
