"""The Planner: the one public face of the domain.

Pages, HTTP routes, scripts and tests call these methods; none of them touches SQL. Each method
is a short delegation: it opens a read or a ``BEGIN IMMEDIATE`` write transaction (``db.py``)
and calls the rules of one area (``planner/areas/``), so a refused call changes nothing and
what a change causes (a promotion, later a message or an audit entry) commits with it. Methods
that only some people may call take ``actor=`` (``planner/access.py``); refusals raise
``PlannerError``s with a code (``planner/codes.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from . import access
from . import validate as check
from .access import SYSTEM, Actor
from .areas import accounts, catalog, checkin, events, registrations
from .areas.conflicts import find_conflicts
from .areas.ticket_codes import load_key
from .db import Database
from .errors import NotFound, ValidationError
from .i18n import N_
from .models import (Attendance, CheckInResult, Conflict, DoorPass, Event, EventChange, EventCounts, Registration,
                     Room, Scan, Summit, User, Venue)


class Planner:
    """Plan side events for summits: venues, rooms, events, speakers, organizations, users,
    registrations and the door.

    ``Planner(path)`` creates the database file and its schema if needed. One Planner may be
    shared by many threads: every call borrows a connection of its own (see ``db.py``).
    """

    def __init__(self, path: str | Path = "data/planner.db", *, base_url: str = "http://localhost:8501",
                 contact_email: str = "events@example.org"):
        # Links in calendar files, tickets and door passes start with base_url; calendar files
        # name contact_email as the ORGANIZER's address. Both are checked before anything opens.
        self.base_url = check.base_url(base_url)
        self.contact_email = check.email(contact_email, "contact_email")
        self._db = Database(path)
        self.path = self._db.path
        self._checkin_key = load_key(self.path.parent)
        self._public_cache: tuple[int, list[Event], dict[int, Event]] | None = None
        with self._db.write() as db:  # registrations made before tickets existed get codes
            for (registration_id,) in db.execute("SELECT id FROM registrations WHERE checkin_code IS NULL").fetchall():
                registrations.set_code(db, registration_id, self._checkin_key)

    def _moved_up(self, db, registration_ids: list[int]) -> list[int]:
        """Inside the transaction that freed the seats: the people just moved up from a waiting
        list. The one place where their news leaves (the email issue writes it to the outbox)."""
        return registration_ids

    # ------------------------------------------------------------------ summits, venues, rooms

    def add_summit(self, *, name: str, city: str = "", timezone: str, starts_on: date, ends_on: date,
                   actor: Actor = SYSTEM) -> Summit:
        access.require_staff(actor)
        with self._db.write() as db:
            summit_id = catalog.add_summit(db, name=name, city=city, timezone=timezone, starts_on=starts_on,
                                           ends_on=ends_on)
            return catalog.get_summit(db, summit_id)

    def update_summit(self, summit_id: int, *, actor: Actor = SYSTEM, **changes) -> Summit:
        access.require_staff(actor)
        with self._db.write() as db:
            catalog.update_summit(db, summit_id, changes)
            return catalog.get_summit(db, summit_id)

    def get_summit(self, summit_id: int) -> Summit:
        with self._db.read() as db:
            return catalog.get_summit(db, summit_id)

    def list_summits(self) -> list[Summit]:
        with self._db.read() as db:
            return catalog.list_summits(db)

    def add_venue(self, *, name: str, address: str = "", timezone: str, actor: Actor = SYSTEM) -> Venue:
        access.require_staff(actor)
        with self._db.write() as db:
            return catalog.get_venue(db, catalog.add_venue(db, name=name, address=address, timezone=timezone))

    def update_venue(self, venue_id: int, *, actor: Actor = SYSTEM, **changes) -> Venue:
        access.require_staff(actor)
        with self._db.write() as db:
            catalog.update_venue(db, venue_id, changes)
            return catalog.get_venue(db, venue_id)

    def get_venue(self, venue_id: int) -> Venue:
        with self._db.read() as db:
            return catalog.get_venue(db, venue_id)

    def list_venues(self) -> list[Venue]:
        with self._db.read() as db:
            return catalog.list_venues(db)

    def add_room(self, *, venue_id: int, name: str, capacity: int, accessibility: str = "",
                 actor: Actor = SYSTEM) -> Room:
        access.require_staff(actor)
        with self._db.write() as db:
            room_id = catalog.add_room(db, venue_id=venue_id, name=name, capacity=capacity,
                                       accessibility=accessibility)
            return catalog.get_room(db, room_id)

    def update_room(self, room_id: int, *, actor: Actor = SYSTEM, **changes) -> Room:
        """A bigger room moves the waiting lists of its events up at once."""
        access.require_staff(actor)
        with self._db.write() as db:
            self._moved_up(db, catalog.update_room(db, room_id, changes))
            return catalog.get_room(db, room_id)

    def get_room(self, room_id: int) -> Room:
        with self._db.read() as db:
            return catalog.get_room(db, room_id)

    def list_rooms(self, venue_id: int | None = None) -> list[Room]:
        with self._db.read() as db:
            return catalog.list_rooms(db, venue_id)

    # ------------------------------------------------------------------ events

    def create_event(self, *, title: str, starts_at: datetime, ends_at: datetime, summit_id: int | None = None,
                     room_id: int | None = None, online_url: str | None = None, format: str | None = None,
                     capacity: int | None = None, description: str = "", speakers: Iterable[dict] = (),
                     organizations: Iterable[dict] = (), timezone: str | None = None, actor: Actor = SYSTEM) -> Event:
        """Create a draft event. Times are timezone-aware; they are stored in UTC. The event's
        own zone is its venue's; without a room, its summit's; else ``timezone`` or ``starts_at``'s."""
        access.require_staff(actor)
        fields = dict(title=title, starts_at=starts_at, ends_at=ends_at, summit_id=summit_id, room_id=room_id,
                      online_url=online_url, format=format, capacity=capacity, description=description,
                      speakers=speakers, organizations=organizations, timezone=timezone)
        with self._db.write() as db:
            return events.get_event(db, events.create(db, events.check_fields(db, **fields)))

    def update_event(self, event_id: int, *, version: int, actor: Actor = SYSTEM, **changes) -> Event:
        """Change an event. ``version`` is the one the caller loaded: if anyone saved since,
        ``StaleEdit`` is raised (carrying the current event) and nothing is written."""
        access.require_staff(actor)
        with self._db.write() as db:
            self._moved_up(db, events.update(db, event_id, version, changes))
            return events.get_event(db, event_id)

    def duplicate_event(self, event_id: int, *, actor: Actor = SYSTEM) -> Event:
        """A new draft with the same details (and a new calendar UID)."""
        access.require_staff(actor)
        with self._db.write() as db:
            source = events.get_event(db, event_id)
            fields = {**events.as_fields(source), "title": events.copy_title(source.title)}
            return events.get_event(db, events.create(db, events.check_fields(db, **fields)))

    def publish_event(self, event_id: int, *, allow_room_clash: bool | Iterable[int] = False,
                      version: int | None = None, actor: Actor = SYSTEM) -> Event:
        """Make a draft public. A room booked twice is refused unless ``allow_room_clash`` is
        ``True`` (any clash) or holds the ids of the clashing events the organizer was shown."""
        access.require_staff(actor)
        accepted = None if allow_room_clash is True else {check.id(i) for i in (allow_room_clash or ())}
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            if event.status != "published":
                events.publish(db, event, accepted, version)
            return events.get_event(db, event.id)

    def cancel_event(self, event_id: int, *, reason: str, version: int | None = None,
                     actor: Actor = SYSTEM) -> Event:
        """Cancel an event; published ones stay visible with the reason."""
        access.require_staff(actor)
        reason = check.text(reason, "reason", N_("Reason for cancelling"), max_length=500, one_line=False)
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            if event.status != "cancelled":
                events.set_status(db, event, "cancelled", version=version, reason=reason)
            return events.get_event(db, event.id)

    def get_event(self, event_id: int, *, actor: Actor = SYSTEM) -> Event:
        """One event. Anyone but staff gets ``NotFound`` for an event that was never public."""
        public = self._public_events()[1].get(check.id(event_id))
        if public is not None:  # the public page's rerun: one small query instead of three
            return public
        with self._db.read() as db:
            event = events.get_event(db, event_id)
        if not actor.is_staff and not event.is_public:
            raise NotFound("no_event", id=event_id)
        return event

    def list_events(self, summit_id: int | None = None, status: str | None = None, *,
                    actor: Actor = SYSTEM) -> list[Event]:
        """Every event (drafts too) in time order, optionally of one summit and/or status."""
        access.require_staff(actor)
        with self._db.read() as db:
            return events.list_events(db, summit_id, status)

    def programme(self, *, summit_id: int | None = None, day: date | None = None, organization: str | None = None,
                  format: str | None = None, query: str | None = None) -> list[Event]:
        """What the public sees: published events, and published ones later cancelled, in time
        order; ``day`` is in each event's own zone; ``organization`` and ``query`` ignore case and accents."""
        return events.filter_programme(list(self._public_events()[0]), summit_id=summit_id, day=day,
                                       organization=organization, format=format, query=query)

    def _public_events(self) -> tuple[list[Event], dict[int, Event]]:
        """The public events, read again only when the programme's tables changed (a counter
        that triggers bump in every writing transaction, whichever process wrote)."""
        with self._db.read() as db:
            version = db.execute("SELECT value FROM meta WHERE key = 'catalog_version'").fetchone()[0]
            cached = self._public_cache
            if cached is None or cached[0] != version:
                found = events.public_events(db)
                cached = self._public_cache = (version, found, {e.id: e for e in found})
        return cached[1], cached[2]

    def organization_names(self) -> list[str]:
        """Every organization known, for pick lists (re-use instead of retyping)."""
        with self._db.read() as db:
            return events.organization_names(db)

    def people(self) -> list[dict]:
        """Every speaker known, with their latest affiliation, for pick lists."""
        with self._db.read() as db:
            return events.people(db)

    def conflicts(self, event_id: int | None = None) -> list[Conflict]:
        """Clashes among events that are not cancelled (only those of ``event_id`` if given)."""
        with self._db.read() as db:
            if event_id is not None:
                events.get_event(db, event_id)
            return find_conflicts(events.select(db, "WHERE e.status != 'cancelled'"), focus_id=event_id)

    def preview_conflicts(self, event_id: int | None = None, **fields) -> list[Conflict]:
        """The clashes an event would have with these fields, before it is saved (validates
        like ``create_event``)."""
        with self._db.read() as db:
            return events.preview_conflicts(db, event_id, fields)

    def event_changes(self, before: Event, after: Event) -> list[EventChange]:
        """What differs between two versions of an event, in the active language."""
        return events.changes_between(before, after)

    # ------------------------------------------------------------------ registrations

    def register(self, event_id: int, *, name: str, email: str, organization: str = "",
                 needs: str = "") -> Registration:
        """RSVP to a published, upcoming event: a seat while there is one, else the waiting
        list. The same email on the same event gets its registration back, never a second seat."""
        with self._db.write() as db:
            return registrations.register(db, event_id, name=name, email=email, organization=organization,
                                          needs=needs, checkin_key=self._checkin_key)

    def registration(self, manage_token: str) -> Registration:
        """The registration a private link names; ``NotFound`` for unknown or malformed tokens."""
        with self._db.read() as db:
            return registrations.by_token(db, manage_token)

    def update_registration(self, manage_token: str, **changes) -> Registration:
        """Change name, organization or needs (the email is the registration's identity)."""
        with self._db.write() as db:
            return registrations.update_details(db, manage_token, changes)

    def cancel_registration(self, manage_token: str) -> Registration:
        """Give up the seat (or waiting-list place); the first person waiting moves up at once."""
        with self._db.write() as db:
            self._moved_up(db, registrations.cancel(db, registrations.by_token(db, manage_token)))
            return registrations.by_token(db, manage_token)

    def cancel_registration_for(self, registration_id: int, *, actor: Actor = SYSTEM) -> Registration:
        """An organizer cancels a registration on someone's behalf."""
        access.require_staff(actor)
        with self._db.write() as db:
            self._moved_up(db, registrations.cancel(db, registrations.by_id(db, registration_id)))
            return registrations.by_id(db, registration_id)

    def registrations(self, event_id: int, status: str | None = None, query: str | None = None, *,
                      actor: Actor = SYSTEM) -> list[Registration]:
        """An event's registrations in arrival order (no tokens); ``query`` matches name, email
        or organization, ignoring case and accents."""
        access.require_staff(actor)
        with self._db.read() as db:
            return registrations.listing(db, events.get_event(db, event_id).id, status, query)

    def event_counts(self, event_id: int) -> EventCounts:
        with self._db.read() as db:
            return registrations.counts(db, check.id(event_id))

    def all_event_counts(self, *, actor: Actor = SYSTEM) -> dict[int, EventCounts]:
        access.require_staff(actor)
        with self._db.read() as db:
            return registrations.all_counts(db)

    def capacity_preview(self, event_id: int, capacity: int | None, *, actor: Actor = SYSTEM) -> list[Registration]:
        """Who a new capacity would move up from the waiting list (writes nothing)."""
        access.require_staff(actor)
        capacity = check.capacity(capacity)
        with self._db.read() as db:
            event = events.get_event(db, event_id)
            if capacity is None:
                capacity = event.room.capacity if event.room else None
            ids = registrations.would_promote(db, event.id, capacity)
            return registrations.load(db, f"WHERE r.id IN ({','.join('?' * len(ids))})", ids) if ids else []

    # ------------------------------------------------------------------ calendars and tickets

    def event_ics(self, event_id: int) -> bytes:
        """One public event as an iCalendar file (METHOD:PUBLISH)."""
        from .outputs import calendar

        event = self.get_event(event_id, actor=access.PUBLIC)
        return calendar.calendar_bytes([event], base_url=self.base_url, contact_email=self.contact_email,
                                       name=event.title)

    def programme_ics(self, summit_id: int | None = None) -> bytes:
        """Every public event (of one summit, if given), cancelled ones as CANCELLED."""
        from .outputs import calendar

        name = self.get_summit(summit_id).name if summit_id is not None else str(N_("Side events"))
        return calendar.calendar_bytes(self.programme(summit_id=summit_id), base_url=self.base_url,
                                       contact_email=self.contact_email, name=name)

    def registration_ics(self, manage_token: str) -> bytes:
        """The attendee's own file: the event plus their join link and private page."""
        from .outputs import calendar

        registration = self.registration(manage_token)
        event = self.get_event(registration.event_id)
        personal = calendar.Personal(manage_url=f"{self.base_url}/ticket?t={manage_token}",
                                     join_url=event.online_url if event.format in ("online", "hybrid") else None)
        return calendar.calendar_bytes([event], base_url=self.base_url, contact_email=self.contact_email,
                                       name=event.title, personal=personal)

    def join_url(self, manage_token: str) -> str | None:
        """The online link, for a confirmed registrant of an online or hybrid event that is
        not cancelled; None otherwise."""
        registration = self.registration(manage_token)
        event = self.get_event(registration.event_id)
        return event.online_url if registration.status == "confirmed" and event.has_join_link else None

    def ticket_url(self, registration: Registration) -> str | None:
        """What the ticket's QR code encodes: the door's check-in page with the code (None unless
        confirmed). Whether to show it is ``Registration.has_ticket`` (online events have no door)."""
        return f"{self.base_url}/checkin?code={registration.checkin_code}" if registration.ticket_code else None

    def ticket_qr_png(self, manage_token: str) -> bytes:
        """The ticket's QR code as a PNG (``ValidationError`` unless confirmed)."""
        from .outputs.qr import qr_png

        url = self.ticket_url(self.registration(manage_token))
        if url is None:
            raise ValidationError("no_ticket", field="status")
        return qr_png(url)

    # ------------------------------------------------------------------ the door

    def _door(self, db, actor: Actor, event_id) -> int:
        event_id = check.id(event_id)
        access.require_door(actor, event_id, lambda pass_id: db.execute(
            "SELECT 1 FROM door_passes WHERE id = ? AND revoked_at IS NULL", [pass_id]).fetchone() is not None)
        return event_id

    def check_in(self, scanned: str, event_id: int, door: str = "Main door", *,
                 actor: Actor = SYSTEM) -> CheckInResult:
        """Let a guest in at most once; → a verdict (``codes.CHECKIN_VERDICTS``). Every scan is
        recorded; at an event cancelled meanwhile the scan is recorded, then refused."""
        door = checkin.door_name(door)
        with self._db.write() as db:
            result = checkin.check_in(db, scanned, self._door(db, actor, event_id), door)
        if result.verdict == "event_cancelled":
            raise ValidationError("checkin_event_cancelled", field="event")
        return CheckInResult(result.verdict, access.shown_to(actor, result.registration), result.first_at,
                             result.first_door, result.ticket_event_title)

    def check_in_registration(self, registration_id: int, event_id: int, door: str = "Main door", *,
                              actor: Actor = SYSTEM) -> CheckInResult:
        """One-tap check-in from the guest list (found by name, no code at hand)."""
        with self._db.read() as db:
            code = registrations.by_id(db, registration_id).checkin_code
        return self.check_in(code, event_id, door, actor=actor)

    def undo_check_in(self, registration_id: int, *, actor: Actor = SYSTEM) -> Registration:
        """Take back a check-in made by mistake; an undone walk-in is cancelled."""
        with self._db.write() as db:
            self._door(db, actor, registrations.by_id(db, registration_id).event_id)
            undone, moved = checkin.undo(db, registration_id)
            self._moved_up(db, moved)
        return access.shown_to(actor, undone)

    def walk_in(self, event_id: int, *, name: str, email: str = "", organization: str = "", force: bool = False,
                door: str = "Main door", actor: Actor = SYSTEM) -> Registration:
        """Register and check in a guest at the door; past the capacity only with ``force``."""
        door = checkin.door_name(door)
        with self._db.write() as db:
            guest = checkin.walk_in(db, self._door(db, actor, event_id), name=name, email=email,
                                    organization=organization, force=force, door=door, checkin_key=self._checkin_key)
        return access.shown_to(actor, guest)

    def search_guests(self, event_id: int, query: str, *, actor: Actor = SYSTEM) -> list[Registration]:
        """Guests by name or organization (every word, accent-blind): confirmed first, then by name."""
        with self._db.read() as db:
            found = checkin.search_guests(db, self._door(db, actor, events.get_event(db, event_id).id), query)
        return [access.shown_to(actor, g) for g in found]

    def attendance(self, event_id: int, *, actor: Actor = SYSTEM) -> Attendance:
        with self._db.read() as db:
            return checkin.attendance(db, self._door(db, actor, events.get_event(db, event_id).id))

    def scans(self, event_id: int, *, actor: Actor = SYSTEM) -> list[Scan]:
        """Every scan at the doors of an event, newest first (refused ones too)."""
        access.require_staff(actor)
        with self._db.read() as db:
            return checkin.scans(db, events.get_event(db, event_id).id)

    def door_list_csv(self, event_id: int, *, actor: Actor = SYSTEM) -> bytes:
        """The printable door list: confirmed and waiting guests by name, with codes (no emails)."""
        from .outputs.door_list import door_list_csv

        with self._db.read() as db:
            guests = checkin.door_guests(db, self._door(db, actor, events.get_event(db, event_id).id))
        return door_list_csv(guests)

    def create_door_pass(self, event_id: int, label: str = "Main door", *, actor: Actor = SYSTEM) -> DoorPass:
        """A link that opens this one event's check-in page, for volunteers without an account."""
        access.require_staff(actor)
        with self._db.write() as db:
            return checkin.create_door_pass(db, events.get_event(db, event_id), checkin.door_name(label, "label"),
                                            self.base_url)

    def door_passes(self, event_id: int, *, actor: Actor = SYSTEM) -> list[DoorPass]:
        access.require_staff(actor)
        with self._db.read() as db:
            return checkin.door_passes(db, "WHERE event_id = ?", [events.get_event(db, event_id).id], self.base_url)

    def revoke_door_pass(self, door_pass_id: int, *, actor: Actor = SYSTEM) -> DoorPass:
        access.require_staff(actor)
        with self._db.write() as db:
            return checkin.revoke_door_pass(db, door_pass_id, self.base_url)

    def door_pass(self, secret: str | None) -> DoorPass | None:
        """The active door pass with this secret, or None (unknown or revoked)."""
        with self._db.read() as db:
            return checkin.active_door_pass(db, secret, self.base_url)

    # ------------------------------------------------------------------ accounts and sign-in

    def add_user(self, *, email: str, name: str, password: str, role: str = "organizer",
                 actor: Actor = SYSTEM) -> User:
        access.require_admin(actor)
        with self._db.write() as db:
            return accounts.get_user(db, accounts.add_user(db, email=email, name=name, password=password, role=role))

    def set_password(self, user_id: int, password: str, *, actor: Actor = SYSTEM) -> None:
        """A new password (admins, or the account itself); its other sessions end."""
        if actor.user is None or actor.user.id != check.id(user_id):
            access.require_admin(actor)
        with self._db.write() as db:
            accounts.set_password(db, user_id, password)

    def remove_user(self, user_id: int, *, actor: Actor = SYSTEM) -> None:
        """Delete an account (and sign it out everywhere). The last admin cannot be removed."""
        access.require_admin(actor)
        with self._db.write() as db:
            accounts.remove_user(db, user_id)

    def get_user(self, user_id: int) -> User:
        with self._db.read() as db:
            return accounts.get_user(db, user_id)

    def list_users(self, *, actor: Actor = SYSTEM) -> list[User]:
        access.require_admin(actor)
        with self._db.read() as db:
            return accounts.list_users(db)

    def has_admin(self) -> bool:
        with self._db.read() as db:
            return accounts.has_admin(db)

    def authenticate(self, email: str, password: str) -> User | None:
        """The user with this email and password, or None (also for unknown emails)."""
        with self._db.read() as db:
            return accounts.authenticate(db, email, password)

    def start_session(self, user_id: int) -> str:
        """A new sign-in session; the token goes in an HttpOnly cookie, only its hash is kept."""
        with self._db.write() as db:
            return accounts.start_session(db, user_id)

    def session_user(self, token: str | None) -> User | None:
        """Who is signed in with this token, or None (unknown, or idle over 12 hours)."""
        with self._db.read() as db:
            row = accounts.session_row(db, token)
        if row is None:
            return None
        state = accounts.session_state(row)
        if state != "fresh":
            with self._db.write() as db:
                (accounts.end_session if state == "idle" else accounts.touch_session)(db, token)
        return None if state == "idle" else User(row["id"], row["email"], row["name"], row["role"])

    def end_session(self, token: str | None) -> None:
        with self._db.write() as db:
            accounts.end_session(db, token)

    def issue_sign_in_code(self, user_id: int) -> str:
        """A single-use code, valid two minutes, that the sign-in route swaps for a session cookie."""
        with self._db.write() as db:
            return accounts.issue_sign_in_code(db, user_id)

    def redeem_sign_in_code(self, code: str | None) -> str | None:
        """Swap a sign-in code for a new session token; None if unknown, used or expired."""
        with self._db.write() as db:
            return accounts.redeem_sign_in_code(db, code)

