"""The programme to embed in a partner's page (``/embed``, issue #14): one small HTML document.

Written for an ``<iframe>`` on someone else's site, so it is everything in one response: no
navigation, its own few lines of CSS, no font, image or script from anywhere (the route's
Content-Security-Policy forbids them), readable at 320 px, right to left in Arabic (logical CSS
properties only). Times are the venue's wall clock with the zone named, days as each event's
venue counts them; upcoming events first (soonest first), then ended ones under their own
heading (latest first). Each title opens the event's page in a new tab. Names and titles are
data people typed: every one is escaped here, and marked ``dir="auto"`` so an English title
reads right inside an Arabic page and the other way round.

The one script, ``HEIGHT_SCRIPT``, tells the page around it how tall the programme is
(``postMessage({type: "side-events:height", height})``) whenever that changes, so the
README's snippet can fit the frame to it; without script the frame keeps the height the
snippet gives it and scrolls inside. The route allows that script by its hash, and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from urllib.parse import quote
from itertools import groupby

from ..codes import EVENT_STATUS_LABELS, FORMAT_LABELS, ORGANIZATION_ROLE_LINES, label
from ..i18n import _, direction, format_number, format_time, in_address, long_date, ngettext, zone_name
from ..models import Event
from .calendar import event_url

MESSAGE_TYPE = "side-events:height"
HEIGHT_SCRIPT = (
    "(function(){var last=0;function tell(){var h=Math.ceil(document.body.getBoundingClientRect().height);"
    "if(h!==last&&window.parent!==window){last=h;window.parent.postMessage({type:\"" + MESSAGE_TYPE + "\","
    "height:h},\"*\");}}window.addEventListener(\"load\",tell);window.addEventListener(\"resize\",tell);"
    "if(window.ResizeObserver){new ResizeObserver(tell).observe(document.body);}tell();})();"
)
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(HEIGHT_SCRIPT.encode()).digest()).decode()
# What the route sends with every answer: framing by any site, and nothing loaded or run but
# this document's own style and its one script.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)
AUTO = ' dir="auto"'  # text people typed, in whichever script they typed it
NAMES_SHOWN = 4  # names of one role on an event's line before "and 3 more"

_STYLE = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;padding:12px 14px;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Noto Sans Arabic","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.15rem;line-height:1.3;margin:0 0 2px}
.sub{margin:0 0 8px;color:#57606a}
h2{font-size:1rem;margin:16px 0 6px;padding-bottom:4px;border-bottom:2px solid #d0d7de}
h3{font-size:.85rem;font-weight:600;text-transform:none;color:#57606a;margin:12px 0 4px}
ul{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-bottom:1px solid #eaeef2}
li:last-child{border-bottom:0}
p{margin:0}
.when{font-size:.9rem;color:#57606a}
.when strong{color:#1f2328;font-variant-numeric:tabular-nums}
a{color:#0b57d0}
a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px;border-radius:2px}
.title{font-weight:600;font-size:1rem;text-decoration:none}
.title:hover{text-decoration:underline}
.meta{font-size:.88rem;color:#57606a}
.badge{display:inline-block;font-size:.75rem;line-height:1.4;padding:0 6px;border-radius:8px;background:#eaeef2;
color:#1f2328;margin-inline-start:6px;white-space:nowrap}
.cancelled .badge.status{background:#ffebe9;color:#a40e26}
.cancelled .title{color:#57606a}
.past li{opacity:.85}
.empty{color:#57606a;padding:6px 0}
footer{margin-top:12px;padding-top:8px;border-top:1px solid #eaeef2;font-size:.88rem;display:flex;flex-wrap:wrap;
gap:4px 16px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"""

_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>{title}</title>
<style>{style}</style></head>
<body>
{body}
<script>{script}</script>
</body></html>
"""


SNIPPET = """<iframe src="{src}"
        title="{title}" loading="lazy" style="width: 100%; height: 640px; border: 0"></iframe>
<script>
  // Fits the frame to the programme: it tells its height whenever that changes.
  window.addEventListener("message", function (event) {{
    if (event.origin !== "{origin}" || !event.data || event.data.type !== "side-events:height") return;
    document.querySelectorAll("iframe").forEach(function (frame) {{
      if (frame.contentWindow === event.source) frame.style.height = Math.min(event.data.height, 20000) + "px";
    }});
  }});
