"""Posters and social cards (issue #15): every demo event and hostile ones (a 200-character title,
25 organizations, Arabic, Chinese, Cyrillic and accents mixed, no room) in every format are one
page, with no text outside it, every glyph in an embedded font, and a QR code that reads back as
the event's RSVP address. Poppler's tools (``pdfinfo``, ``pdftotext -bbox``, ``pdffonts``,
``pdftoppm``: Debian's poppler-utils) read the PDFs as a printer would; zxing-cpp reads the codes.

Pictures of what was drawn go to ``test-artifacts/poster-*.png`` to be looked at.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from planner import PUBLIC, SYSTEM, NotFound, PermissionDenied, ValidationError
from planner.access import of_user
from planner.demo import seed_demo
from planner.outputs import poster
from planner.outputs.qrscan import decode_qr
from tests.domain.conftest import _at

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PAPERS = ("a4", "letter")
CARDS = ("1200x630", "1080x1080")
PAGE_SIZES = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}  # points

ARABIC = "منظمة العفو الدولية لحقوق المهاجرين"
CHINESE = "中国移民权利联盟"
CYRILLIC = "Фонд защиты прав мигрантов"
ACCENTS = "Fédération Ñandú Łódź Ørsted Ærø"


@pytest.fixture(autouse=True)
def _fresh_drawings():
    poster.forget_drawings()
    yield
    poster.forget_drawings()


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils (.ci/run and the README do).")
    return found


def _run(tool: str, *args: str, data: bytes | None = None, tmp: Path) -> str:
    pdf = tmp / "in.pdf"
    if data is not None:
        pdf.write_bytes(data)
    return subprocess.run([_poppler(tool), *args, str(pdf), *(["-"] if tool in ("pdftotext",) else [])],
                          check=True, capture_output=True, text=True).stdout


def pages(pdf: bytes, tmp: Path) -> int:
    info = _run("pdfinfo", data=pdf, tmp=tmp)
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_size(pdf: bytes, tmp: Path) -> tuple[float, float]:
    info = _run("pdfinfo", data=pdf, tmp=tmp)
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups()
    return float(width), float(height)


class _Boxes(HTMLParser):
    """The words of ``pdftotext -bbox`` and the page's size."""

    def __init__(self):
        super().__init__()
        self.page, self.words, self._word = None, [], None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "page":
            self.page = (float(values["width"]), float(values["height"]))
        elif tag == "word":
            self._word = [float(values[k]) for k in ("xmin", "ymin", "xmax", "ymax")]

    def handle_data(self, data):
        if self._word is not None:
            self.words.append((data, *self._word))
            self._word = None


def words_outside(pdf: bytes, tmp: Path) -> list:
    parser = _Boxes()
    parser.feed(_run("pdftotext", "-bbox", data=pdf, tmp=tmp))
    width, height = parser.page
    assert parser.words, "no text found in the PDF"
    return [w for w in parser.words if w[1] < -0.5 or w[2] < -0.5 or w[3] > width + 0.5 or w[4] > height + 0.5]


def text_of(pdf: bytes, tmp: Path) -> str:
    return _run("pdftotext", "-raw", data=pdf, tmp=tmp)


