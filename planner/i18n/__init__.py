"""Translation: gettext catalogues compiled by Babel, one active language per context.

Streamlit serves every session from threads of one process, so no translator is installed
globally (``gettext.install`` would make one session's language everyone's). The active
language lives in a ``ContextVar``: a page run (``activate`` at the top of each run and each
fragment), an HTTP request, or a message being rendered for someone (``with using(code):``)
sets it, and everything that produces text a person reads calls ``_()`` / ``ngettext()``.

Strings that must be known before a language is (labels in module-level tables, refusal
sentences in ``planner/codes.py``) are marked with ``N_()``, which returns a ``Lazy``: it
turns into the active language's text when it is formatted or passed to ``str()``.

Catalogues: ``planner/i18n/messages.pot`` is extracted from the source with Babel;
``locale/<code>/LC_MESSAGES/messages.po`` holds a language's translations and ``.mo`` its
compiled form (what runs). ``python -m planner.i18n.catalog`` extracts, updates and compiles;
the README's developer notes say when. ``PSEUDO`` is a made-up language that wraps every
translated string in ⟦ ⟧, so a test can see any text on a page that was not marked.
"""

from __future__ import annotations

import gettext as _gettext
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from babel import Locale, UnknownLocaleError
from babel import dates as _dates
from babel import numbers as _numbers
from babel.support import Translations

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "en"
PSEUDO = "en-XA"  # the pseudo language: English wrapped in ⟦ ⟧, dates and numbers as English
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

# The languages of the issue (#13), each named in itself, as a switcher lists them. A language is
# offered once its catalogue is compiled (``available()``); English always is.
NAMES = {"en": "English", "es": "Español", "fr": "Français", "ar": "العربية", "zh": "中文", "ru": "Русский"}
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}

_active: ContextVar[str] = ContextVar("planner_language", default=DEFAULT)


class _Pseudo(_gettext.NullTranslations):
    """Every marked string comes back wrapped in ⟦ ⟧: what is left outside on a page was
    never marked for translation (or is data a person typed)."""

    def __init__(self, english: _gettext.NullTranslations):
        super().__init__()
        self._english = english

    def gettext(self, message: str) -> str:
        return f"{PSEUDO_OPEN}{self._english.gettext(message)}{PSEUDO_CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{PSEUDO_OPEN}{self._english.ngettext(singular, plural, n)}{PSEUDO_CLOSE}"


def available() -> list[str]:
    """The languages with a compiled catalogue, default first."""
    return list(_compiled())


@lru_cache(maxsize=1)
def _compiled() -> tuple[str, ...]:
    """Looked up on the disk once per process (every page run asks, several times): catalogues
    change with a deployment, which restarts the server. ``catalog.update`` clears it."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT, *(code for code in found if code != DEFAULT))


@lru_cache(maxsize=256)
def _negotiate(code: str, supported: tuple[str, ...]) -> str:
    """The supported language closest to a browser's ``code`` ("en-US", "fr-CA"): CLDR's
    negotiation, once per code (every page run of a browser asks with the same one)."""
    found = Locale.negotiate([code.replace("-", "_")], [c.replace("-", "_") for c in supported], sep="_")
    return str(found).replace("_", "-") if found else DEFAULT


@lru_cache(maxsize=None)
def translations(code: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language (loaded once per process)."""
    if code == PSEUDO:
        return _Pseudo(translations(DEFAULT))
    loaded = Translations.load(str(LOCALE_DIR), [code], DOMAIN)
    return loaded


def normalize(code: str | None) -> str:
    """The supported language closest to ``code`` ("fr-CA" → "fr" once French exists,
    anything unknown → English). The pseudo language is only ever chosen by name."""
    if not code or not isinstance(code, str):
        return DEFAULT
    code = code.strip().replace("_", "-")
    if code == PSEUDO:
        return PSEUDO
    supported = available()
    if code in supported:
        return code
    return _negotiate(code, tuple(supported))


def activate(code: str | None) -> str:
    """Make ``code`` (normalized) the language of this context: this page run, this
    request. Returns the language chosen."""
    chosen = normalize(code)
    _active.set(chosen)
    return chosen


@contextmanager
def using(code: str | None) -> Iterator[str]:
    """``with using("fr"):`` — text made inside is in that language (a message rendered for
    its recipient), and the language before is back afterwards."""
    token = _active.set(normalize(code))
    try:
        yield _active.get()
    finally:
        _active.reset(token)


def current() -> str:
    return _active.get()


def name(code: str) -> str:
    """A language's name in itself ("Español"), as a switcher shows it."""
    return NAMES.get(code, code)


def is_rtl(code: str | None = None) -> bool:
    """True when ``code`` (the active language by default) is written right to left. Only a
    language with a catalogue is ever active, so Arabic turns the page around once its catalogue
    exists, never around English text."""
    code = current() if code is None else code
    return code.split("-")[0].split("_")[0] in RIGHT_TO_LEFT


def direction(code: str | None = None) -> str:
    """"rtl" or "ltr", for an HTML ``dir`` attribute."""
    return "rtl" if is_rtl(code) else "ltr"


