"""The demo programme: the Global Coalition on Migration's events, always upcoming."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from planner import Planner
from planner.demo import next_year, seed_demo

NY = "America/New_York"
LIMA = "America/Lima"
OHCHR = "Office of the High Commissioner for Human Rights (OHCHR)"
GCM = "Global Coalition on Migration (GCM)"

CO_SPONSORS = [
    "American Civil Liberties Union (ACLU)",
    "American Friends Service Committee (AFSC)",
    "Black Alliance for Just Immigration (BAJI)",
    "Centro de Estudios Legales y Sociales (CELS)",
    "Colectivo PND-Migración",
    "DRUM South Asian Organizing Center",
    "Families for Freedom",
    "Migrants Rights International (MRI)",
    "National Alliance for Latin American & Caribbean Communities (NALACC)",
    "National Network for Immigrant & Refugee Rights (NNIRR)",
    "NGO Committee on Migration",
    "Platform for International Cooperation on Undocumented Migrants (PICUM)",
    "United Methodist Women (UMW)",
]

# today -> (year of the New York events, year of the Lima events)
TODAYS = {
    date(2025, 1, 1): (2025, 2025),
    date(2025, 10, 22): (2025, 2025),
    date(2025, 10, 23): (2025, 2025),  # the day itself still counts as upcoming
    date(2025, 10, 24): (2026, 2025),
    date(2025, 12, 6): (2026, 2025),
    date(2025, 12, 7): (2026, 2026),  # Lima's days move together, never split over two years
    date(2025, 12, 31): (2026, 2026),
    date(2028, 2, 29): (2028, 2028),
    date(2028, 12, 9): (2029, 2029),
}


def by_title(planner: Planner, fragment: str):
    matches = [e for e in planner.list_events() if fragment in e.title]
    assert len(matches) == 1, f"{fragment!r}: {[e.title for e in planner.list_events()]}"
    return matches[0]


def test_seeds_an_empty_planner(planner):
    assert seed_demo(planner, today=date(2025, 10, 24)) is True
    events = planner.list_events()
    assert len(events) == 7
    assert planner.conflicts() == []


def test_borders_dialogue(planner):
    seed_demo(planner, today=date(2025, 10, 24))
    e = by_title(planner, "GCM celebration and civil society dialogue")
    assert "Recommended Principles and Guidelines on Human Rights at International Borders" in e.title

    assert e.timezone == NY
    assert e.local_start == datetime(2026, 10, 23, 17, 0, tzinfo=ZoneInfo(NY))
    assert e.local_end == datetime(2026, 10, 23, 19, 0, tzinfo=ZoneInfo(NY))
    assert (e.local_start.hour, e.local_start.minute, e.local_end.hour, e.local_end.minute) == (17, 0, 19, 0)
    assert e.local_start.utcoffset() == ZoneInfo(NY).utcoffset(datetime(2026, 10, 23, 17))

    assert e.venue.name == "Church Center for the United Nations"
    assert e.venue.address.startswith("777 UN Plaza, New York")
    assert e.venue.timezone == NY
    assert e.room.name == "Boss Room, 8th floor"
    assert e.format == "in_person" and e.online_url is None
    assert e.status == "published"

    assert [o.name for o in e.organizations_with_role("host")] == [GCM]
    assert [o.name for o in e.organizations_with_role("endorser")] == [OHCHR]
    co_sponsors = [o.name for o in e.organizations_with_role("co-sponsor")]
    assert len(co_sponsors) == 13
    assert co_sponsors == CO_SPONSORS

    speakers = [(s.name, s.affiliation, s.role) for s in e.speakers]
    assert speakers == [
        ("Leonardo Castilho", "OHCHR", "speaker"),
        ("Jamil Dakwar", "ACLU", "speaker"),
        ("Diego Morales", "CELS/GCM", "video message"),
        ("Yanira Chacón-López", "NALACC/GCM", "speaker"),
    ]
    assert [s.name for s in e.speakers if s.role == "video message"] == ["Diego Morales"]

    assert "All are welcome to join!" in e.description
    assert "**" in e.description  # Markdown
    assert not re.search(r"<[a-zA-Z/!]", e.description)  # and no raw HTML


def test_ohchr_launch(planner):
    seed_demo(planner, today=date(2025, 10, 24))
    e = by_title(planner, "OHCHR launch")
    dialogue = by_title(planner, "GCM celebration and civil society dialogue")

    assert e.venue.name == "United Nations Headquarters"
    assert e.venue.address.startswith("405 East 42nd Street, New York")
    assert e.room_id != dialogue.room_id
    assert e.timezone == NY
    assert e.local_start == datetime(2026, 10, 23, 13, 15, tzinfo=ZoneInfo(NY))
    assert e.local_end == datetime(2026, 10, 23, 14, 45, tzinfo=ZoneInfo(NY))
    assert e.local_start.date() == dialogue.local_start.date()
    assert e.status == "published"

    assert [(o.name, o.role) for o in e.organizations] == [(OHCHR, "host")]
    speakers = {s.name: (s.affiliation, s.role) for s in e.speakers}
    assert speakers["Representative of the Permanent Mission of Argentina"][1] == "chair"
    assert [s.role for s in e.speakers].count("chair") == 1
    assert set(speakers) == {
        "Representative of the Permanent Mission of Argentina",
        "Ivan Šimonović",
        "H.E. Thomas Mayr-Harting",
        "Francisco Carrión-Mena",
        "Udo Janz",
        "Michele Klein Solomon",
        "Catherine Tactaquin",
    }
    assert speakers["Ivan Šimonović"] == ("Assistant Secretary-General for Human Rights", "speaker")
    assert "Head of the Delegation of the European Union" in speakers["H.E. Thomas Mayr-Harting"][0]
    assert "Committee on Migrant Workers" in speakers["Francisco Carrión-Mena"][0]
    assert "UNHCR Office in New York" in speakers["Udo Janz"][0]
    assert "Permanent Observer of IOM" in speakers["Michele Klein Solomon"][0]
    assert "Executive Director" in speakers["Catherine Tactaquin"][0]
    assert "NNIRR" in speakers["Catherine Tactaquin"][0]


def test_lima_events(planner):
    seed_demo(planner, today=date(2025, 10, 24))
    lima = ZoneInfo(LIMA)
    tribunal = by_title(planner, "Rights of Nature Tribunal")
    wecan = by_title(planner, "WeCan Workshop")
    climate = by_title(planner, "Climate Space discussions")

    for e in (tribunal, wecan, climate):
        assert e.timezone == LIMA
        assert e.venue.timezone == LIMA
        assert "Lima" in e.venue.address
        assert e.summit.name == "COP20 — People's Summit on Climate Change"
        assert e.status == "published"
    assert len({e.room_id for e in (tribunal, wecan, climate)}) == 3

    assert (tribunal.local_start, tribunal.local_end) == (
        datetime(2025, 12, 6, 9, 30, tzinfo=lima),
        datetime(2025, 12, 6, 13, 0, tzinfo=lima),
    )
    assert (wecan.local_start, wecan.local_end) == (
        datetime(2025, 12, 7, 10, 0, tzinfo=lima),
        datetime(2025, 12, 7, 12, 30, tzinfo=lima),
    )
    assert (climate.local_start, climate.local_end) == (
        datetime(2025, 12, 8, 15, 0, tzinfo=lima),
        datetime(2025, 12, 8, 18, 0, tzinfo=lima),
    )
    assert climate.local_start.utcoffset().total_seconds() == -5 * 3600

    assert [(o.name, o.role) for o in wecan.organizations] == [
        ("Women's Earth & Climate Action Network (WECAN)", "host")
    ]
    assert ("Climate Space", "host") in [(o.name, o.role) for o in climate.organizations]
    assert GCM in [o.name for o in climate.organizations]

    assert climate.format == "hybrid"
    assert climate.online_url.startswith("https://")
    assert climate.place.endswith("and online")


def test_summits(planner):
    seed_demo(planner, today=date(2025, 10, 24))
    summits = {s.name: s for s in planner.list_summits()}
    ny = summits["69th Session of the UN General Assembly"]
    cop = summits["COP20 — People's Summit on Climate Change"]
    assert (ny.city, ny.timezone) == ("New York", NY)
    assert (cop.city, cop.timezone) == ("Lima", LIMA)
    assert (cop.starts_on, cop.ends_on) == (date(2025, 12, 6), date(2025, 12, 8))
    assert ny.starts_on <= date(2026, 10, 23) <= ny.ends_on
    for e in planner.list_events():
        if e.summit:
            assert e.summit.starts_on <= e.local_start.date() <= e.local_end.date() <= e.summit.ends_on


def test_online_webinar_and_one_draft(planner):
    seed_demo(planner, today=date(2025, 10, 24))
    webinar = by_title(planner, "MICIC webinar")
    assert webinar.format == "online"
    assert webinar.room_id is None and webinar.online_url.startswith("https://")
    assert [o.name for o in webinar.organizations_with_role("host")] == [
        GCM,
        "Migration and Development Civil Society Network (MADE)",
    ]
    assert webinar.status == "published"

    drafts = planner.list_events(status="draft")
    assert len(drafts) == 1
    assert "draft" in drafts[0].title.lower()
    assert "draft" in drafts[0].description.lower()
    assert len(planner.list_events(status="published")) == 6
    assert drafts[0] not in planner.programme()
    assert len(planner.programme()) == 6


@pytest.mark.parametrize("today", sorted(TODAYS), ids=str)
def test_every_event_is_upcoming(planner, today):
    assert seed_demo(planner, today=today) is True
    events = planner.list_events()
    assert len(events) == 7
    for e in events:
        assert e.local_start.date() >= today, (e.title, e.local_start)
    assert planner.conflicts() == []

    ny_year, lima_year = TODAYS[today]
    dialogue = by_title(planner, "GCM celebration and civil society dialogue")
    assert dialogue.local_start == datetime(ny_year, 10, 23, 17, 0, tzinfo=ZoneInfo(NY))
    assert dialogue.local_end == datetime(ny_year, 10, 23, 19, 0, tzinfo=ZoneInfo(NY))
    assert by_title(planner, "OHCHR launch").local_start.date() == date(ny_year, 10, 23)

    lima_days = sorted(
        e.local_start.date() for e in events if e.timezone == LIMA
    )
    assert lima_days == [date(lima_year, 12, 6), date(lima_year, 12, 7), date(lima_year, 12, 8)]
    for e in events:
        if e.timezone == LIMA:
            assert e.local_start.time() in {time(9, 30), time(10, 0), time(15, 0)}


def test_default_today_is_today(planner):
    assert seed_demo(planner) is True
    today = date.today()
    assert all(e.local_start.date() >= today for e in planner.list_events())
    assert planner.conflicts() == []


def test_second_seed_adds_nothing(planner):
    assert seed_demo(planner, today=date(2025, 12, 31)) is True
    before = snapshot(planner)
    assert seed_demo(planner, today=date(2025, 12, 31)) is False
    assert seed_demo(planner, today=date(2030, 6, 1)) is False
    assert snapshot(planner) == before


def test_does_not_seed_a_planner_that_has_events(planner):
    venue = planner.add_venue(name="Somewhere", timezone=NY)
    room = planner.add_room(venue_id=venue.id, name="Room 1", capacity=10)
    planner.create_event(
        title="Our own event",
        starts_at=datetime(2026, 5, 1, 9, tzinfo=ZoneInfo(NY)),
        ends_at=datetime(2026, 5, 1, 10, tzinfo=ZoneInfo(NY)),
        room_id=room.id,
        allow_past=True,
    )
    before = snapshot(planner)
    assert seed_demo(planner, today=date(2025, 1, 1)) is False
    assert snapshot(planner) == before


def test_reuses_a_venue_that_already_exists(planner):
    planner.add_venue(name="United Nations Headquarters", address="405 East 42nd Street", timezone=NY)
    assert seed_demo(planner, today=date(2025, 1, 1)) is True
    assert [v.name for v in planner.list_venues()].count("United Nations Headquarters") == 1
    assert planner.conflicts() == []


def test_seeding_at_once_from_two_threads_seeds_once(planner):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(seed_demo(planner, today=date(2025, 1, 1))))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(planner.list_events()) == 7


def test_next_year():
    assert next_year([(10, 23)], date(2025, 10, 23)) == 2025
    assert next_year([(10, 23)], date(2025, 10, 24)) == 2026
    assert next_year([(12, 6), (12, 8)], date(2025, 12, 7)) == 2026
    assert next_year([(2, 29)], date(2025, 3, 1)) == 2028
    assert next_year([(10, 23)], date(2028, 2, 29)) == 2028


def snapshot(planner: Planner):
    return (
        [(e.id, e.title, e.starts_at, e.status, e.version) for e in planner.list_events()],
        planner.list_summits(),
        planner.list_venues(),
        planner.list_rooms(),
        planner.organization_names(),
        planner.people(),
    )
