"""Events: creating, editing (with stale-save detection), duplicating, publishing, cancelling,
listing, the public programme, time zones, and the people and organizations events share."""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import Event, NotFound, StaleEdit, ValidationError
from planner.models import EventChange
from tests.domain.conftest import FUTURE

NY = ZoneInfo("America/New_York")
LIMA = ZoneInfo("America/Lima")


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = NY) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=tz)


def stored_row(planner, event_id: int) -> dict:
    """The raw ``events`` row, to see what is really in the file."""
    conn = sqlite3.connect(planner.path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM events WHERE id = ?", [event_id]).fetchone())
    finally:
        conn.close()


SPEAKERS = [
    {"name": "José Núñez", "affiliation": "Oxfam Perú", "email": "jose@example.org", "role": "chair"},
    {"name": "Amina Diallo", "affiliation": "ActionAid", "role": "speaker"},
]
ORGANIZATIONS = [{"name": "Oxfam Perú", "role": "host"}, {"name": "ActionAid", "role": "co-sponsor"}]


# ---------------------------------------------------------------------- create_event


def test_create_event_makes_a_draft_at_version_1(planner, summit, room, make_event):
    e = make_event(title="Financing the SDGs", description="Who pays?", speakers=SPEAKERS, organizations=ORGANIZATIONS)
    assert isinstance(e, Event)
    assert (e.status, e.version, e.sequence, e.published_at) == ("draft", 1, 0, None)
    assert e.uid.endswith("@side-event-planner")
    assert (e.summit_id, e.room_id, e.summit, e.room) == (summit.id, room.id, summit, room)
    assert e.venue == room.venue
    assert (e.title, e.description) == ("Financing the SDGs", "Who pays?")
    assert [(s.name, s.role, s.email) for s in e.speakers] == [
        ("José Núñez", "chair", "jose@example.org"),
        ("Amina Diallo", "speaker", None),
    ]
    assert [(o.name, o.role) for o in e.organizations] == [("Oxfam Perú", "host"), ("ActionAid", "co-sponsor")]
    assert [o.name for o in e.organizations_with_role("host")] == ["Oxfam Perú"]
    assert planner.get_event(e.id) == e


def test_capacity_defaults_to_the_rooms(planner, room, make_event):
    default = make_event()
    assert (default.capacity, default.capacity_is_default) == (room.capacity, True)
    own = make_event(capacity=25)
    assert (own.capacity, own.capacity_is_default) == (25, False)


def test_format_follows_from_room_and_link(make_event):
    assert make_event().format == "in_person"
    online = make_event(room_id=None, online_url="https://zoom.us/j/123")
    assert (online.format, online.place) == ("online", "Online")
    hybrid = make_event(online_url="https://zoom.us/j/123")
    assert hybrid.format == "hybrid"
    assert hybrid.place == (
        "Boss Room, 8th floor, Church Center for the United Nations, 777 United Nations Plaza, New York — and online")
    assert make_event(format="Hybrid", online_url="https://zoom.us/j/1").format == "hybrid"


def test_title_is_trimmed_and_spaces_folded(make_event):
    assert make_event(title="  Climate   finance after COP\n").title == "Climate finance after COP"


@pytest.mark.parametrize("breaking", ["\t", "\n", "\r", "\u2028"])
def test_a_title_with_a_tab_or_line_break_inside_is_refused(planner, make_event, breaking):
    with pytest.raises(ValidationError, match="one line") as refused:
        make_event(title=f"Climate finance{breaking}after COP")
    assert refused.value.field == "title"
    assert planner.list_events() == []


def test_an_address_pasted_over_several_lines_is_folded_onto_one(planner):
    venue = planner.add_venue(name="Church Center", address="777 UN Plaza\nNew York, NY 10017", timezone="America/New_York")
    assert venue.address == "777 UN Plaza New York, NY 10017"


def test_a_title_of_exactly_200_characters_is_fine(make_event):
    assert make_event(title="t" * 200).title == "t" * 200


BAD_EVENT_INPUT = [
    # (id, fields to override, field named in the error)
    ("end-equals-start", {"ends_at": at(20, 10)}, "ends_at"),
    ("end-before-start", {"ends_at": at(20, 9)}, "ends_at"),
    ("naive-start", {"starts_at": datetime(2026, 10, 20, 10, 0)}, "starts_at"),
    ("naive-end", {"ends_at": datetime(2026, 10, 20, 11, 0)}, "ends_at"),
    ("start-as-text", {"starts_at": "2026-10-20T10:00"}, "starts_at"),
    # the far ends of the calendar overflow in UTC: refused, not an OverflowError
    ("start-in-year-9999", {"summit_id": None, "starts_at": datetime(9999, 12, 31, 22, tzinfo=NY),
                            "ends_at": datetime(9999, 12, 31, 23, tzinfo=NY)}, "starts_at"),
    ("start-in-year-1", {"summit_id": None, "starts_at": datetime(1, 1, 1, 1, tzinfo=ZoneInfo("Asia/Karachi")),
                         "ends_at": datetime(1, 1, 1, 2, tzinfo=ZoneInfo("Asia/Karachi"))}, "starts_at"),
    ("longer-than-31-days", {"ends_at": at(20, 11) + timedelta(days=40)}, "ends_at"),
    ("unknown-time-zone", {"room_id": None, "summit_id": None, "timezone": "Mars/Olympus_Mons"}, "timezone"),
    ("capacity-0", {"capacity": 0}, "capacity"),
    ("capacity-minus-1", {"capacity": -1}, "capacity"),
    ("capacity-True", {"capacity": True}, "capacity"),
    ("capacity-ten", {"capacity": "ten"}, "capacity"),
    ("capacity-fraction", {"capacity": 2.5}, "capacity"),
    ("empty-title", {"title": ""}, "title"),
    ("whitespace-title", {"title": " \t\n "}, "title"),
    ("missing-title", {"title": None}, "title"),
    ("number-title", {"title": 42}, "title"),
    ("title-201-chars", {"title": "t" * 201}, "title"),
    ("title-NUL", {"title": "Bad\x00title"}, "title"),
    ("title-ESC", {"title": "Bad\x1b[31mtitle"}, "title"),
    ("title-unit-separator", {"title": "Bad\x1ftitle"}, "title"),
    ("title-C1-CSI", {"title": "Bad\x9b31mtitle"}, "title"),
    ("description-NUL", {"description": "line one\x00"}, "description"),
    ("link-ftp", {"online_url": "ftp://files.example.org/agenda"}, "online_url"),
    ("link-javascript", {"online_url": "javascript:alert(1)"}, "online_url"),
    ("link-no-scheme", {"online_url": "zoom.us/j/1"}, "online_url"),
    ("link-no-host", {"online_url": "https://"}, "online_url"),
    ("link-with-space", {"online_url": "https://zoom us/j/1"}, "online_url"),
    ("link-not-text", {"online_url": 123}, "online_url"),
    ("format-unknown", {"format": "webinar"}, "format"),
    ("format-online-with-room", {"format": "online"}, "format"),
    ("format-in-person-with-link", {"format": "in_person", "online_url": "https://zoom.us/j/1"}, "format"),
    ("speaker-role-unknown", {"speakers": [{"name": "Ana Pérez", "role": "keynote"}]}, "speakers"),
    ("speaker-without-name", {"speakers": [{"name": "  ", "role": "chair"}]}, "speakers"),
    ("speaker-bad-email", {"speakers": [{"name": "Ana Pérez", "email": "ana@"}]}, "speakers"),
    ("speaker-not-a-dict", {"speakers": ["Ana Pérez"]}, "speakers"),
    ("speaker-name-control-char", {"speakers": [{"name": "Ana\x1bPérez"}]}, "speakers"),
    ("organization-role-unknown", {"organizations": [{"name": "Oxfam", "role": "sponsor"}]}, "organizations"),
    ("organization-without-name", {"organizations": [{"name": "", "role": "host"}]}, "organizations"),
    ("organization-name-control-char", {"organizations": [{"name": "Ox\x07fam", "role": "host"}]}, "organizations"),
]


@pytest.mark.parametrize("fields, field", [pytest.param(f, n, id=i) for i, f, n in BAD_EVENT_INPUT])
def test_create_event_refuses_bad_input_and_writes_nothing(planner, make_event, assert_refused, fields, field):
    assert_refused(lambda: make_event(**fields), field=field)
    assert planner.list_events() == []


@pytest.mark.parametrize("fields", [{"summit_id": 999}, {"room_id": 999}, {"room_id": "abc"}, {"room_id": 10**20}, {"summit_id": 2**63}])
def test_create_event_with_an_unknown_summit_or_room_is_not_found(planner, make_event, assert_refused, fields):
    assert_refused(lambda: make_event(**fields), exc=NotFound)
    assert planner.list_events() == []


def test_an_unknown_time_zone_is_refused_even_when_the_room_decides_the_zone(make_event, assert_refused):
    """A time zone that does not exist is bad input whatever else is given."""
    assert_refused(lambda: make_event(timezone="Mars/Olympus_Mons"), field="timezone")


def test_a_stored_event_always_ends_after_it_starts_even_with_sub_second_times(planner, make_event):
    """Times are stored to the second: an event 0.8 s long must be refused, not stored 0 s long."""
    start = at(20, 10).replace(microsecond=100_000)
    end = start.replace(microsecond=900_000)
    try:
        e = make_event(starts_at=start, ends_at=end)
    except ValidationError:
        assert planner.list_events() == []
        return
    assert e.ends_at > e.starts_at, f"stored an event that ends when it starts: {e.starts_at} – {e.ends_at}"


def test_end_before_start_is_refused_across_the_autumn_clock_change(planner, make_event, assert_refused):
    """On Sun 1 Nov 2026 New York clocks go back at 02:00 EDT to 01:00 EST, so 01:30 happens
    twice. Starting at the second 01:30 (fold=1, 06:30 UTC) and ending at the first 01:45
    (fold=0, 05:45 UTC) ends 45 minutes *before* it starts."""
    start = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)
    end = datetime(2026, 11, 1, 1, 45, fold=0, tzinfo=NY)
    assert end.astimezone(UTC) < start.astimezone(UTC)
    assert_refused(lambda: make_event(summit_id=None, starts_at=start, ends_at=end), field="ends_at")
    assert planner.list_events() == []


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=230))
def test_any_title_is_saved_cleaned_or_refused_without_writing(planner, make_event, snapshot, title):
    """Property: a typed title either reads back trimmed with spaces folded (1–200 characters),
    or is refused with ValidationError for a reason we can name and nothing is written."""
    cleaned = " ".join(title.split())
    before = snapshot()
    try:
        e = make_event(title=title)
    except ValidationError as error:
        assert error.field == "title"
        assert snapshot() == before
        assert (
            not cleaned
            # nothing visible: only spaces and format marks such as zero-width spaces
            or all(unicodedata.category(ch) in {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs"} for ch in cleaned)
            or len(cleaned) > 200
            # control characters other than tab and line breaks, checked as typed
            or any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in title)
            # a tab or line break inside the text (around it, they are trimmed)
            or any(ch in "\t\n\r\x0b\x0c\x85\u2028\u2029" for ch in title.strip())
        ), f"refused a good title {title!r}: {error}"
    else:
        assert e.title == cleaned
        assert planner.get_event(e.id).title == cleaned
        assert 1 <= len(cleaned) <= 200


# ---------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    "zone, local, utc",
    [
        ("America/Lima", datetime(2026, 10, 20, 18, 30), "2026-10-20T23:30:00Z"),  # UTC−5, no DST
        ("America/New_York", datetime(2026, 10, 20, 18, 30), "2026-10-20T22:30:00Z"),  # EDT, UTC−4
        ("America/New_York", datetime(2026, 1, 20, 18, 30), "2026-01-20T23:30:00Z"),  # EST, UTC−5
    ],
)
def test_local_times_read_back_unchanged_and_are_stored_in_utc(planner, zone, local, utc):
    venue = planner.add_venue(name="Hall", timezone=zone)
    room = planner.add_room(venue_id=venue.id, name="Room 1", capacity=30)
    tz = ZoneInfo(zone)
    e = planner.create_event(
        title="Wall clock", room_id=room.id,
        starts_at=local.replace(tzinfo=tz), ends_at=(local + timedelta(hours=1, minutes=30)).replace(tzinfo=tz),
        allow_past=True,
    )
    assert e.timezone == zone == e.venue.timezone
    assert e.starts_at.utcoffset() == timedelta(0) and e.ends_at.utcoffset() == timedelta(0)
    assert e.local_start.replace(tzinfo=None) == local
    assert e.local_end.replace(tzinfo=None) == local + timedelta(hours=1, minutes=30)
    assert stored_row(planner, e.id)["starts_at"] == utc
    again = planner.get_event(e.id)
    assert again.local_start.replace(tzinfo=None) == local and again.timezone == zone


