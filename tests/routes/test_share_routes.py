"""The sharing routes (issue #15) on a real `streamlit run app.py` with the demo events.

/e/<id> is a link preview: its Open Graph and Twitter tags (read with an HTML parser, as a
preview robot reads them) give the title, day and time in the venue's zone, place and host,
the 1200×630 card with its size and type, and the canonical short address, in ``?lang=``'s
language; it is the public event page itself (issue #17), with the registration form. The card and the poster
are served with an ETag (a 304 when asked again with it). Drafts, unknown and malformed ids:
a plain 404 on every one of them.
"""

from __future__ import annotations

import http.client
import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from PIL import Image

from bench.server import AppServer
from planner import Planner
from tests.domain.test_poster import pages


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("share-routes")) as running:
        yield running


@pytest.fixture(scope="module")
def demo(server):
    p = Planner(server.db)
    public = p.programme()
    drafts = [e for e in p.list_events() if e.status == "draft"]
    assert public and drafts
    hosted = next(e for e in public if e.public_organizations_with_role("host") and e.room)
    return {"public": public, "drafts": drafts, "hosted": hosted}


def request(server, path: str, headers: dict | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=120)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


class Tags(HTMLParser):
    """The head's meta and link tags, the html element's attributes, and the body's links."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.anchors, self.html, self.title, self._in_title = {}, {}, [], {}, "", False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.html = values
        elif tag == "meta":
            key = values.get("property") or values.get("name") or values.get("http-equiv")
            if key:
                self.meta[key] = values.get("content")
        elif tag == "link":
            self.links[values.get("rel")] = values.get("href")
        elif tag == "a":
            self.anchors.append(values.get("href"))
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def parse(body: bytes) -> Tags:
    tags = Tags()
    tags.feed(body.decode("utf-8"))
    return tags


def test_the_short_address_is_the_event_page_with_its_link_preview(server, demo):
    event = demo["hosted"]
    response, body = request(server, f"/e/{event.id}")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/html")
    policy = response.getheader("Content-Security-Policy")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy  # this site's own scripts only
    tags = parse(body)
    short = f"{server.url}/e/{event.id}"
    assert tags.title == event.title and tags.meta["og:title"] == event.title
    assert tags.meta["og:url"] == short and tags.links["canonical"] == short
    assert tags.meta["og:type"] == "website"
    description = tags.meta["og:description"]
    assert event.local_start.strftime("%-d") in description and event.local_start.strftime("%H:%M") in description
    assert event.room.name in description and event.public_organizations_with_role("host")[0].name in description
    assert tags.meta["description"] == description == tags.meta["twitter:description"]
    assert tags.meta["og:image"] == f"{server.url}/e/{event.id}/card.png?size=1200x630" == tags.meta["twitter:image"]
    assert (tags.meta["og:image:width"], tags.meta["og:image:height"]) == ("1200", "630")
    assert tags.meta["og:image:type"] == "image/png"
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert "refresh" not in tags.meta  # the page itself, with its registration form (issue #17)
    assert f"/e/{event.id}/link?lang=en#lost" in body.decode() and 'id="register-form"' in body.decode()


def test_the_preview_speaks_the_language_asked(server, demo):
    event = demo["hosted"]
    tags = parse(request(server, f"/e/{event.id}?lang=fr")[1])
    assert tags.html["lang"] == "fr" and tags.html["dir"] == "ltr"
    assert tags.meta["og:locale"] == "fr"
    assert tags.meta["og:url"] == f"{server.url}/e/{event.id}?lang=fr"
    assert tags.meta["og:image"].endswith("&lang=fr")
    french_day = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    assert any(day in tags.meta["og:description"] for day in french_day)
    arabic = parse(request(server, f"/e/{event.id}?lang=ar")[1])
    assert arabic.html["dir"] == "rtl"


def test_drafts_unknown_and_malformed_ids_get_a_plain_404_everywhere(server, demo):
    draft = demo["drafts"][0]
    for ident in (draft.id, 999999, "abc", "1.5", "%C2%B2", "9" * 30):
        for path in (f"/e/{ident}", f"/e/{ident}/card.png", f"/e/{ident}/poster.pdf"):
            response, body = request(server, path)
            assert response.status == 404, path
            assert response.getheader("Content-Type").startswith("text/plain")
            assert body.decode() == "There is no such event."
            assert draft.title.encode() not in body


def test_the_cards_are_pngs_of_their_size_cached_by_etag(server, demo):
    event = demo["hosted"]
    for size in ("1200x630", "1080x1080"):
        response, body = request(server, f"/e/{event.id}/card.png?size={size}")
        assert response.status == 200 and response.getheader("Content-Type") == "image/png"
        image = Image.open(io.BytesIO(body))
        assert f"{image.width}x{image.height}" == size
        tag = response.getheader("ETag")
        assert tag.startswith(f'"{event.id}-{event.version}-') and "max-age" in response.getheader("Cache-Control")
        again, empty = request(server, f"/e/{event.id}/card.png?size={size}", {"If-None-Match": tag})
        assert again.status == 304 and empty == b""
    response, _body = request(server, f"/e/{event.id}/card.png?size=10x10")
    assert response.status == 400


def test_the_posters_are_one_page_pdfs_on_both_papers(server, demo, tmp_path):
    event = demo["hosted"]
    for paper in ("a4", "letter"):
        response, body = request(server, f"/e/{event.id}/poster.pdf?paper={paper}&theme=plum&lang=es")
        assert response.status == 200 and response.getheader("Content-Type") == "application/pdf"
        assert body.startswith(b"%PDF") and pages(body, tmp_path) == 1
        assert response.getheader("Content-Disposition") == f'inline; filename="event-{event.id}-{paper}.pdf"'
    assert request(server, f"/e/{event.id}/poster.pdf?paper=a3")[0].status == 400
    response, body = request(server, f"/e/{event.id}/poster.pdf?theme=pink")
    assert response.status == 400 and b"pink" in body


def test_the_sharing_routes_answer_get_only(server, demo):
    event = demo["hosted"]
    for path in (f"/e/{event.id}/card.png", f"/e/{event.id}/poster.pdf"):
        assert request(server, path, method="POST")[0].status == 405
    # The page itself takes its registration form: a POST without the browser's key writes nothing.
    before = len(Planner(server.db).registrations(event.id))
    assert request(server, f"/e/{event.id}", method="POST")[0].status == 403
    assert len(Planner(server.db).registrations(event.id)) == before


def test_a_title_with_markup_and_quotes_stays_text_in_the_preview(server, demo):
    p = Planner(server.db)
    hosted = demo["hosted"]
    hostile = '"><script>alert(1)</script> “Borders” & <b>more</b>'
    event = p.create_event(title=hostile, starts_at=hosted.starts_at, ends_at=hosted.ends_at,
                           timezone=hosted.timezone, format="online", allow_past=True)
    p.publish_event(event.id, allow_past=True)
    response, body = request(server, f"/e/{event.id}")
    assert response.status == 200 and b"<script>" not in body
    tags = parse(body)
    assert tags.meta["og:title"] == hostile == tags.title
    assert "Online" in tags.meta["og:description"]
