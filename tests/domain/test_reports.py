"""Reports (issue #11): exact figures on a small known world, per event, per summit and for
every event; no-shows only once an event with a door has ended; arrivals in five-minute bins in
the event's zone; organizations typed differently counted as one; hosts' and co-sponsors' turnout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from planner import NotFound

NY = ZoneInfo("America/New_York")
LIMA = ZoneInfo("America/Lima")


class Sent:
    """A transport that accepts every message."""

    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)

    def close(self):
        pass


@pytest.fixture
def world(planner, clock, make_event, other_room, at):
    """Event A (20 Oct 10:00–11:00 New York, 3 places; host Red Andina, co-sponsor CELS,
    endorser Oficina Sur): Ana (Red Andina) and Bo (red andína) and Cy (CELS) take the places,
    Dee (no organization) and Eve (no organization) wait, Cy cancels and Dee moves up. At the
    door Ana comes at 09:52, Bo at 10:03, a walk-in from "cels" at 10:07; Dee never comes.
    Event B (same day 14:00–15:00, host "red andina"): Fay ("CELS ") registers."""
    clock.now = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    a = make_event(title="Andean rights", capacity=3, organizations=[
        {"name": "Red Andina", "role": "host"}, {"name": "CELS", "role": "co-sponsor"},
        {"name": "Oficina Sur", "role": "endorser"}])
    b = make_event(title="Care workshop", room_id=other_room.id, starts_at=at(20, 14), ends_at=at(20, 15),
                   organizations=[{"name": "red andina", "role": "host"}])
    a = planner.publish_event(a.id, allow_past=True)
    b = planner.publish_event(b.id, allow_past=True)
    guests = {}
    for moment, name, org in [((1, 12, 0), "Ana", "Red Andina"), ((1, 12, 30), "Bo", "red andína"),
                              ((2, 9, 0), "Cy", "CELS"), ((2, 9, 5), "Dee", ""), ((2, 9, 10), "Eve", "")]:
        clock.now = datetime(2026, 10, *moment, tzinfo=UTC)
        guests[name] = planner.register(a.id, name=name, email=f"{name.lower()}@example.org", organization=org)
    clock.now = datetime(2026, 10, 3, 8, 0, tzinfo=UTC)
    planner.cancel_registration(guests["Cy"].manage_token)
    guests["Fay"] = planner.register(b.id, name="Fay", email="fay@example.org", organization="CELS ")
    for when, name in [(at(20, 9, 52), "Ana"), (at(20, 10, 3), "Bo")]:
        clock.now = when.astimezone(UTC)
        assert planner.check_in(guests[name].checkin_code, a.id, door="Main").verdict == "checked_in"
    clock.now = at(20, 10, 7).astimezone(UTC)
    planner.walk_in(a.id, name="Walker", email="", organization="cels", force=True)
    return {"a": a, "b": b, "guests": guests}


def test_an_event_s_figures_before_it_ends_have_no_no_shows(planner, world, clock, at):
    clock.now = at(20, 10, 30).astimezone(UTC)
    s = planner.report_summary(event_id=world["a"].id)
    assert (s.events, s.registered, s.confirmed, s.waitlisted, s.cancelled) == (1, 5, 3, 1, 1)
    assert (s.checked_in, s.walk_ins, s.no_shows, s.expected) == (3, 1, 0, 0)
    assert s.attendance_rate is None


def test_once_an_event_ended_its_confirmed_guests_who_never_came_are_no_shows(planner, world, clock, at):
    clock.now = at(20, 12).astimezone(UTC)  # A ended at 11:00, B starts at 14:00
    a = planner.report_summary(event_id=world["a"].id)
    assert (a.no_shows, a.expected) == (1, 3)  # Dee; the walk-in is not counted as expected
    assert a.attendance_rate == pytest.approx(2 / 3)
    summit = planner.report_summary(summit_id=world["a"].summit_id)
    assert (summit.events, summit.registered, summit.confirmed, summit.waitlisted, summit.cancelled) == (2, 6, 4, 1, 1)
    assert (summit.checked_in, summit.walk_ins, summit.no_shows) == (3, 1, 1)  # Fay's event has not ended
    assert planner.report_summary() == summit  # every event: the same two
    clock.now = at(20, 16).astimezone(UTC)
    later = planner.report_summary(summit_id=world["a"].summit_id)
    assert (later.no_shows, later.expected) == (2, 4) and later.attendance_rate == pytest.approx(2 / 4)


def test_online_and_cancelled_events_never_count_no_shows(planner, world, clock, at):
    planner.cancel_event(world["b"].id, reason="Rain.")
    clock.now = at(21, 12).astimezone(UTC)
    assert planner.report_summary(event_id=world["b"].id).no_shows == 0
    online = planner.create_event(title="Webinar", starts_at=at(20, 8), ends_at=at(20, 9), room_id=None,
                                  online_url="https://meet.example.org/w", summit_id=world["a"].summit_id,
                                  allow_past=True, timezone="America/New_York")
    planner.publish_event(online.id, allow_past=True)
    assert planner.report_summary(event_id=online.id).expected == 0


def test_registrations_over_time_are_hourly_cumulative_in_the_event_s_zone_with_publication_and_reminder(
        planner, world):
    timeline = planner.registrations_over_time(world["a"].id)
    counts = timeline.counts
    assert str(counts["at"].dt.tz) == "America/New_York" and timeline.zone == "America/New_York"
    assert [t.isoformat() for t in counts["at"]] == ["2026-10-01T08:00:00-04:00", "2026-10-02T05:00:00-04:00"]
    assert list(counts["registrations"]) == [2, 3] and list(counts["total"]) == [2, 5]
    assert timeline.published_at == datetime(2026, 10, 1, 8, 0, tzinfo=NY)  # the clock at publishing: 12:00 UTC
    assert timeline.published_at.tzinfo.key == "America/New_York"
    assert timeline.reminder_at == datetime(2026, 10, 19, 10, 0, tzinfo=NY) and not timeline.reminder_sent


def test_the_reminder_marked_is_the_first_one_sent(planner, world, clock, at):
    clock.now = at(19, 10, 30).astimezone(UTC)  # the reminder is due since 10:00
    planner.deliver_outbox(transport=Sent())
    timeline = planner.registrations_over_time(world["a"].id)
    assert timeline.reminder_sent and timeline.reminder_at == at(19, 10, 30)


def test_a_summit_s_registrations_over_time_have_no_marks(planner, world):
    timeline = planner.registrations_over_time(summit_id=world["a"].summit_id)
    assert list(timeline.counts["total"]) == [2, 5, 6]  # Fay on 3 Oct, 04:00 New York
    assert timeline.published_at is None and timeline.reminder_at is None
    everything = planner.registrations_over_time()
    assert everything.zone == "UTC" and list(everything.counts["total"]) == [2, 5, 6]


def test_arrivals_come_in_five_minute_bins_with_the_empty_ones_between(planner, world, at):
    arrivals = planner.arrivals(world["a"].id)
    bins = arrivals.bins
    assert [t.strftime("%H:%M") for t in bins["at"]] == ["09:50", "09:55", "10:00", "10:05"]
    assert list(bins["registered"]) == [1, 0, 1, 0] and list(bins["walk_ins"]) == [0, 0, 0, 1]
    assert list(bins["total"]) == [1, 0, 1, 1]
    assert arrivals.starts_at == at(20, 10) and arrivals.starts_at.tzinfo.key == "America/New_York"


def test_an_undone_check_in_leaves_the_arrivals(planner, world):
    planner.undo_check_in(world["guests"]["Bo"].id)
    assert list(planner.arrivals(world["a"].id).bins["registered"]) == [1, 0, 0, 0]


def test_arrivals_are_in_the_venue_s_zone(planner, clock, summit):
    clock.now = datetime(2026, 10, 1, tzinfo=UTC)
    venue = planner.add_venue(name="Casa Zapata", timezone="America/Lima")
    room = planner.add_room(venue_id=venue.id, name="Sala Grau", capacity=10)
    start = datetime(2026, 10, 20, 18, 0, tzinfo=LIMA)
    event = planner.create_event(title="Encuentro", summit_id=summit.id, room_id=room.id, starts_at=start,
                                 ends_at=start + timedelta(hours=2))
    planner.publish_event(event.id)
    guest = planner.register(event.id, name="Julia", email="julia@example.org")
    clock.now = datetime(2026, 10, 20, 23, 4, 59, tzinfo=UTC)  # 18:04:59 in Lima
    planner.check_in(guest.checkin_code, event.id, door="Puerta")
    arrivals = planner.arrivals(event.id)
    assert [t.isoformat() for t in arrivals.bins["at"]] == ["2026-10-20T18:00:00-05:00"]
    assert arrivals.zone == "America/Lima"
    assert planner.registrations_over_time(event.id).counts["at"].iloc[0].isoformat() == "2026-09-30T19:00:00-05:00"


def test_an_event_nobody_came_to_has_no_arrival_bins(planner, world):
    bins = planner.arrivals(world["b"].id).bins
    assert bins.empty and list(bins.columns) == ["at", "registered", "walk_ins", "total"]


def test_organizations_count_as_one_across_case_accents_and_spaces(planner, world, clock, at):
    clock.now = at(20, 12).astimezone(UTC)
    found = planner.by_organization(world["a"].summit_id)
    rows = {r["organization"]: r for r in found.to_dict("records")}
    assert list(found["organization"]) == ["Red Andina", "CELS", ""]  # most registered, then most checked in
    assert (rows["Red Andina"]["registered"], rows["Red Andina"]["checked_in"], rows["Red Andina"]["no_shows"]) == (2, 2, 0)
    assert rows["Red Andina"]["attendance_rate"] == 1.0
    # Cy (cancelled) and Fay ("CELS ") registered; the walk-in typed "cels".
    assert (rows["CELS"]["registered"], rows["CELS"]["confirmed"], rows["CELS"]["checked_in"],
            rows["CELS"]["walk_ins"]) == (2, 1, 1, 1)
    assert pd.isna(rows["CELS"]["attendance_rate"])  # Fay's event has not ended
    assert (rows[""]["registered"], rows[""]["no_shows"], rows[""]["attendance_rate"]) == (2, 1, 0.0)  # Dee, Eve
    one_event = planner.by_organization(event_id=world["b"].id)
    assert one_event.to_dict("records")[0]["organization"] == "CELS" and len(one_event) == 1


def test_each_host_and_co_sponsor_gets_its_events_and_their_turnout(planner, world, clock, at):
    clock.now = at(20, 12).astimezone(UTC)
    found = planner.organizer_turnout(world["a"].summit_id)
    rows = [(r["organization"], r["role"], r["title"]) for r in found.to_dict("records")]
    assert rows == [("CELS", "co-sponsor", "Andean rights"), ("Red Andina", "host", "Andean rights"),
                    ("Red Andina", "host", "Care workshop")]  # the endorser is not a host
    a, b = found.iloc[1], found.iloc[2]
    assert (a["confirmed"], a["checked_in"], a["walk_ins"], a["no_shows"]) == (3, 3, 1, 1)
    assert a["attendance_rate"] == pytest.approx(2 / 3)
    assert a["starts_at"] == at(20, 10) and a["starts_at"].tzinfo.key == "America/New_York"
    assert (b["confirmed"], b["checked_in"]) == (1, 0) and pd.isna(b["no_shows"]) and pd.isna(b["attendance_rate"])


def test_reports_of_an_unknown_event_or_summit_are_refused(planner, world):
    for call in (lambda: planner.report_summary(event_id=999), lambda: planner.report_summary(summit_id=999),
                 lambda: planner.registrations_over_time(999), lambda: planner.arrivals(999),
                 lambda: planner.by_organization(999), lambda: planner.organizer_turnout(999)):
        with pytest.raises(NotFound):
            call()


def test_an_empty_planner_reports_zeros_in_words_not_errors(planner):
    s = planner.report_summary()
    assert (s.events, s.registered, s.no_shows, s.attendance_rate) == (0, 0, 0, None)
    assert planner.registrations_over_time().counts.empty
    assert planner.by_organization().empty and planner.organizer_turnout().empty


def test_reports_are_for_organizers_not_the_door_or_the_public(planner, world, assert_refused):
    from planner import PUBLIC, PermissionDenied
    from planner.access import of_door, of_user

    organizer = of_user(planner.add_user(email="org@example.org", name="Org", password="long enough pw"))
    assert planner.report_summary(event_id=world["a"].id, actor=organizer).registered == 5
    door = of_door(planner.create_door_pass(world["a"].id, "North door"))
    for actor in (door, PUBLIC):
        assert_refused(lambda: planner.report_summary(event_id=world["a"].id, actor=actor), exc=PermissionDenied)
        assert_refused(lambda: planner.arrivals(world["a"].id, actor=actor), exc=PermissionDenied)
