""""Add to Google Calendar" and "Add to Outlook.com" links (planner/outputs/calendar_links.py).

Each link is taken apart with urllib.parse, as the web calendar would, and compared with what
the planner stored: the UTC instants of an event in Lima (no summer time) and in New York (on
summer time in September), the title, the place and the description.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from planner import NotFound, Planner
from planner.outputs import calendar, calendar_links
from tests.domain.test_calendar import BASE, CONTACT, LIMA, NY, bare_event


def query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in params.values()), params  # nothing given twice
    return {k: v[0] for k, v in params.items()}


def google(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "calendar.google.com", "/calendar/render")
    found = query(url)
    assert found["action"] == "TEMPLATE"
    return found


def outlook(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "outlook.live.com", "/calendar/0/action/compose")
    found = query(url)
    assert found["rru"] == "addevent"
    return found


def text_of(url: str) -> str:
    found = query(url)
    return found["details"] if "details" in found else found["body"]


@pytest.fixture
def p(tmp_path) -> Planner:
    return Planner(tmp_path / "planner.db", base_url=BASE, contact_email=CONTACT)


@pytest.fixture
def lima(p):
    """A hybrid event in Lima, 18:00–20:30 on 8 December 2027 (UTC−5: 23:00–01:30 UTC)."""
    venue = p.add_venue(name="Parque de la Exposición", address="Av. 28 de Julio, Lima", timezone="America/Lima")
    tent = p.add_room(venue_id=venue.id, name="Climate Space tent", capacity=120)
    event = p.create_event(
        title="Chacón-López; Lima, Perú & “friends” #1 + 2 = 3?", room_id=tent.id, format="hybrid",
        starts_at=datetime(2027, 12, 8, 18, tzinfo=LIMA), ends_at=datetime(2027, 12, 8, 20, 30, tzinfo=LIMA),
        online_url="https://meet.example.org/lima?pwd=a&b", description="**All** welcome.\nمرحبا بكم",
        organizations=[{"name": "Climate Space", "role": "host"}],
    )
    p.publish_event(event.id)
    return p.get_event(event.id)


@pytest.fixture
def new_york(p):
    """17:00–19:00 on 23 September 2027 in New York, on summer time (EDT, UTC−4: 21:00–23:00 UTC)."""
    event = p.create_event(title="Human rights at international borders", room_id=None, timezone="America/New_York",
                           online_url="https://meet.example.org/ny", format="online",
                           starts_at=datetime(2027, 9, 23, 17, tzinfo=NY), ends_at=datetime(2027, 9, 23, 19, tzinfo=NY))
    p.publish_event(event.id)
    return p.get_event(event.id)


def test_links_carry_the_utc_instants_of_the_event(p, lima, new_york):
    found = p.calendar_links(lima.id)
    assert set(found) == {"google", "outlook"}
    assert google(found["google"])["dates"] == "20271208T230000Z/20271209T013000Z"
    assert (outlook(found["outlook"])["startdt"], outlook(found["outlook"])["enddt"]) == (
        "2027-12-08T23:00:00Z", "2027-12-09T01:30:00Z")

    found = p.calendar_links(new_york.id)
    assert google(found["google"])["dates"] == "20270923T210000Z/20270923T230000Z"
    assert outlook(found["outlook"])["startdt"] == "2027-09-23T21:00:00Z"
    # The same strings, read back as instants, are what the planner stored.
    start, end = google(found["google"])["dates"].split("/")
    assert datetime.strptime(start, "%Y%m%dT%H%M%S%z") == new_york.starts_at.astimezone(UTC)
    assert datetime.fromisoformat(outlook(found["outlook"])["enddt"]) == new_york.ends_at


@pytest.mark.parametrize("zone, start, utc", [
    (LIMA, datetime(2027, 12, 8, 18), ("20271208T230000Z", "2027-12-08T23:00:00Z")),
    (NY, datetime(2027, 9, 23, 17), ("20270923T210000Z", "2027-09-23T21:00:00Z")),
])
def test_an_aware_time_in_any_zone_becomes_its_utc_instant(zone, start, utc):
    start = start.replace(tzinfo=zone)
    event = bare_event(timezone=str(zone), starts_at=start, ends_at=start.replace(hour=start.hour + 1))
    assert google(calendar_links.google_calendar_url(event, details="", location=""))["dates"].split("/")[0] == utc[0]
    assert outlook(calendar_links.outlook_calendar_url(event, details="", location=""))["startdt"] == utc[1]


def test_title_details_and_place_round_trip(p, lima):
    found = p.calendar_links(lima.id)
    g, o = google(found["google"]), outlook(found["outlook"])
    assert g["text"] == o["subject"] == lima.title  # ; , & “ ” # + = ? survive
    assert g["details"] == o["body"] == calendar.description(lima, BASE)
    assert "All welcome.\nمرحبا بكم" in g["details"] and f"Event page: {BASE}/e/{lima.id}" in g["details"]
    assert "meet.example.org" not in found["google"] + found["outlook"]  # the join link is for registrants
    assert g["location"] == o["location"] == calendar.location(lima) == (
        "Climate Space tent, Parque de la Exposición, Av. 28 de Julio, Lima — and online")
    for url in found.values():
        assert " " not in url and "+" not in url.split("?", 1)[1].replace("%2B", "")  # spaces are %20


def test_a_registrants_links_carry_their_own_page_and_join_link(p, lima):
    reg = p.register(lima.id, name="Ana Pérez", email="ana@example.org")
    found = p.registration_calendar_links(reg.manage_token)
    for details in (google(found["google"])["details"], outlook(found["outlook"])["body"]):
        assert details.endswith(f"Event page: {BASE}/e/{lima.id}\nJoin online: https://meet.example.org/lima?pwd=a&b\n"
                                f"Your registration: {BASE}/ticket?t={reg.manage_token}")
    assert "ana@example.org" not in str(found)

    p.cancel_registration(reg.manage_token)
    assert p.registration_calendar_links(reg.manage_token) == {}
    with pytest.raises(NotFound):
        p.registration_calendar_links("no-such-token")


def test_no_links_for_drafts_or_cancelled_events(p, lima):
    draft = p.create_event(title="Draft", room_id=None, timezone="UTC", online_url="https://meet.example.org/d",
                           starts_at=datetime(2027, 10, 5, 14, tzinfo=UTC), ends_at=datetime(2027, 10, 5, 15, tzinfo=UTC))
    with pytest.raises(NotFound):
        p.calendar_links(draft.id)
    p.cancel_event(lima.id, reason="Heavy rain.")
    assert p.calendar_links(lima.id) == {}


@pytest.mark.parametrize("build", [calendar_links.google_calendar_url, calendar_links.outlook_calendar_url])
def test_a_long_description_is_cut_at_a_word_keeping_the_links(build):
    event = bare_event(title="Ciudad de Panamá — диалог", description="")
    words = " ".join(f"palabra{i} árabe مرحبا" for i in range(400))
    details = f"{words}\n\nEvent page: {BASE}/e/7\nYour registration: {BASE}/ticket?t=abc"
    url = build(event, details=details, location="Sala 1")
    assert len(url) <= calendar_links.MAX_URL
    text = text_of(url)
    assert text.endswith(f"…\n\nEvent page: {BASE}/e/7\nYour registration: {BASE}/ticket?t=abc")
    kept = text.split("…")[0]
    assert words.startswith(kept) and words[len(kept)] == " "  # whole words only
    assert len(kept) > 100  # the room left is used, not thrown away
    assert len(build(event, details=details.replace(words, "short"), location="x")) < 400  # short stays whole
    assert text_of(build(event, details=details, location="x", max_length=100_000)) == details


def test_a_link_with_only_a_title_and_place_too_long_drops_the_details():
    event = bare_event(title="ع" * 400)
    url = calendar_links.google_calendar_url(event, details="Event page: x", location="Sala", max_length=2000)
    assert query(url)["details"] == "" and query(url)["text"] == event.title


def test_the_event_pages_links_are_made_once_per_version_and_language(planner, open_event):
    from planner.outputs import calendar_links

    event = planner.get_event(open_event(title="Borders").id)
    first = calendar_links.public_links(event, planner.base_url, "en")
    assert calendar_links.public_links(event, planner.base_url, "en") is first  # not built again
    assert first == calendar_links.links(event, base_url=planner.base_url)
    edited = planner.update_event(event.id, version=event.version, title="Borders, a dialogue")
    assert "Borders%2C%20a%20dialogue" in calendar_links.public_links(edited, planner.base_url, "en")["google"]