def test_the_event_zone_is_the_venues_whatever_zone_the_times_are_given_in(planner, venue, room):
    e = planner.create_event(
        title="Given in UTC", room_id=room.id,
        starts_at=datetime(2026, 10, 20, 14, 0, tzinfo=UTC), ends_at=datetime(2026, 10, 20, 15, 0, tzinfo=UTC),
        timezone="Europe/Paris", allow_past=True,  # the zone is ignored: the venue decides
    )
    assert e.timezone == venue.timezone == "America/New_York"
    assert e.local_start == at(20, 10)


def test_without_a_room_the_zone_is_the_summits_then_the_given_one(planner, summit):
    online = dict(online_url="https://zoom.us/j/1", starts_at=at(20, 10, tz=LIMA), ends_at=at(20, 11, tz=LIMA),
                  allow_past=True)
    assert planner.create_event(title="Summit zone", summit_id=summit.id, **online).timezone == "America/New_York"
    assert planner.create_event(title="Given zone", timezone="America/Lima", **online).timezone == "America/Lima"
    assert planner.create_event(title="Start's zone", **online).timezone == "America/Lima"


def test_events_follow_their_venues_time_zone_when_it_is_corrected(planner, venue, make_event):
    """Event.timezone is documented as the venue's; correcting the venue's zone must not leave
    its events showing times in the old one."""
    e = make_event()
    planner.update_venue(venue.id, timezone="America/Lima", keep_local_times=False)
    again = planner.get_event(e.id)
    assert again.timezone == again.venue.timezone == "America/Lima"
    assert again.starts_at == e.starts_at  # the moment kept: the wall clock moved


