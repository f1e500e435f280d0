"""Events: their fields, speakers and organizations, versions, publishing and cancelling.

An event's own time zone is its venue's; without a room, its summit's; without either (an
online event), the one given or that of its start. Times are stored in UTC at the second.
Saves carry the ``version`` the organizer loaded, so two organizers editing one event cannot
overwrite each other unknowingly; what changes a calendar entry grows its ``sequence``.
Writing functions run inside the caller's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from .. import clock
from .. import validate as check
from ..codes import (
    Moment,
    EVENT_STATUS_LABELS,
    EVENT_STATUSES,
    FORMAT_LABELS,
    FORMATS,
    ORGANIZATION_ROLE_LABELS,
    ORGANIZATION_ROLES,
    REGISTRATION_MODE_LABELS,
    REGISTRATION_MODES_OFFERED,
    SPEAKER_ROLE_LABELS,
    SPEAKER_ROLES,
)
from ..db import from_db_time, to_db_time
from ..errors import NotFound, StaleEdit, ValidationError
from ..i18n import N_, format_pattern
from ..i18n import _ as translate
from ..models import Event, EventChange, EventOrganization, Room, Speaker, Summit, Venue, ZoneChange, ZoneTimes
from ..text import match_key
from . import catalog, registrations, translations
from .conflicts import find_conflicts

# Changing any of these changes what a calendar shows, so the event's SEQUENCE grows.
SEQUENCE_FIELDS = ("title", "starts_at", "ends_at", "room_id", "online_url")
FIELDS = (
    "title", "description", "summit_id", "room_id", "online_url", "format", "starts_at", "ends_at",
    "capacity", "timezone", "speakers", "organizations", "registration_mode", "join_link_public", "reminder_hours",
)
REMINDER_DEFAULT = 24  # hours before the start; None: no reminder
PUBLIC = "e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL)"

_SELECT = """
SELECT e.*,
       r.venue_id AS r_venue_id, r.name AS r_name, r.capacity AS r_capacity,
       r.accessibility AS r_accessibility,
       v.name AS v_name, v.address AS v_address, v.timezone AS v_timezone,
       s.name AS s_name, s.city AS s_city, s.timezone AS s_timezone,
       s.starts_on AS s_starts_on, s.ends_on AS s_ends_on
