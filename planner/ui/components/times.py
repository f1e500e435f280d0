"""Dates and times as people read them: in the active language (Babel, CLDR data), in the
event's own zone, and in the viewer's when that differs.

Each format that no CLDR skeleton reproduces is a pattern marked for translation, so every
language can order the fields its own way; English uses en_GB data ("Tue 20 Oct", 24-hour
clock). Zones are named for people ("Lima time", "hora de Nueva York": CLDR through Babel) on
the public pages; zone abbreviations ("EDT", "UTC-05"), data from the tz database, remain only
on the organizers' tables and logs.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from babel.dates import get_timezone_name

from planner import Event
from planner import i18n
from planner.i18n import _, format_pattern, format_skeleton, format_time, locale


def viewer_zone() -> ZoneInfo | None:
    """The browser's own time zone, when it tells us one we know."""
    name = st.context.timezone
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_abbreviation(moment: datetime) -> str:
    """"EDT", or "UTC-05" for zones without a letter abbreviation (America/Lima)."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name


def zone_name(zone) -> str:
    """"New York Time", "hora de Nueva York": the zone named in the active language (CLDR)."""
    return i18n.zone_name(zone)


def zone_long_name(moment: datetime) -> str:
    """"Eastern Daylight Time", "heure normale de l’Est nord-américain": the zone's name at
    that moment in the active language (CLDR), which tells summer time from winter time."""
    return get_timezone_name(moment, "long", locale=locale())


def clock(moment: datetime) -> str:
    """"17:00", in the moment's own zone."""
    return format_time(moment)


def clock_seconds(moment: datetime) -> str:
    """"17:00:05", in the moment's own zone."""
    return format_skeleton("Hms", moment)


def long_date(moment: date) -> str:
    """"Thursday 23 September 2027", "jueves, 23 de septiembre de 2027" (CLDR's full date)."""
    return i18n.long_date(moment)


def short_date(moment: date) -> str:
    """"Tue 6 Oct 2026" (a day to choose in a filter)."""
    # Translators: a CLDR date pattern (EEE short weekday, d day, MMM short month, y year).
    return format_pattern(moment, _("EEE d MMM y"))


def table_date(moment: date) -> str:
    """"Tue 06 Oct 2026" (a column of dates that line up)."""
    # Translators: a CLDR date pattern for a table column (dd is a two-digit day).
    return format_pattern(moment, _("EEE dd MMM y"))


def short_day(moment: datetime) -> str:
    """"Tue 06 Oct" (the day of a time that is not the day shown around it)."""
    # Translators: a CLDR date pattern (EEE short weekday, dd two-digit day, MMM short month).
    return format_pattern(moment, _("EEE dd MMM"))


def day_and_time(moment: datetime) -> str:
    """"06 Oct 17:00" (an event in a picker, when someone registered)."""
    # Translators: a CLDR date and time pattern (dd day, MMM short month, HH:mm 24-hour time).
    return format_pattern(moment, _("dd MMM HH:mm"))


def weekday_and_time(moment: datetime) -> str:
    """"Tue 06 Oct, 17:00" (when an event starts, under its title at the door)."""
    # Translators: a CLDR date and time pattern (EEE short weekday, dd day, MMM short month, HH:mm 24-hour time).
    return format_pattern(moment, _("EEE dd MMM, HH:mm"))


def time_range(event: Event) -> str:
    """"17:00–19:00 New York time" in the event's own zone (``i18n.time_range``, which the plain
    HTML event page uses too)."""
    return i18n.time_range(event.local_start, event.local_end, event.timezone)


def viewer_time_range(event: Event, zone: ZoneInfo | None) -> str | None:
    """The same times on the viewer's clock, marked with the day when it is not the event's
    ("21:00–00:00 (+1 day) your time"), or None when the clocks there read the same. The rule
    is the domain's (``planner.times.own_times``, ``i18n.own_time_range``)."""
    return i18n.own_time_range(event.starts_at, event.ends_at, event.zone, zone)