def test_a_venues_new_zone_asks_whether_its_events_keep_their_local_times(planner, venue, make_event, open_event,
                                                                          assert_refused):
    """A venue's zone entered wrongly (New York for a London building): saying so must not move
    every event there by hours, nor write to their guests, before the organizer chose."""
    public = open_event(title="Published at the venue")
    draft = make_event(title="Draft at the venue", starts_at=public.starts_at + timedelta(hours=3),
                       ends_at=public.ends_at + timedelta(hours=3))
    ana = planner.register(public.id, name="Ana", email="ana@example.org")
    mail_before = len(planner.outbox())
    local = {e.id: (e.local_start.time(), e.local_end.time()) for e in (draft, public)}

    error = assert_refused(lambda: planner.update_venue(venue.id, timezone="Europe/London"), field="timezone",
                           match="Events are held at this venue")
    assert error.params["count"] == 2
    assert planner.get_venue(venue.id).timezone == venue.timezone and len(planner.outbox()) == mail_before

    planner.update_venue(venue.id, timezone="Europe/London", keep_local_times=True)
    for e in (draft, public):
        moved = planner.get_event(e.id)
        assert moved.timezone == "Europe/London"
        assert (moved.local_start.time(), moved.local_end.time()) == local[e.id]  # 17:00 stays 17:00
        assert moved.local_start.date() == e.local_start.date() and moved.starts_at != e.starts_at
    told = [m for m in planner.outbox() if m.recipient == ana.email and m.kind == "event_changed"]
    assert len(told) == 1  # the guest learns the zone (and so the moment) changed

    # Back, keeping the moments: the local times move, the instants stay.
    before = planner.get_event(public.id)
    planner.update_venue(venue.id, timezone=venue.timezone, keep_local_times=False)
    after = planner.get_event(public.id)
    assert after.starts_at == before.starts_at and after.local_start.time() != before.local_start.time()
    # A venue without events changes its zone without the question; a name alone never asks.
    empty = planner.add_venue(name="Empty hall", timezone="UTC")
    assert planner.update_venue(empty.id, timezone="Asia/Tokyo").timezone == "Asia/Tokyo"
    assert planner.update_venue(venue.id, name="Renamed hall").name == "Renamed hall"


# ---------------------------------------------------------------------- update_event


def test_update_event_saves_changes_and_bumps_version(planner, make_event):
    e = make_event(title="Old title")
    updated = planner.update_event(e.id, version=e.version, title="New title", capacity=50)
    assert (updated.title, updated.capacity, updated.version) == ("New title", 50, 2)
    assert planner.get_event(e.id) == updated


@pytest.mark.parametrize(
    "change, grows",
    [
        ({"title": "Another title"}, True),
        ({"starts_at": at(20, 9)}, True),
        ({"ends_at": at(20, 12)}, True),
        ({"online_url": "https://zoom.us/j/9"}, True),
        ({"description": "More detail"}, False),
        ({"capacity": 12}, False),
        ({"speakers": [{"name": "Ana Pérez"}]}, False),
        ({"title": "Side event 1"}, False),  # unchanged title
    ],
)
def test_sequence_grows_only_when_what_a_calendar_shows_changes(planner, make_event, change, grows):
    e = make_event(title="Side event 1")
    updated = planner.update_event(e.id, version=e.version, allow_past=True, **change)
    assert updated.sequence == e.sequence + (1 if grows else 0)
    assert updated.version == e.version + 1


