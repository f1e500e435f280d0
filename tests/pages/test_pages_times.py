"""The editor's and the events table's questions about times (issue #9, part "times"): a time
the clocks skip, one they pass twice, and a date in the past."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner import clock
from tests.pages.apptest import no_exception, seen, signed_in, texts

NY = ZoneInfo("America/New_York")


def _sunday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


# New York's clock changes next year (still in the future whenever the tests run): forward on
# the second Sunday of March at 02:00, back on the first Sunday of November at 02:00.
YEAR = clock.now().year + 1
SPRING_FORWARD, FALL_BACK = _sunday(YEAR, 3, 2), _sunday(YEAR, 11, 1)


def _new_event_in_new_york(app_planner, title: str, day: date, start: time, end: time):
    room = next(r for r in app_planner.list_rooms() if r.name.startswith("Boss Room"))
    at = signed_in(app_planner).run()
    at.switch_page("edit_event.py").run()
    at.text_input(key="ev_title").input(title)
    at.selectbox(key="ev_room").set_value(room.id)
    at.date_input(key="ev_date").set_value(day)
    at.time_input(key="ev_start").set_value(start)
    at.time_input(key="ev_end").set_value(end).run()
    no_exception(at)
    return at


def _titled(app_planner, title: str):
    return [e for e in app_planner.list_events() if e.title == title]


def test_the_editor_refuses_a_time_the_clocks_skip(app_planner):
    at = _new_event_in_new_york(app_planner, "Night vigil", SPRING_FORWARD, time(2, 30), time(4, 0))
    page = seen(at)
    assert "02:30 does not exist in America/New_York" in page and "from 02:00 to 03:00" in page, page
    assert at.button(key="ev_save").disabled
    assert _titled(app_planner, "Night vigil") == []


def test_the_editor_asks_which_of_a_repeated_time_and_saves_the_one_chosen(app_planner):
    at = _new_event_in_new_york(app_planner, "Night vigil", FALL_BACK, time(1, 30), time(3, 0))
    question = at.radio(key="ev_start_fold")
    assert question.value is None  # nothing chosen for the organizer
    assert question.options == ["01:30 Eastern Daylight Time (the first time)",
                                "01:30 Eastern Standard Time (the second time, after the clocks go back)"]
    assert "happens twice in America/New_York" in seen(at)
    assert at.button(key="ev_save").disabled
    assert [r.key for r in at.radio] == ["ev_start_fold"]  # 03:00 happens once: no question
    at.radio(key="ev_start_fold").set_value(1).run()
    assert not at.button(key="ev_save").disabled
    at.button(key="ev_save").click().run()
    no_exception(at)
    [saved] = _titled(app_planner, "Night vigil")
    assert saved.starts_at == datetime.combine(FALL_BACK, time(6, 30), tzinfo=UTC)  # 01:30 EST


def test_editing_an_event_in_the_repeated_hour_keeps_which_one_it_is(app_planner):
    room = next(r for r in app_planner.list_rooms() if r.name.startswith("Boss Room"))
    second = datetime.combine(FALL_BACK, time(1, 30), tzinfo=NY).replace(fold=1)
    event = app_planner.create_event(title="Second vigil", room_id=room.id, starts_at=second,
                                     ends_at=datetime.combine(FALL_BACK, time(3, 0), tzinfo=NY))
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("edit_event.py").run()
    assert at.radio(key="ev_start_fold").value == 1
    at.text_input(key="ev_title").input("Second vigil, renamed").run()
    at.button(key="ev_save").click().run()
    no_exception(at)
    saved = app_planner.get_event(event.id)
    assert saved.title == "Second vigil, renamed" and saved.starts_at == event.starts_at


def test_the_editor_asks_before_saving_an_event_dated_in_the_past(app_planner):
    day = clock.now().date() - timedelta(days=3)
    at = _new_event_in_new_york(app_planner, "Looking back", day, time(17, 0), time(19, 0))
    at.button(key="ev_save").click().run()
    no_exception(at)
    assert _titled(app_planner, "Looking back") == []
    page = texts(at)
    assert "which is in the past" in page and str(day.year) in page, page
    at.button(key="ev_past_confirm").click().run()
    no_exception(at)
    [saved] = _titled(app_planner, "Looking back")
    assert saved.local_start.date() == day


def test_the_past_question_is_for_the_date_it_named(app_planner):
    day = clock.now().date() - timedelta(days=3)
    at = _new_event_in_new_york(app_planner, "Looking back", day, time(17, 0), time(19, 0))
    at.button(key="ev_save").click().run()
    assert "which is in the past" in texts(at)
    at.date_input(key="ev_date").set_value(day - timedelta(days=1)).run()  # another date: ask again
    assert "which is in the past" not in texts(at)
    assert not [b for b in at.button if b.key == "ev_past_confirm"]


def test_publishing_an_event_dated_in_the_past_asks_for_a_confirmation(app_planner):
    start = (clock.now() - timedelta(days=2)).replace(microsecond=0)
    draft = app_planner.create_event(title="Already happened", online_url="https://meet.example.org/x",
                                     timezone="America/Lima", starts_at=start, ends_at=start + timedelta(hours=1),
                                     allow_past=True)
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    at.session_state["o_event"] = draft.id  # as a click on its row does
    at.run()
    at.button(key=f"publish_{draft.id}").click().run()
    no_exception(at)
    assert app_planner.get_event(draft.id).status == "draft"
    assert "which is in the past" in texts(at)
    assert at.button(key=f"publish_{draft.id}").disabled
    at.checkbox(key=f"confirm_past_{draft.id}").check().run()
    at.button(key=f"publish_{draft.id}").click().run()
    no_exception(at)
    assert app_planner.get_event(draft.id).status == "published"


def test_a_venue_with_an_old_zone_name_keeps_it_when_saved_unchanged(app_planner):
    venue = next(v for v in app_planner.list_venues() if v.timezone == "America/New_York")
    with sqlite3.connect(app_planner.path) as conn:  # what a database from before the rule may hold
        conn.execute("UPDATE venues SET timezone = 'US/Eastern' WHERE id = ?", [venue.id])
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    no_exception(at)
    assert "US/Eastern" in [box.value for box in at.selectbox]
    form_button = next(b for b in at.button if b.label == "Save venue" and f"venue_{venue.id}" in str(b.form_id))
    form_button.click().run()
    no_exception(at)
    assert app_planner.get_venue(venue.id).timezone == "US/Eastern"


def test_moving_an_event_into_the_past_over_someone_elses_save_asks_once_more_and_saves(app_planner):
    room = next(r for r in app_planner.list_rooms() if r.name.startswith("Boss Room"))
    start = datetime.combine(clock.now().date() + timedelta(days=10), time(17, 0), tzinfo=NY)
    event = app_planner.create_event(title="Moved back", room_id=room.id, starts_at=start,
                                     ends_at=start + timedelta(hours=2))
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("edit_event.py").run()
    past_day = clock.now().date() - timedelta(days=3)
    at.date_input(key="ev_date").set_value(past_day).run()
    app_planner.update_event(event.id, version=event.version, description="Their change")
    at.button(key="ev_save").click().run()
    assert "which is in the past" in texts(at)
    at.button(key="ev_past_confirm").click().run()  # saving then finds their version
    assert "Someone else saved this event" in texts(at)
    at.button(key="ev_stale_mine").click().run()  # mine over theirs: the date is asked about again
    assert "which is in the past" in texts(at)
    at.button(key="ev_past_confirm").click().run()
    no_exception(at)
    saved = app_planner.get_event(event.id)
    assert saved.local_start.date() == past_day
