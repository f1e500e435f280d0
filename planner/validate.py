"""Checks on what people type, each failing with a message they can act on.

Every check raises ``ValidationError`` naming the field, and runs before anything is
written, so refused input changes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import ValidationError
from .text import clean, has_control_characters, has_visible_characters

TITLE_MAX = 200
NAME_MAX = 200
DESCRIPTION_MAX = 20_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def text(
    value, field: str, label: str, *, required: bool = True, max_length: int = NAME_MAX, one_line: bool = True
) -> str:
    """Short text: trimmed, spaces folded. Names and titles must be `one_line`; an address or a
    reason may arrive pasted over several lines and is folded onto one."""
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{label} must be text.", field)
    # Check before cleaning: clean() would turn some control characters into spaces.
    if value is not None and has_control_characters(value):
        raise ValidationError(f"{label} contains characters that cannot be shown.", field)
    # A one-line field holds no tabs or line breaks: "Ana\nBob" is a paste gone wrong, not a name.
    # Around the text they are only trimmed, as spaces are.
    if one_line and value is not None and _BREAKS.search(value.strip()):
        raise ValidationError(f"{label} must fit on one line (no tabs or line breaks).", field)
    value = clean(value)
    if required and not has_visible_characters(value):
        raise ValidationError(f"{label} is required.", field)
    if len(value) > max_length:
        raise ValidationError(
            f"{label} can be at most {max_length} characters long (this one has {len(value)}).", field
        )
    return value


def long_text(value, field: str, label: str, max_length: int = DESCRIPTION_MAX) -> str:
    """Multi-line text such as a description: line breaks kept, ends trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.", field)
    value = value.replace("\r\n", "\n").strip()
    if len(value) > max_length:
        raise ValidationError(
            f"{label} can be at most {max_length:,} characters long (this one has {len(value):,}).", field
        )
    if has_control_characters(value):
        raise ValidationError(f"{label} contains characters that cannot be shown.", field)
    return value


def timezone(value, field: str = "timezone") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Choose a time zone, such as America/New_York.", field)
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            f"“{name}” is not a time zone we know. Use a name such as America/New_York or America/Lima.",
            field,
        ) from None
    return name


def timezone_names() -> list[str]:
    """IANA zone names to pick from: the regional ones, and UTC."""
    regional = (z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return sorted(regional) + ["UTC"]


def aware(value, field: str, label: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"{label} must be a date and time.", field)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValidationError(
            f"{label} has no time zone. Give it with the venue's time zone, for example "
            "datetime(2026, 10, 23, 17, 0, tzinfo=ZoneInfo('America/New_York')).",
            field,
        )
    try:
        value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError(f"{label} is out of range: give a date between the years 1900 and 9998.", field) from None
    if not 1900 <= value.year <= 9998:
        raise ValidationError(f"{label} is out of range: give a date between the years 1900 and 9998.", field)
    return value


def day(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label} must be a date.", field)
    if not 1900 <= value.year <= 9998:
        raise ValidationError(f"{label} is out of range: give a date between the years 1900 and 9998.", field)
    return value


def capacity(value, field: str = "capacity", *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationError("Give a capacity of at least 1.", field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("Capacity must be a whole number.", field)
    if value < 1:
        raise ValidationError("Capacity must be at least 1.", field)
    if value > 1_000_000:
        raise ValidationError("Capacity can be at most 1,000,000.", field)
    return value


def web_link(value, field: str = "online_url") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("The online link must be text.", field)
    value = value.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise ValidationError(
            "The online link must be a web address starting with https:// (or http://).", field
        )
    if len(value) > 2000:
        raise ValidationError("The online link is too long (at most 2,000 characters).", field)
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
        raise ValidationError(
            f"The base URL “{value}” must be a web address such as https://events.example.org "
            "(http:// or https://, no ?query or #fragment).",
            field,
        )
    return f"{parts.scheme.lower()}://{text.split('://', 1)[1]}"


def email(value, field: str = "email", *, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("An email address is required.", field)
        return None
    if not isinstance(value, str):
        raise ValidationError("The email address must be text.", field)
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValidationError(f"“{value}” does not look like an email address.", field)
    return value.lower()


def choice(value, options: tuple[str, ...], field: str, what: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in options:
        listed = ", ".join(options[:-1]) + f" or {options[-1]}"
        raise ValidationError(f"“{value}” is not a {what}. Choose {listed}.", field)
    return value.strip().lower()