def test_moving_to_another_room_grows_the_sequence(planner, make_event, other_room):
    e = make_event()
    moved = planner.update_event(e.id, version=e.version, room_id=other_room.id)
    assert (moved.room_id, moved.sequence) == (other_room.id, 1)


def test_giving_an_online_event_a_room_makes_it_hybrid(planner, make_event, room):
    e = make_event(room_id=None, online_url="https://zoom.us/j/1")
    assert planner.update_event(e.id, version=e.version, room_id=room.id).format == "hybrid"


def test_update_event_replaces_speakers_and_organizations(planner, make_event):
    e = make_event(speakers=SPEAKERS, organizations=ORGANIZATIONS)
    updated = planner.update_event(
        e.id, version=e.version,
        speakers=[{"name": "Ana Pérez", "role": "moderator"}],
        organizations=[{"name": "CIVICUS", "role": "endorser"}],
    )
    assert [(s.name, s.role) for s in updated.speakers] == [("Ana Pérez", "moderator")]
    assert [(o.name, o.role) for o in updated.organizations] == [("CIVICUS", "endorser")]


def test_update_with_an_old_version_raises_stale_edit_carrying_the_latest_event(planner, make_event, assert_refused):
    e = make_event(title="Original")
    theirs = planner.update_event(e.id, version=e.version, title="Their title")
    error = assert_refused(
        lambda: planner.update_event(e.id, version=e.version, title="My title", capacity=5), exc=StaleEdit
    )
    assert error.current == planner.get_event(e.id) == theirs
    assert (error.current.title, error.current.version) == ("Their title", 2)
    # The page can tell the user what the other person changed.
    assert planner.event_changes(e, error.current) == [EventChange("Title", "Original", "Their title")]
    # Saving again on the version they now see works.
    assert planner.update_event(e.id, version=error.current.version, title="My title").version == 3


def test_a_version_from_the_future_is_stale_too(planner, make_event, assert_refused):
    e = make_event()
    assert_refused(lambda: planner.update_event(e.id, version=e.version + 5, title="x y z"), exc=StaleEdit)


@pytest.mark.parametrize(
    "fields, field",
    [pytest.param(f, n, id=i) for i, f, n in BAD_EVENT_INPUT if i in {
        "end-before-start", "naive-start", "capacity-0", "capacity-True", "empty-title",
        "title-201-chars", "link-javascript", "speaker-role-unknown", "organization-role-unknown",
    }],
)
def test_update_event_refuses_bad_input_and_writes_nothing(planner, make_event, assert_refused, fields, field):
    e = make_event()
    assert_refused(lambda: planner.update_event(e.id, version=e.version, **fields), field=field)
    assert planner.get_event(e.id) == e


def test_update_event_refuses_unknown_fields(planner, make_event, assert_refused):
    e = make_event()
    assert_refused(lambda: planner.update_event(e.id, version=e.version, status="published"), field="status")
    assert_refused(lambda: planner.update_event(e.id, version=e.version, venue="Elsewhere"), field="venue")


def test_update_event_to_an_unknown_room_or_summit_is_not_found(planner, make_event, assert_refused):
    e = make_event()
    assert_refused(lambda: planner.update_event(e.id, version=e.version, room_id=999), exc=NotFound)
    assert_refused(lambda: planner.update_event(e.id, version=e.version, summit_id=999), exc=NotFound)


def test_update_of_an_unknown_event_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.update_event(999, version=1, title="x"), exc=NotFound)


# ---------------------------------------------------------------------- duplicate_event


def test_duplicate_event_is_a_new_draft_with_the_same_details(planner, make_event):
    e = make_event(title="Financing the SDGs", description="Who pays?", capacity=30,
                   speakers=SPEAKERS, organizations=ORGANIZATIONS, online_url="https://zoom.us/j/1")
    e = planner.publish_event(e.id, allow_room_clash=True, allow_past=True)
    copy = planner.duplicate_event(e.id)
    assert copy.id != e.id and copy.uid != e.uid
    assert (copy.status, copy.version, copy.sequence, copy.published_at) == ("draft", 1, 0, None)
    assert copy.title == "Financing the SDGs (copy)"
    same = ("description", "summit_id", "room_id", "online_url", "format", "timezone",
            "starts_at", "ends_at", "capacity", "speakers", "organizations")
    assert {f: getattr(copy, f) for f in same} == {f: getattr(e, f) for f in same}
    assert planner.get_event(e.id) == e  # the original is untouched


def test_duplicating_a_long_title_stays_within_200_characters(planner, make_event):
    copy = planner.duplicate_event(make_event(title="t" * 198).id)
    assert len(copy.title) <= 200


def test_a_cancelled_event_can_be_duplicated_as_a_draft(planner, make_event):
    e = make_event()
    planner.cancel_event(e.id, reason="Speaker unwell")
    assert planner.duplicate_event(e.id).status == "draft"


def test_duplicating_an_unknown_event_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.duplicate_event(5), exc=NotFound)


# ---------------------------------------------------------------------- publish_event


def test_publish_event(planner, make_event):
    e = make_event()
    published = planner.publish_event(e.id, allow_past=True)
    assert published.status == "published"
    assert published.published_at is not None
    assert (published.version, published.sequence) == (e.version + 1, e.sequence)
    assert planner.get_event(e.id) == published


def test_publishing_into_a_booked_room_is_refused_unless_confirmed(planner, make_event, assert_refused):
    first = planner.publish_event(make_event(title="First").id, allow_past=True)
    second = make_event(title="Second", starts_at=at(20, 10, 30), ends_at=at(20, 12))
    error = assert_refused(lambda: planner.publish_event(second.id, allow_past=True), field="room_id")
    assert "Boss Room" in str(error) and "publish anyway" in str(error)
    assert planner.get_event(second.id).status == "draft"
    assert planner.publish_event(second.id, allow_room_clash=True, allow_past=True).status == "published"
    assert planner.get_event(first.id).status == "published"


