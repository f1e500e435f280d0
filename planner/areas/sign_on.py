"""Co-sponsor sign-on and speaker confirmations (issue #14): every name on a public page agreed.

Why: a coalition's event lists organizations as hosts, co-sponsors or endorsers and speakers by
name; until now the organizer typed them in and they were public the moment the event was,
whether or not anyone had said yes. Now:

* **Organizations.** An organizer sends a request to an organization's contact (its email); the
  contact's private link (``/sign-on?t=…``) lists *every* request of that organization sent to
  that address, across events, so the same person signs for the same organization once they are
  known. They confirm or decline each, give the name to display and, if wanted, a logo
  (``planner/images.py``). A request is per event, organization and role (the event's
  organization rows are written again on each save, so they cannot hold it).
* **Speakers.** A request per event and speaker, to the speaker's email; the link
  (``/speaker?t=…``) takes the answer, a short bio, a photo, the name as on the ID document (for
  the host's security list), how they take part and their language.
* **What is public** (``Event.public_organizations``/``public_speakers``, filled by
  ``overlay`` when events are read): an organization or speaker added without a request is
  confirmed (the organizer vouches, as before); once asked, it is "pending" until answered, and
  public outputs name confirmed ones only; pending organizations appear as "invited" only where
  the organizer chose so per event (``sign_on_settings.show_invited``), never as confirmed.
* **Answers** count from the first; they can change until the event is published (after that,
  the public page may already show them). A request expires with its event: once the event has
  ended, or was cancelled, nothing can be answered. Requests can be sent again on demand, at
  most once an hour (``REMIND_AFTER``).

Links: the contact's token is derived from the contact's id, the speaker's from the request's id
(``ticket_codes.sign_on_token`` / ``speaker_token``, labels of their own), so a message sent later
can carry them while the tables keep only their SHA-256; each opens its own kind of request only.

Writing functions run inside the caller's ``BEGIN IMMEDIATE`` (``request_sign_ons_for`` is the
one the call for proposals uses when it accepts one); reading ones inside its read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import clock, security
from .. import validate as check
from ..access import SYSTEM, Actor
from ..codes import ORGANIZATION_ROLE_LABELS, ORGANIZATION_ROLES, SPEAKER_ATTENDANCE, SPEAKER_ATTENDANCE_LABELS
from ..db import from_db_time, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import Event
from ..text import match_key
from . import audit, events, outbox, registrations

REMIND_AFTER = timedelta(hours=1)  # a request is sent again at most this often
BIO_MAX = 1000


# ---------------------------------------------------------------------- what callers get


@dataclass(frozen=True)
class SignOnRequest:
    """One request as its organization's contact sees it. ``status``: "pending", "confirmed" or
    "declined"; ``changeable``: the answer can still be given or changed."""

    id: int
    event: Event
    organization: str
    role: str
    status: str
    display_name: str
    logo: str | None
    answered_at: datetime | None
    changeable: bool
    changed: bool = False  # this call wrote the answer


@dataclass(frozen=True)
class SignOn:
    """What a contact's link shows: their organization, their address and every request of
    that organization sent to them whose event has not ended or been cancelled."""

    organization: str
    email: str
    requests: tuple[SignOnRequest, ...]

    @property
    def pending(self) -> tuple[SignOnRequest, ...]:
        return tuple(r for r in self.requests if r.status == "pending" and r.changeable)


@dataclass(frozen=True)
class SpeakerRequest:
    """A speaker's request as their link shows it."""

    id: int
    event: Event
    name: str
    role: str
    status: str
    bio: str
    photo: str | None
    id_name: str
    attendance: str | None
    speaks: str
    answered_at: datetime | None
    changeable: bool
    changed: bool = False


@dataclass(frozen=True)
class OrganizationSignOn:
    """One organization of an event as its organizers see it. ``status``: "vouched" (added
    without asking), "pending" (asked, no answer yet), "confirmed" or "declined"; ``email``
    the contact asked (or, not asked yet, the last contact known for the organization)."""

    organization_id: int
    name: str
    role: str
    status: str
    email: str
    display_name: str = ""
    logo: str | None = None
    requested_at: datetime | None = None
    reminded_at: datetime | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True)