def fonts(pdf: bytes, tmp: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of every font of the PDF, read from ``pdffonts``' columns (the dashes under
    the heading give each column's width)."""
    lines = _run("pdffonts", data=pdf, tmp=tmp).splitlines()
    spans, start = [], 0
    for dashes in lines[1].split(" "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 1
    heading = [lines[0][a:b].strip() for a, b in spans]
    name, emb = heading.index("name"), heading.index("emb")
    return [(line[slice(*spans[name])].strip(), line[slice(*spans[emb])].strip() == "yes")
            for line in lines[2:] if line.strip()]


def png_pages(pdf: bytes, tmp: Path, name: str, dpi: int = 110) -> list[Image.Image]:
    pdf_path = tmp / "in.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run([_poppler("pdftoppm"), "-r", str(dpi), "-png", str(pdf_path), str(tmp / "page")], check=True)
    found = sorted(tmp.glob("page*.png"))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(found[0], ARTIFACTS / f"poster-{name}.png")
    images = [Image.open(p).copy() for p in found]
    for p in found:
        p.unlink()
    return images


def check_poster(pdf: bytes, tmp: Path, rsvp_url: str, name: str, paper: str) -> None:
    assert pdf.startswith(b"%PDF")
    assert pages(pdf, tmp) == 1
    width, height = page_size(pdf, tmp)
    assert (round(width), round(height)) == tuple(round(v) for v in PAGE_SIZES[paper])
    assert words_outside(pdf, tmp) == []
    assert all(embedded for _name, embedded in fonts(pdf, tmp)), fonts(pdf, tmp)
    [image] = png_pages(pdf, tmp, name)
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert decode_qr(png.getvalue()) == [rsvp_url]


def check_card(png: bytes, size: str, rsvp_url: str, name: str) -> None:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and f"{image.width}x{image.height}" == size
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"poster-card-{name}.png").write_bytes(png)
    assert decode_qr(png) == [rsvp_url]


# ---------------------------------------------------------------------- every demo event


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from planner import Planner

    planner = Planner(tmp_path_factory.mktemp("poster-demo") / "planner.db", base_url="https://events.example.org")
    seed_demo(planner, date(2026, 1, 5))
    return planner


def test_every_demo_event_has_a_one_page_poster_on_both_papers_with_a_qr_code_to_its_rsvp_page(demo, tmp_path):
    events = demo.list_events()
    assert len(events) >= 6
    for event in events:
        for paper in PAPERS:
            pdf = demo.poster_pdf(event.id, paper)
            check_poster(pdf, tmp_path, f"https://events.example.org/e/{event.id}", f"demo-{event.id}-{paper}",
                         paper)
            assert event.title.split()[0] in text_of(pdf, tmp_path)


def test_every_demo_event_has_both_social_cards_with_a_qr_code_to_its_rsvp_page(demo, tmp_path):
    for event in demo.list_events():
        for size in CARDS:
            check_card(demo.social_card_png(event.id, size), size, f"https://events.example.org/e/{event.id}",
                       f"demo-{event.id}-{size}")
            # The card's text stays on its page too (the PNG is this PDF, rasterized).
            _event, sheet = demo._sheet(event.id, None, "en", SYSTEM)
            assert words_outside(poster.card_pdf(sheet, size), tmp_path) == []


# ---------------------------------------------------------------------- hostile events


@pytest.fixture
def hostile(planner, summit, room):
    """A 200-character title in four scripts, 25 organizations and speakers in every script."""
    title = (f"{ARABIC} — {CHINESE} — {CYRILLIC} — {ACCENTS} " * 4)[:199] + "!"
    names = [f"{name} {i}" for i, name in enumerate([ARABIC, CHINESE, CYRILLIC, ACCENTS] * 7)][:25]
    organizations = [{"name": names[0], "role": "host"}] + [
        {"name": n, "role": "co-sponsor" if i % 3 else "endorser"} for i, n in enumerate(names[1:])]
    speakers = [{"name": "Amina Al-Sayed", "affiliation": ARABIC, "role": "speaker"},
                {"name": "李伟", "affiliation": CHINESE, "role": "moderator"},
                {"name": "Ольга Иванова", "affiliation": CYRILLIC, "role": "chair"},
                {"name": "José Ñúñez", "affiliation": ACCENTS, "role": "speaker"}]
    event = planner.create_event(title=title, starts_at=_at(20, 17), ends_at=_at(20, 19), summit_id=summit.id,
                                 room_id=room.id, speakers=speakers, organizations=organizations, allow_past=True)
    assert len(event.title) == 200 and len(event.public_organizations) == 25
    return planner.publish_event(event.id, allow_past=True)


@pytest.mark.parametrize("language", ["en", "ar", "zh", "ru"])
def test_a_200_character_title_and_25_organizations_in_four_scripts_fit_one_page(planner, hostile, tmp_path,
                                                                                  language):
    rsvp = planner.rsvp_url(hostile.id, language)
    for paper in PAPERS:
        pdf = planner.poster_pdf(hostile.id, paper, language=language)
        check_poster(pdf, tmp_path, rsvp, f"hostile-{language}-{paper}", paper)
        text = text_of(pdf, tmp_path)
        for name in ("Ольга Иванова", "李伟", "Ñúñez", CYRILLIC.split()[0], "Łódź"):
            assert name in text, f"{name} is missing from the {paper} poster"
        names = {name.split("+")[-1] for name, _embedded in fonts(pdf, tmp_path)}
        assert any("Arabic" in n for n in names) and any("CJK" in n for n in names), names
    for size in CARDS:
        check_card(planner.social_card_png(hostile.id, size, language=language), size, rsvp,
                   f"hostile-{language}-{size}")


def test_the_poster_lists_every_speaker_with_affiliation_and_the_chair_first(planner, hostile, tmp_path):
    text = text_of(planner.poster_pdf(hostile.id), tmp_path)
    chair, moderator = text.index("Ольга Иванова"), text.index("李伟")
    assert chair < moderator < text.index("José Ñúñez")
    assert "chair" in text and "moderator" in text
    assert "Boss Room, 8th floor" in text and "777 United Nations Plaza" in text


def test_arabic_is_shaped_and_runs_right_to_left(planner, hostile, tmp_path):
    """pdftotext gives back the logical Arabic text only when the PDF holds shaped glyphs of an
    Arabic font mapped to their letters; the page is laid out right to left."""
    _event, sheet = planner._sheet(hostile.id, None, "ar", SYSTEM)
    assert sheet.direction == "rtl"
    assert sheet.times.startswith("\u2066")  # the times isolated left to right: never "19:00–17:00"
    html = poster.page_html(sheet, "a4")
    assert "direction: rtl" in html and 'dir="rtl"' in html
    pdf = planner.poster_pdf(hostile.id, language="ar")
    assert "العفو" in text_of(pdf, tmp_path)


def test_an_event_without_a_room_says_online_or_place_to_be_announced(planner, summit, tmp_path):
    online = planner.create_event(title="Webinar", starts_at=_at(21, 9), ends_at=_at(21, 10), summit_id=summit.id,
                                  format="online", online_url="https://meet.example.org/abc", join_link_public=True,
                                  timezone="America/New_York", allow_past=True)
    later = planner.create_event(title="Place later", starts_at=_at(21, 11), ends_at=_at(21, 12),
                                 summit_id=summit.id, timezone="America/New_York", allow_past=True)
    for event in (online, later):
        planner.publish_event(event.id, allow_past=True)
        pdf = planner.poster_pdf(event.id)
        check_poster(pdf, tmp_path, planner.rsvp_url(event.id), f"no-room-{event.id}", "a4")
        for size in CARDS:
            check_card(planner.social_card_png(event.id, size), size, planner.rsvp_url(event.id), f"no-room-{event.id}")
    assert "Online" in text_of(planner.poster_pdf(online.id), tmp_path)
    assert "meet.example.org/abc" in text_of(planner.poster_pdf(online.id), tmp_path)  # public link, shown
    assert "Place to be announced" in text_of(planner.poster_pdf(later.id), tmp_path)


def test_the_join_link_is_printed_only_where_the_organizers_made_it_public(planner, summit, tmp_path):
    event = planner.create_event(title="Private link", starts_at=_at(21, 9), ends_at=_at(21, 10), summit_id=summit.id,
                                 format="online", online_url="https://meet.example.org/secret", allow_past=True,
                                 timezone="America/New_York")
    planner.publish_event(event.id, allow_past=True)
    assert "secret" not in text_of(planner.poster_pdf(event.id), tmp_path)


def _sign_on_token(planner) -> str:
    """The token of the latest sign-on request's link (from its message's text)."""
    import email
    from email import policy

    message = [m for m in planner.outbox() if m.kind == "sign_on"][-1]
    text = email.message_from_bytes(planner.outbox_eml(message.id), policy=policy.default).get_body(
        ("plain",)).get_content()
    return re.search(r"/sign-on\?t=([A-Za-z0-9_-]+)", text).group(1)


def test_only_organizations_that_signed_on_are_drawn_with_the_name_and_logo_they_gave(planner, make_event, tmp_path):
    """Issue #14's rule on posters: an organization asked and not answered is never printed (not
    even as invited: a printed sheet outlives the answer); once it confirms, it is printed by the
    name its contact gave, with the logo it sent."""
    from datetime import datetime, timedelta, timezone

    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)  # asking needs an event to come
    event = make_event(organizations=[{"name": "Visible Org", "role": "host"}, {"name": "Pending Org", "role": "endorser"}],
                       starts_at=start, ends_at=start + timedelta(hours=2))
    planner.request_sign_on(event.id, "Pending Org", "contact@pending.example.org")
    planner.set_show_invited(event.id, True)
    planner.publish_event(event.id)
    text = text_of(planner.poster_pdf(event.id), tmp_path)
    assert "Visible Org" in text and "Pending Org" not in text
    assert "Pending Org" not in planner.link_preview(event.id)["description"]
    token = _sign_on_token(planner)
    planner.answer_sign_on(token, planner.sign_on(token).requests[0].id, confirm=True,
                           display_name="Signed Org", logo=_picture("PNG"))
    shown = planner.get_event(event.id)
    signed = next(o for o in shown.organizations if o.name == "Pending Org")
    _, sheet = planner._sheet(event.id, None, "en", SYSTEM)
    drawn = dict(item for _heading, items in sheet.organizations for item in items)
    assert drawn["Signed Org"] == planner.picture(signed.logo) and drawn["Visible Org"] is None
    assert "Signed Org" in text_of(planner.poster_pdf(event.id), tmp_path)