def test_a_room_booked_between_the_check_and_the_publishing_is_still_refused(planner, make_event, assert_refused, monkeypatch):
    """Another organizer may book the room after the clash check ran: the publishing
    transaction asks again, so the clash still needs the organizer's confirmation."""
    import planner.areas.events as module

    planner.publish_event(make_event(title="First").id, allow_past=True)
    second = make_event(title="Second", starts_at=at(20, 10, 30), ends_at=at(20, 12))
    monkeypatch.setattr(module, "find_conflicts", lambda events, focus_id=None: [])  # the room looked free
    error = assert_refused(lambda: planner.publish_event(second.id, allow_past=True), field="room_id")
    assert "just booked for “First”" in str(error)
    assert planner.get_event(second.id).status == "draft"
    assert planner.publish_event(second.id, allow_room_clash=True, allow_past=True).status == "published"


def test_confirming_the_clashes_shown_does_not_accept_a_booking_made_since(planner, make_event, assert_refused):
    first = planner.publish_event(make_event(title="First").id, allow_past=True)
    second = make_event(title="Second", starts_at=at(20, 10, 30), ends_at=at(20, 12))
    # The organizer saw the clash with "First" and confirmed it; meanwhile "Third" took the room too.
    third = make_event(title="Third", starts_at=at(20, 11), ends_at=at(20, 11, 30))
    error = assert_refused(lambda: planner.publish_event(second.id, allow_room_clash=[first.id], allow_past=True),
                           field="room_id")
    assert "Third" in str(error)
    assert planner.publish_event(second.id, allow_room_clash=[first.id, third.id], allow_past=True).status == "published"


def test_a_room_booked_by_a_cancelled_event_is_free(planner, make_event):
    first = make_event()
    planner.cancel_event(first.id, reason="Moved online")
    assert planner.publish_event(make_event().id, allow_past=True).status == "published"


def test_publishing_twice_changes_nothing(planner, make_event):
    published = planner.publish_event(make_event().id, allow_past=True)
    assert planner.publish_event(published.id) == published  # already public: nothing to ask


def test_a_cancelled_event_cannot_be_published_again(planner, make_event, assert_refused):
    e = make_event()
    planner.publish_event(e.id, allow_past=True)
    planner.cancel_event(e.id, reason="Venue closed")
    error = assert_refused(lambda: planner.publish_event(e.id, allow_past=True), field="status")
    assert "Duplicate" in str(error)
    assert_refused(lambda: planner.publish_event(e.id, allow_room_clash=True, allow_past=True), field="status")


def test_publishing_with_an_old_version_is_stale(planner, make_event, assert_refused):
    e = make_event()
    planner.update_event(e.id, version=e.version, title="Changed meanwhile")
    assert_refused(lambda: planner.publish_event(e.id, version=e.version, allow_past=True), exc=StaleEdit)


def test_publishing_an_unknown_event_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.publish_event(404), exc=NotFound)


# ---------------------------------------------------------------------- cancel_event


def test_cancel_event_keeps_the_reason_and_grows_the_sequence(planner, make_event):
    e = planner.publish_event(make_event().id, allow_past=True)
    cancelled = planner.cancel_event(e.id, reason="  Speaker  unwell ")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Speaker unwell")
    assert cancelled.sequence == e.sequence + 1
    assert cancelled.version == e.version + 1
    assert planner.get_event(e.id) == cancelled


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 501, "Bad\x00reason"])
def test_cancelling_needs_a_reason(planner, make_event, assert_refused, reason):
    e = make_event()
    assert_refused(lambda: planner.cancel_event(e.id, reason=reason), field="reason")
    assert planner.get_event(e.id).status == "draft"


def test_cancelling_twice_changes_nothing(planner, make_event):
    cancelled = planner.cancel_event(make_event().id, reason="Rain")
    assert planner.cancel_event(cancelled.id, reason="Other reason") == cancelled


def test_a_cancelled_event_can_no_longer_be_edited(planner, make_event, assert_refused):
    cancelled = planner.cancel_event(make_event().id, reason="Rain")
    assert_refused(lambda: planner.update_event(cancelled.id, version=cancelled.version, title="Revived"))


def test_cancelling_with_an_old_version_is_stale(planner, make_event, assert_refused):
    e = make_event()
    planner.update_event(e.id, version=e.version, title="Changed meanwhile")
    assert_refused(lambda: planner.cancel_event(e.id, reason="Rain", version=e.version), exc=StaleEdit)


def test_cancelling_an_unknown_event_is_not_found(planner, assert_refused):
    assert_refused(lambda: planner.cancel_event(404, reason="Rain"), exc=NotFound)


# ---------------------------------------------------------------------- get_event / list_events


@pytest.mark.parametrize("bad_id", [404, 0, "abc", None])
def test_get_event_of_an_unknown_id_is_not_found(planner, make_event, assert_refused, bad_id):
    make_event()
    assert_refused(lambda: planner.get_event(bad_id), exc=NotFound)


def test_list_events_in_time_order_filtered_by_summit_and_status(planner, summit, make_event):
    other = planner.add_summit(name="HLPF", timezone="America/New_York",
                               starts_on=date(2026, 7, 6), ends_on=date(2026, 7, 15))
    late = make_event(title="Late", starts_at=at(21, 15), ends_at=at(21, 16))
    early = make_event(title="Early", starts_at=at(20, 9), ends_at=at(20, 10))
    elsewhere = make_event(title="July", summit_id=other.id,
                           starts_at=datetime(2026, 7, 7, 9, tzinfo=NY), ends_at=datetime(2026, 7, 7, 10, tzinfo=NY))
    planner.publish_event(late.id, allow_past=True)
    assert [e.title for e in planner.list_events()] == ["July", "Early", "Late"]
    assert [e.title for e in planner.list_events(summit_id=summit.id)] == ["Early", "Late"]
    assert [e.title for e in planner.list_events(summit_id=other.id)] == ["July"]
    assert [e.title for e in planner.list_events(status="published")] == ["Late"]
    assert [e.title for e in planner.list_events(summit.id, "draft")] == ["Early"]
    assert planner.list_events(status="cancelled") == []
    assert elsewhere.id in {e.id for e in planner.list_events(status="draft")}


