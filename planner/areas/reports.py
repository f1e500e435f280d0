"""Reports (issue #11): how many registered, came and stayed away, per summit or per event.

Every figure is counted by SQLite (``GROUP BY`` over the registrations), never by looping over
rows in Python: with 100,000 registrations the reports page stays about as fast as with a
hundred (``bench/dashboard.py``). Python only touches what is already small: a few hundred
hourly or five-minute bins, the distinct spellings of organization names, the pairs of an
organization and an event.

What the words mean, the same in every report:

* **registered**: registrations made ahead (walk-ins apart), whatever became of them; they are
  **confirmed**, **waitlisted** or **cancelled** now, so the three add up to it.
* **checked in**: everyone let in at the door, walk-ins included. **Walk-ins**: registered at
  the door (an undone walk-in is cancelled and no longer counts).
* **no-shows**: confirmed registrations (walk-ins apart) never checked in, counted only for
  events that have **ended**, were not cancelled and have a door (an online event has none):
  before the end, or without a door, nobody can be said to have stayed away.
* **attendance rate**: of the confirmed registrations at those ended events, the share checked
  in; None when there is none yet.

Times come back aware, in the event's own zone (its venue's); a summit's in the summit's zone;
all events together in UTC. Reading functions only: they run inside the caller's read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from .. import clock
from .. import validate as check
from ..db import from_db_time, to_db_time
from ..errors import NotFound
from ..text import match_key
from . import catalog

ARRIVAL_BIN = timedelta(minutes=5)

# The same definitions in every query (see the module's docstring); ``ended`` needs ``:now``.
_ENDED = "(e.status = 'published' AND e.format != 'online' AND e.ends_at <= :now)"
_AHEAD = "r.walk_in = 0"
_CONFIRMED = f"({_AHEAD} AND r.status = 'confirmed')"
_IN = "(r.status = 'confirmed' AND r.checked_in_at IS NOT NULL)"
_FIGURES = (
    f"sum({_AHEAD}) AS registered, sum({_CONFIRMED}) AS confirmed,"
    " sum(r.status = 'waitlisted') AS waitlisted,"
    f" sum({_AHEAD} AND r.status = 'cancelled') AS cancelled,"
    f" sum({_IN}) AS checked_in, sum(r.walk_in = 1 AND r.status = 'confirmed') AS walk_ins,"
    f" sum({_ENDED} AND {_CONFIRMED}) AS expected,"
    f" sum({_ENDED} AND {_CONFIRMED} AND r.checked_in_at IS NOT NULL) AS showed"
)
FIGURES = ("registered", "confirmed", "waitlisted", "cancelled", "checked_in", "walk_ins", "no_shows")


@dataclass(frozen=True)
class ReportSummary:
    """The figures of one event, one summit or every event (see the module's docstring).
    ``expected``: confirmed registrations at events that ended with a door (the rate's base)."""

    events: int
    registered: int
    confirmed: int
    waitlisted: int
    cancelled: int
    checked_in: int
    walk_ins: int
    expected: int
    no_shows: int

    @property
    def attendance_rate(self) -> float | None:
        return None if not self.expected else (self.expected - self.no_shows) / self.expected


@dataclass(frozen=True)
class Timeline:
    """Registrations made over time: ``counts`` has one row per hour in which any were made
    (``at``, the hour's start, aware in ``zone``; ``registrations`` made in it; ``total`` so
    far). ``published_at`` and ``reminder_at`` mark an event's publication and its reminder:
    the first one sent (``reminder_sent``) or, before that, the time it is due; None for a
    summit, or when there is none."""

    counts: pd.DataFrame
    zone: str
    published_at: datetime | None = None
    reminder_at: datetime | None = None
    reminder_sent: bool = False


@dataclass(frozen=True)
class Arrivals:
    """First check-ins in five-minute bins, every bin from the first arrival's to the last's
    (empty ones as 0): ``bins`` has ``at`` (the bin's start, aware in the event's ``zone``),
    ``registered`` (guests who had registered), ``walk_ins`` and ``total``."""

    bins: pd.DataFrame
    zone: str
    starts_at: datetime
    ends_at: datetime


def _scope(db, event_id, summit_id) -> tuple[str, dict, str]:
    """The WHERE clause (on ``e``) for one event, one summit or all, its parameters and zone.
    Raises ``NotFound`` for an event or summit that does not exist."""
    if event_id is not None:
        row = db.execute("SELECT id, timezone FROM events WHERE id = ?", [check.id(event_id)]).fetchone()
        if row is None:
            raise NotFound("no_event", id=event_id)
        return "e.id = :event", {"event": row["id"]}, row["timezone"]
    if summit_id is not None:
        summit = catalog.get_summit(db, summit_id)
        return "e.summit_id = :summit", {"summit": summit.id}, summit.timezone
    return "1", {}, "UTC"


def _rate(expected: int, showed: int) -> float | None:
    return showed / expected if expected else None


def summary(db, *, event_id=None, summit_id=None) -> ReportSummary:
    where, params, _zone = _scope(db, event_id, summit_id)
    params = {**params, "now": to_db_time(clock.now())}
    row = db.execute(
        f"SELECT {_FIGURES} FROM registrations r JOIN events e ON e.id = r.event_id WHERE {where}", params
    ).fetchone()
    events = db.execute(f"SELECT count(*) FROM events e WHERE {where} AND e.status != 'draft'", params).fetchone()[0]
    n = {k: row[k] or 0 for k in row.keys()}
    return ReportSummary(events=events, registered=n["registered"], confirmed=n["confirmed"],
                         waitlisted=n["waitlisted"], cancelled=n["cancelled"], checked_in=n["checked_in"],
                         walk_ins=n["walk_ins"], expected=n["expected"], no_shows=n["expected"] - n["showed"])


def _local(series: pd.Series, zone: str) -> pd.Series:
    return pd.to_datetime(series, utc=True).dt.tz_convert(zone)


def timeline(db, *, event_id=None, summit_id=None) -> Timeline:
    where, params, zone = _scope(db, event_id, summit_id)
    rows = db.execute(
        "SELECT strftime('%Y-%m-%dT%H:00:00Z', r.created_at) AS hour, count(*) AS made"
        f" FROM registrations r JOIN events e ON e.id = r.event_id WHERE {where} AND {_AHEAD}"
        " GROUP BY hour ORDER BY hour", params,
    ).fetchall()
    counts = pd.DataFrame({"at": _local(pd.Series([r["hour"] for r in rows], dtype="object"), zone),
                           "registrations": pd.Series([r["made"] for r in rows], dtype="int64")})
    counts["total"] = counts["registrations"].cumsum()
    if event_id is None:
        return Timeline(counts, zone)
    event = db.execute(
        "SELECT e.published_at, e.starts_at, e.reminder_hours,"
        " (SELECT min(sent_at) FROM outbox o WHERE o.event_id = e.id AND o.kind = 'reminder' AND o.sent_at IS NOT NULL)"
        " AS reminded FROM events e WHERE e.id = :event", params,
    ).fetchone()
    tz = ZoneInfo(zone)
    published = from_db_time(event["published_at"])
    reminded = from_db_time(event["reminded"])
    due = None
    if reminded is None and event["reminder_hours"] is not None:
        due = from_db_time(event["starts_at"]) - timedelta(hours=event["reminder_hours"])
    reminder = reminded or due
    return Timeline(counts, zone, published_at=published and published.astimezone(tz),
                    reminder_at=reminder and reminder.astimezone(tz), reminder_sent=reminded is not None)


def arrivals(db, event_id) -> Arrivals:
    where, params, zone = _scope(db, event_id, None)
    step = int(ARRIVAL_BIN.total_seconds())
    rows = db.execute(
        f"SELECT (CAST(strftime('%s', r.checked_in_at) AS INTEGER) / {step}) * {step} AS bin,"
        " sum(r.walk_in = 0) AS registered, sum(r.walk_in = 1) AS walk_ins"
        f" FROM registrations r JOIN events e ON e.id = r.event_id WHERE {where} AND {_IN}"
        " GROUP BY bin ORDER BY bin", params,
    ).fetchall()
    event = db.execute("SELECT starts_at, ends_at FROM events e WHERE e.id = :event", params).fetchone()
    tz = ZoneInfo(zone)
    found = pd.DataFrame([dict(r) for r in rows], columns=["bin", "registered", "walk_ins"]).astype("int64")
    if len(found):
        every = range(int(found["bin"].iloc[0]), int(found["bin"].iloc[-1]) + step, step)
        found = found.set_index("bin").reindex(every, fill_value=0).rename_axis("bin").reset_index()
    bins = pd.DataFrame({
        "at": pd.to_datetime(found["bin"], unit="s", utc=True).dt.tz_convert(zone),
        "registered": found["registered"], "walk_ins": found["walk_ins"],
        "total": found["registered"] + found["walk_ins"],
    })
    return Arrivals(bins, zone, from_db_time(event["starts_at"]).astimezone(tz),
                    from_db_time(event["ends_at"]).astimezone(tz))


def by_organization(db, *, event_id=None, summit_id=None) -> pd.DataFrame:
    """Registrations and attendance by the organization guests typed, spellings that differ
    only in case, accents or spacing counted as one (named by the spelling most used), most
    registered first. ``organization`` is "" for guests who gave none. Columns: organization,
    registered, confirmed, checked_in, walk_ins, no_shows, attendance_rate (None: no ended event)."""
    where, params, _zone = _scope(db, event_id, summit_id)
    rows = db.execute(
        f"SELECT r.organization, count(*) AS spelled, {_FIGURES}"
        f" FROM registrations r JOIN events e ON e.id = r.event_id WHERE {where} GROUP BY r.organization",
        {**params, "now": to_db_time(clock.now())},
    ).fetchall()
    groups: dict[str, dict] = {}
    for row in rows:  # one per distinct spelling, not per registration
        group = groups.setdefault(match_key(row["organization"]), {"spellings": [], **dict.fromkeys(_SUMS, 0)})
        group["spellings"].append((row["spelled"], row["organization"]))
        for name in _SUMS:
            group[name] += row[name] or 0
    table = [
        {"organization": min(g["spellings"], key=lambda s: (-s[0], s[1]))[1],
         **{name: g[name] for name in ("registered", "confirmed", "checked_in", "walk_ins")},
         "no_shows": g["expected"] - g["showed"], "attendance_rate": _rate(g["expected"], g["showed"])}
        for g in groups.values()
    ]
    frame = pd.DataFrame(table, columns=_ORG_COLUMNS)
    frame["attendance_rate"] = frame["attendance_rate"].astype("float64")
    frame["_key"] = frame["organization"].map(match_key)
    frame = frame.sort_values(["registered", "checked_in", "_key"], ascending=[False, False, True], kind="stable")
    return frame.drop(columns="_key").reset_index(drop=True)


_SUMS = ("registered", "confirmed", "checked_in", "walk_ins", "expected", "showed")
_ORG_COLUMNS = ["organization", "registered", "confirmed", "checked_in", "walk_ins", "no_shows", "attendance_rate"]


def organizer_turnout(db, *, summit_id=None) -> pd.DataFrame:
    """Each host's and co-sponsor's events (drafts apart) and their turnout, one row per
    organization and event, by organization then start. Columns: organization, role ("host",
    "co-sponsor"), event_id, title, starts_at (aware, the event's zone), status, confirmed,
    checked_in, walk_ins, no_shows (None before the event ended, or without a door),
    attendance_rate (None likewise)."""
    where, params, _zone = _scope(db, None, summit_id)
    params = {**params, "now": to_db_time(clock.now())}
    rows = db.execute(
        "WITH figures AS ("
        f"  SELECT r.event_id, {_FIGURES} FROM registrations r JOIN events e ON e.id = r.event_id"
        f"  WHERE {where} GROUP BY r.event_id)"
        f" SELECT o.name AS organization, eo.role, e.id AS event_id, e.title, e.starts_at, e.timezone, e.status,"
        f" {_ENDED} AS ended, coalesce(f.confirmed, 0) AS confirmed, coalesce(f.checked_in, 0) AS checked_in,"
        " coalesce(f.walk_ins, 0) AS walk_ins, coalesce(f.expected, 0) AS expected, coalesce(f.showed, 0) AS showed"
        " FROM event_organizations eo JOIN organizations o ON o.id = eo.organization_id"
        " JOIN events e ON e.id = eo.event_id LEFT JOIN figures f ON f.event_id = e.id"
        f" WHERE {where} AND eo.role IN ('host', 'co-sponsor') AND e.status != 'draft'"
        " ORDER BY o.name_key, eo.role = 'co-sponsor', e.starts_at, e.id", params,
    ).fetchall()
    table = [  # one per organization and event
        {"organization": r["organization"], "role": r["role"], "event_id": r["event_id"], "title": r["title"],
         "starts_at": from_db_time(r["starts_at"]).astimezone(ZoneInfo(r["timezone"])), "status": r["status"],
         "confirmed": r["confirmed"], "checked_in": r["checked_in"], "walk_ins": r["walk_ins"],
         "no_shows": r["expected"] - r["showed"] if r["ended"] else None,
         "attendance_rate": _rate(r["expected"], r["showed"]) if r["ended"] else None}
        for r in rows
    ]
    frame = pd.DataFrame(table, columns=_TURNOUT_COLUMNS)
    frame["no_shows"] = frame["no_shows"].astype("Int64")
    frame["attendance_rate"] = frame["attendance_rate"].astype("float64")
    return frame


_TURNOUT_COLUMNS = ["organization", "role", "event_id", "title", "starts_at", "status", "confirmed", "checked_in",
                    "walk_ins", "no_shows", "attendance_rate"]
