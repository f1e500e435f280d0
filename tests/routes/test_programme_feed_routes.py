"""The partners' routes on a real `streamlit run app.py` with the demo events (issue #14):
``/embed`` (the programme for an iframe), ``/programme.json`` (the JSON feed) and the
``organization=`` filter of the calendar feeds.

What a partner's site relies on is checked on the wire: status codes, framing allowed (CSP
``frame-ancestors *``, no X-Frame-Options), CORS open for reading, short caching with an ETag
answered 304, the JSON's fields, the filters, a plain 404 for what does not exist, and hostile
query values answered harmlessly.
"""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import quote, urlsplit

import pytest

from bench.server import AppServer
from planner import Planner
from planner.outputs import embed
from planner.text import slug

GCM = "Global Coalition on Migration (GCM)"
HOSTILE = [
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "x" * 4000,
    "\u202e\u200b🙂 منظمة 组织",
    "%00",
    "'; DROP TABLE events; --",
    "../../etc/passwd",
    "1e9",
    "-1",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("feed-routes")) as running:
        yield running


@pytest.fixture(scope="module")
def demo(server):
    p = Planner(server.db)
    public = p.programme()
    gcm = next(o for e in public for o in e.public_organizations if o.name == GCM)
    summits = {s.name: s for s in p.list_summits()}
    return {"planner": p, "public": public, "drafts": [e for e in p.list_events() if e.status == "draft"],
            "gcm": gcm, "un": next(s for name, s in summits.items() if "General Assembly" in name)}


def request(server, path: str, method: str = "GET", headers: dict | None = None):
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def feed(server, query: str = "", headers: dict | None = None) -> dict:
    response, body = request(server, f"/programme.json{query}", headers=headers)
    assert response.status == 200, body[:300]
    return json.loads(body)


# ---------------------------------------------------------------------- /embed


def test_the_embed_may_be_framed_by_any_site_and_runs_only_its_own_script(server, demo):
    response, body = request(server, "/embed")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("X-Frame-Options") is None
    policy = response.getheader("Content-Security-Policy")
    assert "frame-ancestors *" in policy and "default-src 'none'" in policy
    assert f"script-src '{embed.SCRIPT_HASH}'" in policy and "unsafe-eval" not in policy
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    page = body.decode()
    assert page.count("<script>") == 1 and embed.HEIGHT_SCRIPT in page
    assert "<nav" not in page and "stApp" not in page  # no navigation, no Streamlit
    assert not re.search(r'(src|href)="//|src="https?://|@import|url\(', page)  # nothing loaded from anywhere


def test_the_embed_shows_every_public_event_each_opening_its_page_in_a_new_tab(server, demo):
    page = request(server, "/embed")[1].decode()
    for event in demo["public"]:
        link = re.search(rf'<a class="title"[^>]* href="{re.escape(server.url)}/e/{event.id}"[^>]*>', page)
        assert link, event.title
        assert 'target="_blank"' in link.group(0) and 'rel="noopener"' in link.group(0)
    for draft in demo["drafts"]:
        assert draft.title not in page


def test_the_embed_is_cached_briefly_and_answers_304_while_nothing_changed(server, demo):
    response, body = request(server, "/embed?lang=es")
    etag = response.getheader("ETag")
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag)  # weak: the answer may travel gzipped or not
    assert response.getheader("Cache-Control") == "public, max-age=60"
    assert "Accept-Language" in response.getheader("Vary")
    again, body = request(server, "/embed?lang=es", headers={"If-None-Match": etag})
    assert again.status == 304 and body == b"" and again.getheader("ETag") == etag
    also, _ = request(server, "/embed?lang=es", headers={"If-None-Match": f'"other", {etag[2:]}'})
    assert also.status == 304
    other, _ = request(server, "/embed?lang=fr", headers={"If-None-Match": etag})
    assert other.status == 200  # another language is another page


def test_the_embed_filters_by_summit_and_organization(server, demo):
    page = request(server, f"/embed?summit={demo['un'].id}&organization=gcm")[1].decode()
    expected = [e for e in demo["public"] if e.summit_id == demo["un"].id
                and any(o.name == GCM for o in e.public_organizations)]
    others = [e for e in demo["public"] if e not in expected]
    assert expected and others
    for event in expected:
        assert f"/e/{event.id}\"" in page
    for event in others:
        assert f"/e/{event.id}\"" not in page
    assert "Side events with <bdi>Global Coalition on Migration (GCM)</bdi>" in page