def test_list_events_refuses_an_unknown_status(planner, assert_refused):
    assert_refused(lambda: planner.list_events(status="archived"), field="status")


# ---------------------------------------------------------------------- programme


@pytest.fixture
def programme_world(planner, make_event, other_room):
    """Published, draft and cancelled events of UNGA week, by title."""
    e = {}
    e["climate"] = make_event(
        title="Financiación climática en América Latina", starts_at=at(20, 10), ends_at=at(20, 11),
        speakers=[{"name": "José Núñez", "affiliation": "Oxfam Perú"}],
        organizations=[{"name": "Oxfam  Perú", "role": "host"}],
    )
    e["gender"] = make_event(
        title="Gender equality online", room_id=None, online_url="https://zoom.us/j/1",
        starts_at=at(21, 9), ends_at=at(21, 10), organizations=[{"name": "ActionAid", "role": "host"}],
    )
    # 22:00 in New York on the 20th is already the 21st in UTC.
    e["late"] = make_event(title="Late night debate", room_id=other_room.id, starts_at=at(20, 22), ends_at=at(20, 23))
    e["withdrawn"] = make_event(title="Withdrawn panel", starts_at=at(22, 10), ends_at=at(22, 11))
    e["draft"] = make_event(title="Still a draft", starts_at=at(22, 12), ends_at=at(22, 13))
    e["scrapped"] = make_event(title="Scrapped before publishing", starts_at=at(22, 14), ends_at=at(22, 15))
    for key in ("climate", "gender", "late", "withdrawn"):
        planner.publish_event(e[key].id, allow_past=True)
    planner.cancel_event(e["withdrawn"].id, reason="Speaker unwell")
    planner.cancel_event(e["scrapped"].id, reason="Never mind")
    return {k: planner.get_event(v.id) for k, v in e.items()}


def titles(events):
    return [e.title for e in events]


def test_programme_shows_published_and_published_then_cancelled_events_in_time_order(planner, programme_world):
    shown = planner.programme()
    assert titles(shown) == [
        "Financiación climática en América Latina", "Late night debate", "Gender equality online", "Withdrawn panel",
    ]
    assert shown[-1].status == "cancelled" and shown[-1].cancel_reason == "Speaker unwell"


def test_programme_of_one_summit(planner, summit, programme_world):
    other = planner.add_summit(name="Other", timezone="UTC", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))
    assert len(planner.programme(summit_id=summit.id)) == 4
    assert planner.programme(summit_id=other.id) == []


def test_programme_day_is_the_events_local_day(planner, programme_world):
    assert titles(planner.programme(day=date(2026, 10, 20))) == [
        "Financiación climática en América Latina", "Late night debate",
    ]
    assert titles(planner.programme(day=date(2026, 10, 21))) == ["Gender equality online"]
    assert planner.programme(day=date(2026, 10, 25)) == []


@pytest.mark.parametrize("typed", ["Oxfam Perú", "oxfam peru", "  OXFAM   PERÚ "])
def test_programme_by_organization_ignores_case_accents_and_spaces(planner, programme_world, typed):
    assert titles(planner.programme(organization=typed)) == ["Financiación climática en América Latina"]


def test_programme_by_format(planner, programme_world):
    assert titles(planner.programme(format="online")) == ["Gender equality online"]
    assert len(planner.programme(format="in_person")) == 3


@pytest.mark.parametrize(
    "query, expected",
    [
        ("financiacion CLIMATICA", ["Financiación climática en América Latina"]),
        ("jose nunez", ["Financiación climática en América Latina"]),  # a speaker
        ("NÚÑEZ oxfam", ["Financiación climática en América Latina"]),  # every word must match
        ("actionaid", ["Gender equality online"]),  # an organization
        ("chapel", ["Late night debate"]),  # the room
        ("núñez gender", []),
        ("   ", ["Financiación climática en América Latina", "Late night debate", "Gender equality online", "Withdrawn panel"]),
    ],
)
def test_programme_search_ignores_case_and_accents(planner, programme_world, query, expected):
    assert titles(planner.programme(query=query)) == expected


def test_programme_filters_combine(planner, programme_world):
    assert titles(planner.programme(day=date(2026, 10, 20), query="debate")) == ["Late night debate"]
    assert planner.programme(day=date(2026, 10, 21), organization="Oxfam Perú") == []


# ---------------------------------------------------------------------- people and organizations


def test_the_same_speaker_is_one_person_across_events(planner, make_event):
    make_event(speakers=[{"name": "Diego Morales", "affiliation": "CIVICUS"}])
    make_event(speakers=[{"name": "  diego   MORALES ", "email": "Diego@Example.org"}])
    make_event(speakers=[{"name": "Diégo Morales"}])
    make_event(speakers=[{"name": "D. Morales", "email": "diego@example.org"}])  # same email
    people = planner.people()
    assert len(people) == 1
    assert people[0]["name"] == "Diego Morales"
    assert people[0]["email"] == "diego@example.org"
    assert people[0]["affiliation"] == "CIVICUS"
    speaker_ids = {s.person_id for e in planner.list_events() for s in e.speakers}
    assert speaker_ids == {people[0]["id"]}


def test_different_speakers_stay_apart(planner, make_event):
    make_event(speakers=[{"name": "Ana Pérez"}, {"name": "Amina Diallo"}])
    assert sorted(p["name"] for p in planner.people()) == ["Amina Diallo", "Ana Pérez"]


def test_the_same_organization_is_listed_once(planner, make_event):
    make_event(organizations=[{"name": "Oxfam Perú", "role": "host"}, {"name": "OXFAM  peru", "role": "host"}])
    make_event(organizations=[{"name": " oxfam perú", "role": "endorser"}])
    make_event(organizations=[{"name": "Oxfam Peru", "role": "co-sponsor"}, {"name": "ActionAid", "role": "endorser"}])
    assert planner.organization_names() == ["ActionAid", "Oxfam Perú"]
    first = planner.list_events()[0]
    assert [(o.name, o.role) for o in first.organizations] == [("Oxfam Perú", "host")]


