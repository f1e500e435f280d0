"""Posters (PDF, A4 and US Letter) and social cards (PNG, 1200×630 and 1080×1080) of one event.

Both are drawn from one HTML page by WeasyPrint, which lays text out with Pango and HarfBuzz:
Arabic is shaped and runs right to left, Chinese and Cyrillic take their Noto fonts through
fontconfig's fallback, accents keep their marks. The PNG card is that same page printed to PDF
at its pixel size and rasterized by PDFium (``pypdfium2``, a wheel with no system library). One
layout engine for both means one set of rules for fitting text, one font fallback, one RTL
behaviour; Pillow's raqm layout would have needed its own line breaking, column flow and
shrinking written by hand, and would have drifted from the poster's.

Fitting: a page is laid out at a font scale, and the boxes of the layout are measured against
the page (``_measure``): it fits when it is one page, no box lies beyond the page's edges and the
text stays above the footer where the QR code is pinned. The largest scale that fits is searched
for (``_layout``: two to four layouts), so a short poster fills its page and a long one shrinks;
organizations flow into two or three columns from the start when there are many. The smallest
scale is the last resort, so the result is always one page; the tests check that no text lies
outside it.

Nothing is fetched while drawing: the URL fetcher refuses everything but ``data:`` URLs (the
QR code, the coalition's logo and organizations' logos are embedded by us), so text people
typed cannot make the server load anything. Everything typed is escaped.
"""

from __future__ import annotations

import base64
import io
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from html import escape

# The fonts: Noto from Debian (fonts-noto-core: Latin, Cyrillic, Greek, Arabic; fonts-noto-cjk:
# Chinese, Japanese, Korean). fontconfig falls back to any installed font that has a glyph
# when none of these does (tests/domain/test_poster.py checks it with a family that is missing).
FONT_FAMILIES = ('"Noto Sans"', '"Noto Sans Arabic"', '"Noto Naskh Arabic"', '"Noto Sans CJK SC"',
                 '"Noto Sans CJK JP"', '"DejaVu Sans"', "sans-serif")

# Colours of the themes: (the band and headings, the accent, the band's text). Labels in codes.py.
THEMES = {
    "navy": ("#1b3a5c", "#f2b134", "#ffffff"),
    "forest": ("#1f5135", "#e8c547", "#ffffff"),
    "plum": ("#5b2a5e", "#f08a5d", "#ffffff"),
}
DEFAULT_THEME = "navy"

# Page sizes: posters in millimetres (CSS page sizes), cards in CSS pixels (1 px = 1/96 in).
POSTER_PAPERS = {"a4": "210mm 297mm", "letter": "8.5in 11in"}
CARD_SIZES = {"1200x630": (1200, 630), "1080x1080": (1080, 1080)}

# The font scales tried, largest first (a short poster fills its page); the last one is kept whatever happens.
_SCALES = (2.4, 2.0, 1.7, 1.45, 1.25, 1.1, 1.0, 0.9, 0.8, 0.71, 0.63, 0.56, 0.5, 0.44, 0.39, 0.34, 0.3, 0.26, 0.22)


@dataclass(frozen=True)
class Sheet:
    """What a poster or card says, already in its language (strings, escaped here)."""

    language: str
    direction: str  # "ltr" or "rtl"
    title: str
    day: str  # "Thursday 23 September 2027"
    times: str  # "17:00–19:00 (New York Time)"
    place: tuple[str, ...]  # room, venue, address; or "Online"
    online_link: str | None  # the public join link, where public
    speakers_heading: str
    speakers: tuple[tuple[str, str], ...]  # (name — affiliation, role), chair first
    organizations: tuple[tuple[str, tuple[tuple[str, bytes | None], ...]], ...]  # (heading, ((name, logo), …))
    register_label: str  # "Register:"
    short_url: str  # printed beside the QR code
    rsvp_url: str  # what the QR code encodes
    summit: str = ""
    status_note: str = ""  # "This event is cancelled."
    theme: str = DEFAULT_THEME
    logo: bytes | None = None  # the coalition's logo (PNG or JPEG, checked when uploaded)


def text_direction(text: str) -> str:
    """"rtl" when the first letter with a direction is Arabic or Hebrew, else "ltr": each line people
    typed runs its own way (an English address on an Arabic poster keeps its number first)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _data_url(data: bytes) -> str:
    kind = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


def qr_svg(url: str) -> bytes:
    """The QR code as SVG paths: sharp at any print size."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.image.svg import SvgPathFillImage

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, image_factory=SvgPathFillImage)
    qr.add_data(url)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image().save(out)
    return out.getvalue()