FROM events e
LEFT JOIN rooms r ON r.id = e.room_id
LEFT JOIN venues v ON v.id = r.venue_id
LEFT JOIN summits s ON s.id = e.summit_id
"""


# ---------------------------------------------------------------------- reading


def select(db, where: str = "", params: list | tuple = ()) -> list[Event]:
    """Events matching a WHERE clause over ``events e``, in time order, with their people."""
    rows = db.execute(f"{_SELECT} {where} ORDER BY e.starts_at, e.id", list(params)).fetchall()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    speakers, organizations = _people_of(db, ids if len(ids) < 500 else None)
    originals, translated = translations.of_events(db, ids if len(ids) < 500 else None)
    return [_from_row(r, tuple(speakers.get(r["id"], ())), tuple(organizations.get(r["id"], ())),
                      originals.get(r["id"], translations.DEFAULT), translated.get(r["id"], {})) for r in rows]


def to_come_at_venue(db, venue_id: int) -> list[Event]:
    """The events in the venue's rooms that have not ended (any status), by start: the ones a
    new zone asks about (``catalog.update_venue``)."""
    return select(db, f"WHERE e.{catalog.AT_VENUE} AND e.{catalog.NOT_ENDED}", [venue_id, to_db_time(clock.now())])


def zone_change(db, venue_id: int, timezone: str) -> ZoneChange:
    """What the venue's new zone ``timezone`` would do to its events to come if they kept their
    local times (``catalog.update_venue(keep_local_times=True)``), before it is saved: each
    one's new times and registration counts, the readings the new zone skips or has twice, and the clashes that would
    make among all events that are not cancelled and are not there now."""
    venue = catalog.get_venue(db, venue_id)
    zone = check.timezone(timezone, stored=venue.timezone)
    old, new = ZoneInfo(venue.timezone), ZoneInfo(zone)
    place = replace(venue, timezone=zone)
    times = []
    for e in to_come_at_venue(db, venue.id) if zone != venue.timezone else []:
        starts, ends = (catalog.kept_local(m, old, new) for m in (e.starts_at, e.ends_at))
        room = replace(e.room, venue=place) if e.room is not None else None
        moved = replace(e, starts_at=starts, ends_at=ends, timezone=zone, venue=place, room=room)
        readings = {"start": (e.local_start, moved.local_start), "end": (e.local_end, moved.local_end)}
        skipped = tuple(k for k, (was, now) in readings.items() if was.replace(tzinfo=None) != now.replace(tzinfo=None))
        twice = tuple(k for k, (was, _now) in readings.items() if k not in skipped
                      and was.replace(tzinfo=new, fold=0).utcoffset() != was.replace(tzinfo=new, fold=1).utcoffset())
        times.append(ZoneTimes(e, moved, registrations.counts(db, e.id), skipped, twice))
    shifted = {t.moved.id: t.moved for t in times}
    clashes: tuple = ()
    if shifted:
        live = select(db, "WHERE e.status != 'cancelled'")
        there = {(c.kind, frozenset(c.event_ids)) for c in find_conflicts(live)}
        clashes = tuple(c for c in find_conflicts([shifted.get(e.id, e) for e in live])
                        if (c.kind, frozenset(c.event_ids)) not in there and shifted.keys() & set(c.event_ids))
    return ZoneChange(venue, zone, tuple(times), clashes)


def on_room_capacity(db, room_id: int) -> list[Event]:
    """The events still to come in the room, not cancelled, that take its capacity as theirs, by
    start: a new capacity is theirs too."""
    return select(db, "WHERE e.room_id = ? AND e.capacity IS NULL AND e.status != 'cancelled'"
                      f" AND e.{catalog.NOT_ENDED}", [room_id, to_db_time(clock.now())])


def get_event(db, event_id) -> Event:
    found = select(db, "WHERE e.id = ?", [check.id(event_id)])
    if not found:
        raise NotFound("no_event", id=event_id)
    return found[0]


def list_events(db, summit_id=None, status=None) -> list[Event]:
    where, params = [], []
    if summit_id is not None:
        where.append("e.summit_id = ?")
        params.append(check.id(summit_id))
    if status is not None:
        where.append("e.status = ?")
        params.append(check.choice(status, EVENT_STATUSES, "status", N_("Status"), EVENT_STATUS_LABELS))
    return select(db, ("WHERE " + " AND ".join(where)) if where else "", params)


def public_events(db) -> list[Event]:
    return select(db, f"WHERE {PUBLIC}")


def filter_programme(events: list[Event], *, summit_id=None, day: date | None = None, organization=None,
                     format=None, query=None) -> list[Event]:
    """The public programme narrowed down; ``day`` is a date in each event's own zone;
    ``organization`` and ``query`` match ignoring case and accents (in every script), ``query``
    the title and description in any of the event's languages."""
    if summit_id is not None:
        summit_id = check.id(summit_id)
        events = [e for e in events if e.summit_id == summit_id]
    if day is not None:
        events = [e for e in events if e.local_start.date() == day]
    if format:
        events = [e for e in events if e.format == format]
    if organization:
        key = match_key(organization)
        events = [e for e in events if any(match_key(o.name) == key for o in e.public_organizations)]
    if query and query.strip():
        words = match_key(query).split()
        events = [e for e in events if all(w in _search_text(e) for w in words)]
    return events


def refresh_name_keys(db) -> None:
    """Writes the people's and organizations' ``name_key`` again where ``match_key`` now gives
    another (it learnt Cyrillic "й" and Arabic letter forms, issue #13), so they sort and match
    as new names do. Two organizations whose keys now meet keep the older key (UNIQUE)."""
    for table in ("people", "organizations"):
        for row_id, name, key in db.execute(f"SELECT id, name, name_key FROM {table}").fetchall():
            if match_key(name) != key:
                db.execute(f"UPDATE OR IGNORE {table} SET name_key = ? WHERE id = ?", [match_key(name), row_id])


