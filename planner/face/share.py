"""Sharing an event (issue #15), mixed into ``Planner``: its short address and link preview, the
share links of the event page, the poster (PDF) and the social cards (PNG), their colours and the
coalition's logo.

What a poster says is gathered here, in the language asked, into a ``poster.Sheet`` of plain
strings; ``planner/outputs/poster.py`` draws it. Only what every public output may name is
drawn: ``Event.public_speakers`` and ``Event.public_organizations`` (issue #14's rule), and the
join link only where the organizers made it public. A drawing is kept in memory keyed on the
sheet itself (the event's version, language, colours and logo are all in it), so a busy event
page and many link previews draw each poster once per change.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from pathlib import Path
from urllib.parse import quote, urlencode

from .. import access
from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, events
from ..codes import ORGANIZATION_ROLE_HEADINGS, POSTER_THEME_LABELS, SPEAKER_ROLE_LABELS, SPEAKER_ROLES
from ..errors import NotFound, StorageError, ValidationError
from ..files import LOGO_FILE_NAME, make_private
from ..i18n import DEFAULT, N_, _, current, direction, format_pattern, format_time, long_date, ltr, normalize, using
from ..i18n import zone_name
from ..models import Event
from ..outputs import calendar, poster
from . import admin_only, staff_only

log = logging.getLogger(__name__)

KINDS = (*poster.POSTER_PAPERS, *poster.CARD_SIZES)  # "a4", "letter", "1200x630", "1080x1080"
LOGO_MAX_BYTES = 1_000_000  # a logo for print is a few hundred KB at most
LOGO_MAX_SIDE = 4000  # pixels, read from the header before anything is decoded
LOGO_KEPT_SIDE = 1000  # what is stored: enough for an A4 band at 300 dpi
ORG_LOGO_MAX_BYTES = 1_000_000


class ShareMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    # ------------------------------------------------------------------ addresses and links

    def short_url(self, event_id: int, language: str | None = None) -> str:
        """The event's short address, ``{base_url}/e/<id>``: its public page (plain HTML, with the
        registration form and the link preview's tags); with ``language`` (not English) it
        carries ``?lang=``."""
        return calendar.event_url(self.base_url, check.id(event_id), normalize(language) if language else DEFAULT)

    def rsvp_url(self, event_id: int, language: str | None = None) -> str:
        """The public event page, where people register (``/e/<id>``, the light HTML page of
        issue #17): what the posters' QR code encodes."""
        return self.short_url(event_id, language)

    def share_links(self, event_id: int, language: str | None = None) -> dict[str, str]:
        """Links that share a public event without any script of a third party: "link" (the short
        address), "email" (mailto:), "whatsapp", "telegram", "linkedin" and "x" (their share
        addresses, opened only when someone clicks). ``NotFound`` if never public."""
        language = normalize(language or current())
        with using(language):
            event = self.get_event(event_id, actor=access.PUBLIC).localized(language)
            link = self.short_url(event.id, language)
            text = "\n".join([event.title, _when(event), _place_line(event)])
            return {
                "link": link,
                "email": "mailto:?" + urlencode({"subject": event.title, "body": f"{text}\n{link}"}, quote_via=quote),
                "whatsapp": "https://wa.me/?" + urlencode({"text": f"{text}\n{link}"}, quote_via=quote),
                "telegram": "https://t.me/share/url?" + urlencode({"url": link, "text": text}, quote_via=quote),
                "linkedin": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": link}, quote_via=quote),
                "x": "https://x.com/intent/post?" + urlencode({"text": event.title, "url": link}, quote_via=quote),
            }

    def link_preview(self, event_id: int, language: str | None = None) -> dict[str, str | int]:
        """What the short address tells a link preview (Open Graph, Twitter card) of a public event, in
        ``language``: "title", "description" (day and time in the venue's zone, place or "Online",
        host), "url" (the short address), "page" (the event page), "image" (the 1200×630 card),
        "image_width", "image_height", "language", "direction". ``NotFound`` if never public."""
        language = normalize(language or current())
        with using(language):
            event = self.get_event(event_id, actor=access.PUBLIC).localized(language)
            parts = [_when(event), _place_line(event)]
            hosts = [o.shown_name for o in event.confirmed_organizations if o.role == "host"]
            if hosts:
                parts.append(_("Hosted by {names}").format(names=", ".join(hosts)))
            if event.status == "cancelled":
                parts.insert(0, _("This event is cancelled."))
            lang = "" if language == "en" else f"&lang={language}"
            return {
                "title": event.title, "description": " · ".join(parts), "url": self.short_url(event.id, language),
                "page": self.rsvp_url(event.id, language),
                "image": f"{self.base_url}/e/{event.id}/card.png?size=1200x630{lang}",
                "image_width": 1200, "image_height": 630, "language": language, "direction": direction(language),
                "site_name": _("Side Event Planner"),
            }

    # ------------------------------------------------------------------ posters and cards

    def poster_pdf(self, event_id: int, paper: str = "a4", theme: str | None = None, language: str | None = None,
                   *, actor: Actor = SYSTEM) -> bytes:
        """A one-page poster of the event as a PDF on ``paper`` ("a4" or "letter"), in ``theme``'s
        colours (default: the event's, ``poster_theme``) and ``language`` (default: the active one).
        Drafts for staff only (``NotFound`` for others); drawn once per version of what it shows."""
        paper = check.choice(paper, tuple(poster.POSTER_PAPERS), "paper", N_("Paper"))
        return self._drawn(event_id, paper, theme, language, actor)[0]

    def social_card_png(self, event_id: int, size: str = "1200x630", theme: str | None = None,
                        language: str | None = None, *, actor: Actor = SYSTEM) -> bytes:
        """The event's social card as a PNG of ``size`` ("1200x630" for link previews, "1080x1080"
        for square posts), otherwise as ``poster_pdf``."""
        size = check.choice(size, tuple(poster.CARD_SIZES), "size", N_("Size"))
        return self._drawn(event_id, size, theme, language, actor)[0]

    def share_file_tag(self, event_id: int, kind: str, theme: str | None = None, language: str | None = None,
                       *, actor: Actor = SYSTEM) -> str:
        """The ETag of a poster or card (``kind``: "a4", "letter", "1200x630", "1080x1080") without
        drawing it: the event's id and version and a digest of everything drawn."""
        kind = check.choice(kind, KINDS, "kind", N_("Format"))
        event, sheet = self._sheet(event_id, theme, language, actor)
        return _tag(event, sheet, kind)

    def _drawn(self, event_id, kind, theme, language, actor) -> tuple[bytes, str]:
        event, sheet = self._sheet(event_id, theme, language, actor)
        return poster.drawn(sheet, kind), _tag(event, sheet, kind)

    def _sheet(self, event_id, theme, language, actor) -> tuple[Event, poster.Sheet]:
        language = normalize(language or current())
        theme = self.poster_theme(event_id) if theme is None else check.choice(
            theme, tuple(poster.THEMES), "theme", N_("Poster colours"), POSTER_THEME_LABELS)
        with using(language):
            event = self.get_event(event_id, actor=actor).localized(language)
            speakers = sorted(event.public_speakers, key=lambda s: SPEAKER_ROLES.index(s.role)
                              if s.role in SPEAKER_ROLES else len(SPEAKER_ROLES))
            # A printed poster outlives a "not answered yet": it names only the organizations
            # that agreed (issue #14), by the name their contact gave, with the logo they sent.
            confirmed = {role: [o for o in event.confirmed_organizations if o.role == role]
                         for role in ("host", "co-sponsor", "endorser")}
            organizations = tuple(
                (str(ORGANIZATION_ROLE_HEADINGS[role]),
                 tuple((o.shown_name, self._organization_logo(o)) for o in orgs))
                for role, orgs in confirmed.items() if orgs)
            short = self.short_url(event.id)
            sheet = poster.Sheet(
                language=language, direction=direction(language), title=event.title,
                day=long_date(event.local_start),
                times=_times_in_zone(event),
                place=_place_lines(event), online_link=event.public_join_url,
                speakers_heading=_("Speakers"),
                speakers=tuple((f"{s.name} — {s.affiliation}" if s.affiliation else s.name,
                                str(SPEAKER_ROLE_LABELS.get(s.role, s.role))) for s in speakers),
                organizations=organizations,
                # Translators: beside a poster's QR code, above the event's short address.
                register_label=_("Scan the code or open this address to register:"),
                short_url=short.split("://", 1)[-1], rsvp_url=self.rsvp_url(event.id, language),
                summit=event.summit.name if event.summit else "",
                status_note=_("This event is cancelled.") if event.status == "cancelled" else "",
                theme=theme, logo=self.coalition_logo(),
            )
        return event, sheet

    def _organization_logo(self, organization) -> bytes | None:
        """The logo an organization's contact sent when signing on (issue #14: re-encoded PNG or
        JPEG under the data folder's images/, ``Planner.picture``); its name alone without one,
        or when the file is gone."""
        if not organization.logo:
            return None
        try:
            data = self.picture(organization.logo)
        except (NotFound, OSError):
            return None
        return data if len(data) <= ORG_LOGO_MAX_BYTES and data[:3] in (b"\x89PN", b"\xff\xd8\xff") else None

    # ------------------------------------------------------------------ colours and logo

    def poster_theme(self, event_id: int) -> str:
        """The colours an event's posters and cards are drawn in (``POSTER_THEME_LABELS``)."""
        row = self._read(lambda db: db.execute("SELECT theme FROM event_poster WHERE event_id = ?",
                                               [check.id(event_id)]).fetchone())
        return row[0] if row and row[0] in poster.THEMES else poster.DEFAULT_THEME

    @staff_only
    def set_poster_theme(self, event_id: int, theme: str, *, actor: Actor = SYSTEM) -> str:
        """Choose the colours of an event's posters and cards: "navy", "forest" or "plum"."""
        theme = check.choice(theme, tuple(poster.THEMES), "theme", N_("Poster colours"), POSTER_THEME_LABELS)
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            db.execute("INSERT INTO event_poster (event_id, theme) VALUES (?, ?) "
                       "ON CONFLICT (event_id) DO UPDATE SET theme = excluded.theme", [event.id, theme])
            audit.record(db, actor, "poster_theme_set", event_id=event.id, theme=theme)
        return theme

    def _logo_path(self) -> Path:
        return self.path.parent / LOGO_FILE_NAME

    def coalition_logo(self) -> bytes | None:
        """The coalition's logo drawn on every poster and card (a PNG), or None."""
        path = self._logo_path()
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        cached = getattr(self, "_logo_cache", None)
        if cached is None or cached[0] != stamp:
            cached = self._logo_cache = (stamp, path.read_bytes())
        return cached[1]

    @admin_only
    def set_coalition_logo(self, image: bytes | None, *, actor: Actor = SYSTEM) -> None:
        """Upload the coalition's logo (PNG or JPEG, at most 1 MB and 4000 pixels a side; kept as a
        PNG of at most 1000 pixels, readable by the server's user only), or remove it with None.
        ``ValidationError`` ``logo_not_an_image`` / ``logo_too_large``, nothing changed."""
        path = self._logo_path()
        if image is None:
            with self._db.write() as db:
                if path.exists():
                    path.unlink()
                    audit.record(db, actor, "coalition_logo_removed")
            return
        png = _checked_logo(image)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(png)
            with self._db.write() as db:
                os.replace(temporary, path)
                make_private(path)
                audit.record(db, actor, "coalition_logo_set", size=len(png))
        except OSError as err:
            log.warning("cannot store the coalition logo: %s", err)
            temporary.unlink(missing_ok=True)
            raise StorageError("database_not_writable", path=str(path)) from None


def _tag(event: Event, sheet: poster.Sheet, kind: str) -> str:
    digest = hashlib.sha256(repr((sheet, kind)).encode()).hexdigest()[:16]
    return f'"{event.id}-{event.version}-{digest}"'


def _times(event: Event) -> str:
    """"17:00–19:00" in the event's zone (with the end's day if it ends another day)."""
    start, end = event.local_start, event.local_end
    until = format_time(end) if end.date() == start.date() else format_pattern(end, _("EEE dd MMM HH:mm"))
    # Translators: an event's start and end times: "17:00–19:00".
    return ltr(_("{start}–{end}").format(start=format_time(start), end=until))  # never "19:00–17:00" in Arabic


def _times_in_zone(event: Event) -> str:
    # Translators: an event's times and the name of its zone: "17:00–19:00 (New York Time)".
    return _("{times} ({zone})").format(times=_times(event), zone=zone_name(event.timezone))


def _when(event: Event) -> str:
    """"Thursday 23 September 2027, 17:00–19:00 (New York Time)": the day and times in the venue's zone."""
    # Translators: an event's day, then its times and zone: "Thursday 23 September 2027, 17:00–19:00 (New York Time)".
    return _("{day}, {times}").format(day=long_date(event.local_start), times=_times_in_zone(event))


def _place_lines(event: Event) -> tuple[str, ...]:
    """Room, venue, address; "Online" (and "Also online" for hybrid events); or "Place to be announced"."""
    lines = []
    if event.room and event.venue:
        lines += [event.room.name, event.venue.name] + ([event.venue.address] if event.venue.address else [])
    if event.format == "online" or (not lines and (event.online_url or event.format == "hybrid")):
        lines.append(_("Online"))
    elif event.format == "hybrid":
        lines.append(_("Also online"))
    return tuple(lines) or (_("Place to be announced"),)


def _place_line(event: Event) -> str:
    """The place in one line: ``Event.place``, the one wording of pages and calendar files."""
    return event.place


def _checked_logo(image) -> bytes:
    """The upload as a PNG of at most ``LOGO_KEPT_SIDE`` pixels, judged by its bytes (never its name)."""
    from PIL import Image

    if not isinstance(image, (bytes, bytearray, memoryview)) or not image:
        raise ValidationError("logo_not_an_image", field="logo")
    limits = dict(field="logo", max_kb=LOGO_MAX_BYTES // 1000, max_side=LOGO_MAX_SIDE)
    if len(image) > LOGO_MAX_BYTES:
        raise ValidationError("logo_too_large", **limits)
    try:
        picture = Image.open(io.BytesIO(bytes(image)), formats=("PNG", "JPEG"))
    except Exception:  # noqa: BLE001 - not a PNG or JPEG, whatever it is called
        raise ValidationError("logo_not_an_image", field="logo") from None
    if max(picture.size) > LOGO_MAX_SIDE or min(picture.size) < 1:
        raise ValidationError("logo_too_large", **limits)
    try:
        picture.load()
        picture = picture.convert("RGBA")
        picture.thumbnail((LOGO_KEPT_SIDE, LOGO_KEPT_SIDE))
        out = io.BytesIO()
        picture.save(out, format="PNG", optimize=True)  # re-encoded: no metadata, nothing but pixels
    except Exception:  # noqa: BLE001 - truncated or damaged
        raise ValidationError("logo_not_an_image", field="logo") from None
    return out.getvalue()