def test_fonts_fall_back_through_fontconfig_when_a_named_font_is_missing(planner, hostile, tmp_path, monkeypatch):
    """With none of the named families installed, fontconfig still finds a font with the glyphs:
    the text comes back whole and every font is embedded."""
    monkeypatch.setattr(poster, "FONT_FAMILIES", ('"No Such Font Anywhere"', "sans-serif"))
    pdf = planner.poster_pdf(hostile.id, language="ar")
    text = text_of(pdf, tmp_path)
    for sample in ("Ольга", "李伟", "Łódź", "العفو"):
        assert sample in text
    assert fonts(pdf, tmp_path) and all(embedded for _name, embedded in fonts(pdf, tmp_path))


# ---------------------------------------------------------------------- drawn once


def test_a_poster_is_drawn_once_per_version_and_drawn_again_after_a_change(planner, hostile, monkeypatch):
    drawn = []
    real = poster.poster_pdf
    monkeypatch.setattr(poster, "poster_pdf", lambda sheet, paper: drawn.append(paper) or real(sheet, paper))
    first = planner.poster_pdf(hostile.id)
    tag = planner.share_file_tag(hostile.id, "a4")
    assert planner.poster_pdf(hostile.id) is first and drawn == ["a4"]
    planner.update_event(hostile.id, version=hostile.version, title="A shorter title")
    assert planner.share_file_tag(hostile.id, "a4") != tag
    assert planner.poster_pdf(hostile.id) != first and drawn == ["a4", "a4"]
    assert planner.poster_pdf(hostile.id, language="fr") and len(drawn) == 3  # each language its own