def test_no_people_or_organizations_before_any_event(planner):
    assert planner.people() == [] and planner.organization_names() == []


# ---------------------------------------------------------------------- event_changes


def test_event_changes_lists_each_field_that_differs(planner, make_event, other_room):
    before = make_event(title="Old", capacity=10, speakers=[{"name": "Ana Pérez"}])
    after = planner.update_event(
        before.id, version=before.version, title="New", capacity=20, room_id=other_room.id,
        starts_at=at(20, 9), speakers=[{"name": "Ana Pérez", "role": "chair"}], allow_past=True,
    )
    changes = {c.field: (c.before, c.after) for c in planner.event_changes(before, after)}
    assert changes == {
        "Title": ("Old", "New"),
        "Starts": ("Tue 20 Oct 2026 10:00", "Tue 20 Oct 2026 09:00"),
        "Place": ("Boss Room, 8th floor, Church Center for the United Nations, 777 United Nations Plaza, New York",
                  "Chapel, Church Center for the United Nations, 777 United Nations Plaza, New York"),
        "Capacity": ("10", "20"),
        "Speakers": ("Ana Pérez (speaker)", "Ana Pérez (chair)"),
    }


def test_no_event_changes_between_equal_versions(planner, make_event):
    e = make_event()
    assert planner.event_changes(e, planner.get_event(e.id)) == []


@pytest.mark.parametrize("huge", [2**63, 10**20, "99999999999999999999", "١٢", "1" * 5000])
def test_ids_sqlite_cannot_hold_are_not_found_not_a_crash(planner, make_event, assert_refused, huge):
    """A URL such as /event?id=99999999999999999999 must read as "not found" everywhere."""
    make_event()
    for call in (planner.get_event, planner.event_counts, planner.event_ics, planner.registrations, planner.conflicts):
        assert_refused(lambda: call(huge), exc=NotFound)
    assert_refused(lambda: planner.register(huge, name="Ana", email="ana@example.org"), exc=NotFound)


def test_a_venue_renamed_tells_the_guests_of_events_to_come_not_of_events_that_ended(planner, venue, make_event,
                                                                                     clock):
    """Renaming a building (or correcting its zone) is news to people who will go there, not to
    the guests of an event there last month."""
    start = clock.now + timedelta(days=2)
    past = planner.publish_event(make_event(title="Last month's", starts_at=start, ends_at=start + timedelta(hours=1),
                                            allow_past=False).id, allow_room_clash=True)
    coming = planner.publish_event(make_event(title="Next month's", starts_at=start + timedelta(days=40),
                                              ends_at=start + timedelta(days=40, hours=1), allow_past=False).id,
                                   allow_room_clash=True)
    went = planner.register(past.id, name="Ana", email="ana@example.org")
    going = planner.register(coming.id, name="Bo", email="bo@example.org")
    clock.advance(days=10)  # the first event is over
    planner.update_venue(venue.id, name="Renamed hall")
    changed = {m.recipient for m in planner.outbox() if m.kind == "event_changed"}
    assert changed == {going.email} and went.email not in changed


def test_a_venues_new_zone_leaves_events_that_ended_at_their_moment(planner, venue, make_event, clock):
    """What happened, happened then: an event that ended is neither asked about nor moved (moved,
    it could end in the future again and take registrations)."""
    start = clock.now + timedelta(days=1)
    over = make_event(title="Over", starts_at=start, ends_at=start + timedelta(hours=1), allow_past=False)
    coming = make_event(title="Coming", starts_at=start + timedelta(days=30), ends_at=start + timedelta(days=30, hours=1),
                        allow_past=False)
    clock.advance(days=3)
    planner.update_venue(venue.id, timezone="Europe/London", keep_local_times=True)
    assert planner.get_event(over.id).starts_at == over.starts_at  # its moment, whatever the clock reads
    assert planner.get_event(coming.id).local_start.time() == coming.local_start.time()  # moved: same wall clock
    entry = planner.audit_log(action="venue_edited")[0]
    assert entry.details["keep_local_times"] is True and entry.details["events_moved"] == 1
    planner.delete_event(coming.id)
    assert planner.update_venue(venue.id, timezone="Asia/Tokyo").timezone == "Asia/Tokyo"  # only ended: no question


def test_the_events_a_venues_zone_or_a_rooms_capacity_still_moves(planner, venue, room, other_room, make_event,
                                                                   clock):
    """``venue_events_to_come``: the venue's events not ended (any status), by start, with their
    counts, as ``update_venue`` asks about them; ``room_capacity_events``: the room's events to
    come, not cancelled, that take its capacity."""
    start = clock.now + timedelta(days=1)
    at = lambda days, **kw: make_event(starts_at=start + timedelta(days=days),  # noqa: E731
                                       ends_at=start + timedelta(days=days, hours=1), allow_past=False, **kw)
    over = at(0, title="Over")
    later = planner.publish_event(at(20, title="Later").id, allow_room_clash=True)
    sooner = planner.publish_event(at(10, title="Sooner").id, allow_room_clash=True)
    own = at(12, title="Own capacity", capacity=30)
    called_off = planner.cancel_event(planner.publish_event(at(14, title="Called off").id, allow_room_clash=True).id,
                                      reason="Moved online")
    chapel = at(16, title="In the chapel", room_id=other_room.id)
    planner.register(sooner.id, name="Ana", email="ana@example.org")
    planner.register(sooner.id, name="Bo", email="bo@example.org")
    clock.advance(days=3)  # "Over" has ended

    to_come = planner.venue_events_to_come(venue.id)
    assert [e.id for e, _ in to_come] == [sooner.id, own.id, called_off.id, chapel.id, later.id]
    assert over.id not in [e.id for e, _ in to_come]
    assert [c.confirmed for _, c in to_come] == [2, 0, 0, 0, 0]
    with pytest.raises(ValidationError) as refused:  # update_venue asks about exactly these
        planner.update_venue(venue.id, timezone="Europe/London")
    assert refused.value.params["count"] == len(to_come)

    on_room = planner.room_capacity_events(room.id)
    assert [e.id for e, _ in on_room] == [sooner.id, later.id]  # not its own capacity, not cancelled, not ended
    assert [c.confirmed for _, c in on_room] == [2, 0]
    assert [e.id for e, _ in planner.room_capacity_events(other_room.id)] == [chapel.id]