</script>
"""


def snippet(base_url: str, query: dict[str, str], title: str) -> str:
    """The HTML a partner pastes into their page (the README's, with this site's address): the
    frame, and the few lines that fit its height to the programme's, from this site only."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    src = f"{base_url.rstrip('/')}/embed" + ("?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items()) if query else "")
    return SNIPPET.format(src=escape(src), title=escape(title), origin=origin)


def _new_tab(url: str, text: str, css: str = "", attributes: str = "") -> str:
    """A link that opens in a new tab (the partner's page stays), saying so to screen readers."""
    css = f' class="{css}"' if css else ""
    # Translators: read out by screen readers after a link of the embedded programme.
    hint = escape(_("(opens in a new tab)"))
    return (f'<a{css}{attributes} href="{escape(url)}" target="_blank" rel="noopener">{text}'
            f'<span class="sr"> {hint}</span></a>')


def _bdi(text: str) -> str:
    """A name people typed, escaped and isolated, so it keeps its own direction inside a
    sentence of the page's language (an English name in an Arabic sentence, and the reverse)."""
    return f"<bdi>{escape(text)}</bdi>"


def _fill(template: str, **markup: str) -> str:
    """A translated sentence, escaped, with HTML already made (and escaped) in its ``{places}``."""
    return escape(template, quote=False).format(**markup)


def _names(items: list[str]) -> str:
    """"Ana, Luis, Diego, Eva and 3 more": the first items (HTML already made), then how many more."""
    # Translators: what separates the names in a list that goes on without "and" ("Ana, Luis, Diego").
    shown = escape(_(", ")).join(items[:NAMES_SHOWN])
    more = len(items) - NAMES_SHOWN
    if more <= 0:
        return shown
    return _fill(ngettext("{names} and {count} more", "{names} and {count} more", more),
                 names=shown, count=escape(format_number(more)))


def _organizations(event: Event) -> str:
    lines = []
    for role in ("host", "co-sponsor", "endorser"):
        # Issue #14: the name the organization's contact gave; one only invited says so.
        names = [_fill(_("{name} (invited)"), name=_bdi(o.shown_name)) if o.invited else _bdi(o.shown_name)
                 for o in event.public_organizations_with_role(role)]
        if names:
            lines.append(_fill(_(ORGANIZATION_ROLE_LINES[role]), names=_names(names)))
    return " · ".join(lines)


def _speakers(event: Event) -> str:
    names = [
        # Translators: a speaker and the organization they come from, in a list of speakers.
        _fill(_("{name} ({affiliation})"), name=_bdi(s.name), affiliation=_bdi(s.affiliation))
        if s.affiliation else _bdi(s.name)
        for s in event.public_speakers
    ]
    if not names:
        return ""
    # Translators: the speakers of an event in the embedded programme ("Speakers: Ana Pérez (CELS), Luis Quispe").
    return _fill(_("Speakers: {names}"), names=_names(names))


def _place(event: Event) -> str:
    """Where, as ``Event.place`` says it (issue #16: the address ends the place, "— and online"
    after it), with what people typed isolated in its own direction."""
    if event.format != "online" and event.room and event.venue:
        where = _bdi(", ".join(p for p in (event.room.name, event.venue.name, event.venue.address) if p))
        return _fill(_("{place} — and online"), place=where) if event.format == "hybrid" else where
    return escape(event.place)


def _item(event: Event, base_url: str) -> str:
    start, end = event.local_start, event.local_end
    # Translators: an event's times in the embedded programme, under its day: "17:00–19:00 (New York Time)".
    times = _("{start}–{end} ({zone})").format(start=format_time(start), end=format_time(end), zone=zone_name(start))
    badges = [f'<span class="badge">{escape(label(FORMAT_LABELS, event.format))}</span>']
    if event.status == "cancelled":
        badges.insert(0, f'<span class="badge status">{escape(label(EVENT_STATUS_LABELS, "cancelled"))}</span>')
    lines = [
        f'<p class="when"><strong><time datetime="{escape(event.starts_at.isoformat())}">{escape(times)}</time>'
        f'</strong>{"".join(badges)}</p>',
        f'<p>{_new_tab(event_url(base_url, event), escape(event.title), "title", AUTO)}</p>',
        f'<p class="meta">{_place(event)}</p>',
    ]
    if event.status == "cancelled" and event.cancel_reason:
        reason = _fill(_("Cancelled: {reason}"), reason=_bdi(event.cancel_reason))
        lines.append(f'<p class="meta">{reason}</p>')
    for extra in (_organizations(event), _speakers(event)):
        if extra:
            lines.append(f'<p class="meta">{extra}</p>')
    css = ' class="cancelled"' if event.status == "cancelled" else ""
    return f"<li{css}>" + "".join(lines) + "</li>"


