"""Checks on what people type, each failing with a message they can act on.

Every check raises ``ValidationError`` with a code from ``codes.MESSAGES`` naming the field,
and runs before anything is written, so refused input changes nothing. ``label`` is the
field's name as a form shows it, marked for translation (``N_("Title")``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

from . import times
from .errors import NotFound, ValidationError
from .i18n import Lazy
from .text import clean, has_control_characters, has_visible_characters

TITLE_MAX = 200
NAME_MAX = 200
DESCRIPTION_MAX = 20_000
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def text(
    value, field: str, label: Lazy, *, required: bool = True, max_length: int = NAME_MAX, one_line: bool = True
) -> str:
    """Short text: trimmed, spaces folded. Names and titles must be `one_line`; an address or a
    reason may arrive pasted over several lines and is folded onto one."""
    if value is not None and not isinstance(value, str):
        raise ValidationError("not_text", field=field, label=label)
    # Check before cleaning: clean() would turn some control characters into spaces.
    if value is not None and has_control_characters(value):
        raise ValidationError("unprintable", field=field, label=label)
    # A one-line field holds no tabs or line breaks: "Ana\nBob" is a paste gone wrong, not a name.
    # Around the text they are only trimmed, as spaces are.
    if one_line and value is not None and _BREAKS.search(value.strip()):
        raise ValidationError("not_one_line", field=field, label=label)
    value = clean(value)
    if required and not has_visible_characters(value):
        raise ValidationError("required", field=field, label=label)
    if len(value) > max_length:
        raise ValidationError("too_long", field=field, label=label, max=max_length, length=len(value))
    return value


def long_text(value, field: str, label: Lazy, max_length: int = DESCRIPTION_MAX) -> str:
    """Multi-line text such as a description: line breaks kept, ends trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("not_text", field=field, label=label)
    value = value.replace("\r\n", "\n").strip()
    if len(value) > max_length:
        raise ValidationError("too_long", field=field, label=label, max=max_length, length=len(value))
    if has_control_characters(value):
        raise ValidationError("unprintable", field=field, label=label)
    return value


def timezone(value, field: str = "timezone", *, stored: str | None = None) -> str:
    """A place's IANA time zone (``times.zone_names``). ``stored``: the zone the record already
    has, accepted as it is, so a name refused since it was saved never blocks another change."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("timezone_required", field=field)
    name = value.strip()
    if name == stored:
        return name
    if name in times.current_names():
        raise ValidationError("timezone_renamed", field=field, name=name, current=times.current_names()[name])
    if name not in times.zone_names():
        known = name in available_timezones()  # localtime, Factory, EST5EDT, Etc/GMT+5 …
        raise ValidationError("timezone_not_a_place" if known else "timezone_unknown", field=field, name=name[:100])
    return name


def timezone_names(stored: str | None = None) -> list[str]:
    """The zones to pick from (the ones ``timezone`` accepts), UTC last; ``stored`` first if it
    is an older name the record still has, so editing the record does not change it unseen."""
    names = sorted(times.zone_names() - {"UTC"}) + ["UTC"]
    return [stored, *names] if stored and stored not in names else names


def aware(value, field: str, label: Lazy) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError("not_datetime", field=field, label=label)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValidationError("naive_datetime", field=field, label=label)
    try:
        value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError("date_out_of_range", field=field, label=label) from None
    if not 1900 <= value.year <= 9998:
        raise ValidationError("date_out_of_range", field=field, label=label)
    times.refuse_skipped(value, field)
    return value


def day(value, field: str, label: Lazy) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("not_date", field=field, label=label)
    if not 1900 <= value.year <= 9998:
        raise ValidationError("date_out_of_range", field=field, label=label)
    return value


def capacity(value, field: str = "capacity", *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationError("capacity_required", field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("capacity_not_whole", field=field)
    if value < 1:
        raise ValidationError("capacity_too_small", field=field)
    if value > 1_000_000:
        raise ValidationError("capacity_too_large", field=field, max=1_000_000)
    return value


# Characters a web address never needs unescaped (RFC 3986 has them percent-encoded) that
# would end a Markdown link or an HTML attribute early: "https://a.example/)![o](…)".
LINK_BREAKERS = frozenset("()[]<>\"'`\\{}|^")


def web_link(value, field: str = "online_url") -> str | None:
    """An http(s) address to open (an online event's link), or None when blank. It is shown
    as a link on pages and in calendars, so anything that could break out of one is refused:
    white space and control characters anywhere, the characters in ``LINK_BREAKERS`` (give
    them percent-encoded: %28 for "("), other schemes (javascript:, data:), a missing or
    malformed host."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("link_not_text", field=field)
    value = value.strip()
    if not value:
        return None
    if len(value) > 2000:
        raise ValidationError("link_too_long", field=field, max=2000)
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValidationError("link_unprintable", field=field)
    bad = next((ch for ch in value if ch in LINK_BREAKERS), None)
    if bad is not None:
        raise ValidationError("link_bad_character", field=field, value=bad)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ValidationError("link_not_web", field=field) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError("link_not_web", field=field)
    return value


def base_url(value, field: str = "base_url") -> str:
    """Where the app is reached (PLANNER_BASE_URL): every link in calendars, tickets and door
    passes starts with it, so a typo must stop the start, not print broken links."""
    text = value.strip().rstrip("/") if isinstance(value, str) else ""
    parts = urlsplit(text)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or any(ch.isspace() or not ch.isprintable() for ch in text)  # urlsplit drops tabs silently
    ):
        raise ValidationError("base_url_invalid", field=field, value=value)
    return f"{parts.scheme.lower()}://{text.split('://', 1)[1]}"


def email(value, field: str = "email", *, required: bool = True, own: bool = False) -> str | None:
    """An email address, checked for syntax by email-validator (no network look-ups), trimmed
    and lower-cased so one person is one address. ``own``: the person's own address (an RSVP),
    refused in the second person ("Please give your email address.")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("your_email_required" if own else "email_required", field=field)
        return None
    if not isinstance(value, str):
        raise ValidationError("email_not_text", field=field)
    value = value.strip()
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        if own:
            raise ValidationError("your_email_invalid", field=field) from None
        raise ValidationError("email_invalid", field=field, value=value[:254]) from None
    return checked.normalized.lower()


def choice(value, options: tuple[str, ...], field: str, label: Lazy, labels: dict | None = None) -> str:
    """One of ``options`` (codes), case and outer spaces ignored."""
    if not isinstance(value, str) or value.strip().lower() not in options:
        shown = [str(labels[o]) if labels and o in labels else o for o in options]
        raise ValidationError("not_a_choice", field=field, label=label, value=str(value)[:100], choices=shown)
    return value.strip().lower()


def id(value) -> int:
    """Ids are whole numbers; digit strings (from URLs) are accepted too.

    Anything SQLite cannot hold as an integer (2**63 and up) names nothing, so it is
    NotFound here rather than an OverflowError from the driver.
    """
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 19:
        number = int(value)
    if number is None or not 0 <= number < 2**63:
        raise NotFound("bad_id", value=str(value)[:40])
    return number