def load_weasyprint():
    """Import WeasyPrint (the server does it at start-up, ``app.py``), and undo the one global
    change its import makes: it sets Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES``, which would
    make every other check in the process accept a truncated JPEG (the door's photos, logos,
    speakers' photos). Our pages hold only images we made or re-encoded, so they need no
    leniency. Returns the module."""
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def _fetcher():
    """WeasyPrint's URL fetcher for our pages: only ``data:`` URLs (ours) are read; nothing leaves the server."""
    load_weasyprint()
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _columns(count: int, kind: str) -> int:
    if kind in POSTER_PAPERS:
        return 1 if count <= 4 else 2 if count <= 12 else 3
    return 1 if count <= 3 else 2 if count <= 10 else 3


def page_html(sheet: Sheet, kind: str, scale: float = 1.0) -> str:
    """The page of one poster (``kind`` "a4" or "letter") or card ("1200x630", "1080x1080")."""
    band, accent, band_text = THEMES.get(sheet.theme, THEMES[DEFAULT_THEME])
    families = ", ".join(FONT_FAMILIES)
    poster = kind in POSTER_PAPERS
    if poster:
        size, base, qr = POSTER_PAPERS[kind], 15 * scale, "48mm"
        pad = "12mm"
    else:
        width, height = CARD_SIZES[kind]
        size, base, qr = f"{width}px {height}px", 27 * scale, "210px" if kind == "1200x630" else "230px"
        pad = "44px"
    end = "right" if sheet.direction == "ltr" else "left"
    css = f"""
@page {{ size: {size}; margin: 0; }}
html {{ font-size: {base:.2f}px; }}
body {{ margin: 0; font-family: {families}; color: #1f2328; background: #fff; line-height: 1.25;
        overflow-wrap: anywhere; direction: ltr; }}
main, .band, aside {{ direction: {sheet.direction}; }}  /* the page itself stays ltr: absolute boxes */
.band {{ background: {band}; color: {band_text}; padding: 0.9rem {pad}; display: flex; align-items: center;
         gap: 1rem; }}
.band img {{ max-height: {('22mm' if poster else '70px')}; max-width: 45%; background: #fff; padding: 4px; }}
.band .summit {{ font-size: 1.05rem; font-weight: 700; letter-spacing: .02em; }}
main {{ padding: 0 {pad}; }}
h1 {{ font-size: 2.6rem; line-height: 1.12; margin: 1.1rem 0 .6rem; color: {band}; }}
.status {{ font-weight: 700; color: #b3261e; font-size: 1.2rem; margin: .2rem 0 .5rem; }}
.when {{ font-size: 1.45rem; font-weight: 700; margin: .2rem 0; }}
.times {{ font-size: 1.25rem; margin: .1rem 0 .5rem; }}
.place {{ font-size: 1.15rem; margin: .3rem 0; border-{'left' if sheet.direction == 'ltr' else 'right'}: .3rem solid {accent};
          padding-{'left' if sheet.direction == 'ltr' else 'right'}: .6rem; }}
.place p {{ margin: .1rem 0; }} .place p:first-child {{ font-weight: 700; }}
h2 {{ font-size: 1rem; text-transform: uppercase; letter-spacing: .05em; color: {band}; margin: .9rem 0 .25rem; }}
ul {{ list-style: none; padding: 0; margin: 0; }}
li {{ margin: .12rem 0; break-inside: avoid; font-size: 1.05rem; }}
.role {{ color: #57606a; font-size: .9em; }}
.cols-2 li, .cols-3 li {{ display: inline-block; vertical-align: top; width: 48%; margin-{end}: 1.5%; }}
.cols-3 li {{ width: 31.5%; }}
.org img {{ max-height: 2.4rem; max-width: 9rem; vertical-align: middle; }}
.ltr {{ direction: ltr; unicode-bidi: isolate; }}
.short .ltr {{ white-space: nowrap; }}
footer {{ display: flex; align-items: center; gap: 1rem; position: absolute; bottom: 10mm; left: {pad}; right: {pad};
          flex-direction: {'row' if end == 'right' else 'row-reverse'}; }}
footer div {{ direction: {sheet.direction}; text-align: {'left' if end == 'right' else 'right'}; flex: 1; }}
footer img {{ width: {qr}; height: {qr}; flex: none; }}
footer .label {{ font-size: 12pt; color: #57606a; margin: 0; }}
footer .short {{ font-size: 20pt; font-weight: 700; color: {band}; margin: .1rem 0; }}
.card main {{ padding: 0 {pad}; margin-{end}: calc({qr} + 1.6rem); }}
.card aside {{ position: absolute; top: 5.5rem; {end}: {pad}; width: {qr}; text-align: center; }}
.data {{ text-align: {'left' if end == 'right' else 'right'}; }}
.card aside img {{ width: {qr}; height: {qr}; }}
.card aside .short {{ font-size: .8rem; font-weight: 700; color: {band}; margin: .2rem 0; }}
.card aside .label {{ font-size: .7rem; color: #57606a; margin: 0; }}
.card h1 {{ font-size: 1.9rem; margin-top: .7rem; }}
.card li {{ font-size: .85rem; }} .card h2 {{ font-size: .75rem; margin-top: .5rem; }}
.card .when {{ font-size: 1.1rem; }} .card .times {{ font-size: .95rem; }} .card .place {{ font-size: .9rem; }}
"""
    e = escape
    parts = []
    if sheet.logo or sheet.summit:
        logo = f'<img src="{_data_url(sheet.logo)}" alt="">' if sheet.logo else ""
        parts.append(f'<div class="band">{logo}<div class="summit">{e(sheet.summit)}</div></div>')
    else:
        parts.append('<div class="band"></div>')
    main = [f'<h1 class="data" dir="{text_direction(sheet.title)}">{e(sheet.title)}</h1>']
    if sheet.status_note:
        main.append(f'<p class="status">{e(sheet.status_note)}</p>')
    main.append(f'<p class="when">{e(sheet.day)}</p><p class="times">{e(sheet.times)}</p>')
    place = "".join(f'<p class="data" dir="{text_direction(line)}">{e(line)}</p>' for line in sheet.place)
    if sheet.online_link:
        place += f'<p><span class="ltr">{e(sheet.online_link)}</span></p>'
    main.append(f'<div class="place">{place}</div>')
    if sheet.speakers:
        items = "".join(f'<li><bdi dir="{text_direction(name)}">{e(name)}</bdi> <span class="role">· {e(role)}</span></li>' for name, role in sheet.speakers)
        cols = _columns(len(sheet.speakers), kind)
        main.append(f'<h2>{e(sheet.speakers_heading)}</h2><ul class="cols-{cols}">{items}</ul>')
    for heading, orgs in sheet.organizations:
        items = "".join(
            '<li class="org">' + (f'<img src="{_data_url(logo)}" alt=""> ' if logo else "") + f'<bdi dir="{text_direction(name)}">{e(name)}</bdi></li>'
            for name, logo in orgs)
        main.append(f'<h2>{e(heading)}</h2><ul class="cols-{_columns(len(orgs), kind)}">{items}</ul>')
    qr = f'<img src="data:image/svg+xml;base64,{base64.b64encode(qr_svg(sheet.rsvp_url)).decode()}" alt="">'
    short = f'<p class="label">{e(sheet.register_label)}</p><p class="short"><span class="ltr">{e(sheet.short_url)}</span></p>'
    if poster:
        body = "".join(parts) + "<main>" + "".join(main) + f"</main><footer>{qr}<div>{short}</div></footer>"
    else:
        body = "".join(parts) + '<div class="card"><main>' + "".join(main) + f"</main><aside>{qr}{short}</aside></div>"
    return (f'<!doctype html><html lang="{e(sheet.language)}"><head><meta charset="utf-8">'
            f"<style>{css}</style></head><body>{body}</body></html>")