def test_the_embed_speaks_the_language_asked_right_to_left_in_arabic(server, demo):
    page = request(server, "/embed?lang=ar")[1].decode()
    assert '<html lang="ar" dir="rtl">' in page and "?lang=ar" in page
    page = request(server, "/embed", headers={"Accept-Language": "es-AR,es;q=0.9"})[1].decode()
    assert '<html lang="es"' in page
    cookie = request(server, "/embed", headers={"Cookie": "planner_lang=fr"})[1].decode()
    assert '<html lang="en"' in cookie  # the partner's page chooses, not this site's switcher


@pytest.mark.parametrize("query", ["summit=99999", "summit=abc", "summit=-1", "organization=nobody-at-all",
                                   f"summit=1&organization={quote(HOSTILE[0])}"])
def test_an_unknown_summit_or_organization_is_a_plain_404_page(server, demo, query):
    response, body = request(server, f"/embed?{query}")
    assert response.status == 404
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "frame-ancestors *" in response.getheader("Content-Security-Policy")
    page = body.decode()
    assert "There is no such" in page and "Traceback" not in page and "<script>alert" not in page


# ---------------------------------------------------------------------- /programme.json


EVENT_FIELDS = {"id", "uid", "title", "description", "language", "status", "status_label", "cancel_reason", "format",
                "format_label", "start", "end", "timezone", "timezone_name", "place", "speakers", "organizations",
                "summit", "url", "ics"}


def test_the_json_feed_is_open_to_every_site_and_cached_briefly(server, demo):
    response, body = request(server, "/programme.json", headers={"Origin": "https://partner.example.net"})
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("application/json")
    assert response.getheader("Access-Control-Allow-Origin") == "*"
    assert "ETag" in response.getheader("Access-Control-Expose-Headers")
    assert response.getheader("Cache-Control") == "public, max-age=60"
    assert response.getheader("Set-Cookie") is None
    etag = response.getheader("ETag")
    again, empty = request(server, "/programme.json", headers={"If-None-Match": etag})
    assert again.status == 304 and empty == b""
    assert again.getheader("Access-Control-Allow-Origin") == "*" and again.getheader("ETag") == etag