def _days(events: list[Event], base_url: str) -> str:
    parts = []
    for _day, group in groupby(events, key=lambda e: e.local_start.date()):
        group = list(group)
        parts.append(f"<h3>{escape(long_date(group[0].local_start))}</h3>")
        parts.append("<ul>" + "".join(_item(e, base_url) for e in group) + "</ul>")
    return "".join(parts)


def _heading(feed) -> tuple[str, str, str]:
    """The page's title as text, its heading and the line under it as HTML: the summit's name, else
    "Side events"; for one organization's events, "Side events with …" under a summit's name, or as
    the heading without a summit."""
    title = feed.summit.name if feed.summit else _("Side events")
    heading = f'<h1 dir="auto">{escape(title)}</h1>' if feed.summit else f"<h1>{escape(title)}</h1>"
    if not feed.organization:
        return title, heading, ""
    # Translators: the embedded programme's title (or the line under a summit's name) when it shows one
    # organization's events: "Side events with Global Coalition on Migration (GCM)".
    template = _("Side events with {organization}")
    with_organization = _fill(template, organization=_bdi(feed.organization.name))
    if feed.summit:
        return title, heading, f'<p class="sub">{with_organization}</p>'
    return template.format(organization=feed.organization.name), f"<h1>{with_organization}</h1>", ""


def html(feed, base_url: str, calendar_url: str) -> str:
    """The embeddable programme of a ``ProgrammeFeed`` (see the module's docstring);
    ``calendar_url`` is the calendar feed of the same filters, linked at the bottom."""
    base = base_url.rstrip("/")
    title, heading, sub = _heading(feed)
    nothing, upcoming_title, none_upcoming = (_("No side events have been published here yet."), _("Upcoming events"),
                                              _("No upcoming events. Past events are below."))
    past_title, full, add = _("Past events"), _("Full programme"), _("Add to my calendar (.ics)")
    body = ["<header>", heading, sub, "</header><main>"]
    upcoming, past = feed.upcoming, feed.past
    if not feed.events:
        body.append(f'<p class="empty">{escape(nothing)}</p>')
    else:
        body.append(f'<section aria-labelledby="upcoming"><h2 id="upcoming">{escape(upcoming_title)}</h2>')
        body.append(_days(upcoming, base) if upcoming else f'<p class="empty">{escape(none_upcoming)}</p>')
        body.append("</section>")
        if past:
            body.append(f'<section class="past" aria-labelledby="past"><h2 id="past">{escape(past_title)}</h2>')
            body.append(_days(past, base) + "</section>")
    body.append("</main><footer>")
    body.append(_new_tab(in_address(f"{base}/"), escape(full)))
    body.append(_new_tab(calendar_url, escape(add)))
    body.append("</footer>")
    return _PAGE.format(lang=escape(feed.language), dir=direction(feed.language), title=escape(title),
                        style=_STYLE, body="\n".join(b for b in body if b), script=HEIGHT_SCRIPT)


def not_found(language: str, message: str) -> str:
    """A short page for a programme that cannot be shown (an unknown summit or organization)."""
    title = _("Programme not found")
    # Translators: on the embedded programme's "not found" page, for whoever pasted the frame's address.
    hint = _("Check the summit's number and the organization's name in the address of the frame.")
    body = f'<h1>{escape(title)}</h1><p>{escape(message)}</p><p class="sub">{escape(hint)}</p>'
    return _PAGE.format(lang=escape(language), dir=direction(language), title=escape(title), style=_STYLE, body=body,
                        script=HEIGHT_SCRIPT)