def test_a_venues_new_zone_says_what_keeping_local_times_would_clash_with_before_it_is_saved(
        planner, venue, room, other_room, make_event, snapshot):
    """Keeping local times moves every event of the venue by hours: a speaker due at another
    venue's event then, which was no clash before, is said before the organizer chooses; a clash
    already there is not said again, nor one among events that are not moved."""
    london = planner.add_venue(name="Lancaster House", address="Stable Yard, London", timezone="Europe/London")
    hall = planner.add_room(venue_id=london.id, name="Long Gallery", capacity=100)
    day = FUTURE.astimezone(NY).date()
    ny = lambda h: datetime(day.year, day.month, day.day, h, tzinfo=NY)  # noqa: E731
    ldn = lambda h: datetime(day.year, day.month, day.day, h, tzinfo=ZoneInfo("Europe/London"))  # noqa: E731
    ana = {"name": "Ana Pérez", "email": "ana@example.org"}
    dialogue = make_event(title="Evening dialogue", summit_id=None, starts_at=ny(17), ends_at=ny(19), speakers=[ana],
                          allow_past=False)
    gallery = make_event(title="Gallery talk", summit_id=None, room_id=hall.id, starts_at=ldn(17), ends_at=ldn(18),
                         speakers=[ana], allow_past=False)
    bo = {"name": "Bo Lindqvist"}  # already in two rooms of the venue at once: a clash now, and after
    make_event(title="Morning panel", summit_id=None, starts_at=ny(9), ends_at=ny(10), speakers=[bo], allow_past=False)
    make_event(title="Parallel session", summit_id=None, room_id=other_room.id, starts_at=ny(9), ends_at=ny(10),
               speakers=[bo], allow_past=False)
    assert [c.kind for c in planner.conflicts()] == ["speaker"]  # Bo's alone: 17:00 New York is 22:00 London
    planner.publish_event(dialogue.id)
    planner.register(dialogue.id, name="Kim Lee", email="kim@example.org")
    before = snapshot()

    change = planner.venue_zone_change(venue.id, "Europe/London")
    assert snapshot() == before  # a preview writes nothing
    assert (change.venue.id, change.timezone) == (venue.id, "Europe/London")
    assert len(change.events) == 3
    moved = {t.event.id: t.moved for t in change.events}
    assert moved[dialogue.id].local_start == ldn(17) and moved[dialogue.id].timezone == "Europe/London"
    assert all(not t.skipped and not t.twice for t in change.events)
    assert {t.event.id: t.counts.confirmed for t in change.events}[dialogue.id] == 1  # its guest, who is told
    [clash] = change.clashes  # Ana at 17:00 London twice; Bo's clash was there already
    assert clash.kind == "speaker" and set(clash.event_ids) == {dialogue.id, gallery.id}
    assert "Ana Pérez" in clash.message and "17:00" in clash.message

    # Keeping the moments moves no moment: the same zone asked again changes nothing either.
    assert planner.venue_zone_change(venue.id, venue.timezone).events == ()
    planner.update_venue(venue.id, timezone="Europe/London", keep_local_times=True)
    assert planner.get_event(dialogue.id).starts_at == moved[dialogue.id].starts_at  # the preview is what is saved
    assert {frozenset(c.event_ids) for c in planner.conflicts() if c.kind == "speaker"} >= {
        frozenset({dialogue.id, gallery.id})}


def test_a_venues_new_zone_names_the_local_times_it_skips_or_has_twice(planner, venue, make_event, assert_refused):
    """London's clocks go forward at 01:00 on 28 March 2027 (01:30 never shows) and back at 02:00
    on 31 October 2027 (01:30 shows twice). Kept local times there are said, and the preview's
    moments are the ones saved."""
    make = lambda title, start, end: make_event(title=title, summit_id=None, starts_at=start, ends_at=end,  # noqa: E731
                                                allow_past=False)
    spring = make("Night vigil", datetime(2027, 3, 28, 1, 30, tzinfo=NY), datetime(2027, 3, 28, 3, tzinfo=NY))
    autumn = make("Late dialogue", datetime(2027, 10, 31, 1, 15, tzinfo=NY), datetime(2027, 10, 31, 1, 45, tzinfo=NY))
    plain = make("Morning panel", datetime(2027, 5, 4, 9, tzinfo=NY), datetime(2027, 5, 4, 10, tzinfo=NY))

    change = {t.event.id: t for t in planner.venue_zone_change(venue.id, "Europe/London").events}
    london = ZoneInfo("Europe/London")
    assert change[spring.id].skipped == ("start",) and change[spring.id].twice == ()
    assert change[spring.id].moved.local_start == datetime(2027, 3, 28, 2, 30, tzinfo=london)  # 01:30 does not exist
    assert change[spring.id].moved.local_end == datetime(2027, 3, 28, 3, tzinfo=london)
    assert change[autumn.id].twice == ("start", "end") and change[autumn.id].skipped == ()
    assert change[autumn.id].moved.local_start.utcoffset() == timedelta(hours=1)  # the first 01:15, still summer time
    assert (change[plain.id].skipped, change[plain.id].twice) == ((), ())

    assert_refused(lambda: planner.venue_zone_change(venue.id, "Mars/Olympus_Mons"), field="timezone")
    assert_refused(lambda: planner.venue_zone_change(10_000, "Europe/London"), exc=NotFound)
    planner.update_venue(venue.id, timezone="Europe/London", keep_local_times=True)
    for e in (spring, autumn, plain):
        saved = planner.get_event(e.id)
        assert (saved.starts_at, saved.ends_at) == (change[e.id].moved.starts_at, change[e.id].moved.ends_at)