def _measure(document) -> tuple[bool, float]:
    """Whether the layout fits (one page, no box past the page's edges, the text above the poster's
    footer, where the QR code is pinned), and how much of the room it had the text took (1.0: all)."""
    page = document.pages[0]
    boxes, stack = [], [page._page_box]
    while stack:
        box = stack.pop()
        if hasattr(box, "margin_height") and box.position_y is not None:
            boxes.append(box)
        stack.extend(getattr(box, "children", None) or ())
    floor = min((b.position_y for b in boxes if getattr(b, "element_tag", None) == "footer"), default=page.height)
    fits = len(document.pages) == 1
    top, bottom = page.height, 0.0
    for box in boxes:
        end = box.position_y + box.margin_height()
        if end > page.height + 0.5 or box.position_x + box.margin_width() > page.width + 0.5 or box.position_x < -0.5:
            fits = False
        if getattr(box, "element_tag", None) == "main":
            top, bottom = min(top, box.position_y), max(bottom, end)
    if len(document.pages) > 1:  # what spilled over counts as a page more of text
        bottom += page.height * (len(document.pages) - 1)
    fits = fits and bottom <= floor
    return fits, (bottom - top) / max(floor - top, 1.0)


# WeasyPrint's layout is pure Python holding the GIL: one drawing at a time keeps a burst of
# first requests for new posters from starving the pages the same process serves.
_drawing = threading.Lock()
_one_at_a_time = threading.Lock()  # around a whole drawing that is to be kept (``drawn``)


