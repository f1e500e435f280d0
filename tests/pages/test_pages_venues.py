"""AppTest for Venues and rooms: a venue's new time zone asks what its events keep."""

from __future__ import annotations

from tests.pages.apptest import dialogue, no_exception, signed_in, texts


def _venues(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    return at


def _save_zone(at, venue, zone):
    at.selectbox(key=f"venue_zone_pick_{venue.id}").select(zone)
    at.button(key=f"FormSubmitter:venue_{venue.id}-Save venue").click().run()
    return at


def test_a_new_zone_for_a_venue_with_events_changes_nothing_before_the_organizer_chooses(app_planner):
    event = dialogue(app_planner)  # 17:00-19:00 New York time, published, at the Ford Foundation's building
    app_planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    venue, mail = event.venue, len(app_planner.outbox())
    at = _save_zone(_venues(app_planner), venue, "Europe/London")
    no_exception(at)
    assert "The time zone changes from New York time to London time" in texts(at)
    # The first event held there (the demo's draft, Sat 23 Oct 2027 10:00-11:30): after each choice.
    assert "10:00–11:30 New York time → 10:00–11:30 London time: the zone was entered wrongly." in texts(at)
    assert "10:00–11:30 New York time → 15:00–16:30 London time: the same moment" in texts(at)
    assert "The 1 guests" not in texts(at) and "guest of the published events gets an email" in texts(at)
    assert app_planner.get_venue(venue.id).timezone == "America/New_York" and len(app_planner.outbox()) == mail

    at.button(key=f"venue_zone_{venue.id}_keep").click().run()  # "Don't change the zone"
    assert app_planner.get_venue(venue.id).timezone == "America/New_York"
    assert at.selectbox(key=f"venue_zone_pick_{venue.id}").value == "America/New_York"

    at = _save_zone(at, venue, "Europe/London")
    at.button(key=f"venue_zone_{venue.id}_local").click().run()  # "Keep their local times"
    no_exception(at)
    moved = app_planner.get_event(event.id)
    assert moved.timezone == "Europe/London" and moved.local_start.strftime("%H:%M") == "17:00"
    assert [m.kind for m in app_planner.outbox()[mail:] if m.recipient == "ana@example.org"] == ["event_changed"]
    assert "Saved" in texts(at)


def test_a_venue_without_events_changes_its_zone_at_once(app_planner):
    empty = app_planner.add_venue(name="Empty Hall", timezone="UTC")
    at = _save_zone(_venues(app_planner), empty, "Asia/Tokyo")
    no_exception(at)
    assert app_planner.get_venue(empty.id).timezone == "Asia/Tokyo"
    assert "What should" not in texts(at)


def test_a_room_made_smaller_than_its_events_confirmed_guests_asks_first(app_planner):
    event = dialogue(app_planner)  # takes its room's capacity
    for n in range(3):
        app_planner.register(event.id, name=f"Guest {n}", email=f"guest{n}@example.org")
    room = app_planner.get_room(event.room_id)
    at = _venues(app_planner)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Room to change")).set_value(room.id).run()
    assert "Events to come that use this room's capacity" in texts(at)
    at.number_input(key=f"room_cap_pick_{room.id}").set_value(2)
    at.button(key=f"FormSubmitter:room_{room.id}-Save room").click().run()
    no_exception(at)
    assert "2 places are fewer than some events in this room already have confirmed" in texts(at)
    assert "3 confirmed" in texts(at) and app_planner.get_room(room.id).capacity == room.capacity
    at.button(key=f"room_capacity_{room.id}_keep").click().run()
    assert app_planner.get_room(room.id).capacity == room.capacity
    assert at.number_input(key=f"room_cap_pick_{room.id}").value == room.capacity

    at.number_input(key=f"room_cap_pick_{room.id}").set_value(2)
    at.button(key=f"FormSubmitter:room_{room.id}-Save room").click().run()
    at.button(key=f"room_capacity_{room.id}_save").click().run()
    no_exception(at)
    assert app_planner.get_room(room.id).capacity == 2
    assert [r.status for r in app_planner.registrations(event.id)].count("confirmed") == 3  # nobody lost a place


def test_a_question_left_unanswered_does_not_outlive_the_next_save(app_planner):
    event = dialogue(app_planner)
    for n in range(3):
        app_planner.register(event.id, name=f"Guest {n}", email=f"guest{n}@example.org")
    room = app_planner.get_room(event.room_id)
    at = _venues(app_planner)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Room to change")).set_value(room.id).run()
    at.number_input(key=f"room_cap_pick_{room.id}").set_value(2)
    at.button(key=f"FormSubmitter:room_{room.id}-Save room").click().run()
    assert "fewer than some events" in texts(at)
    at.number_input(key=f"room_cap_pick_{room.id}").set_value(room.capacity + 5)  # thought better of it
    at.button(key=f"FormSubmitter:room_{room.id}-Save room").click().run()
    no_exception(at)
    assert app_planner.get_room(room.id).capacity == room.capacity + 5
    assert "fewer than some events" not in texts(at)  # the old question is gone: it could undo this save


def test_a_room_made_bigger_saves_at_once(app_planner):
    event = dialogue(app_planner)
    room = app_planner.get_room(event.room_id)
    at = _venues(app_planner)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Room to change")).set_value(room.id).run()
    at.number_input(key=f"room_cap_pick_{room.id}").set_value(room.capacity + 10)
    at.button(key=f"FormSubmitter:room_{room.id}-Save room").click().run()
    no_exception(at)
    assert app_planner.get_room(room.id).capacity == room.capacity + 10 and "fewer than" not in texts(at)


def test_keeping_local_times_says_first_the_clashes_and_skipped_hours_it_would_make(app_planner):
    """A speaker of the New York dialogue also due in London at 17:00 London time that day: no
    clash while the dialogue is at 17:00 New York time, one if the building's zone becomes London
    and its events keep their local times. An event at 01:30 on the night London's clocks skip
    that hour. Both said before the choice; nothing saved."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    event = dialogue(app_planner)
    speaker = next(s for s in event.speakers if s.status == "confirmed")
    london = app_planner.add_venue(name="Lancaster House", address="Stable Yard, London", timezone="Europe/London")
    hall = app_planner.add_room(venue_id=london.id, name="Long Gallery", capacity=100)
    day, ldn = event.local_start.date(), ZoneInfo("Europe/London")
    app_planner.create_event(title="Gallery talk", room_id=hall.id, starts_at=datetime(day.year, day.month, day.day, 17,
                                                                                       tzinfo=ldn),
                             ends_at=datetime(day.year, day.month, day.day, 18, tzinfo=ldn),
                             speakers=[{"name": speaker.name, "email": speaker.email}])
    ny = ZoneInfo("America/New_York")
    app_planner.create_event(title="Night vigil", room_id=event.room_id, starts_at=datetime(2027, 3, 28, 1, 30, tzinfo=ny),
                             ends_at=datetime(2027, 3, 28, 3, tzinfo=ny))
    clashes = len(app_planner.conflicts())

    at = _save_zone(_venues(app_planner), event.venue, "Europe/London")
    no_exception(at)
    shown = texts(at)
    assert "If they keep their local times:" in shown
    assert f"{speaker.name}" in shown and "Gallery talk" in shown  # the speaker clash it would make
    assert ("“Night vigil” starts at 01:30 on Sunday 28 March 2027, an hour London time skips (the clocks go "
            "forward): it would start at 02:30.") in shown
    assert "01:30–03:00 New York time → 02:30–03:00 London time: the zone was entered wrongly." in shown  # the same
    assert app_planner.get_venue(event.venue.id).timezone == "America/New_York"
    assert len(app_planner.conflicts()) == clashes

    at.button(key=f"venue_zone_{event.venue.id}_moment").click().run()  # "Keep the moments they happen"
    no_exception(at)
    assert len(app_planner.conflicts()) == clashes  # no moment moved, no clash made


def test_a_zone_question_whose_events_are_gone_saves_as_asked(app_planner):
    """Asked what its one event keeps, then that event deleted (by another organizer, say): the
    next run has nothing to ask and saves the zone asked for, with no error."""
    from datetime import datetime, timedelta, timezone

    hall = app_planner.add_venue(name="Side Hall", timezone="America/New_York")
    room = app_planner.add_room(venue_id=hall.id, name="Room 1", capacity=20)
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=40)
    event = app_planner.create_event(title="Short talk", room_id=room.id, starts_at=start,
                                     ends_at=start + timedelta(hours=1))
    at = _save_zone(_venues(app_planner), hall, "Europe/London")
    assert "What should it keep?" in texts(at)
    app_planner.delete_event(event.id)
    at.run()
    no_exception(at)
    assert app_planner.get_venue(hall.id).timezone == "Europe/London"
    assert "Saved Side Hall." in texts(at) and "What should" not in texts(at)