LRI, PDI = "\u2066", "\u2069"  # Unicode's left-to-right isolate and its end


def ltr(text: str) -> str:
    """``text`` kept left to right inside a right-to-left sentence (a ticket code, an email, a
    link): wrapped in Unicode's isolate marks, which work in Markdown, plain text and mail alike.
    Unchanged in a left-to-right language."""
    return f"{LRI}{text}{PDI}" if is_rtl() and text else text


FSI = "\u2068"  # Unicode's first-strong isolate: the text takes the direction of its own first letter


def typed(text: str) -> str:
    """What a person typed (a title, a name, a reason), kept in its own direction inside a
    right-to-left sentence: an English title's quotes and brackets stay at its ends, an Arabic
    name in an English one likewise. Unchanged in a left-to-right language (the pages' HTML
    isolates such text with ``dir="auto"`` instead, where it can)."""
    return f"{FSI}{text}{PDI}" if is_rtl() and text else text


def in_address(url: str, code: str | None = None) -> str:
    """``url`` with ``lang=<code>`` (the active language by default) added to its query, so a page
    opened from it (a new session, a mail app, a calendar) speaks that language; English, the
    default, adds nothing. An existing ``lang`` is replaced."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    code = current() if code is None else code
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    if code and code != DEFAULT:
        query.append(("lang", code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def locale() -> Locale:
    """The Babel locale for dates and numbers in the active language."""
    return _babel_locale(current())


# Dates and numbers in English follow international (British) usage, as UN documents do:
# "Tue 20 Oct", a 24-hour clock. Other languages use their own CLDR data.
_FORMATS_OF = {DEFAULT: "en_GB", PSEUDO: "en_GB"}


@lru_cache(maxsize=None)
def _babel_locale(code: str) -> Locale:
    try:
        return Locale.parse(_FORMATS_OF.get(code, code).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)


def _(message: str | "Lazy") -> str:
    """``message`` in the active language."""
    return translations(current()).gettext(str(message.msgid if isinstance(message, Lazy) else message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for ``n``, as the active language counts."""
    return translations(current()).ngettext(singular, plural, n)


class Lazy:
    """A marked string translated when it is used (formatted, or passed to ``str()``), in
    the language active then, with its ``params`` filled in. Equal when text and params are."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: dict | None = None):
        self.msgid = msgid
        self.params = params or {}

    def format(self, **params) -> "Lazy":
        """The same sentence with values for its ``{names}``, still translated late."""
        return Lazy(self.msgid, {**self.params, **params})

    def __str__(self) -> str:
        text = _(self.msgid)
        if self.params:
            from ..codes import show

            text = text.format(**{k: show(v) for k, v in self.params.items()})
        return text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"N_({self.msgid!r})" + (f".format(**{self.params!r})" if self.params else "")

    def __eq__(self, other) -> bool:
        return isinstance(other, Lazy) and (other.msgid, other.params) == (self.msgid, self.params)

    def __hash__(self) -> int:
        return hash(self.msgid)


def N_(message: str) -> Lazy:
    """Mark ``message`` for translation now, translate it when it is used."""
    return Lazy(message)


# ---------------------------------------------------------------------- dates and numbers
# Babel formats from CLDR, in the active language: "Thursday 23 September 2027" in English,
# "jeudi 23 septembre 2027" in French. Pass aware datetimes already in the zone to show.


def format_date(value: date | datetime, format: str = "full") -> str:
    """A day: ``format`` is "short", "medium", "long", "full" or a CLDR pattern."""
    return _dates.format_date(value, format=format, locale=locale())


def format_time(value: datetime | time) -> str:
    """A time of day on a 24-hour clock, as the language writes one ("17:00"), in the value's
    own zone (summit programmes are read across zones: no am/pm to mistake)."""
    return format_skeleton("Hm", value)


def format_datetime(value: datetime, format: str = "medium") -> str:
    return _dates.format_datetime(value, format=format, tzinfo=value.tzinfo, locale=locale())


def format_pattern(value: date | datetime, pattern: str) -> str:
    """A date in an explicit CLDR pattern; pass a pattern marked for translation
    (``_("EEE d MMM y HH:mm")``) so each language can order the fields its own way."""
    if isinstance(value, datetime):
        return _dates.format_datetime(value, pattern, tzinfo=value.tzinfo, locale=locale())
    return _dates.format_date(value, pattern, locale=locale())


def format_skeleton(skeleton: str, value: date | datetime) -> str:
    """A date in the language's own order for the fields of ``skeleton`` ("MMMEd": "Thu, Sep 23")."""
    tzinfo = value.tzinfo if isinstance(value, datetime) else None
    return _dates.format_skeleton(skeleton, value, tzinfo=tzinfo, locale=locale())