def _layout(sheet: Sheet, kind: str):
    """The page at the largest of ``_SCALES`` that fits, else at the smallest.

    A search between the largest scale known to fit and the smallest known not to: each layout
    says how much of its room the text took, and the text's height grows between linearly and
    as the square of the scale (lines that wrap), so the next scale tried is the last one times
    the square root of the room left, kept strictly between the two bounds. Two to four layouts.
    """
    HTML = load_weasyprint().HTML

    fit_at = fail_at = None  # indices into _SCALES (larger index: smaller scale)
    index, best, last = _SCALES.index(1.0), None, None
    while True:
        last = HTML(string=page_html(sheet, kind, _SCALES[index]), url_fetcher=_fetcher()).render()
        fits, used = _measure(last)
        if fits:
            fit_at, best = index, last
        else:
            fail_at = index
        lower = 0 if fail_at is None else fail_at + 1
        upper = len(_SCALES) - 1 if fit_at is None else fit_at - 1
        if lower > upper:
            return best or last  # nothing fits at all: the smallest scale, the last one tried
        guess = _SCALES[index] * (1.0 / max(used, 1e-3)) ** 0.5
        index = min(range(lower, upper + 1), key=lambda i: abs(_SCALES[i] - guess))


def poster_pdf(sheet: Sheet, paper: str) -> bytes:
    """A one-page PDF poster on ``paper`` ("a4" or "letter")."""
    if paper not in POSTER_PAPERS:
        raise ValueError(paper)
    with _drawing:
        return _layout(sheet, paper).write_pdf()


def card_pdf(sheet: Sheet, size: str) -> bytes:
    """The social card as a one-page PDF of ``size`` CSS pixels ("1200x630", "1080x1080")."""
    if size not in CARD_SIZES:
        raise ValueError(size)
    with _drawing:
        return _layout(sheet, size).write_pdf()


def card_png(sheet: Sheet, size: str) -> bytes:
    """The social card as a PNG of exactly ``size`` pixels."""
    import pypdfium2

    width, height = CARD_SIZES[size]
    pdf = pypdfium2.PdfDocument(card_pdf(sheet, size))
    try:
        page = pdf[0]
        image = page.render(scale=96 / 72).to_pil().convert("RGB")
    finally:
        pdf.close()
    if image.size != (width, height):
        image = image.resize((width, height))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# ---------------------------------------------------------------------- the drawings kept
#
# A drawing is kept keyed on its sheet (everything it shows: the event's words in one language,
# its colours, the logo's bytes) and its kind, so a new version of the event, another language or
# another logo draws anew and nothing stale is ever served. 64 drawings are 10–20 MB at most.

CACHE_SIZE = 64
_drawings: OrderedDict[tuple[Sheet, str], bytes] = OrderedDict()
_drawings_lock = threading.Lock()


def _kept(key) -> bytes | None:
    with _drawings_lock:
        found = _drawings.get(key)
        if found is not None:
            _drawings.move_to_end(key)
        return found


def drawn(sheet: Sheet, kind: str) -> bytes:
    """The poster (``kind`` "a4", "letter": PDF) or card ("1200x630", "1080x1080": PNG) of ``sheet``,
    drawn once and kept. Several people asking for the same new drawing at once get one drawing:
    the second waits for the first (drawings are made one at a time) and finds it kept."""
    key = (sheet, kind)
    found = _kept(key)
    if found is not None:
        return found
    with _one_at_a_time:
        found = _kept(key)
        if found is not None:
            return found
        data = poster_pdf(sheet, kind) if kind in POSTER_PAPERS else card_png(sheet, kind)
    with _drawings_lock:
        _drawings[key] = data
        while len(_drawings) > CACHE_SIZE:
            _drawings.popitem(last=False)
    return data


def forget_drawings() -> None:
    """Empty the kept drawings (benchmarks and tests of a cold start)."""
    with _drawings_lock:
        _drawings.clear()
