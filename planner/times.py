"""Time zones and wall clocks: which zone names a person may choose, and the hours that do not
exist or happen twice when the clocks change.

**Zone names.** ``zoneinfo`` opens more names than are places: ``localtime`` (whatever the
server is set to), ``Factory`` (a zone whose abbreviation reads "-00"), ``posixrules``, the
legacy ``EST5EDT`` and ``Etc/GMT+5`` (which is UTC−5: the sign is POSIX's, reversed), and old
spellings kept as links (``US/Eastern``, ``Asia/Calcutta``, ``Europe/Kiev``). We accept the names
the tz database lists for places, in its own tables ``zone1970.tab`` (one name per region with
its own clocks since 1970) and ``zone.tab`` (one per country, so ``Europe/Amsterdam`` and
``Europe/Stockholm`` stay, though their rules are now Brussels' and Berlin's), read from the
``tzdata`` package so every machine gets the same list, plus ``UTC``. An old spelling is refused
with the current name to use (the tz database's own link). Names already stored keep working:
only new input is checked (``validate.timezone(..., stored=…)``).

**Wall clocks.** When summer time begins, an hour of the clock is skipped (02:30 on 8 March
2026 in New York does not exist; 30 minutes on Lord Howe Island); when it ends, an hour happens
twice (01:30 on 1 November 2026 in New York, first EDT then EST). Python quietly shifts a
skipped time and takes the first of a repeated one (PEP 495, ``fold=0``). An aware ``datetime``
with its ``fold`` is one precise instant, so the domain takes it as given and refuses only one
that does not exist; ``wall_clock`` turns a day and a time typed in a zone into that instant,
and refuses a skipped time, and a repeated one unless told which (``fold``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from typing import NamedTuple
from zoneinfo import ZoneInfo, available_timezones

from .errors import ValidationError

_TABLES = ("zone1970.tab", "zone.tab")


def _tzdata(name: str) -> str:
    return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """Every zone name a person may choose: the places of the tz database's tables, and UTC."""
    places = {line.split("\t")[2] for table in _TABLES for line in _tzdata(table).splitlines()
              if line and not line.startswith("#")}
    return frozenset((places & available_timezones()) | {"UTC"})


@lru_cache(maxsize=1)
def current_names() -> dict[str, str]:
    """Old spellings of places and the name to use now (``US/Eastern`` → ``America/New_York``),
    from the tz database's links. Legacy names without a place (``EST``) get no suggestion."""
    found = {}
    for line in _tzdata("tzdata.zi").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            target, old = parts[1], parts[2]
            target = "UTC" if target == "Etc/UTC" else target
            if "/" in old and target in zone_names() and old not in zone_names():
                found[old] = target
    found["Etc/UTC"] = "UTC"
    return found


# ---------------------------------------------------------------------- wall clocks


def exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped when the clocks went forward."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def is_repeated(moment: datetime) -> bool:
    """True for a wall-clock time that happens twice (the clocks went back over it)."""
    return exists(moment) and moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset()


def _clock_change(moment: datetime) -> tuple[time, time]:
    """Around a skipped or repeated ``moment``: the wall clock just before the change and
    just after it ("02:00" and "03:00" when New York springs forward; "02:00" and "01:00"
    when it falls back)."""
    zone = moment.tzinfo
    before, after = moment.replace(fold=0).utcoffset(), moment.replace(fold=1).utcoffset()
    wall = moment.replace(tzinfo=None, fold=0)
    # The change lies between the two readings of the wall clock as an instant; twelve hours
    # either side hold no other change. Bisect to the second it happens.
    low = (wall - max(before, after) - timedelta(hours=12)).replace(tzinfo=UTC)
    high = (wall - min(before, after) + timedelta(hours=12)).replace(tzinfo=UTC)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) // 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return (high + before).time(), (high + after).time()


def refuse_skipped(moment: datetime, field: str) -> None:
    """``ValidationError("time_skipped")`` if ``moment``'s wall clock does not exist in its zone."""
    if not exists(moment):
        start, end = _clock_change(moment)
        raise ValidationError("time_skipped", field=field, when=moment.replace(tzinfo=None, fold=0),
                              zone=_zone_name(moment), start=start, end=end)


def wall_clock(day: date, clock: time, zone: ZoneInfo, *, fold: int | None = None,
               field: str = "starts_at") -> datetime:
    """The instant a clock in ``zone`` shows ``clock`` on ``day``. A time skipped when summer
    time begins is refused (``time_skipped``); one that happens twice when it ends is refused
    (``time_repeated``) unless ``fold`` says which: 0 the first, 1 the second."""
    moment = datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=zone)
    refuse_skipped(moment, field)
    if is_repeated(moment):
        if fold not in (0, 1):
            back_from, back_to = _clock_change(moment)
            raise ValidationError("time_repeated", field=field, when=moment.replace(tzinfo=None),
                                  zone=_zone_name(moment), start=back_from, end=back_to)
        moment = moment.replace(fold=fold)
    return moment


def _zone_name(moment: datetime) -> str:
    return getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)


# ---------------------------------------------------------------------- the viewer's own clock


class OwnTimes(NamedTuple):
    """An event's start and end on the viewer's clock, and how many days each lies from the day
    the event is listed under (its start's day in its own zone): +1 the next day, −1 the day
    before."""

    start: datetime
    end: datetime
    start_days: int
    end_days: int


def own_times(starts_at: datetime, ends_at: datetime, event_zone, viewer_zone) -> OwnTimes | None:
    """The event's times in ``viewer_zone`` (a ``ZoneInfo`` or a tz name), or None when there is
    no viewer zone or its clocks read the same as the event's at the start and at the end (each
    side's summer time counted on its own date)."""
    if viewer_zone is None:
        return None
    event_zone = ZoneInfo(event_zone) if isinstance(event_zone, str) else event_zone
    viewer_zone = ZoneInfo(viewer_zone) if isinstance(viewer_zone, str) else viewer_zone
    here_start, here_end = starts_at.astimezone(event_zone), ends_at.astimezone(event_zone)
    start, end = starts_at.astimezone(viewer_zone), ends_at.astimezone(viewer_zone)
    if start.utcoffset() == here_start.utcoffset() and end.utcoffset() == here_end.utcoffset():
        return None
    listed = here_start.date()
    return OwnTimes(start, end, (start.date() - listed).days, (end.date() - listed).days)
