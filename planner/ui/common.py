"""What every page shares: the Planner, who is signed in, and how events are shown."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from planner import Event, Planner, User
from planner.config import open_planner, settings_from_env
from planner.web import SESSION_COOKIE

ROLE_HEADINGS = {
    "chair": "Chair",
    "moderator": "Moderator",
    "speaker": "Speakers",
    "video message": "By video message",
}
ORG_HEADINGS = {"host": "Hosted by", "co-sponsor": "Co-sponsored by", "endorser": "Endorsed by"}
STATUS_LABELS = {"draft": "Draft", "published": "Published", "cancelled": "Cancelled"}


def planner() -> Planner:
    return open_planner()


def base_url() -> str:
    return settings_from_env().base_url


def session_token() -> str | None:
    """The sign-in session: the cookie set by /auth/sign-in (or, in tests, session state)."""
    cookie = st.context.cookies.get(SESSION_COOKIE)
    if not isinstance(cookie, str):  # AppTest has no cookies (it hands back a mock)
        cookie = None
    return cookie or st.session_state.get("session_token")


def current_user() -> User | None:
    return planner().session_user(session_token())


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


def time_range(event: Event) -> str:
    """"17:00–19:00 EDT" in the event's own zone (with the end date if it ends another day)."""
    start, end = event.local_start, event.local_end
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
    return f"{start:%H:%M}–{end_text} {zone_abbreviation(start)}"


def viewer_time_range(event: Event, zone: ZoneInfo | None) -> str | None:
    """The same times in the viewer's zone, or None when the clocks there read the same."""
    if zone is None:
        return None
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    if start.utcoffset() == event.local_start.utcoffset():
        return None
    day = "" if start.date() == event.local_start.date() else f"{start:%a %d %b} "
    return f"{day}{start:%H:%M}–{end:%H:%M} {zone_abbreviation(start)} your time"


def long_date(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def organizations_line(event: Event, limit: int = 4) -> str:
    """"Hosted by GCM · Co-sponsored by ACLU, AFSC and 11 more"."""
    parts = []
    for role in ("host", "co-sponsor", "endorser"):
        names = [o.name for o in event.organizations_with_role(role)]
        if not names:
            continue
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            shown += f" and {len(names) - limit} more"
        parts.append(f"{ORG_HEADINGS[role]} {shown}")
    return " · ".join(parts)


def speakers_line(event: Event, limit: int = 4) -> str:
    names = [f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in event.speakers]
    if not names:
        return ""
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more"
    return shown


def escape_md(text: str) -> str:
    """Text shown inside Markdown as it was typed (no accidental emphasis or links)."""
    for ch in "\\`*_{}[]<>()#+-.!|~$":
        text = text.replace(ch, "\\" + ch)
    return text


def show_flash() -> None:
    """Show (once) the message an action left for the page it reran or switched to."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def show_error(err: Exception) -> None:
    st.error(str(err), icon=":material/error:")
