"""The security list and its deadline (issue #12): the guest list a host building (UN
Headquarters, the Palais des Nations) wants before an event, who submits it, and who came too late.

**Rules.** A venue, a room or one event may hold a guest-list rule (table ``guest_list_rules``):
a deadline before the start, in hours *or* in working days, the sponsor that submits the list
(a Permanent Mission) and the columns the host wants (``codes.SECURITY_LIST_COLUMNS``). An event
takes the most specific rule: its own, else its room's, else its venue's (``effective_rule``).
A rule with no deadline says "no list here": an event (or a room) can turn off what it inherits.

**Deadlines** are computed in the venue's zone (the event's own zone, which is its venue's):

- ``hours=N``: the start minus N hours as an instant (48 h before 10:00 on the Monday after the
  clocks changed is 09:00 or 11:00 on the Saturday's wall clock, as the hours really are);
- ``working_days=N``: the same wall-clock time N working days earlier, working days being Monday
  to Friday in the venue's zone, minus the rule's ``holidays``. Counting starts the day before the
  start's day, so 3 working days before Monday 10:00 is the Wednesday before at 10:00. A wall-clock
  time the clocks skip that day is read as the time just after the change (PEP 495, ``fold=0``); one
  that happens twice as the first, the earlier, of the two.

**Lists made.** ``make`` writes the list of the confirmed guests as XLSX through
``outputs/spreadsheets.py`` (formula injection neutralised) and records it in ``security_lists``:
when, by whom, the columns, and each registration's id, ``updated_at`` and a fingerprint of what the
list says of them (a SHA-256 of the values, not the values: the record keeps no name). Guests
confirmed since, or whose listed values changed since, are flagged; at the door a confirmed guest
missing from the latest list gets the amber verdict ``not_on_security_list``.

Writing functions run inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from .. import clock
from .. import validate as check
from ..codes import SECURITY_LIST_COLUMNS
from ..db import from_db_time, to_db_time
from ..errors import ValidationError
from ..i18n import N_, _
from ..models import Event, Registration
from ..text import match_key
from . import catalog, events, registrations

SCOPES = ("venue", "room", "event")
MAX_HOURS = 24 * 90
MAX_WORKING_DAYS = 60
MAX_HOLIDAYS = 100
DEFAULT_COLUMNS = ("given_names", "family_name", "organization", "country", "event_title", "date", "start_time",
                   "venue", "sponsor")


@dataclass(frozen=True)
class GuestListRule:
    """A guest-list rule as stored for one venue, room or event (``source``, ``source_id``).
    ``hours`` and ``working_days``: at most one is set; neither means "no list here"."""

    source: str  # "venue", "room" or "event"
    source_id: int
    hours: int | None
    working_days: int | None
    sponsor: str
    columns: tuple[str, ...]
    holidays: tuple[date, ...] = ()

    @property
    def required(self) -> bool:
        return self.hours is not None or self.working_days is not None


@dataclass(frozen=True)
class SecurityList:
    """One list made: when, by whom (the account's label), its columns and who was on it."""

    id: int
    event_id: int
    made_at: datetime
    actor: str
    columns: tuple[str, ...]
    registration_ids: tuple[int, ...]


@dataclass(frozen=True)
class GuestListStatus:
    """Where an event stands with its security list. ``deadline`` is in the venue's zone;
    ``time_left`` is negative once it passed. ``missing_id_names``: confirmed guests without
    their names as on their ID; ``late``: confirmed after the deadline; ``not_on_list`` and
    ``changed_since_list``: since the latest list (empty before one is made)."""

    event_id: int
    rule: GuestListRule | None
    deadline: datetime | None
    time_left: timedelta | None
    confirmed: int
    missing_id_names: tuple[Registration, ...]
    late: tuple[Registration, ...]
    latest_list: SecurityList | None
    not_on_list: tuple[Registration, ...]
    changed_since_list: tuple[Registration, ...]

    @property
    def passed(self) -> bool:
        return self.time_left is not None and self.time_left <= timedelta(0)


# ---------------------------------------------------------------------- ID names and country


def _stored_id_names(db, registration_id: int) -> tuple[str, str] | None:
    """The guest's given names and family name as on their ID, if they gave them (the
    registration questions, ``areas/questions.py``)."""
    from .questions import id_names

    return id_names(db, registration_id)


def _id_names(db, registration: Registration) -> tuple[str, str]:
    """(given names, family name) for the list: as on the guest's ID when stored, else their
    registered name split at its last word (the family name)."""
    stored = _stored_id_names(db, registration.id)
    if stored is not None:
        return stored
    words = registration.name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def _country(db, registration: Registration) -> str:
    """The guest's country or nationality, by name in the active language (the country
    question's answer is an ISO 3166 code), or "" if the form did not ask it."""
    from ..i18n import locale

    code = registration.country
    return locale().territories.get(code, code) if code else ""


# ---------------------------------------------------------------------- rules


def _scope(venue_id, room_id, event_id) -> tuple[str, int]:
    given = [(name, value) for name, value in zip(SCOPES, (venue_id, room_id, event_id)) if value is not None]
    if len(given) != 1:
        raise ValidationError("guest_list_scope", field="venue_id")
    return given[0][0], check.id(given[0][1])


def _count(value, field: str, label, maximum: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ValidationError("guest_list_count", field=field, label=label, max=maximum)
    return value


def check_columns(columns) -> tuple[str, ...]:
    if columns is None:
        return DEFAULT_COLUMNS
    if isinstance(columns, str):
        columns = [columns]
    chosen: list[str] = []
    for column in columns:
        if column not in SECURITY_LIST_COLUMNS:
            raise ValidationError("guest_list_column", field="columns", value=str(column))
        if column not in chosen:
            chosen.append(column)
    if not chosen:
        raise ValidationError("guest_list_no_columns", field="columns")
    return tuple(chosen)


def check_rule(*, hours=None, working_days=None, sponsor="", columns=None, holidays=()) -> dict:
    hours = _count(hours, "hours", N_("Hours before the start"), MAX_HOURS)
    working_days = _count(working_days, "working_days", N_("Working days before the start"), MAX_WORKING_DAYS)
    if hours is not None and working_days is not None:
        raise ValidationError("guest_list_deadline_both", field="hours")
    days = sorted({check.day(d, "holidays", N_("Holidays")) for d in (holidays or ())})
    if len(days) > MAX_HOLIDAYS:
        raise ValidationError("guest_list_holidays", field="holidays", max=MAX_HOLIDAYS)
    return {
        "hours": hours, "working_days": working_days,
        "sponsor": check.text(sponsor or "", "sponsor", N_("Sponsor that submits the list"), required=False),
        "columns": json.dumps(list(check_columns(columns))),
        "holidays": json.dumps([d.isoformat() for d in days]),
    }


def set_rule(db, *, venue_id=None, room_id=None, event_id=None, **fields) -> GuestListRule:
    """Writes. The rule of one venue, room or event (replacing the one it had)."""
    scope, scope_id = _scope(venue_id, room_id, event_id)
    {"venue": catalog.get_venue, "room": catalog.get_room, "event": events.get_event}[scope](db, scope_id)
    values = check_rule(**fields)
    db.execute(f"DELETE FROM guest_list_rules WHERE {scope}_id = ?", [scope_id])
    db["guest_list_rules"].insert({f"{scope}_id": scope_id, **values, "updated_at": to_db_time(clock.now())})
    return own_rule(db, scope, scope_id)


def clear_rule(db, *, venue_id=None, room_id=None, event_id=None) -> GuestListRule | None:
    """Writes. Removes the rule of one venue, room or event (an event then inherits again);
    returns the rule removed, or None."""
    scope, scope_id = _scope(venue_id, room_id, event_id)
    before = own_rule(db, scope, scope_id)
    db.execute(f"DELETE FROM guest_list_rules WHERE {scope}_id = ?", [scope_id])
    return before


def _rule(row) -> GuestListRule:
    scope = next(s for s in SCOPES if row[f"{s}_id"] is not None)
    return GuestListRule(
        source=scope, source_id=row[f"{scope}_id"], hours=row["hours"], working_days=row["working_days"],
        sponsor=row["sponsor"], columns=tuple(c for c in json.loads(row["columns"]) if c in SECURITY_LIST_COLUMNS),
        holidays=tuple(date.fromisoformat(d) for d in json.loads(row["holidays"])),
    )


def own_rule(db, scope: str, scope_id: int) -> GuestListRule | None:
    assert scope in SCOPES
    row = db.execute(f"SELECT * FROM guest_list_rules WHERE {scope}_id = ?", [scope_id]).fetchone()
    return _rule(row) if row else None


def all_rules(db) -> list[GuestListRule]:
    return [_rule(r) for r in db.execute("SELECT * FROM guest_list_rules ORDER BY id").fetchall()]


def effective_rule(db, event: Event) -> GuestListRule | None:
    """The event's own rule, else its room's, else its venue's (None: no rule anywhere)."""
    for scope, scope_id in (("event", event.id), ("room", event.room_id),
                            ("venue", event.venue.id if event.venue else None)):
        if scope_id is not None:
            found = own_rule(db, scope, scope_id)
            if found is not None:
                return found
    return None


# ---------------------------------------------------------------------- deadlines


def deadline(starts_at: datetime, zone: ZoneInfo, rule: GuestListRule) -> datetime | None:
    """When the list is due, in ``zone`` (see the module's docstring); None without a deadline."""
    local = starts_at.astimezone(zone)
    if rule.hours is not None:  # in UTC: Python subtracts within one zone on the wall clock
        return (starts_at.astimezone(UTC) - timedelta(hours=rule.hours)).astimezone(zone)
    if rule.working_days is None:
        return None
    day, left = local.date(), rule.working_days
    while left:
        day -= timedelta(days=1)
        if day.weekday() < 5 and day not in rule.holidays:
            left -= 1
    wall = datetime.combine(day, local.time().replace(fold=0), tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone)  # a skipped time comes out after the change


def zone_of(event: Event) -> ZoneInfo:
    return ZoneInfo(event.venue.timezone) if event.venue else event.zone


# ---------------------------------------------------------------------- lists


def _confirmed(db, event_id: int) -> list[tuple[Registration, datetime]]:
    """Confirmed guests with the moment each was confirmed, in arrival order."""
    guests = registrations.load(db, "WHERE r.event_id = ? AND r.status = 'confirmed'", [event_id])
    when = {r[0]: from_db_time(r[1]) for r in db.execute(
        "SELECT id, coalesce(confirmed_at, created_at) FROM registrations WHERE event_id = ? AND status = 'confirmed'",
        [event_id]).fetchall()}
    return [(g, when[g.id]) for g in guests]


def _values(db, event: Event, rule: GuestListRule, registration: Registration) -> dict[str, object]:
    given, family = _id_names(db, registration)
    local = event.local_start.astimezone(zone_of(event))
    return {
        "given_names": given,
        "family_name": family.upper(),  # str.upper leaves scripts without capitals (Arabic, Chinese) as they are
        "organization": registration.organization,
        "country": _country(db, registration),
        "event_title": event.title,
        "date": local.date(),
        "start_time": local.strftime("%H:%M"),
        "venue": event.venue.name if event.venue else "",
        "sponsor": rule.sponsor,
    }


def _fingerprint(values: dict, columns: tuple[str, ...]) -> str:
    listed = [str(values[c]) for c in columns if c in ("given_names", "family_name", "organization", "country")]
    return hashlib.sha256(json.dumps(listed, ensure_ascii=False).encode()).hexdigest()[:16]


def _sort_key(values: dict) -> tuple[str, str]:
    return match_key(str(values["family_name"])), match_key(str(values["given_names"]))


def make(db, event: Event, actor_label: str) -> tuple[bytes, str, SecurityList]:
    """Writes. The list of the confirmed guests in the host's columns, sorted by family name,
    as XLSX bytes with its file name; recorded in ``security_lists``. Refused without a rule
    that asks for one (``guest_list_no_rule``)."""
    from ..outputs.spreadsheets import xlsx_bytes

    rule = effective_rule(db, event)
    if rule is None or not rule.required:
        raise ValidationError("guest_list_no_rule", field="event_id", title=event.title)
    columns = rule.columns or DEFAULT_COLUMNS
    rows = sorted(((g, _values(db, event, rule, g)) for g, _ in _confirmed(db, event.id)),
                  key=lambda pair: _sort_key(pair[1]))
    headings = [str(SECURITY_LIST_COLUMNS[c]) for c in columns]
    frame = pd.DataFrame([[values[c] for c in columns] for _, values in rows], columns=headings, dtype=object)
    now = clock.now()
    snapshot = [[g.id, to_db_time(g.updated_at), _fingerprint(values, columns)] for g, values in rows]
    db["security_lists"].insert({
        "event_id": event.id, "made_at": to_db_time(now), "actor": actor_label,
        "columns": json.dumps(list(columns)), "rows": json.dumps(snapshot),
    })
    # Translators: the name of the security list's file, without its extension.
    name = _("security-list-{id}-{day}").format(id=event.id, day=event.local_start.date().isoformat()) + ".xlsx"
    return xlsx_bytes({_("Security list"): frame}), name, lists(db, event.id)[0]


def _list(row) -> SecurityList:
    return SecurityList(row["id"], row["event_id"], from_db_time(row["made_at"]), row["actor"],
                        tuple(json.loads(row["columns"])), tuple(r[0] for r in json.loads(row["rows"])))


def lists(db, event_id: int) -> list[SecurityList]:
    """The lists made for an event, newest first."""
    return [_list(r) for r in db.execute(
        "SELECT * FROM security_lists WHERE event_id = ? ORDER BY id DESC", [event_id]).fetchall()]


def _latest_rows(db, event_id: int) -> dict[int, str] | None:
    row = db.execute("SELECT rows FROM security_lists WHERE event_id = ? ORDER BY id DESC LIMIT 1",
                     [event_id]).fetchone()
    return None if row is None else {r[0]: r[2] for r in json.loads(row["rows"])}


def status(db, event: Event) -> GuestListStatus:
    rule = effective_rule(db, event)
    if rule is None or not rule.required:
        return GuestListStatus(event.id, rule, None, None, 0, (), (), None, (), ())
    due = deadline(event.starts_at, zone_of(event), rule)
    confirmed = _confirmed(db, event.id)
    columns = rule.columns or DEFAULT_COLUMNS
    wants_names = "given_names" in columns or "family_name" in columns
    missing = tuple(g for g, _ in confirmed if wants_names and (
        _stored_id_names(db, g.id) is None or not all(_id_names(db, g))))
    late = tuple(g for g, at in confirmed if at > due)
    made = lists(db, event.id)
    latest = made[0] if made else None
    on_list = _latest_rows(db, event.id) or {}
    not_on = tuple(g for g, _ in confirmed if latest is not None and g.id not in on_list)
    changed = tuple(g for g, _ in confirmed if g.id in on_list and latest is not None
                    and on_list[g.id] != _fingerprint(_values(db, event, rule, g), latest.columns))
    return GuestListStatus(event.id, rule, due, due - clock.now(), len(confirmed), missing, late, latest, not_on,
                           changed)


def not_on_list(db, registration: Registration) -> bool:
    """True for a guest of an event whose rule asks for a list, a list was made, and this
    guest is not on the latest one (the door's amber verdict)."""
    on_list = _latest_rows(db, registration.event_id)
    if on_list is None or registration.id in on_list:
        return False
    rule = effective_rule(db, events.get_event(db, registration.event_id))
    return rule is not None and rule.required
