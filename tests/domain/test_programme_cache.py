"""The programme is cached between changes: pages rerun often, the programme changes rarely."""

from __future__ import annotations

from planner import Planner


def test_programme_is_read_once_until_something_changes(planner, make_event, monkeypatch):
    event = make_event()
    planner.publish_event(event.id, allow_past=True)
    planner.programme()
    loads = []
    import planner.areas.events as events_area

    real = events_area.public_events
    monkeypatch.setattr(events_area, "public_events", lambda *a: loads.append(a) or real(*a))
    assert [e.id for e in planner.programme()] == [event.id]
    planner.programme(query="anything")
    assert planner.get_event(event.id).title == event.title
    assert loads == []  # all from the cache
    version = planner.get_event(event.id).version
    planner.update_event(event.id, version=version, title="New title")
    assert planner.programme()[0].title == "New title"
    assert len(loads) == 1  # read again once, after the change


def test_a_change_from_another_process_is_seen_at_once(planner, make_event):
    event = make_event()
    planner.publish_event(event.id, allow_past=True)
    assert planner.programme()[0].title == event.title
    other = Planner(planner.path)  # another server process on the same file
    current = other.get_event(event.id)
    other.update_event(event.id, version=current.version, title="Renamed elsewhere")
    assert planner.programme()[0].title == "Renamed elsewhere"
    room = other.get_room(current.room_id) if current.room_id else None
    if room:
        other.update_room(room.id, name="Renamed room")
        assert planner.programme()[0].room.name == "Renamed room"
    other.cancel_event(event.id, reason="Moved.")
    assert planner.programme()[0].status == "cancelled"