# The long date of a day heading: English keeps the house form ("Thursday 23 September 2027");
# every other language takes CLDR's full date ("jueves, 23 de septiembre de 2027", "jeudi 23
# septembre 2027", "2027年9月23日星期四"), which needs no translator to get right.
_LONG_DATE = {DEFAULT: "EEEE d MMMM y", PSEUDO: "EEEE d MMMM y"}
# Babel keeps the last of CLDR's regionFormat variants, which for Russian is the summer-time one
# ("{0}, летнее время"): the plain one is the city alone. English: CLDR's "{0} Time" reads as a
# proper name; in a sentence people write "Lima time", "New York time" (issue #16).
_REGION_FORMAT = {"ru": "%s", "en": "%s time"}


def long_date(value: date | datetime) -> str:
    """A day in full, weekday first, as the language writes it."""
    return format_date(value, _LONG_DATE.get(current(), "full"))


def time_range(start: datetime, end: datetime, zone) -> str:
    """"17:00–19:00 New York time": an event's times on its own clock (``start`` and ``end``
    in its zone), its zone named for people (CLDR, issue #16), with the end's day when it ends
    another day."""
    if end.date() == start.date():
        until = format_time(end)
    else:
        # Translators: a CLDR date and time pattern: when an event ends, on another day than it starts.
        until = format_pattern(end, _("EEE dd MMM HH:mm"))
    # Translators: an event's times in its own zone, e.g. "17:00–19:00 New York time" ({zone} is the zone's name).
    return _("{start}–{end} {zone}").format(start=format_time(start), end=until, zone=zone_name(zone))


def zone_name(zone) -> str:
    """A time zone as people name it in the active language, from CLDR's city names: "New York
    time", "hora de Nueva York", "heure : New York", "توقيت نيويورك", "纽约时间" — instead of
    "America/New_York" or "UTC-05". ``zone`` is a tz name, a ``ZoneInfo`` or an aware datetime."""
    key = getattr(zone, "key", None) or getattr(getattr(zone, "tzinfo", None), "key", None) or str(zone)
    if key.upper() in ("UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z"):
        return "UTC"
    try:
        city = _dates.get_timezone_location(key, locale=locale(), return_city=True)
    except (LookupError, ValueError):
        return key
    pattern = _REGION_FORMAT.get(current().split("-")[0]) or locale().zone_formats.get("region") or "%s"
    return pattern % city


def day_mark(days: int) -> str:
    """"(+1 day)", "(+2 days)", "(−1 day)": how far a time shown in another zone lies from the
    day it is listed under; "" for the same day. Plural-safe (``ngettext``)."""
    if days == 0:
        return ""
    count = format_number(abs(days))
    if days > 0:
        # Translators: after a time that falls on the next day(s) in the viewer's zone: "00:00 (+1 day)".
        return ngettext("(+{count} day)", "(+{count} days)", abs(days)).format(count=count)
    # Translators: after a time that falls on the day(s) before in the viewer's zone: "23:00 (−1 day)".
    return ngettext("(−{count} day)", "(−{count} days)", abs(days)).format(count=count)


def own_time_range(starts_at: datetime, ends_at: datetime, event_zone, viewer_zone) -> str | None:
    """An event's times on the viewer's own clock, marked with the day they fall on when it is
    not the day the event is listed under (its day in its own zone): "21:00–00:00 (+1 day) your
    time", "01:00–02:00 (+1 day) your time", "23:00 (−1 day)–01:00 your time". None when the
    viewer's clock reads as the event's (``times.own_times``)."""
    from .. import times

    own = times.own_times(starts_at, ends_at, event_zone, viewer_zone)
    if own is None:
        return None
    start, end = format_time(own.start), format_time(own.end)
    if own.start_days == own.end_days:
        end = f"{end} {day_mark(own.end_days)}".rstrip()
    else:
        start = f"{start} {day_mark(own.start_days)}".rstrip()
        end = f"{end} {day_mark(own.end_days)}".rstrip()
    # Translators: an event's times on the viewer's own clock: "21:00–00:00 (+1 day) your time".
    return _("{start}–{end} your time").format(start=start, end=end)


def format_when(start: datetime, end: datetime) -> str:
    """An event's day and times in its own zone, named in the language: "Thursday 23 September
    2027, 17:00–19:00 (New York time)", "jueves, 23 de septiembre de 2027, 17:00–19:00 (hora de
    Nueva York)". ``start`` and ``end`` are aware and in the event's zone."""
    # Translators: an event's day, times and zone: "Thursday 23 September 2027, 17:00–19:00 (New York time)".
    return _("{day}, {start}–{end} ({zone})").format(
        day=long_date(start), start=format_time(start), end=end_time_marked(start, end), zone=zone_name(start))


def end_time_marked(start: datetime, end: datetime) -> str:
    """The end's time, marked with its day when it is after the start's ("00:00 (+1 day)")."""
    return f"{format_time(end)} {day_mark((end.date() - start.date()).days)}".rstrip()


def format_number(value: int | float) -> str:
    """A number with the language's grouping ("1,000" in English, "1 000" in French)."""
    return _numbers.format_decimal(value, locale=locale())


def format_list(items: list[str], style: str = "standard") -> str:
    """"A, B and C" in the active language."""
    from babel.lists import format_list as _format_list

    return _format_list(list(items), style=style, locale=locale()) if items else ""