def organization_names(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM organizations ORDER BY name_key")]


def people(db) -> list[dict]:
    rows = db.execute("SELECT id, name, email, affiliation FROM people ORDER BY name_key").fetchall()
    return [dict(r) for r in rows]


# ---------------------------------------------------------------------- checking fields


def check_fields(db, *, title, starts_at, ends_at, summit_id=None, room_id=None, online_url=None, format=None,
                 capacity=None, description="", speakers=(), organizations=(), timezone=None,
                 registration_mode="open", join_link_public=False, reminder_hours=REMINDER_DEFAULT,
                 stored_zone=None) -> dict:
    """Validate and normalise everything an event is made of (writes nothing). ``stored_zone``:
    the zone the event already has, accepted even if it is a name refused since."""
    given_start_zone = getattr(starts_at, "tzinfo", None)
    title = check.text(title, "title", N_("Title"), max_length=check.TITLE_MAX)
    description = check.long_text(description, "description", N_("Description"))
    # Compare instants in UTC (same-zone datetimes compare by wall clock, which is wrong
    # across a clock change), at the second precision that is stored.
    starts_at, ends_at = _check_times(starts_at, ends_at)
    online_url = check.web_link(online_url)
    capacity = check.capacity(capacity)
    summit = catalog.get_summit(db, summit_id) if summit_id is not None else None
    room = catalog.get_room(db, room_id) if room_id is not None else None
    if format is None or format == "":
        format = "hybrid" if room and online_url else "online" if online_url else "in_person"
    else:
        format = check.choice(str(format).replace(" ", "_").replace("-", "_"), FORMATS, "format", N_("Format"),
                              FORMAT_LABELS)
        if format == "online" and room:
            raise ValidationError("online_with_room", field="format")
        if format == "in_person" and online_url:
            raise ValidationError("in_person_with_link", field="format")
    given_zone = check.timezone(timezone, stored=stored_zone) if timezone else None
    if room:
        zone = room.venue.timezone
    elif summit:
        zone = summit.timezone
    else:
        zone = given_zone or getattr(given_start_zone, "key", None) or "UTC"
    return {
        "title": title, "description": description,
        "summit_id": summit.id if summit else None, "room_id": room.id if room else None,
        "online_url": online_url, "format": format, "timezone": zone,
        "starts_at": starts_at, "ends_at": ends_at, "capacity": capacity,
        "speakers": _check_speakers(speakers), "organizations": _check_organizations(organizations),
        **_check_registration(registration_mode, join_link_public),
        "reminder_hours": _check_reminder(reminder_hours),
    }


def _check_times(starts_at, ends_at):
    """Start and end as UTC instants, the end after the start and at most 31 days later."""
    utc = ZoneInfo("UTC")
    starts_at = check.aware(starts_at, "starts_at", N_("Start")).astimezone(utc).replace(microsecond=0)
    ends_at = check.aware(ends_at, "ends_at", N_("End")).astimezone(utc).replace(microsecond=0)
    if ends_at <= starts_at:
        raise ValidationError("event_ends_before_start", field="ends_at")
    if ends_at - starts_at > timedelta(days=31):
        raise ValidationError("event_too_long", field="ends_at")
    return starts_at, ends_at


def _check_reminder(hours) -> int | None:
    """Hours before the start (1 to 336, two weeks) for the reminder to confirmed guests;
    None (or 0) for none."""
    if hours is None or hours == 0:
        return None
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 336:
        raise ValidationError("reminder_hours", field="reminder_hours")
    return hours


def _check_registration(registration_mode, join_link_public) -> dict:
    """How open registration is (only the modes that work can be chosen) and whether the join
    link is public (a real yes or no)."""
    if not isinstance(join_link_public, bool):
        raise ValidationError("not_a_choice", field="join_link_public", value=str(join_link_public),
                              label=N_("Show the online link to everyone"), choices=N_("yes or no"))
    return {
        "registration_mode": check.choice(registration_mode, REGISTRATION_MODES_OFFERED, "registration_mode",
                                          N_("Registration"), REGISTRATION_MODE_LABELS),
        "join_link_public": join_link_public,
    }


def reject_unknown_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValidationError("event_no_field", field=unknown[0], names=", ".join(unknown))


def as_fields(event: Event) -> dict:
    """An event as the keyword arguments ``create_event`` takes."""
    return {
        "title": event.title, "description": event.description, "summit_id": event.summit_id,
        "room_id": event.room_id, "online_url": event.online_url, "format": event.format,
        "starts_at": event.starts_at, "ends_at": event.ends_at,
        "capacity": None if event.capacity_is_default else event.capacity, "timezone": event.timezone,
        "speakers": [{"name": s.name, "affiliation": s.affiliation, "email": s.email, "role": s.role}
                     for s in event.speakers],
        "organizations": [{"name": o.name, "role": o.role} for o in event.organizations],
        "registration_mode": event.registration_mode, "join_link_public": event.join_link_public,
        "reminder_hours": event.reminder_hours,
    }


def _check_speakers(speakers) -> list[dict]:
    return [_check_speaker(n, s) for n, s in enumerate(speakers or (), start=1)]


def _check_speaker(n: int, s) -> dict:
    """Speaker ``n`` (counted from 1); a refusal carries ``row=n`` so a form can show it on that row."""
    if not isinstance(s, dict):
        raise ValidationError("speaker_not_mapping", field="speakers", n=n, row=n)
    try:
        name = check.text(s.get("name"), "speakers", N_("Name of speaker {n}").format(n=n))
        return {
            "name": name,
            "affiliation": check.text(s.get("affiliation"), "speakers", N_("Affiliation of {name}").format(name=name),
                                      required=False),
            "email": check.email(s.get("email"), "speakers", required=False),
            "role": check.choice(s.get("role") or "speaker", SPEAKER_ROLES, "speakers", N_("Speaker role"),
                                 SPEAKER_ROLE_LABELS),
        }
    except ValidationError as err:
        err.params.setdefault("row", n)
        raise


def _check_organizations(organizations) -> list[dict]:
    result, seen = [], set()
    for n, o in enumerate(organizations or (), start=1):
        checked = _check_organization(n, o)
        if (match_key(checked["name"]), checked["role"]) not in seen:
            seen.add((match_key(checked["name"]), checked["role"]))
            result.append(checked)
    return result


def _check_organization(n: int, o) -> dict:
    """Organization ``n`` (counted from 1); a refusal carries ``row=n``."""
    if not isinstance(o, dict):
        raise ValidationError("organization_not_mapping", field="organizations", n=n, row=n)
    try:
        name = check.text(o.get("name"), "organizations", N_("Name of organization {n}").format(n=n))
        role = check.choice(o.get("role") or "co-sponsor", ORGANIZATION_ROLES, "organizations",
                            N_("Organization role"), ORGANIZATION_ROLE_LABELS)
    except ValidationError as err:
        err.params.setdefault("row", n)
        raise
    return {"name": name, "role": role}


def problems(db, event_id, fields: dict) -> list[ValidationError]:
    """Every problem with an event's fields at once (``check_fields`` stops at the first), each
    naming its ``field`` (and, for a speaker or an organization, its ``row``), in the order a
    form shows the fields. Nothing written; an empty list when ``check_fields`` would pass."""
    reject_unknown_fields(fields)
    base = as_fields(get_event(db, event_id)) if event_id is not None else {}
    stored_zone = base.get("timezone")
    if base and ("room_id" in fields or "online_url" in fields) and "format" not in fields:
        base["format"] = None
    base.update(fields)
    found: list[ValidationError] = []

    def attempt(rule, *args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except ValidationError as err:
            found.append(err)
        except NotFound as err:  # a room or summit deleted meanwhile
            found.append(ValidationError(err.code, field="room_id" if err.code == "no_room" else "summit_id",
                                         **err.params))
        return None

    attempt(check.text, base.get("title"), "title", N_("Title"), max_length=check.TITLE_MAX)
    if base.get("summit_id") is not None:
        attempt(catalog.get_summit, db, base["summit_id"])
    if base.get("room_id") is not None:
        attempt(catalog.get_room, db, base["room_id"])
    attempt(check.web_link, base.get("online_url"))
    for which, label in (("starts_at", N_("Start")), ("ends_at", N_("End"))):
        if base.get(which) is None:
            found.append(ValidationError("required", field=which, label=label))
    if base.get("starts_at") is not None and base.get("ends_at") is not None:
        attempt(_check_times, base["starts_at"], base["ends_at"])
    attempt(check.capacity, base.get("capacity"))
    attempt(check.long_text, base.get("description"), "description", N_("Description"))
    for n, s in enumerate(base.get("speakers") or (), start=1):
        attempt(_check_speaker, n, s)
    for n, o in enumerate(base.get("organizations") or (), start=1):
        attempt(_check_organization, n, o)
    if not found:  # what only the whole can say (a format that contradicts the place, a zone …)
        try:
            check_fields(db, **{k: base[k] for k in FIELDS if k in base}, stored_zone=stored_zone)
        except ValidationError as err:
            found.append(err)
    return found


# ---------------------------------------------------------------------- writing


def confirm_date(starts_at, zone: str, allow_past: bool) -> None:
    """An event dated in the past is a typo more often than not: refused with the date (in
    the event's zone) unless ``allow_past`` says the organizer confirmed it."""
    if not allow_past and starts_at < clock.now():
        raise ValidationError("event_in_the_past", field="starts_at", when=Moment(starts_at.astimezone(ZoneInfo(zone))))


def create(db, fields: dict, allow_past: bool) -> int:
    """Writes a draft from checked fields; returns its id. A start in the past needs
    ``allow_past``."""
    confirm_date(fields["starts_at"], fields["timezone"], allow_past)
    now = to_db_time(clock.now())
    event_id = db["events"].insert(
        {**_columns(fields), "uid": f"{uuid.uuid4()}@side-event-planner", "status": "draft", "version": 1,
         "sequence": 0, "created_at": now, "updated_at": now}
    ).last_pk
    _save_people(db, event_id, fields["speakers"])
    _save_organizations(db, event_id, fields["organizations"])
    return event_id


def update(db, event_id, version: int, changes: dict, allow_past: bool) -> list[int]:
    """Writes the changes if ``version`` is still the latest (else ``StaleEdit``, nothing
    written). Returns who moved up from the waiting list (more seats move it at once). Moving
    the start to another time in the past needs ``allow_past``; other changes to an event
    that has taken place (a typo in its title) do not."""
    reject_unknown_fields(changes)
    current = get_event(db, event_id)
    if current.status == "cancelled":
        raise ValidationError("event_cancelled_no_edit")
    merged = as_fields(current)
    if ("room_id" in changes or "online_url" in changes) and "format" not in changes:
        merged["format"] = None  # derive it again for the new place
    merged.update(changes)
    fields = check_fields(db, **merged, stored_zone=current.timezone)
    if fields["starts_at"] != current.starts_at:
        confirm_date(fields["starts_at"], fields["timezone"], allow_past)
    if current.room_id is not None and fields["room_id"] is None and fields["capacity"] is None:
        # Leaving a room keeps its number of places: "no limit" would confirm the whole
        # waiting list at once, which cannot be undone. Organizers can change it after.
        fields["capacity"] = current.capacity
    columns = _columns(fields)
    old_columns = _columns(check_fields(db, **as_fields(current), stored_zone=current.timezone))
    bump = any(columns[k] != old_columns[k] for k in SEQUENCE_FIELDS)
    cursor = db.execute(
        "UPDATE events SET " + ", ".join(f"{k} = ?" for k in columns)
        + ", version = version + 1, sequence = sequence + ?, updated_at = ? WHERE id = ? AND version = ?",
        [*columns.values(), 1 if bump else 0, to_db_time(clock.now()), current.id, version],
    )
    if cursor.rowcount == 0:
        raise stale(db, current.id)
    if "speakers" in changes:
        _save_people(db, current.id, fields["speakers"])
    if "organizations" in changes:
        _save_organizations(db, current.id, fields["organizations"])
    return registrations.promote(db, current.id)


def stale(db, event_id: int) -> StaleEdit:
    return StaleEdit("stale_edit", current=get_event(db, event_id))


def copy_title(title: str) -> str:
    copy = str(N_("{title} (copy)").format(title=title))
    return copy if len(copy) <= check.TITLE_MAX else title


def publish(db, event: Event, accepted: set[int] | None, version: int | None, allow_past: bool) -> None:
    """Writes. ``accepted``: None for any room clash, else the ids of the clashing events the
    organizer was shown, so a booking made after that is still refused. An event dated in the
    past needs ``allow_past``."""
    if event.status == "cancelled":
        raise ValidationError("publish_cancelled", field="status")
    confirm_date(event.starts_at, event.timezone, allow_past)
    if event.room_id is None or accepted is None:
        return set_status(db, event, "published", version=version)
    # Only events in the same room at overlapping times can clash over the room.
    overlapping = [event.room_id, event.id, to_db_time(event.ends_at), to_db_time(event.starts_at)]
    neighbours = select(
        db, "WHERE e.room_id = ? AND e.id != ? AND e.status != 'cancelled' AND e.starts_at < ? AND e.ends_at > ?",
        overlapping,
    )
    for clash in find_conflicts([event, *neighbours], focus_id=event.id):
        if clash.kind == "room" and not set(clash.event_ids) - {event.id} <= accepted:
            raise ValidationError("room_clash_confirm", field="room_id", clash=clash.lazy_message)
    # The rule itself, asked of the rows: whatever the sweep above saw, a room is never
    # double-booked without the organizer's confirmation.
    for other_id, title in db.execute(
        "SELECT id, title FROM events WHERE room_id = ? AND id != ? AND status != 'cancelled'"
        " AND starts_at < ? AND ends_at > ?", overlapping,
    ).fetchall():
        if other_id not in accepted:
            raise ValidationError("room_just_booked", field="room_id", other=title)
    set_status(db, event, "published", version=version)


def set_status(db, event: Event, status: str, *, version: int | None, reason: str = "") -> None:
    """Writes a status change if the version is still the latest (else ``StaleEdit``)."""
    now = to_db_time(clock.now())
    cursor = db.execute(
        "UPDATE events SET status = ?, cancel_reason = ?, version = version + 1, sequence = sequence + ?,"
        " updated_at = ?, published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END"
        " WHERE id = ? AND version = ?",
        [status, reason, 1 if status == "cancelled" else 0, now, status, now, event.id,
         event.version if version is None else version],
    )
    if cursor.rowcount == 0:
        raise stale(db, event.id)


def draft(db, event_id: int, fields: dict) -> Event:
    """An unsaved event made of checked fields (to preview its clashes)."""
    room = catalog.get_room(db, fields["room_id"]) if fields["room_id"] else None
    summit = catalog.get_summit(db, fields["summit_id"]) if fields["summit_id"] else None
    now = clock.now()
    return Event(
        id=event_id, uid="", title=fields["title"], description=fields["description"],
        summit_id=fields["summit_id"], room_id=fields["room_id"], online_url=fields["online_url"],
        format=fields["format"], timezone=fields["timezone"], starts_at=fields["starts_at"],
        ends_at=fields["ends_at"], capacity=fields["capacity"] or (room.capacity if room else None),
        capacity_is_default=fields["capacity"] is None, status="draft", cancel_reason="", version=0, sequence=0,
        created_at=now, updated_at=now, published_at=None,
        speakers=tuple(Speaker(0, s["name"], s["affiliation"], s["email"], s["role"]) for s in fields["speakers"]),
        organizations=tuple(EventOrganization(0, o["name"], o["role"]) for o in fields["organizations"]),
        room=room, venue=room.venue if room else None, summit=summit,
        registration_mode=fields["registration_mode"], join_link_public=fields["join_link_public"],
        reminder_hours=fields["reminder_hours"],
    )


def preview_conflicts(db, event_id, fields: dict):
    """The clashes an event would have with these fields, before it is saved."""
    reject_unknown_fields(fields)
    base = as_fields(get_event(db, event_id)) if event_id is not None else {}
    stored_zone = base.get("timezone")
    if base and ("room_id" in fields or "online_url" in fields) and "format" not in fields:
        base["format"] = None  # derived again for the new place, as update does
    base.update(fields)
    for required, label in (("title", N_("Title")), ("starts_at", N_("Start")), ("ends_at", N_("End"))):
        if base.get(required) is None:
            raise ValidationError("required", field=required, label=label)
    checked = check_fields(db, **{k: base[k] for k in FIELDS if k in base}, stored_zone=stored_zone)
    candidate = draft(db, event_id or 0, checked)
    others = [e for e in select(db, "WHERE e.status != 'cancelled'") if e.id != event_id]
    return find_conflicts([*others, candidate], focus_id=candidate.id)


def changes_between(before: Event, after: Event) -> list[EventChange]:
    """What differs between two versions of an event, in the active language."""
    found = []

    def add(label, a, b):
        if a != b:
            found.append(EventChange(str(label), str(a or "—"), str(b or "—")))

    # Translators: a CLDR date pattern: "Tue 20 Oct 2026 10:00" in English.
    when = translate("EEE d MMM y HH:mm")
    add(N_("Title"), before.title, after.title)
    add(N_("Starts"), format_pattern(before.local_start, when), format_pattern(after.local_start, when))
    add(N_("Ends"), format_pattern(before.local_end, when), format_pattern(after.local_end, when))
    add(N_("Place"), before.place, after.place)
    add(N_("Online link"), before.online_url, after.online_url)
    add(N_("Capacity"), before.capacity, after.capacity)
    add(N_("Status"), EVENT_STATUS_LABELS[before.status], EVENT_STATUS_LABELS[after.status])
    add(N_("Description"), before.description, after.description)
    add(N_("Registration"), REGISTRATION_MODE_LABELS[before.registration_mode],
        REGISTRATION_MODE_LABELS[after.registration_mode])
    add(N_("Online link shown to everyone"), _yes_no(before.join_link_public), _yes_no(after.join_link_public))
    add(N_("Speakers"), _people_line(before.speakers, SPEAKER_ROLE_LABELS),
        _people_line(after.speakers, SPEAKER_ROLE_LABELS))
    add(N_("Organizations"), _people_line(before.organizations, ORGANIZATION_ROLE_LABELS),
        _people_line(after.organizations, ORGANIZATION_ROLE_LABELS))
    return found


def _yes_no(value: bool) -> str:
    return translate("Yes") if value else translate("No")


def _people_line(entries, labels) -> str:
    return "; ".join(str(N_("{name} ({role})").format(name=x.name, role=labels[x.role])) for x in entries)


# ---------------------------------------------------------------------- rows


def _columns(fields: dict) -> dict:
    return {
        "title": fields["title"], "description": fields["description"], "summit_id": fields["summit_id"],
        "room_id": fields["room_id"], "online_url": fields["online_url"], "format": fields["format"],
        "timezone": fields["timezone"], "starts_at": to_db_time(fields["starts_at"]),
        "ends_at": to_db_time(fields["ends_at"]), "capacity": fields["capacity"],
        "registration_mode": fields["registration_mode"], "join_link_public": int(fields["join_link_public"]),
        "reminder_hours": fields["reminder_hours"],
    }


def _save_people(db, event_id: int, speakers: list[dict]) -> None:
    """Store an event's speakers, re-using the person already known by email or name."""
    db.execute("DELETE FROM event_speakers WHERE event_id = ?", [event_id])
    for position, s in enumerate(speakers):
        key = match_key(s["name"])
        if s["email"]:
            row = db.execute("SELECT id FROM people WHERE email = ?", [s["email"]]).fetchone()
            if row is None:
                row = db.execute(
                    "SELECT id FROM people WHERE name_key = ? AND email IS NULL ORDER BY id LIMIT 1", [key]
                ).fetchone()
        else:
            row = db.execute("SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1", [key]).fetchone()
        if row is None:
            person_id = db["people"].insert(
                {"name": s["name"], "name_key": key, "email": s["email"], "affiliation": s["affiliation"]}
            ).last_pk
        else:
            person_id = row[0]
            db.execute(
                "UPDATE people SET email = coalesce(email, ?),"
                " affiliation = CASE WHEN ? != '' THEN ? ELSE affiliation END WHERE id = ?",
                [s["email"], s["affiliation"], s["affiliation"], person_id],
            )
        db.execute(
            "INSERT INTO event_speakers (event_id, position, person_id, role, affiliation) VALUES (?, ?, ?, ?, ?)",
            [event_id, position, person_id, s["role"], s["affiliation"]],
        )


def _save_organizations(db, event_id: int, organizations: list[dict]) -> None:
    """Store an event's organizations, re-using the organization already known by name."""
    db.execute("DELETE FROM event_organizations WHERE event_id = ?", [event_id])
    for position, o in enumerate(organizations):
        key = match_key(o["name"])
        row = db.execute("SELECT id FROM organizations WHERE name_key = ?", [key]).fetchone()
        org_id = row[0] if row else db["organizations"].insert({"name": o["name"], "name_key": key}).last_pk
        db.execute(
            "INSERT INTO event_organizations (event_id, position, organization_id, role) VALUES (?, ?, ?, ?)",
            [event_id, position, org_id, o["role"]],
        )


def _people_of(db, ids: list[int] | None) -> tuple[dict, dict]:
    """Speakers and organizations of the given events (of all events when ids is None)."""
    where, params = "", []
    if ids is not None:
        where = f"WHERE event_id IN ({','.join('?' * len(ids))})"
        params = ids
    from . import sign_on  # issue #14: who agreed to be named

    organization_answers, speaker_answers, showing_invited = sign_on.overlay(db, ids)
    speakers: dict[int, list[Speaker]] = {}
    for r in db.execute(
        "SELECT es.event_id, es.person_id, p.name, es.affiliation, p.email, es.role"
        f" FROM event_speakers es JOIN people p ON p.id = es.person_id {where.replace('event_id', 'es.event_id')}"
        " ORDER BY es.event_id, es.position",
        params,
    ):
        asked = speaker_answers.get((r[0], r[1]))
        if asked is None:  # added without a request: the organizer vouches for them (issue #14)
            speakers.setdefault(r[0], []).append(Speaker(r[1], r[2], r[3], r[4], r[5]))
        else:
            status, bio, photo, attendance, speaks = asked
            speakers.setdefault(r[0], []).append(Speaker(r[1], r[2], r[3], r[4], r[5], status, bio, photo,
                                                         attendance, speaks))
    organizations: dict[int, list[EventOrganization]] = {}
    for r in db.execute(
        "SELECT eo.event_id, eo.organization_id, o.name, eo.role FROM event_organizations eo"
        f" JOIN organizations o ON o.id = eo.organization_id {where.replace('event_id', 'eo.event_id')}"
        " ORDER BY eo.event_id, eo.position",
        params,
    ):
        asked = organization_answers.get((r[0], r[1], r[3]))
        if asked is None:
            organizations.setdefault(r[0], []).append(EventOrganization(r[1], r[2], r[3]))
        else:
            status, display_name, logo = asked
            if status == "pending" and r[0] in showing_invited:
                status = "invited"
            organizations.setdefault(r[0], []).append(EventOrganization(r[1], r[2], r[3], status, display_name, logo))
    return speakers, organizations


def _from_row(r, speakers: tuple, organizations: tuple, original: str = translations.DEFAULT,
              translated: dict | None = None) -> Event:
    venue = room = summit = None
    if r["room_id"] is not None:
        venue = Venue(r["r_venue_id"], r["v_name"], r["v_address"], r["v_timezone"])
        room = Room(r["room_id"], r["r_venue_id"], r["r_name"], r["r_capacity"], r["r_accessibility"], venue)
    if r["summit_id"] is not None:
        summit = Summit(r["summit_id"], r["s_name"], r["s_city"], r["s_timezone"],
                        date.fromisoformat(r["s_starts_on"]), date.fromisoformat(r["s_ends_on"]))
    capacity = r["capacity"] if r["capacity"] is not None else (room.capacity if room else None)
    return Event(
        id=r["id"], uid=r["uid"], title=r["title"], description=r["description"], summit_id=r["summit_id"],
        room_id=r["room_id"], online_url=r["online_url"], format=r["format"], timezone=r["timezone"],
        starts_at=from_db_time(r["starts_at"]), ends_at=from_db_time(r["ends_at"]), capacity=capacity,
        capacity_is_default=r["capacity"] is None, status=r["status"], cancel_reason=r["cancel_reason"],
        version=r["version"], sequence=r["sequence"], created_at=from_db_time(r["created_at"]),
        updated_at=from_db_time(r["updated_at"]), published_at=from_db_time(r["published_at"]),
        speakers=speakers, organizations=organizations, room=room, venue=venue, summit=summit,
        registration_mode=r["registration_mode"], join_link_public=bool(r["join_link_public"]),
        reminder_hours=r["reminder_hours"], language=original, original_language=original,
        translations=translated or {},
    )


def _search_text(event: Event) -> str:
    """What a programme search looks in: title and description in every language the event
    has (issue #13), place, people, organizations and summit."""
    parts = [event.title, event.description, event.place]
    parts += [f"{title} {description}" for title, description in event.translations.values()]
    # Only the names the public may see (issue #14): a search must not tell who was merely asked.
    parts += [f"{s.name} {s.affiliation}" for s in event.public_speakers]
    parts += [f"{o.name} {o.display_name}" for o in event.public_organizations]
    if event.summit:
        parts.append(event.summit.name)
    return match_key(" ".join(parts))
