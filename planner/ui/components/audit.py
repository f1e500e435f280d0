"""Audit log entries in words (issue #11): who, what, which event, what was changed and how
("Title: Old → New"), for the admins' page and its CSV and XLSX exports alike.

The log keeps codes and plain values (``areas/audit.py``); the words are made here, in the
reader's language: action and field labels from ``codes``, ids as the names they have now,
times in the zone the page states. Cells of a table are plain text, not Markdown: data goes
in as it is. No Streamlit call here, so a download can build its file outside the page's run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

import pandas as pd

from planner import Event, PlannerError
from planner.areas.audit import AuditEntry
from planner.codes import (
    AUDIT_ACTIONS,
    AUDIT_DETAIL_LABELS,
    EVENT_STATUS_LABELS,
    FORMAT_LABELS,
    GUEST_LIST_SCOPES,
    MESSAGE_AUDIENCE_LABELS,
    ORGANIZATION_ROLE_LABELS,
    REGISTRATION_MODE_LABELS,
    REGISTRATION_STATUS_LABELS,
    SECURITY_LIST_COLUMNS,
    SPEAKER_ROLE_LABELS,
    USER_ROLE_LABELS,
    label,
)
from planner.i18n import _, format_number
from planner.ui.components.times import clock_seconds, short_day, table_date, zone_abbreviation

ON_A_REGISTRATION = ("registration_cancelled", "registration_changed", "check_in_undone", "walk_in_over_capacity",
                     "let_in_not_on_security_list")
ON_A_PLACE = ("summit_added", "summit_edited", "summit_deleted", "venue_added", "venue_edited", "venue_deleted",
              "room_added", "room_edited", "room_deleted")
LONG = 120  # characters of a long value (a description) shown in a cell


@dataclass
class Names:
    """What ids in the log are called now (an id no longer known is shown as a number)."""

    events: dict[int, Event]
    summits: dict[int, str]
    venues: dict[int, str]
    rooms: dict[int, str]

    @classmethod
    def of(cls, p, actor) -> "Names":
        return cls(
            events={e.id: e for e in p.list_events(actor=actor)},
            summits={s.id: s.name for s in p.list_summits()},
            venues={v.id: v.name for v in p.list_venues()},
            rooms={r.id: r.label for r in p.list_rooms()},
        )

    def event(self, event_id) -> str:
        found = self.events.get(event_id)
        return found.title if found else _("Event {id}").format(id=event_id)


def _many(items: list[str]) -> str:
    # Translators: what separates the names in a list that goes on without "and" ("Ana, Luis, Diego").
    return _(", ").join(items)


def moment(at: datetime, zone: tzinfo) -> str:
    """"Tue 06 Oct 17:00:05 EDT" in ``zone``."""
    local = at.astimezone(zone)
    # Translators: when something happened, e.g. "Tue 06 Oct 17:00:05 EDT".
    return _("{day} {time} {zone}").format(day=short_day(local), time=clock_seconds(local), zone=zone_abbreviation(local))


def who(entry: AuditEntry) -> str:
    if entry.actor_kind == "system":
        return _("The system")
    if entry.actor_kind == "public":
        return _("Someone not signed in")
    if entry.actor_kind == "door":
        # Translators: who acted: a volunteer with a door link, named by its label ("North door").
        return _("Door link “{label}”").format(label=entry.actor_label)
    return entry.actor_label


def subject(entry: AuditEntry) -> str:
    """What was changed, when the event column does not say it all."""
    if entry.action in ON_A_REGISTRATION:
        return _("Registration {id}").format(id=entry.subject)  # never the guest's name: the log has none
    if entry.action.startswith("door_pass_"):
        return _("Door link {id}").format(id=entry.subject)
    if entry.action in ON_A_PLACE:
        return str(entry.details.get("name") or entry.subject)
    if entry.action == "guests_messaged" or entry.action.startswith("event_"):
        return ""  # a batch's code or the event itself: the other columns say it
    return entry.subject


def value(key: str, v, entry: AuditEntry, names: Names, zone: tzinfo) -> str:
    """One value of the details as a person reads it."""
    if key == "capacity" and v is None:
        return _("the room's")  # an event without a capacity of its own
    if v is None or v == "" or v == []:
        return "—"
    if isinstance(v, bool):
        return _("Yes") if v else _("No")
    try:
        if key in ("starts_at", "ends_at"):
            return moment(datetime.fromisoformat(v), zone)
        if key in ("starts_on", "ends_on"):
            return table_date(date.fromisoformat(v))
    except (TypeError, ValueError):
        return str(v)
    if key == "summit_id":
        return names.summits.get(v) or _("Summit {id}").format(id=v)
    if key == "venue_id":
        return names.venues.get(v) or _("Venue {id}").format(id=v)
    if key == "room_id":
        return names.rooms.get(v) or _("Room {id}").format(id=v)
    if key == "copied_from":
        return names.event(v)
    if key in ("speakers", "organizations") and isinstance(v, list):
        roles = SPEAKER_ROLE_LABELS if key == "speakers" else ORGANIZATION_ROLE_LABELS
        return _many([_("{name} ({role})").format(name=x.get("name", ""), role=label(roles, x.get("role")))
                            for x in v if isinstance(x, dict)])
    if key == "to" and isinstance(v, list):
        return _many([label(MESSAGE_AUDIENCE_LABELS, x) for x in v])
    if key in ("status", "previous_status"):
        return label(REGISTRATION_STATUS_LABELS if entry.action in ON_A_REGISTRATION else EVENT_STATUS_LABELS, v)
    if key == "format" and entry.action == "export":
        return str(v).upper() if v != "dataframe" else _("a table (from a script)")
    if isinstance(v, dict):  # an export's rows per table
        return _many([_("{field}: {value}").format(field=label(AUDIT_DETAIL_LABELS, k), value=value(k, x, entry, names,
                                                                                                    zone))
                      for k, x in v.items()])
    if key == "columns" and isinstance(v, list):  # a security list's (issue #12)
        return _many([label(SECURITY_LIST_COLUMNS, x) for x in v])
    tables = {"format": FORMAT_LABELS, "registration_mode": REGISTRATION_MODE_LABELS, "role": USER_ROLE_LABELS,
              "scope": GUEST_LIST_SCOPES}
    if key in tables:
        return label(tables[key], v)
    if isinstance(v, (int, float)):
        return format_number(v)
    if isinstance(v, list):
        return _many([str(x) for x in v])
    text = " ".join(str(v).split())
    return text if len(text) <= LONG else text[: LONG - 1] + "…"


def details(entry: AuditEntry, names: Names, zone: tzinfo) -> str:
    """"Title: Old → New · Capacity: 30 → 50": each changed field, then the other facts."""
    field = lambda key: label(AUDIT_DETAIL_LABELS, key)  # noqa: E731
    parts = []
    changes = entry.details.get("changes")
    if isinstance(changes, dict):
        for key, change in changes.items():
            # Translators: one changed field in the audit log: its name, the value before and the value after.
            parts.append(_("{field}: {before} → {after}").format(
                field=field(key), before=value(key, change.get("before"), entry, names, zone),
                after=value(key, change.get("after"), entry, names, zone)))
        if not changes:
            parts.append(_("Saved without changes to what the log keeps."))
    for key, v in entry.details.items():
        if key == "changes" or (key == "moved_up" and not v) or (key == "name" and entry.action in ON_A_PLACE):
            continue
        # Translators: one fact of an audit log entry: its name and value ("Reason: The room is closed.").
        parts.append(_("{field}: {value}").format(field=field(key), value=value(key, v, entry, names, zone)))
    return " · ".join(parts)


def columns() -> tuple[str, ...]:
    return _("When"), _("Who"), _("Action"), _("Event"), _("What"), _("Details")


def frame(entries: list[AuditEntry], names: Names, zone: tzinfo, *, for_file: bool = False) -> pd.DataFrame:
    """The entries as a table; in a file, the time is a real date and time (in ``zone``)."""
    when, *rest = columns()
    if for_file:
        # Translators: the time column of an exported audit log, with the time zone its times are in.
        when = _("Time ({zone})").format(zone=getattr(zone, "key", str(zone)))
    rows = [
        dict(zip((when, *rest), (
            e.at.astimezone(zone) if for_file else moment(e.at, zone), who(e), label(AUDIT_ACTIONS, e.action),
            names.event(e.event_id) if e.event_id is not None else "", subject(e), details(e, names, zone),
        )))
        for e in entries
    ]
    return pd.DataFrame(rows, columns=[when, *rest])


def export(p, actor_of, filters: dict, zone: tzinfo, kind: str) -> bytes:
    """The whole filtered log as a CSV or XLSX file, if ``actor_of()`` may still read it (asked
    when the button is pressed, outside the page's run)."""
    from planner.outputs.spreadsheets import csv_bytes, xlsx_bytes

    try:
        actor = actor_of()
        table = frame(p.audit_log(**filters, actor=actor), Names.of(p, actor), zone, for_file=True)
    except PlannerError as err:  # signed out, or no longer an admin
        table = pd.DataFrame({_("Audit log"): [str(err)]})
    return csv_bytes(table) if kind == "csv" else xlsx_bytes({_("Audit log"): table})