def test_the_colours_are_an_organizers_choice_and_change_the_drawing(planner, hostile, assert_refused):
    assert planner.poster_theme(hostile.id) == "navy"
    navy = planner.share_file_tag(hostile.id, "a4")
    assert planner.set_poster_theme(hostile.id, "Forest ") == "forest"
    assert planner.poster_theme(hostile.id) == "forest" and planner.share_file_tag(hostile.id, "a4") != navy
    assert planner.audit_log()[0].action == "poster_theme_set"
    assert_refused(lambda: planner.set_poster_theme(hostile.id, "pink"), field="theme")
    assert_refused(lambda: planner.set_poster_theme(hostile.id, "plum", actor=PUBLIC), exc=PermissionDenied)
    assert_refused(lambda: planner.poster_pdf(hostile.id, "a3"), field="paper")
    assert_refused(lambda: planner.social_card_png(hostile.id, "800x600"), field="size")
    assert_refused(lambda: planner.set_poster_theme(10**6, "plum"), exc=NotFound)


# ---------------------------------------------------------------------- the coalition's logo


def _picture(fmt: str, size=(240, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def test_the_coalition_logo_is_checked_stored_privately_and_drawn(planner, hostile, tmp_path, assert_refused):
    admin = of_user(planner.add_user(email="boss@example.org", name="Boss", password="long enough pw", role="admin"))
    organizer = of_user(planner.add_user(email="org@example.org", name="Org", password="long enough pw"))
    before = planner.poster_pdf(hostile.id)
    assert_refused(lambda: planner.set_coalition_logo(b"GIF89a not a logo", actor=admin), field="logo")
    assert_refused(lambda: planner.set_coalition_logo(_picture("GIF"), actor=admin), field="logo")
    assert_refused(lambda: planner.set_coalition_logo(b"\x89PNG" + b"0" * 1_100_000, actor=admin), field="logo")
    assert_refused(lambda: planner.set_coalition_logo(_picture("PNG", (4100, 10)), actor=admin), field="logo")
    assert_refused(lambda: planner.set_coalition_logo(_picture("PNG"), actor=organizer), exc=PermissionDenied)
    assert planner.coalition_logo() is None

    planner.set_coalition_logo(_picture("JPEG"), actor=admin)
    stored = planner.path.parent / "coalition-logo.png"
    assert stored.stat().st_mode & 0o777 == 0o600
    assert Image.open(io.BytesIO(planner.coalition_logo())).format == "PNG"  # re-encoded
    with_logo = planner.poster_pdf(hostile.id)
    assert with_logo != before
    images = subprocess.run([_poppler("pdfimages"), "-list", "-"], input=with_logo, capture_output=True).stdout
    assert len(images.splitlines()) > 2  # the logo is an image of the PDF (the QR code is vector)
    check_poster(with_logo, tmp_path, planner.rsvp_url(hostile.id), "with-logo", "a4")
    planner.set_coalition_logo(None, actor=admin)
    assert planner.coalition_logo() is None and not stored.exists()
    assert [e.action for e in planner.audit_log()[:2]] == ["coalition_logo_removed", "coalition_logo_set"]


def test_share_links_are_plain_addresses_with_the_short_link(planner, hostile):
    links = planner.share_links(hostile.id)
    assert links["link"] == f"http://localhost:8501/e/{hostile.id}"
    assert links["email"].startswith("mailto:?subject=")
    assert links["whatsapp"].startswith("https://wa.me/?text=")
    assert links["telegram"].startswith("https://t.me/share/url?url=")
    assert links["linkedin"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert links["x"].startswith("https://x.com/intent/post?text=")
    assert all("%2Fe%2F" in url for key, url in links.items() if key != "link")
    assert planner.share_links(hostile.id, "fr")["link"].endswith(f"/e/{hostile.id}?lang=fr")


def test_the_link_preview_gives_the_day_and_time_in_the_venues_zone_the_place_and_the_host(planner, hostile):
    preview = planner.link_preview(hostile.id)
    assert preview["title"] == hostile.title
    assert "Tuesday 20 October 2026" in preview["description"] and "17:00–19:00" in preview["description"]
    assert "New York" in preview["description"] and "Boss Room, 8th floor" in preview["description"]
    assert f"Hosted by {ARABIC} 0" in preview["description"]
    assert preview["image"].endswith(f"/e/{hostile.id}/card.png?size=1200x630")
    assert (preview["image_width"], preview["image_height"]) == (1200, 630)
    french = planner.link_preview(hostile.id, "fr")
    assert "mardi 20 octobre 2026" in french["description"] and french["image"].endswith("&lang=fr")


def test_text_people_typed_is_escaped_and_nothing_is_fetched_while_drawing(planner, make_event, tmp_path):
    hostile = '</style><script>alert(1)</script><img src="http://evil.example/x.png"> & "quotes"'
    event = make_event(title=hostile, organizations=[{"name": '<link rel="stylesheet" href="http://evil.example/">',
                                                      "role": "host"}])
    _event, sheet = planner._sheet(event.id, None, "en", SYSTEM)
    html = poster.page_html(sheet, "a4")
    assert "<script>" not in html and "evil.example/x.png\"" not in html and '<link rel=' not in html
    assert "&lt;/style&gt;&lt;script&gt;" in html
    with pytest.raises(Exception):
        poster._fetcher().fetch("http://evil.example/x.png")
    text = text_of(planner.poster_pdf(event.id), tmp_path)
    assert "alert(1)" in text  # drawn as the text it is


def test_a_cancelled_event_says_so_on_its_poster_and_preview(planner, hostile, tmp_path):
    planner.cancel_event(hostile.id, reason="The room is closed.")
    assert "This event is cancelled." in text_of(planner.poster_pdf(hostile.id), tmp_path)
    assert planner.link_preview(hostile.id)["description"].startswith("This event is cancelled.")


def test_many_visitors_asking_for_a_new_poster_at_once_get_one_drawing(planner, hostile, monkeypatch):
    import threading

    drawn = []
    real = poster.poster_pdf
    monkeypatch.setattr(poster, "poster_pdf", lambda sheet, paper: drawn.append(paper) or real(sheet, paper))
    results, start = [], threading.Barrier(8)

    def visit():
        start.wait()
        results.append(planner.poster_pdf(hostile.id, "letter"))

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert drawn == ["letter"] and len(results) == 8 and len(set(results)) == 1
