"""The programme for partners' websites (issue #14): ``Planner.programme_feed`` and what is made
of it — the JSON feed (``programme_json``), the embeddable page (``programme_embed``) and the
calendar feed narrowed to one organization (``programme_ics(organization=…)``).

The visibility rule is tried on every one of these outputs: until sign-on lands, an
organization or speaker that has not confirmed is made here by putting the event, with a
``status="pending"`` entry, into the Planner's cached public programme (``with_pending``), so
the outputs are read through the Planner's own methods, exactly as the routes read them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime

import pytest

from planner import NotFound
from planner.i18n import using
from planner.models import EventOrganization, Speaker
from planner.outputs import embed
from planner.text import slug
from tests.domain.conftest import LIMA, _at
from tests.domain.test_calendar import READERS, vevents

GCM = "Global Coalition on Migration (GCM)"
ACLU = "American Civil Liberties Union (ACLU)"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def world(planner, make_event, at, clock, summit):
    """Two summits' worth of public events around the clock's "now" (20 Oct 2026, 12:00 UTC),
    one draft, one cancelled: ``world["past"]`` ended, ``world["soon"]`` and ``world["later"]``
    still ahead, ``world["lima"]`` in another summit."""
    other = planner.add_summit(name="COP20 People's Summit", city="Lima", timezone="America/Lima",
                               starts_on=datetime(2026, 12, 1).date(), ends_on=datetime(2026, 12, 10).date())

    def public(**fields):
        event = make_event(**fields)
        return planner.publish_event(event.id, allow_room_clash=True, allow_past=True)

    past = public(title="Yesterday's dialogue", starts_at=at(19, 10), ends_at=at(19, 11),
                  organizations=[{"name": GCM, "role": "host"}])
    soon = public(title="Border dialogue", starts_at=at(21, 17), ends_at=at(21, 19),
                  speakers=[{"name": "Diego Morales", "affiliation": "CELS/GCM", "email": "diego@example.org",
                             "role": "video message"}],
                  organizations=[{"name": GCM, "role": "host"}, {"name": ACLU, "role": "co-sponsor"}])
    later = public(title="Webinar", starts_at=at(22, 9), ends_at=at(22, 10), room_id=None, format="online",
                   online_url="https://meet.example.org/secret-room", organizations=[{"name": ACLU, "role": "endorser"}])
    lima = public(title="Tribunal", summit_id=other.id, room_id=None, timezone="America/Lima", format="online",
                  online_url="https://meet.example.org/tribunal", join_link_public=True,
                  starts_at=datetime(2026, 12, 6, 9, 30, tzinfo=LIMA), ends_at=datetime(2026, 12, 6, 13, 0, tzinfo=LIMA),
                  organizations=[{"name": "Climate Space", "role": "host"}, {"name": GCM, "role": "co-sponsor"}])
    cancelled = public(title="Called off", starts_at=at(22, 15), ends_at=at(22, 16))
    cancelled = planner.cancel_event(cancelled.id, reason="The room flooded.")
    draft = make_event(title="Secret draft", organizations=[{"name": "Draft Only Org", "role": "host"}])
    planner.register(soon.id, name="Ana Registrant", email="ana.registrant@example.org")
    return {"summit": summit, "other": other, "past": past, "soon": soon, "later": later, "lima": lima,
            "cancelled": cancelled, "draft": draft}


def with_pending(planner, event, *, organizations=(), speakers=()):
    """Put ``event`` into the Planner's cached public programme with extra, unconfirmed
    organizations and speakers (``status="pending"``), as sign-on will store them."""
    planner.programme()  # fill the cache
    version, events, by_id = planner._public_cache
    changed = dataclasses.replace(
        event,
        organizations=event.organizations + tuple(
            EventOrganization(9000 + n, name, role, status="pending") for n, (name, role) in enumerate(organizations)),
        speakers=event.speakers + tuple(
            Speaker(9000 + n, name, "Hidden Affiliation", "hidden@example.org", "speaker", status="pending")
            for n, name in enumerate(speakers)),
    )
    events = [changed if e.id == event.id else e for e in events]
    planner._public_cache = (version, events, {e.id: e for e in events})
    return changed


# ---------------------------------------------------------------------- which events


def test_the_feed_holds_every_public_event_in_time_order_cancelled_ones_too_and_no_draft(planner, world):
    feed = planner.programme_feed()
    titles = [e.title for e in feed.events]
    assert titles == ["Yesterday's dialogue", "Border dialogue", "Webinar", "Called off", "Tribunal"]
    assert "Secret draft" not in titles
    assert feed.summit is None and feed.organization is None and feed.version > 0


def test_a_summit_narrows_the_feed_to_its_events(planner, world):
    feed = planner.programme_feed(summit_id=world["other"].id)
    assert [e.title for e in feed.events] == ["Tribunal"] and feed.summit == world["other"]
    assert [e.title for e in planner.programme_feed(summit_id=str(world["summit"].id)).events] == [
        "Yesterday's dialogue", "Border dialogue", "Webinar", "Called off"]


@pytest.mark.parametrize("asked", [999, "999", "abc", "-1", "1.5", "²", "9" * 40, HOSTILE, "\u202e1"])
def test_a_summit_that_does_not_exist_is_not_found(planner, world, assert_refused, asked):
    assert_refused(lambda: planner.programme_feed(summit_id=asked), exc=NotFound)


@pytest.mark.parametrize("asked", [
    GCM, "global coalition on migration (gcm)", "GLOBAL-COALITION-ON-MIGRATION-GCM", "global-coalition-on-migration-gcm",
    "gcm", "GCM", "  Global   Coalition on Migration (GCM) ",
])
def test_an_organization_is_found_by_name_slug_or_short_name_in_any_role(planner, world, asked):
    feed = planner.programme_feed(organization=asked)
    assert feed.organization.name == GCM
    # host of two, co-sponsor of one (in the other summit)
    assert [e.title for e in feed.events] == ["Yesterday's dialogue", "Border dialogue", "Tribunal"]


def test_an_organization_is_found_by_its_id_and_combines_with_a_summit(planner, world):
    gcm = next(o for o in world["soon"].organizations if o.name == GCM)
    feed = planner.programme_feed(summit_id=world["summit"].id, organization=str(gcm.organization_id))
    assert [e.title for e in feed.events] == ["Yesterday's dialogue", "Border dialogue"]
    assert planner.programme_feed(organization=gcm.organization_id).organization.organization_id == gcm.organization_id


def test_an_organization_with_no_event_in_that_summit_gives_an_empty_programme(planner, world):
    feed = planner.programme_feed(summit_id=world["other"].id, organization="aclu")
    assert feed.events == () and feed.organization.name == ACLU


@pytest.mark.parametrize("asked", [
    "Draft Only Org",  # named on a draft only
    "Nobody", "99999", "0", HOSTILE, "x" * 5000, "\x00", "🙂", "gcm gcm", "-", "((()))",
    "منظمة", "组织",
])
def test_an_organization_the_public_programme_does_not_name_is_not_found(planner, world, assert_refused, asked):
    error = assert_refused(lambda: planner.programme_feed(organization=asked), exc=NotFound)
    assert error.code == "no_public_organization" and asked not in str(error)


def test_a_short_name_two_organizations_share_finds_neither(planner, make_event, at, clock):
    for name in ("Network One (NET)", "Network Two (NET)"):
        event = make_event(organizations=[{"name": name, "role": "host"}], starts_at=at(21, 10), ends_at=at(21, 11))
        planner.publish_event(event.id, allow_room_clash=True, allow_past=True)
    with pytest.raises(NotFound):
        planner.programme_feed(organization="net")
    assert planner.programme_feed(organization="network-two-net").organization.name == "Network Two (NET)"


def test_names_in_other_scripts_have_slugs_that_find_them(planner, make_event, at, clock):
    event = make_event(organizations=[{"name": "الشبكة العربية للهجرة", "role": "host"},
                                      {"name": "移民联盟", "role": "co-sponsor"}])
    planner.publish_event(event.id, allow_past=True)
    assert slug("الشبكة العربية للهجرة") == "الشبكه-العربيه-للهجره"  # teh marbuta folds, as search does
    assert planner.programme_feed(organization="الشبكة-العربية-للهجرة").events[0].id == event.id
    assert planner.programme_feed(organization="移民联盟").events[0].id == event.id


def test_upcoming_events_come_first_soonest_first_and_ended_ones_latest_first(planner, world, clock):
    feed = planner.programme_feed()
    assert [e.title for e in feed.upcoming] == ["Border dialogue", "Webinar", "Called off", "Tribunal"]
    assert [e.title for e in feed.past] == ["Yesterday's dialogue"]
    clock.now = datetime(2026, 10, 22, 15, 0, tzinfo=UTC)  # 11:00 in New York: the webinar ended at 10:00
    feed = planner.programme_feed()
    assert [e.title for e in feed.upcoming] == ["Called off", "Tribunal"]
    assert [e.title for e in feed.past] == ["Webinar", "Border dialogue", "Yesterday's dialogue"]


def test_an_event_under_way_is_still_upcoming(planner, world, clock):
    clock.now = datetime(2026, 10, 21, 22, 0, tzinfo=UTC)  # 18:00 in New York, mid-dialogue
    assert "Border dialogue" in [e.title for e in planner.programme_feed().upcoming]


def test_the_etag_moves_with_the_programme_the_language_the_filters_and_the_clock(planner, world, clock):
    first = planner.programme_feed().etag
    assert planner.programme_feed().etag == first  # nothing moved: the same tag (a 304)
    assert planner.programme_feed(summit_id=world["summit"].id).etag != first
    assert planner.programme_feed(organization="gcm").etag != first
    with using("es"):
        assert planner.programme_feed().etag != first
    clock.now = datetime(2026, 10, 22, 0, 0, tzinfo=UTC)  # the border dialogue is over now
    moved = planner.programme_feed().etag
    assert moved != first
    planner.update_event(world["later"].id, version=world["later"].version, title="Webinar, renamed", allow_past=True)
    assert planner.programme_feed().etag != moved
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', moved)


def test_titles_come_in_the_active_language_where_the_organizers_gave_them(planner, world):
    planner.set_event_translation(world["soon"].id, "es", title="Diálogo sobre fronteras")
    with using("es"):
        feed = planner.programme_feed()
    assert feed.language == "es" and "Diálogo sobre fronteras" in [e.title for e in feed.events]


# ---------------------------------------------------------------------- the JSON feed


def document(planner, **filters) -> dict:
    return json.loads(planner.programme_json(planner.programme_feed(**filters)))


def test_the_json_feed_gives_times_in_utc_and_in_the_venues_zone_with_its_name(planner, world):
    doc = document(planner)
    assert doc["version"] == 1 and doc["programme_version"] == planner.programme_feed().version
    soon = next(e for e in doc["events"] if e["title"] == "Border dialogue")
    assert soon["start"] == {"utc": "2026-10-21T21:00:00Z", "local": "2026-10-21T17:00:00-04:00"}
    assert soon["end"] == {"utc": "2026-10-21T23:00:00Z", "local": "2026-10-21T19:00:00-04:00"}
    assert soon["timezone"] == "America/New_York" and soon["timezone_name"] == "New York time"
    tribunal = next(e for e in doc["events"] if e["title"] == "Tribunal")
    assert tribunal["start"] == {"utc": "2026-12-06T14:30:00Z", "local": "2026-12-06T09:30:00-05:00"}
    for event in doc["events"]:  # each local time is the same instant as its UTC time
        for edge in ("start", "end"):
            utc = datetime.fromisoformat(event[edge]["utc"].replace("Z", "+00:00"))
            assert datetime.fromisoformat(event[edge]["local"]) == utc


def test_the_json_feed_describes_place_people_and_links(planner, world):
    doc = document(planner, summit_id=world["summit"].id)
    assert doc["summit"]["name"] == "UN General Assembly Week" and doc["organization"] is None
    soon = next(e for e in doc["events"] if e["title"] == "Border dialogue")
    assert soon["place"] == {"label": "Boss Room, 8th floor, Church Center for the United Nations, 777 United Nations Plaza, New York",
                             "room": "Boss Room, 8th floor", "venue": "Church Center for the United Nations",
                             "address": "777 United Nations Plaza, New York", "online": False, "join_url": None}
    assert soon["speakers"] == [{"name": "Diego Morales", "affiliation": "CELS/GCM", "role": "video message",
                                 "role_label": "video message"}]
    assert [(o["name"], o["role"], o["slug"]) for o in soon["organizations"]] == [
        (GCM, "host", "global-coalition-on-migration-gcm"), (ACLU, "co-sponsor", "american-civil-liberties-union-aclu")]
    assert soon["url"] == f"http://localhost:8501/e/{soon['id']}"
    assert soon["ics"] == f"http://localhost:8501/events/{soon['id']}.ics"
    assert soon["summit"] == {"id": world["summit"].id, "name": "UN General Assembly Week"}
    assert soon["status"] == "published" and soon["cancel_reason"] is None
    called_off = next(e for e in doc["events"] if e["title"] == "Called off")
    assert called_off["status"] == "cancelled" and called_off["cancel_reason"] == "The room flooded."


def test_the_json_feed_shows_a_join_link_only_when_the_organizers_made_it_public(planner, world):
    events = {e["title"]: e for e in document(planner)["events"]}
    assert events["Webinar"]["place"]["online"] is True and events["Webinar"]["place"]["join_url"] is None
    assert events["Tribunal"]["place"]["join_url"] == "https://meet.example.org/tribunal"
    assert "secret-room" not in planner.programme_json(planner.programme_feed()).decode()


def test_the_json_feed_holds_no_personal_data_beyond_the_public_page(planner, world):
    body = planner.programme_json(planner.programme_feed()).decode()
    for private in ("diego@example.org", "@example.org\"", "Ana Registrant", "ana.registrant", "confirmed\":",
                    "capacity", "waitlisted", "manage", "token", "Secret draft", "Draft Only Org"):
        assert private not in body, private


def test_the_json_feed_never_closes_a_script_element_it_is_pasted_into(planner, make_event, at, clock):
    event = make_event(title=HOSTILE, description="</script><script>alert(3)</script> & more",
                       organizations=[{"name": HOSTILE, "role": "host"}])
    planner.publish_event(event.id, allow_past=True)
    body = planner.programme_json(planner.programme_feed()).decode()
    assert "<" not in body and ">" not in body and "&" not in body
    (item,) = json.loads(body)["events"]
    assert item["title"] == HOSTILE and item["organizations"][0]["name"] == HOSTILE


# ---------------------------------------------------------------------- the embeddable page


def test_the_embed_lists_upcoming_events_then_past_ones_under_their_own_heading(planner, world):
    page = planner.programme_embed(planner.programme_feed(summit_id=world["summit"].id))
    upcoming, past = page.index("Upcoming events"), page.index("Past events")
    assert upcoming < page.index("Border dialogue") < page.index("Webinar") < past < page.index("Yesterday&#x27;s dialogue")
    assert "Secret draft" not in page


def test_the_embed_gives_times_in_the_venues_zone_with_the_zone_named(planner, world):
    page = planner.programme_embed(planner.programme_feed())
    assert "17:00–19:00 (New York time)" in page and "Wednesday 21 October 2026" in page
    assert "09:30–13:00 (Lima time)" in page and "Sunday 6 December 2026" in page


def test_every_link_of_the_embed_opens_in_a_new_tab(planner, world):
    page = planner.programme_embed(planner.programme_feed())
    links = re.findall(r"<a [^>]*>", page)
    assert len(links) >= 7  # five events, the full programme and the calendar
    for link in links:
        assert 'target="_blank"' in link and 'rel="noopener"' in link, link
    soon = world["soon"]
    assert f'href="http://localhost:8501/e/{soon.id}"' in page


def test_the_embed_links_the_calendar_feed_of_the_same_filters(planner, world):
    gcm = next(o for o in world["soon"].organizations if o.name == GCM)
    page = planner.programme_embed(planner.programme_feed(summit_id=world["summit"].id, organization="gcm"))
    assert f'href="http://localhost:8501/calendar/{world["summit"].id}.ics?organization={gcm.organization_id}"' in page
    assert "Side events with <bdi>Global Coalition on Migration (GCM)</bdi>" in page
    assert 'href="http://localhost:8501/calendar.ics"' in planner.programme_embed(planner.programme_feed())
    alone = planner.programme_embed(planner.programme_feed(organization="gcm"))
    assert "<h1>Side events with <bdi>Global Coalition on Migration (GCM)</bdi></h1>" in alone
    assert "<title>Side events with Global Coalition on Migration (GCM)</title>" in alone


def test_the_embed_says_what_is_cancelled_and_why(planner, world):
    page = planner.programme_embed(planner.programme_feed())
    item = page[page.index("Called off") - 600: page.index("Called off") + 400]
    assert "Cancelled" in item and "The room flooded." in page


def test_the_embed_is_in_the_language_asked_and_right_to_left_in_arabic(planner, world):
    with using("es"):
        page = planner.programme_embed(planner.programme_feed())
    assert '<html lang="es" dir="ltr">' in page and "miércoles, 21 de octubre de 2026" in page
    assert "hora de Nueva York" in page and "?lang=es" in page  # links open the event page in Spanish
    with using("ar"):
        page = planner.programme_embed(planner.programme_feed())
    assert '<html lang="ar" dir="rtl">' in page
    assert "<bdi>Global Coalition on Migration (GCM)</bdi>" in page  # English names keep their direction


def test_the_embed_escapes_everything_people_typed(planner, make_event, at, clock):
    event = make_event(title=HOSTILE, organizations=[{"name": "Org " + HOSTILE, "role": "host"}],
                       speakers=[{"name": "Speaker " + HOSTILE, "affiliation": HOSTILE}])
    planner.publish_event(event.id, allow_past=True)
    planner.cancel_event(event.id, reason=HOSTILE)
    page = planner.programme_embed(planner.programme_feed())
    assert page.count("<script") == 1 and page.count("</script>") == 1  # our own height script only
    assert "<img" not in page and "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_embeds_one_script_is_the_one_its_policy_allows(planner, world):
    page = planner.programme_embed(planner.programme_feed())
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert script == embed.HEIGHT_SCRIPT and embed.SCRIPT_HASH in embed.CONTENT_SECURITY_POLICY
    assert "frame-ancestors *" in embed.CONTENT_SECURITY_POLICY and "default-src 'none'" in embed.CONTENT_SECURITY_POLICY


def test_an_empty_programme_says_so(planner, summit):
    page = planner.programme_embed(planner.programme_feed(summit_id=summit.id))
    assert "No side events have been published here yet." in page and "Upcoming events" not in page


# ---------------------------------------------------------------------- calendar feeds


def test_the_calendar_feed_narrows_to_one_organization(planner, world):
    body = planner.programme_ics(organization="gcm")
    assert {str(v["SUMMARY"]) for v in vevents(body)} == {"Yesterday's dialogue", "Border dialogue", "Tribunal"}
    for name, read in READERS.items():
        assert set(read(body)) == {world["past"].uid, world["soon"].uid, world["lima"].uid}, name
    assert b"X-WR-CALNAME:Side events \xc2\xb7 Global Coalition on Migration (GCM)" in body.replace(b"\r\n ", b"")
    summit_only = planner.programme_ics(world["other"].id, "gcm")
    assert {str(v["SUMMARY"]) for v in vevents(summit_only)} == {"Tribunal"}


def test_the_calendar_feed_refuses_an_organization_it_does_not_show(planner, world, assert_refused):
    assert_refused(lambda: planner.programme_ics(organization="Draft Only Org"), exc=NotFound)
    assert_refused(lambda: planner.programme_ics(world["summit"].id, HOSTILE), exc=NotFound)


# ---------------------------------------------------------------------- the visibility rule


def test_an_organization_that_has_not_confirmed_appears_in_no_output(planner, world):
    with_pending(planner, world["soon"], organizations=[("Pending Partners", "co-sponsor"), ("Pending Host", "host")],
                 speakers=["Pending Speaker"])
    feed = planner.programme_feed()
    outputs = {
        "json": planner.programme_json(feed).decode(),
        "embed": planner.programme_embed(feed),
        "ics": planner.programme_ics().decode().replace("\r\n ", ""),
    }
    assert "Border dialogue" in outputs["json"] and "Border dialogue" in outputs["embed"]
    for name, text in outputs.items():
        for hidden in ("Pending Partners", "Pending Host", "Pending Speaker", "Hidden Affiliation", "hidden@example.org"):
            assert hidden not in text, (name, hidden)
        assert GCM in text, name  # the confirmed ones are still there


@pytest.mark.parametrize("asked", ["Pending Partners", "pending-partners", "9000"])
def test_an_organization_that_has_not_confirmed_is_no_filter(planner, world, asked):
    with_pending(planner, world["soon"], organizations=[("Pending Partners", "co-sponsor")])
    with pytest.raises(NotFound):
        planner.programme_feed(organization=asked)
    with pytest.raises(NotFound):
        planner.programme_ics(organization=asked)
    assert planner.programme(organization="Pending Partners") == []  # nor on the programme page


def test_a_confirmed_organization_still_finds_an_event_where_another_is_pending(planner, world):
    with_pending(planner, world["soon"], organizations=[("Pending Partners", "co-sponsor")])
    assert "Border dialogue" in [e.title for e in planner.programme_feed(organization="aclu").events]


def test_the_snippet_organizers_copy_is_the_readmes_with_this_sites_address(planner):
    """The Summits page gives the README's iframe snippet, filled with this site's address."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The programme on your website"):]
    documented = re.search(r"```html\n(.*?)```", section, re.S).group(1)
    planner.base_url = "https://events.example.org"
    assert planner.embed_snippet(1, "gcm", "en") == documented
    hostile = planner.embed_snippet(None, '"><script>alert(1)</script>', None)
    assert "<script>alert" not in hostile and hostile.count("<script>") == 1


def test_an_event_is_past_once_it_has_ended_and_past_ones_come_latest_first(planner, make_event):
    """``models.upcoming_and_past``: the one rule of the programme, the organizers' table and the embed."""
    from datetime import timedelta

    from planner.models import upcoming_and_past

    first, second, third = (make_event(title=f"E{n}", starts_at=_at(20, 9 + 2 * n), ends_at=_at(20, 10 + 2 * n))
                            for n in range(3))
    upcoming, past = upcoming_and_past([first, second, third], second.ends_at)  # the second ends right now
    assert [e.title for e in upcoming] == ["E2"] and [e.title for e in past] == ["E1", "E0"]
    upcoming, past = upcoming_and_past([first, second, third], second.ends_at - timedelta(seconds=1))
    assert [e.title for e in upcoming] == ["E1", "E2"]  # on now: still upcoming