class SpeakerSignOn:
    """One speaker of an event as its organizers see it (statuses as ``OrganizationSignOn``)."""

    person_id: int
    name: str
    role: str
    status: str
    email: str
    bio: str = ""
    photo: str | None = None
    id_name: str = ""
    attendance: str | None = None
    speaks: str = ""
    requested_at: datetime | None = None
    reminded_at: datetime | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True)
class SignOnStatus:
    """Who of an event's organizations and speakers agreed, declined or has not answered."""

    event_id: int
    show_invited: bool
    organizations: tuple[OrganizationSignOn, ...]
    speakers: tuple[SpeakerSignOn, ...]


# ---------------------------------------------------------------------- reading into events


def overlay(db, ids: list[int] | None) -> tuple[dict, dict, set]:
    """For ``events._people_of``: (event, organization, role) → (status, display name, logo),
    (event, person) → (status, bio, photo, attendance, speaks), and the events showing invited
    organizations (of the given events, or all)."""
    where, params = "", []
    if ids is not None:
        where = f" WHERE event_id IN ({','.join('?' * len(ids))})"
        params = ids
    organizations = {
        (r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in db.execute(
            f"SELECT event_id, organization_id, role, status, display_name, logo FROM sign_on_requests{where}", params)
    }
    speakers = {
        (r[0], r[1]): (r[2], r[3], r[4], r[5], r[6]) for r in db.execute(
            f"SELECT event_id, person_id, status, bio, photo, attendance, speaks FROM speaker_requests{where}", params)
    }
    shown = {r[0] for r in db.execute(f"SELECT event_id FROM sign_on_settings{where}"
                                      f"{' AND' if where else ' WHERE'} show_invited = 1", params)}
    return organizations, speakers, shown


# ---------------------------------------------------------------------- helpers


def _closed(event: Event, now: datetime) -> bool:
    """Requests expire with their event: ended, or cancelled."""
    return event.status == "cancelled" or event.ends_at <= now


def _changeable(event: Event, status: str, now: datetime) -> bool:
    return not _closed(event, now) and (status == "pending" or event.status != "published")


def _organization_on(db, event: Event, organization, role) -> tuple[int, str, str]:
    """The organization (by name, ignoring case and accents) on the event in ``role`` (its
    first role there when None): its id, its name and the role."""
    name = check.text(organization, "organization", N_("Organization"))
    if role is not None:
        role = check.choice(role, ORGANIZATION_ROLES, "role", N_("Organization role"), ORGANIZATION_ROLE_LABELS)
    key = match_key(name)
    for o in event.organizations:
        if match_key(o.name) == key and (role is None or o.role == role):
            return o.organization_id, o.name, o.role
    raise ValidationError("sign_on_no_organization", field="organization", name=name)


def _open_event(db, event_id) -> Event:
    event = events.get_event(db, event_id)
    if _closed(event, clock.now()):
        raise ValidationError("sign_on_closed", field="event_id")
    return event


def _contact(db, organization_id: int, email: str) -> int:
    row = db.execute("SELECT id FROM sign_on_contacts WHERE organization_id = ? AND email = ?",
                     [organization_id, email]).fetchone()
    if row is not None:
        return row[0]
    return db["sign_on_contacts"].insert({
        "organization_id": organization_id, "email": email, "created_at": to_db_time(clock.now()),
        "token_hash": f"unset:{secrets.token_hex(16)}",  # set just below, from the id
    }).last_pk


def set_contact_token(db, contact_id: int, token: str) -> None:
    db.execute("UPDATE sign_on_contacts SET token_hash = ? WHERE id = ?", [security.token_hash(token), contact_id])


def known_contacts(db) -> dict[int, str]:
    """Organization id → the address its latest contact was asked at."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT organization_id, email FROM sign_on_contacts c WHERE id = (SELECT max(id) FROM sign_on_contacts"
        " d WHERE d.organization_id = c.organization_id)")}


def _due_again(row) -> None:
    last = from_db_time(row["reminded_at"] or row["requested_at"])
    if clock.now() - last < REMIND_AFTER:
        raise ValidationError("sign_on_remind_too_soon", field="email")


# ---------------------------------------------------------------------- organizations: asking


def request(db, event_id, organization, email, *, role=None, token_for, domain: str, language: str,
            actor: Actor = SYSTEM, remind: bool = False) -> OrganizationSignOn:
    """Writes a sign-on request to ``email`` for ``organization`` on the event (or sends the
    pending one again), its message and an audit entry. ``token_for(contact_id)`` derives the
    contact's link token (only its hash is kept). Refusals: ``sign_on_closed``,
    ``sign_on_no_organization``, ``sign_on_not_pending`` (asking the same address again after
    it answered), ``sign_on_remind_too_soon``, the email's own."""
    event = _open_event(db, event_id)
    organization_id, name, role = _organization_on(db, event, organization, role)
    row = db.execute("SELECT * FROM sign_on_requests WHERE event_id = ? AND organization_id = ? AND role = ?",
                     [event.id, organization_id, role]).fetchone()
    now = to_db_time(clock.now())
    if remind:
        if row is None:
            raise ValidationError("sign_on_no_request", field="organization")
        if row["status"] != "pending":
            raise ValidationError("sign_on_not_pending", field="organization")
        _due_again(row)
        contact_id, email = row["contact_id"], db.execute(
            "SELECT email FROM sign_on_contacts WHERE id = ?", [row["contact_id"]]).fetchone()[0]
        db.execute("UPDATE sign_on_requests SET reminded_at = ? WHERE id = ?", [now, row["id"]])
        request_id = row["id"]
    else:
        email = check.email(email, "email")
        contact_id = _contact(db, organization_id, email)
        set_contact_token(db, contact_id, token_for(contact_id))
        if row is None:
            request_id = db["sign_on_requests"].insert({
                "event_id": event.id, "organization_id": organization_id, "role": role, "contact_id": contact_id,
                "status": "pending", "language": language, "requested_at": now,
            }).last_pk
        elif row["contact_id"] == contact_id:
            if row["status"] != "pending":
                raise ValidationError("sign_on_not_pending", field="email")
            _due_again(row)
            db.execute("UPDATE sign_on_requests SET reminded_at = ? WHERE id = ?", [now, row["id"]])
            request_id = row["id"]
        else:  # another contact: the question goes to them, from the start
            db.execute(
                "UPDATE sign_on_requests SET contact_id = ?, status = 'pending', display_name = '', logo = NULL,"
                " answered_at = NULL, reminded_at = NULL, requested_at = ?, language = ? WHERE id = ?",
                [contact_id, now, language, row["id"]])
            request_id = row["id"]
    outbox.enqueue(db, "sign_on", recipient=email, event_id=event.id, language=language, domain=domain,
                   data={"request_id": request_id, "contact_id": contact_id, "reminder": row is not None})
    audit.record(db, actor, "sign_on_requested", event_id=event.id, subject=f"organization:{organization_id}",
                 organization=name, role=role, reminder=row is not None)
    return next(o for o in status_of(db, event).organizations
                if o.organization_id == organization_id and o.role == role)


def request_sign_ons_for(db, event_id: int, entries, *, token_for, domain: str, language: str = "en",
                         actor: Actor = SYSTEM) -> list[OrganizationSignOn]:
    """Inside the caller's transaction (the call for proposals accepting one): a sign-on request
    for each ``(organization name, role, email)`` of the event; an entry without an email is
    skipped (the organization stays as the organizer entered it). Refuses as ``request``; a
    refusal rolls back the caller's whole transaction."""
    done = []
    for name, role, email in entries:
        if email:
            done.append(request(db, event_id, name, email, role=role, token_for=token_for, domain=domain,
                                language=language, actor=actor))
    return done


def status_of(db, event: Event) -> SignOnStatus:
    """The event's organizations and speakers with where their requests stand (reads)."""
    rows = {(r["organization_id"], r["role"]): r for r in db.execute(
        "SELECT s.*, c.email FROM sign_on_requests s JOIN sign_on_contacts c ON c.id = s.contact_id"
        " WHERE s.event_id = ?", [event.id])}
    known = known_contacts(db)
    organizations = []
    for o in event.organizations:
        r = rows.get((o.organization_id, o.role))
        if r is None:
            organizations.append(OrganizationSignOn(o.organization_id, o.name, o.role, "vouched",
                                                    known.get(o.organization_id, "")))
        else:
            organizations.append(OrganizationSignOn(
                o.organization_id, o.name, o.role, r["status"], r["email"], r["display_name"], r["logo"],
                from_db_time(r["requested_at"]), from_db_time(r["reminded_at"]), from_db_time(r["answered_at"])))
    asked = {r["person_id"]: r for r in db.execute("SELECT * FROM speaker_requests WHERE event_id = ?", [event.id])}
    speakers = []
    for s in event.speakers:
        r = asked.get(s.person_id)
        if r is None:
            speakers.append(SpeakerSignOn(s.person_id, s.name, s.role, "vouched", s.email or ""))
        else:
            speakers.append(SpeakerSignOn(
                s.person_id, s.name, s.role, r["status"], r["email"], r["bio"], r["photo"], r["id_name"],
                r["attendance"], r["speaks"], from_db_time(r["requested_at"]), from_db_time(r["reminded_at"]),
                from_db_time(r["answered_at"])))
    return SignOnStatus(event.id, show_invited(db, event.id), tuple(organizations), tuple(speakers))


def show_invited(db, event_id: int) -> bool:
    row = db.execute("SELECT show_invited FROM sign_on_settings WHERE event_id = ?", [event_id]).fetchone()
    return bool(row and row[0])


def set_show_invited(db, event_id, show, actor: Actor = SYSTEM) -> bool:
    """Writes the event's choice to show organizations that have not answered as "invited"."""
    if not isinstance(show, bool):
        raise ValidationError("not_a_choice", field="show_invited", value=str(show),
                              label=N_("Show invited organizations publicly"), choices=N_("yes or no"))
    event = events.get_event(db, event_id)
    before = show_invited(db, event.id)
    if before != show:
        db.execute("INSERT INTO sign_on_settings (event_id, show_invited) VALUES (?, ?) ON CONFLICT(event_id)"
                   " DO UPDATE SET show_invited = excluded.show_invited", [event.id, int(show)])
        audit.record(db, actor, "show_invited_set", event_id=event.id,
                     changes=audit.changed({"show_invited": before}, {"show_invited": show}))
    return show


# ---------------------------------------------------------------------- organizations: answering


def _contact_row(db, token):
    if not isinstance(token, str) or not registrations.TOKEN_SHAPE.fullmatch(token):
        raise NotFound("sign_on_link_unknown")
    row = db.execute("SELECT c.*, o.name AS organization FROM sign_on_contacts c"
                     " JOIN organizations o ON o.id = c.organization_id WHERE c.token_hash = ?",
                     [security.token_hash(token)]).fetchone()
    if row is None:
        raise NotFound("sign_on_link_unknown")
    return row


def _requests_of(db, contact_id: int, now: datetime) -> list[SignOnRequest]:
    """The contact's requests still on their event (in that role), whose event has not ended."""
    found = []
    for r in db.execute(
        "SELECT s.*, o.name AS organization FROM sign_on_requests s JOIN organizations o ON o.id = s.organization_id"
        " JOIN events e ON e.id = s.event_id WHERE s.contact_id = ? AND EXISTS (SELECT 1 FROM event_organizations eo"
        " WHERE eo.event_id = s.event_id AND eo.organization_id = s.organization_id AND eo.role = s.role)"
        " ORDER BY e.starts_at, s.id", [contact_id],
    ).fetchall():
        event = events.get_event(db, r["event_id"])
        if _closed(event, now):
            continue
        found.append(SignOnRequest(r["id"], event, r["organization"], r["role"], r["status"], r["display_name"],
                                   r["logo"], from_db_time(r["answered_at"]),
                                   _changeable(event, r["status"], now)))
    return found


def sign_on(db, token) -> SignOn:
    """What a contact's link shows (reads); ``NotFound("sign_on_link_unknown")`` otherwise."""
    contact = _contact_row(db, token)
    return SignOn(contact["organization"], contact["email"], tuple(_requests_of(db, contact["id"], clock.now())))


def answer(db, token, request_id, confirm, display_name, logo: str | None,
           actor: Actor = SYSTEM) -> tuple[SignOnRequest, str | None]:
    """Writes the contact's answer to one of their requests: ``confirm`` (yes or no), the name
    to display (the organization's own when empty) and the logo's file name (None keeps the one
    given before). Returns the request and the file name of a logo it replaced (the caller
    removes it after the commit). Refusals: ``sign_on_link_unknown``, ``sign_on_not_yours``,
    ``sign_on_closed``, ``sign_on_answered`` (answered, and the event is published)."""
    if not isinstance(confirm, bool):
        raise ValidationError("not_a_choice", field="confirm", value=str(confirm),
                              label=N_("Do you agree to be named?"), choices=N_("yes or no"))
    display_name = check.text(display_name, "display_name", N_("Name to display"), required=False)
    contact = _contact_row(db, token)
    now = clock.now()
    mine = {r.id: r for r in _requests_of(db, contact["id"], now)}
    if isinstance(request_id, bool) or not isinstance(request_id, int) or request_id not in mine:
        found = db.execute("SELECT event_id FROM sign_on_requests WHERE id = ? AND contact_id = ?",
                           [request_id if isinstance(request_id, int) else -1, contact["id"]]).fetchone()
        raise ValidationError("sign_on_closed" if found else "sign_on_not_yours", field="request_id")
    current = mine[request_id]
    if not current.changeable:
        raise ValidationError("sign_on_answered", field="confirm")
    replaced = current.logo if logo is not None and current.logo != logo else None
    db.execute(
        "UPDATE sign_on_requests SET status = ?, display_name = ?, logo = coalesce(?, logo), answered_at = ?"
        " WHERE id = ?",
        ["confirmed" if confirm else "declined", display_name if confirm else "", logo, to_db_time(now), request_id])
    audit.record(db, actor, "sign_on_answered", event_id=current.event.id,
                 subject=f"organization:{_organization_id(db, request_id)}", organization=current.organization,
                 role=current.role, answer="confirmed" if confirm else "declined",
                 previous_status=current.status)
    done = {r.id: r for r in _requests_of(db, contact["id"], now)}[request_id]
    from dataclasses import replace

    return replace(done, changed=True), replaced


def _organization_id(db, request_id: int) -> int:
    return db.execute("SELECT organization_id FROM sign_on_requests WHERE id = ?", [request_id]).fetchone()[0]


# ---------------------------------------------------------------------- speakers


def _speaker_on(event: Event, person_id):
    person_id = check.id(person_id)
    for s in event.speakers:
        if s.person_id == person_id:
            return s
    raise ValidationError("sign_on_no_speaker", field="person_id")


def request_speaker(db, event_id, person_id, email, *, token_for, domain: str, language: str,
                    actor: Actor = SYSTEM, remind: bool = False) -> SpeakerSignOn:
    """Writes a confirmation request to a speaker of the event (to ``email``, else the
    speaker's own address), or sends the pending one again; its message and an audit entry.
    ``token_for(request_id)`` derives the link's token. Refusals: ``sign_on_closed``,
    ``sign_on_no_speaker``, ``speaker_no_email``, ``sign_on_not_pending``,
    ``sign_on_remind_too_soon``, ``sign_on_no_request``."""
    event = _open_event(db, event_id)
    speaker = _speaker_on(event, person_id)
    row = db.execute("SELECT * FROM speaker_requests WHERE event_id = ? AND person_id = ?",
                     [event.id, speaker.person_id]).fetchone()
    now = to_db_time(clock.now())
    if remind:
        if row is None:
            raise ValidationError("sign_on_no_request", field="person_id")
        email = row["email"]
    else:
        email = check.email(email, "email", required=False) or speaker.email
        if not email:
            raise ValidationError("speaker_no_email", field="email", name=speaker.name)
    if row is not None and not remind and email != row["email"]:
        # Another address (a mistake corrected): asked again from the start under a new request,
        # so the link sent to the first address — derived from the old request's id — opens
        # nothing any more, and nothing that address answered carries over.
        db.execute("DELETE FROM speaker_requests WHERE id = ?", [row["id"]])
        row = None
    if row is None:
        request_id = db["speaker_requests"].insert({
            "event_id": event.id, "person_id": speaker.person_id, "email": email,
            "token_hash": f"unset:{secrets.token_hex(16)}", "status": "pending", "language": language,
            "requested_at": now,
        }).last_pk
        db.execute("UPDATE speaker_requests SET token_hash = ? WHERE id = ?",
                   [security.token_hash(token_for(request_id)), request_id])
    else:
        request_id = row["id"]
        if row["status"] != "pending" and (remind or email == row["email"]):
            raise ValidationError("sign_on_not_pending", field="email")
        _due_again(row)  # pending, to the same address: sent again
        db.execute("UPDATE speaker_requests SET reminded_at = ? WHERE id = ?", [now, request_id])
    outbox.enqueue(db, "speaker_request", recipient=email, recipient_name=speaker.name, event_id=event.id,
                   language=language, domain=domain, data={"request_id": request_id, "reminder": row is not None})
    audit.record(db, actor, "speaker_requested", event_id=event.id, subject=f"person:{speaker.person_id}",
                 speaker=speaker.name, reminder=row is not None)
    return next(s for s in status_of(db, event).speakers if s.person_id == speaker.person_id)


def _speaker_row(db, token):
    if not isinstance(token, str) or not registrations.TOKEN_SHAPE.fullmatch(token):
        raise NotFound("speaker_link_unknown")
    row = db.execute(
        "SELECT r.*, p.name, es.role AS speaker_role FROM speaker_requests r JOIN people p ON p.id = r.person_id"
        " LEFT JOIN event_speakers es ON es.event_id = r.event_id AND es.person_id = r.person_id"
        " WHERE r.token_hash = ?", [security.token_hash(token)]).fetchone()
    if row is None or row["speaker_role"] is None:  # unknown, or no longer a speaker of the event
        raise NotFound("speaker_link_unknown")
    return row


def _speaker_shown(db, row, changed: bool = False) -> SpeakerRequest:
    event = events.get_event(db, row["event_id"])
    return SpeakerRequest(row["id"], event, row["name"], row["speaker_role"], row["status"], row["bio"], row["photo"],
                          row["id_name"], row["attendance"], row["speaks"], from_db_time(row["answered_at"]),
                          _changeable(event, row["status"], clock.now()), changed)


def speaker_request(db, token) -> SpeakerRequest:
    """What a speaker's link shows (reads); ``NotFound("speaker_link_unknown")`` otherwise."""
    return _speaker_shown(db, _speaker_row(db, token))


def check_speaker_answer(confirm, bio, id_name, attendance, speaks) -> dict:
    """One validator for a speaker's answer (the page and the API)."""
    if not isinstance(confirm, bool):
        raise ValidationError("not_a_choice", field="confirm", value=str(confirm), label=N_("Will you speak?"),
                              choices=N_("yes or no"))
    if not confirm:
        return {"status": "declined", "bio": "", "id_name": "", "attendance": None, "speaks": ""}
    bio = check.text(bio, "bio", N_("Short bio"), required=False, max_length=BIO_MAX, one_line=False)
    speaks = check.text(speaks, "speaks", N_("Language you will speak"), required=False, max_length=60)
    id_name = check.text(id_name, "id_name", N_("Name as on your ID document"), required=False)
    if attendance is None or attendance == "":
        raise ValidationError("speaker_attendance_needed", field="attendance")
    attendance = check.choice(attendance, SPEAKER_ATTENDANCE, "attendance", N_("How you take part"),
                              SPEAKER_ATTENDANCE_LABELS)
    if attendance == "in_person" and not id_name:
        raise ValidationError("speaker_id_name_needed", field="id_name")
    return {"status": "confirmed", "bio": bio, "id_name": id_name, "attendance": attendance, "speaks": speaks}


def answer_speaker(db, token, answer: dict, photo: str | None, actor: Actor = SYSTEM
                   ) -> tuple[SpeakerRequest, str | None]:
    """Writes a speaker's answer (checked by ``check_speaker_answer``) and photo (None keeps the
    one given before; declining removes it). Returns the request and a replaced photo's file
    name. Refusals: ``speaker_link_unknown``, ``sign_on_closed``, ``sign_on_answered``."""
    row = _speaker_row(db, token)
    current = _speaker_shown(db, row)
    if _closed(current.event, clock.now()):
        raise ValidationError("sign_on_closed", field="confirm")
    if not current.changeable:
        raise ValidationError("sign_on_answered", field="confirm")
    declined = answer["status"] == "declined"
    keep = None if declined else (photo or current.photo)
    replaced = current.photo if current.photo and current.photo != keep else None
    db.execute("UPDATE speaker_requests SET status = ?, bio = ?, id_name = ?, attendance = ?, speaks = ?, photo = ?,"
               " answered_at = ? WHERE id = ?",
               [answer["status"], answer["bio"], answer["id_name"], answer["attendance"], answer["speaks"], keep,
                to_db_time(clock.now()), row["id"]])
    audit.record(db, actor, "speaker_answered", event_id=current.event.id, subject=f"person:{row['person_id']}",
                 speaker=row["name"], answer=answer["status"], previous_status=current.status)
    return _speaker_shown(db, _speaker_row(db, token), changed=True), replaced


# ---------------------------------------------------------------------- messages and erasure


def message_extra(db, row, contact_token, speaker_token) -> dict:
    """What a ``sign_on`` or ``speaker_request`` message is written from (``mail/sign_on.py``)."""
    if row.kind == "sign_on":
        contact = db.execute("SELECT c.*, o.name AS organization FROM sign_on_contacts c JOIN organizations o"
                             " ON o.id = c.organization_id WHERE c.id = ?", [row.data.get("contact_id")]).fetchone()
        if contact is None:
            return {}
        pending = [r for r in _requests_of(db, contact["id"], clock.now()) if r.status == "pending" and r.changeable]
        return {"sign_on_contact": dict(contact), "sign_on_pending": pending,
                "sign_on_token": contact_token(contact["id"])}
    if row.kind == "speaker_request":
        found = db.execute("SELECT r.*, p.name FROM speaker_requests r JOIN people p ON p.id = r.person_id"
                           " WHERE r.id = ?", [row.data.get("request_id")]).fetchone()
        if found is None:
            return {}
        return {"speaker_request": dict(found), "speaker_token": speaker_token(found["id"])}
    return {}


def erase(db, email: str, person_ids: list[int]) -> list[str]:
    """Writes (data care's erasure): a person's speaker requests go (their speaker entries go
    too); a sign-on contact with the address loses it and its link, while its organization's
    requests keep their status (an erased contact must not turn a pending organization into a
    confirmed one). Returns the photo files that were named, for the caller to remove."""
    marks = ",".join("?" * len(person_ids)) or "NULL"
    files = [r[0] for r in db.execute(
        f"SELECT photo FROM speaker_requests WHERE (person_id IN ({marks}) OR lower(email) = ?) AND photo IS NOT NULL",
        [*person_ids, email])]
    db.execute(f"DELETE FROM speaker_requests WHERE person_id IN ({marks}) OR lower(email) = ?", [*person_ids, email])
    db.execute("UPDATE sign_on_contacts SET email = 'erased-' || id, token_hash = 'erased:' || id"
               " WHERE lower(email) = ?", [email])
    return files


def copy_requests(db, source_id: int, copy_id: int, *, speaker_token_for) -> None:
    """Writes, for a duplicated event: every organization and speaker that was asked on the
    source is asked on the copy too, pending, by the same contact (no message is sent: the
    organizer sends it from the sign-on page). Otherwise the copy would name them as if the
    organizer vouched for them, whatever they answered for the source."""
    db.execute(
        "INSERT INTO sign_on_requests (event_id, organization_id, role, contact_id, status, language, requested_at)"
        " SELECT ?, organization_id, role, contact_id, 'pending', language, requested_at FROM sign_on_requests"
        " WHERE event_id = ?", [copy_id, source_id])
    for row in db.execute("SELECT * FROM speaker_requests WHERE event_id = ?", [source_id]).fetchall():
        request_id = db["speaker_requests"].insert({
            "event_id": copy_id, "person_id": row["person_id"], "email": row["email"],
            "token_hash": f"unset:{secrets.token_hex(16)}", "status": "pending", "language": row["language"],
            "requested_at": row["requested_at"],
        }).last_pk
        db.execute("UPDATE speaker_requests SET token_hash = ? WHERE id = ?",
                   [security.token_hash(speaker_token_for(request_id)), request_id])
