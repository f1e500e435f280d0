"""The Planner: the one public face of the domain.

Pages, HTTP routes, scripts and tests call these methods; none of them touches SQL. Each method
is a short delegation: it opens a read or a ``BEGIN IMMEDIATE`` write transaction (``db.py``)
and calls the rules of one area (``planner/areas/``), so a refused call changes nothing and
what a change causes (a promotion, later a message or an audit entry) commits with it. Methods
only some people may call take ``actor=`` (``planner/access.py``; ``SYSTEM``, the trusted
default, keeps scripts and tests short); refusals raise ``PlannerError``s with a code
(``planner/codes.py``) whose ``str()`` is a sentence in the active language. The door's, the
accounts', the imports' and other methods are written in ``planner/face/`` and are Planner
methods all the same.
accounts', the records' and the reports' methods are written in ``planner/face/`` and are
Planner methods all the same.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from . import clock
from . import validate as check
from .access import SYSTEM, Actor
from .areas import audit, events, outbox, proofs, recovery, registrations, sign_on, translations
from .areas.conflicts import find_conflicts
from .areas.ticket_codes import load_key
from .db import Database
from .errors import ConfigurationError, NotFound, PlannerError, ValidationError
from .i18n import N_
from .models import Conflict, Event, EventChange, EventCounts, PendingConfirmation, Registration
from .ratelimit import ClientKey, RegistrationLimiter, RegistrationLimits
from .face import staff_only
from .face.accounts import AccountMethods
from .face.calendars import CalendarMethods
from .face.care import DEFAULT_RETENTION_DAYS, CareMethods
from .face.door import DoorMethods
from .face.editor import EditorMethods
from .face.exports import ExportMethods
from .face.feed import FeedMethods
from .face.imports import ImportMethods
from .face.mail import MailMethods
from .face.places import PlaceMethods
from .face.proposals import ProposalMethods
from .face.questions import QuestionMethods
from .face.reconfirm import ReconfirmMethods
from .face.records import RecordMethods
from .face.reports import ReportMethods
from .face.security_list import SecurityListMethods
from .face.sign_on import SignOnMethods
from .face.share import ShareMethods
from .face.translations import TranslationMethods
from .i18n import current as current_language
from .mail.render import snapshot


class Planner(PlaceMethods, DoorMethods, AccountMethods, MailMethods, CalendarMethods, RecordMethods, ExportMethods,
              ImportMethods, ReportMethods, CareMethods, SecurityListMethods, QuestionMethods, ReconfirmMethods,
              TranslationMethods, FeedMethods,
              SignOnMethods, ProposalMethods,
              ShareMethods, EditorMethods):
    """Plan side events for summits: venues, rooms, events, speakers, organizations, users,
    registrations and the door. ``Planner(path)`` creates the database file and its schema if
    needed. One Planner may be shared by many threads: every call borrows its own connection."""

    def __init__(self, path: str | Path = "data/planner.db", *, base_url: str = "http://localhost:8501",
                 contact_email: str = "events@example.org", registration_limits: RegistrationLimits | None = None,
                 smtp=None, retention_days: int = DEFAULT_RETENTION_DAYS):
        # Links in calendar files, tickets and door passes start with base_url; calendar files
        # name contact_email as the ORGANIZER's address. Both are checked before anything opens.
        # smtp (mail.transport.SmtpSettings) lets deliver_outbox send; without, messages wait.
        # Registrations of events that ended retention_days ago are anonymized (face/care.py).
        if isinstance(retention_days, bool) or not isinstance(retention_days, int) or retention_days < 1:
            raise ConfigurationError("setting_not_a_count", name="retention_days", value=str(retention_days))
        self.retention_days = retention_days
        self.base_url = check.base_url(base_url)
        self.contact_email = check.email(contact_email, "contact_email")
        self._limiter = RegistrationLimiter(registration_limits or RegistrationLimits())
        self._init_mail(smtp)
        self._db = Database(path)
        self.path = self._db.path
        self._checkin_key = load_key(self.path.parent)
        self._proof_key = load_key(self.path.parent, proofs.KEY_FILE_NAME, damaged="proof_key_damaged")
        self._public_cache: tuple[int, list[Event], dict[int, Event]] | None = None
        self._questions_cache: dict[int, tuple[int, list]] = {}  # event id → (catalog_version, questions)
        with self._db.write() as db:  # registrations made before tickets (or derived links) existed get them
            for (registration_id,) in db.execute("SELECT id FROM registrations WHERE checkin_code IS NULL OR link_derived = 0").fetchall():
                registrations.set_code(db, registration_id, self._checkin_key)
            events.refresh_name_keys(db)  # names sorted and matched by a match_key since refined (issue #13)

    def _read(self, rule, *args):
        with self._db.read() as db:
            return rule(db, *args)

    def _write(self, rule, *args):
        with self._db.write() as db:
            return rule(db, *args)

    def _moved_up(self, db, registration_ids: list[int]) -> list[int]:
        """Inside the transaction that freed the seats, the people just moved up from a waiting
        list: the one place their news leaves from (written to the outbox with the change)."""
        outbox.moved_up(db, registration_ids, domain=self._domain)
        if registration_ids:
            self._wrote_mail()
        return registration_ids

    # ------------------------------------------------------------------ events

    @staff_only
    def create_event(self, *, title: str, starts_at: datetime, ends_at: datetime, summit_id: int | None = None,
                     room_id: int | None = None, online_url: str | None = None, format: str | None = None,
                     capacity: int | None = None, description: str = "", speakers: Iterable[dict] = (),
                     organizations: Iterable[dict] = (), timezone: str | None = None, registration_mode: str = "open",
                     join_link_public: bool = False, reminder_hours: int | None = 24, allow_past: bool = False,
                     actor: Actor = SYSTEM) -> Event:
        """A draft event. Times are aware; stored in UTC. Its own zone is its venue's; without a
        room, its summit's; else ``timezone`` or ``starts_at``'s. A start before now is refused
        (``event_in_the_past``) unless ``allow_past``. Confirmed guests get a reminder
        ``reminder_hours`` before the start (None: none)."""
        fields = dict(title=title, starts_at=starts_at, ends_at=ends_at, summit_id=summit_id, room_id=room_id,
                      online_url=online_url, format=format, capacity=capacity, description=description,
                      speakers=speakers, organizations=organizations, timezone=timezone,
                      registration_mode=registration_mode, join_link_public=join_link_public,
                      reminder_hours=reminder_hours)
        with self._db.write() as db:
            event = events.get_event(db, events.create(db, events.check_fields(db, **fields), allow_past))
            audit.record(db, actor, "event_created", event_id=event.id, title=event.title)
            return event

    @staff_only
    def update_event(self, event_id: int, *, version: int, allow_past: bool = False, actor: Actor = SYSTEM,
                     **changes) -> Event:
        """Change an event saved at ``version``; ``StaleEdit`` (with ``.current``) if anyone saved since.
        Moving its start to another moment in the past needs ``allow_past``."""
        with self._db.write() as db:
            before = events.get_event(db, event_id)
            moved = self._moved_up(db, events.update(db, event_id, version, changes, allow_past))
            after = events.get_event(db, event_id)
            audit.record(db, actor, "event_edited", event_id=after.id, moved_up=len(moved), changes=audit.changed(
                audit.event_fields(events.as_fields(before)), audit.event_fields(events.as_fields(after))))
            if after.status == "published" and snapshot(before) != snapshot(after):
                outbox.event_changed(db, after.id, snapshot(before), domain=self._domain)  # title, time or place
        self._wrote_mail()
        return after

    @staff_only
    def duplicate_event(self, event_id: int, *, actor: Actor = SYSTEM) -> Event:
        """A new draft with the same details (and a new calendar UID), dated in the past too if
        the original is: publishing it, or saving new times, asks then."""
        with self._db.write() as db:
            source = events.get_event(db, event_id)
            fields = {**events.as_fields(source), "title": events.copy_title(source.title)}
            checked = events.check_fields(db, **fields, stored_zone=source.timezone)
            copy_id = events.create(db, checked, allow_past=True)
            translations.copy(db, source.id, copy_id)  # issue #13: the copy keeps its languages
            sign_on.copy_requests(db, source.id, copy_id, speaker_token_for=self._speaker_token)  # issue #14
            copy = events.get_event(db, copy_id)
            audit.record(db, actor, "event_duplicated", event_id=copy.id, title=copy.title, copied_from=source.id)
            return copy

    @staff_only
    def publish_event(self, event_id: int, *, allow_room_clash: bool | Iterable[int] = False,
                      version: int | None = None, allow_past: bool = False, actor: Actor = SYSTEM) -> Event:
        """Make a draft public; a room clash needs ``allow_room_clash`` (True, or the clashing ids
        shown), a start before now ``allow_past``."""
        accepted = None if allow_room_clash is True else {check.id(i) for i in (allow_room_clash or ())}
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            if event.status != "published":
                events.publish(db, event, accepted, version, allow_past)
                audit.record(db, actor, "event_published", event_id=event.id)
            return events.get_event(db, event.id)

    @staff_only
    def cancel_event(self, event_id: int, *, reason: str, version: int | None = None, actor: Actor = SYSTEM) -> Event:
        """Cancel an event; published ones stay visible with the reason."""
        reason = check.text(reason, "reason", N_("Reason for cancelling"), max_length=500, one_line=False)
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            if event.status != "cancelled":
                events.set_status(db, event, "cancelled", version=version, reason=reason)
                audit.record(db, actor, "event_cancelled", event_id=event.id, reason=reason,
                             previous_status=event.status)
                if event.status == "published":
                    outbox.event_cancelled(db, event.id, domain=self._domain)
            cancelled = events.get_event(db, event.id)
        self._wrote_mail()
        return cancelled

    def get_event(self, event_id: int, *, actor: Actor = SYSTEM) -> Event:
        """One event; anyone but staff gets ``NotFound`` for an event that was never public."""
        public = self._public_events()[1].get(check.id(event_id))
        if public is not None:  # the public page's rerun: one small query instead of three
            return public
        event = self._read(events.get_event, event_id)
        if not actor.is_staff and not event.is_public:
            raise NotFound("no_event", id=event_id)
        return event

    @staff_only
    def list_events(self, summit_id: int | None = None, status: str | None = None, *,
                    actor: Actor = SYSTEM) -> list[Event]:
        """Every event (drafts too) in time order, optionally of one summit and/or status."""
        return self._read(events.list_events, summit_id, status)

    def programme(self, *, summit_id: int | None = None, day: date | None = None, organization: str | None = None,
                  format: str | None = None, query: str | None = None) -> list[Event]:
        """What the public sees (published, and published then cancelled), in time order, filtered."""
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
        """Every organization known, for pick lists."""
        return self._read(events.organization_names)

    def people(self) -> list[dict]:
        """Every speaker known, with their latest affiliation, for pick lists."""
        return self._read(events.people)

    def conflicts(self, event_id: int | None = None) -> list[Conflict]:
        """Clashes among events that are not cancelled (only those of ``event_id`` if given)."""
        with self._db.read() as db:
            if event_id is not None:
                events.get_event(db, event_id)
            return find_conflicts(events.select(db, "WHERE e.status != 'cancelled'"), focus_id=event_id)

    def preview_conflicts(self, event_id: int | None = None, **fields) -> list[Conflict]:
        """The clashes an event would have with these (unsaved, validated) fields."""
        return self._read(events.preview_conflicts, event_id, fields)

    def event_changes(self, before: Event, after: Event) -> list[EventChange]:
        """What differs between two versions of an event, in the active language."""
        return events.changes_between(before, after)

    # ------------------------------------------------------------------ registrations

    def register(self, event_id: int, *, name: str, email: str, organization: str = "", needs: str = "",
                 proof: str | None = None, client: ClientKey | None = None, language: str | None = None,
                 answers: dict | None = None, no_photos: bool = False, hide_name: bool = False
                 ) -> Registration | PendingConfirmation:
        """RSVP: a seat while there is one, else the waiting list; one email, one registration.
        The confirmation (or waiting-list message) is written to the outbox with it, in
        ``language`` (default: the active one). An address already registered changes nothing:
        its private link is emailed to it instead. An event in proof-of-work mode needs
        ``proof``, a solution of ``registration_challenge``; with ``client`` (pages pass theirs)
        the flood limits apply: ``TooManyRequests``.

        An event confirmed by email registers nobody here: a new address gets a place held for
        30 minutes and a link to confirm it (``confirm_registration``), one already holding a
        place gets that link again, one already registered its private link; every case
        returns the same ``PendingConfirmation(event_id)``, so the answer tells nothing about
        the address. Bad input and the flood limits refuse as in the other modes.

        ``answers`` answer the event's questions (``event_questions``: key → value), checked and
        written with the registration (or kept with the held place); ``no_photos`` and
        ``hide_name`` are the attendee's privacy choices."""
        answered = dict(answers=answers, no_photos=no_photos, hide_name=hide_name)
        checked: list = []
        admit = None if client is None else (lambda event: checked.extend(self._limiter.check(client, event)))
        language = language or current_language()
        with self._db.write(failed="registration_write_failed") as db:
            state = registrations.event_state(db, check.id(event_id))
            mode = state["registration_mode"]
            if mode == "email":  # face/mail.py: a place held, a link sent
                done = self._hold_place(db, event_id, name=name, email=email, organization=organization,
                                        needs=needs, admit=admit, language=language, **answered)
            else:
                done = self._register(db, event_id, name=name, email=email, organization=organization, needs=needs,
                                      proof=proof, admit=admit, language=language, state=state, **answered)
        self._limiter.count(checked)  # written (or found already there): now it counts
        self._wrote_mail()
        return done

    def registration_problems(self, event_id: int, *, name: str, email: str, organization: str = "",
                              needs: str = "", answers: dict | None = None,
                              besides: ValidationError | None = None) -> list[ValidationError]:
        """Every field of a registration form ``register`` would refuse, in the form's order
        (name, email, organization, needs, the first question answered wrongly): after a
        refusal a form marks them all at once, not one per try. Reads only; nothing counted.

        ``besides``: the refusal ``register`` gave; its field is left out, and a refusal that
        is not about a field of the form (the event closed) gives none. Best effort for the
        pages: [] when the event cannot be read any more (the refusal is still the answer)."""
        answers = answers or {}
        if besides is not None and besides.field not in (*registrations.FORM_FIELDS, *answers):
            return []
        try:
            found = self._read(lambda db: registrations.problems(db, check.id(event_id), name=name, email=email,
                                                                 organization=organization, needs=needs,
                                                                 answers=answers))
        except PlannerError:
            return []
        return [e for e in found if besides is None or e.field != besides.field]

    def _register(self, db, event_id, *, name, email, organization, needs, proof, admit, language, state,
                  **answered) -> Registration:
        """``register`` for the modes that register at once (open, proof of work); ``state``: the
        event's ``registrations.event_state``, read once for the mode and the open check."""
        proofs.check_proof(db, event_id, proof, self._proof_key, state["registration_mode"])
        done = registrations.register(db, event_id, name=name, email=email, organization=organization, needs=needs,
                                      checkin_key=self._checkin_key, admit=admit, language=language, state=state,
                                      **answered)
        if done.already_registered:
            recovery.request_links(db, done.email, done.event_id, clock.now(), language=language, domain=self._domain)
        else:
            outbox.registered(db, done.id, done.status, domain=self._domain, registration=done)
        return done

    def registration_challenge(self, event_id: int) -> dict:
        """A signed proof-of-work challenge for one event's registration form (writes nothing)."""
        return proofs.new_challenge(self._proof_key, event_id)

    def registration(self, manage_token: str) -> Registration:
        """The registration a private link names; ``NotFound`` for unknown or malformed tokens."""
        return self._read(registrations.by_token, manage_token)

    def update_registration(self, manage_token: str, **changes) -> Registration:
        """Change name, organization or needs (the email is the registration's identity), the
        ``answers`` (key → value; keys left out keep their answer, None clears one) and the
        privacy choices ``no_photos`` and ``hide_name``."""
        return self._write(registrations.update_details, manage_token, changes)

    def cancel_registration(self, manage_token: str) -> Registration:
        """Give up the seat (or waiting-list place); the first person waiting moves up at once."""
        with self._db.write() as db:
            registration = registrations.by_token(db, manage_token)
            self._moved_up(db, registrations.cancel(db, registration))
            if registration.status != "cancelled":
                outbox.registration_cancelled(db, registration.id, by="guest", domain=self._domain)
            return registrations.by_token(db, manage_token)

    @staff_only
    def cancel_registration_for(self, registration_id: int, *, actor: Actor = SYSTEM) -> Registration:
        """An organizer cancels a registration on someone's behalf."""
        with self._db.write() as db:
            registration = registrations.by_id(db, registration_id)
            moved = self._moved_up(db, registrations.cancel(db, registration))
            if registration.status != "cancelled":
                outbox.registration_cancelled(db, registration.id, by="organizer", domain=self._domain)
                # The registration's id only: the guest's name and email stay out of the log.
                audit.record(db, actor, "registration_cancelled", event_id=registration.event_id,
                             subject=registration.id, previous_status=registration.status, moved_up=len(moved))
            return registrations.by_id(db, registration_id)

    @staff_only
    def registrations(self, event_id: int, status: str | None = None, query: str | None = None, *,
                      actor: Actor = SYSTEM) -> list[Registration]:
        """An event's registrations in arrival order (no tokens); ``query`` matches name, email, organization."""
        return self._read(lambda db: registrations.listing(db, events.get_event(db, event_id).id, status, query))

    def event_counts(self, event_id: int) -> EventCounts:
        return self._read(registrations.counts, check.id(event_id))

    @staff_only
    def all_event_counts(self, *, actor: Actor = SYSTEM) -> dict[int, EventCounts]:
        return self._read(registrations.all_counts)

    @staff_only
    def capacity_preview(self, event_id: int, capacity: int | None, *, actor: Actor = SYSTEM) -> list[Registration]:
        """Who a new capacity would move up from the waiting list (writes nothing)."""
        capacity = check.capacity(capacity)
        with self._db.read() as db:
            event = events.get_event(db, event_id)
            limit = capacity if capacity is not None else (event.room.capacity if event.room else None)
            if limit is not None:  # the places offered beyond it too (issue #12)
                limit += registrations.overbooking(db, event.id)
            ids = registrations.would_promote(db, event.id, limit)
            return registrations.load(db, f"WHERE r.id IN ({','.join('?' * len(ids))})", ids) if ids else []