def test_the_json_feed_has_the_documented_fields(server, demo):
    doc = feed(server)
    assert set(doc) == {"version", "programme_version", "language", "summit", "organization", "events"}
    assert doc["version"] == 1 and isinstance(doc["programme_version"], int) and doc["language"] == "en"
    assert [e["id"] for e in doc["events"]] == [e.id for e in demo["public"]]
    for item in doc["events"]:
        assert set(item) == EVENT_FIELDS, item["title"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["start"]["utc"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", item["start"]["local"])
        assert set(item["place"]) == {"label", "room", "venue", "address", "online", "join_url"}
        for speaker in item["speakers"]:
            assert set(speaker) == {"name", "affiliation", "role", "role_label"}
        for organization in item["organizations"]:
            assert set(organization) == {"id", "name", "slug", "role", "role_label", "status"}
            assert organization["slug"] == slug(organization["name"])
        assert item["url"] == f"{server.url}/e/{item['id']}"
        assert item["ics"] == f"{server.url}/events/{item['id']}.ics"
        assert item["status"] in ("published", "cancelled")


def test_the_json_feed_holds_no_email_and_no_count_of_registrations(server, demo):
    p = demo["planner"]
    event = demo["public"][-1]
    p.register(event.id, name="Private Person", email="private.person@example.org")
    body = request(server, "/programme.json")[1].decode()
    assert "@" not in body.replace("@side-event-planner", "")  # no address at all (UIDs end so)
    for private in ("Private Person", "\"confirmed\":", "waitlist", "capacity", "registrations"):
        assert private not in body, private


def test_the_json_feed_filters_by_summit_and_organization(server, demo):
    gcm = demo["gcm"]
    by_id = feed(server, f"?organization={gcm.organization_id}")
    by_slug = feed(server, "?organization=" + slug(GCM))
    by_name = feed(server, "?organization=" + quote(GCM))
    assert by_id["events"] == by_slug["events"] == by_name["events"] and by_id["events"]
    assert by_id["organization"] == {"id": gcm.organization_id, "name": GCM, "slug": slug(GCM)}
    for item in by_id["events"]:
        assert GCM in [o["name"] for o in item["organizations"]]
    summit = feed(server, f"?summit={demo['un'].id}")
    assert summit["summit"]["id"] == demo["un"].id and {e["summit"]["id"] for e in summit["events"]} == {demo["un"].id}


@pytest.mark.parametrize("query, code", [("?summit=99999", "no_summit"), ("?summit=abc", "no_summit"),
                                         ("?organization=nobody", "no_public_organization")])
def test_an_unknown_summit_or_organization_is_a_json_404(server, demo, query, code):
    response, body = request(server, f"/programme.json{query}")
    assert response.status == 404 and response.getheader("Access-Control-Allow-Origin") == "*"
    error = json.loads(body)["error"]
    assert error["code"] == code and error["message"].endswith(".") and "nobody" not in error["message"]


def test_only_get_is_served(server, demo):
    for path in ("/programme.json", "/embed"):
        for method in ("POST", "PUT", "DELETE", "OPTIONS"):
            response, body = request(server, path, method)
            assert response.status == 405, (path, method)
        head, _ = request(server, path, "HEAD")
        assert head.status == 200


# ---------------------------------------------------------------------- hostile values


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["summit", "organization", "lang"])
def test_hostile_query_values_are_answered_harmlessly(server, demo, name, value):
    for path in ("/embed", "/programme.json", "/calendar.ics"):
        response, body = request(server, f"{path}?{name}={quote(value)}")
        assert response.status in (200, 404), (path, response.status)
        text = body.decode("utf-8")
        assert "Traceback" not in text and "<script>alert" not in text and "<img src=x" not in text
        if len(value) > 100:
            assert value not in text  # never echoed
        if response.status == 200 and path == "/embed":
            assert '<html lang="en" dir="ltr">' in text or name != "lang"


def test_a_hostile_accept_language_is_answered_in_english(server, demo):
    for header in (",".join(f"x{n}-{n}" for n in range(5000)), "<script>;q=1", "ar;q=abc, \u00e9;q=1", "*"):
        for path in ("/embed", "/programme.json"):
            response, body = request(server, path, headers={"Accept-Language": header.encode("utf-8").decode("latin-1")})
            assert response.status == 200, (path, header[:40])
            assert b"<script>;q" not in body


# ---------------------------------------------------------------------- calendar feeds


def uids(body: bytes) -> set[str]:
    return {u.decode() for u in re.findall(rb"^UID:(\S+)", body.replace(b"\r\n ", b""), re.M)}


def test_the_calendar_feeds_take_the_organization_filter(server, demo):
    gcm_events = [e for e in demo["public"] if any(o.name == GCM for o in e.public_organizations)]
    assert gcm_events and len(gcm_events) < len(demo["public"])
    for path in ("/calendar.ics?organization=gcm", f"/calendar.ics?organization={demo['gcm'].organization_id}"):
        response, body = request(server, path)
        assert response.status == 200 and response.getheader("Content-Type") == "text/calendar; charset=utf-8"
        assert uids(body) == {e.uid for e in gcm_events}, path
    un = demo["un"]
    response, body = request(server, f"/calendar/{un.id}.ics?organization={quote(GCM)}")
    assert uids(body) == {e.uid for e in gcm_events if e.summit_id == un.id} and uids(body)
    for path in ("/calendar.ics?organization=nobody", f"/calendar/{un.id}.ics?organization=nobody"):
        response, body = request(server, path)
        assert response.status == 404 and response.getheader("Content-Type").startswith("text/plain")
        assert body.decode() == "There is no such organization on the public programme."


# ---------------------------------------------------------------------- last: a change moves the tag


def test_a_change_to_the_programme_is_never_answered_304(server, demo):
    response, _ = request(server, "/programme.json")
    etag = response.getheader("ETag")
    embed_etag = request(server, "/embed")[0].getheader("ETag")
    p = demo["planner"]
    event = demo["public"][0]
    p.update_event(event.id, version=p.get_event(event.id).version, title=event.title + " (new time)", allow_past=True)
    fresh, body = request(server, "/programme.json", headers={"If-None-Match": etag})
    assert fresh.status == 200 and fresh.getheader("ETag") != etag
    assert event.title + " (new time)" in body.decode()
    assert request(server, "/embed", headers={"If-None-Match": embed_etag})[0].status == 200
