"""The one module that owns the SQLite file: schema, migrations and transactions.

Why it looks like this (measured, see the project notes):

* A sqlite3 connection must not be used by two Streamlit sessions (threads) at once. Opening one
  (with its pragmas and the sqlite-utils wrapper) was about 9% of the server's work in the
  registration rush, so units of work borrow one: reads from a small pool of idle connections,
  each lent to one thread at a time; writes use the one write connection, which the write lock
  already gives to one thread at a time. A connection that saw an error other than the
  planner's own refusals (NotFound, ValidationError…) is closed, not reused.
* Every write that checks then changes (capacity, check-in, a version number) runs in one
  ``BEGIN IMMEDIATE`` transaction, so it holds the write lock from its first read.
* The folder and the files are private to the server's user (0700, 0600): they hold emails,
  needs and door-pass secrets. ``files.py`` says how.
* SQLite's busy handler polls instead of queueing, so under a rush some writers starve past the
  timeout. Writers of one process therefore queue on a ``threading.Lock`` first; the one writer
  of each process then takes an advisory lock on ``<database>.write-lock`` (``fcntl.flock``,
  tried every half millisecond up to the busy timeout) before ``BEGIN IMMEDIATE``. With several
  server processes (``python -m planner serve``) SQLite's own handler sleeps 1, 2, 5 … 100 ms
  between tries, so a writer waited tens of milliseconds for a lock freed after three, and two
  processes registered no faster than one; the lock file hands the turn over at once.
* Group commit (issue #17): when writers of the process are queued as a block ends, the
  transaction stays open for the next block, each in a savepoint of its own, up to
  ``GROUP_MAX``; the last commits for all and every writer returns once that commit is on disk.
  Under a rush each commit's ``fsync``, and each hand-over of the turn, had cost more than the
  writing itself: two processes on one file registered 1.2 times what one did, 1.5 times with it.
* A write the file refuses (disk full, read-only file or mount, locked past the timeout: all
  ``sqlite3.OperationalError``) rolls back and becomes a ``StorageError`` with a code, so every
  page shows a sentence, never SQLite's words; the cause is logged for the operator. Opening
  writes once (a header field set to its own value), so a database the server cannot write
  stops it at start instead of failing the first person who registers.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterator

import sqlite_utils

from . import clock, files
from .errors import PlannerError, StorageError

BUSY_TIMEOUT_MS = 10_000
GROUP_MAX = 32  # blocks one transaction may carry when writers queue (``Database.write``)
IDLE_READERS = 8  # idle read connections kept for reuse; more are opened when busy, then closed
log = logging.getLogger(__name__)

# Each migration is a list of SQL statements, applied once, in order, inside one transaction.
# Never edit a migration that has shipped: add a new one.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE summits (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            city TEXT NOT NULL DEFAULT '',
            timezone TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL
        )""",
        """CREATE TABLE venues (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            timezone TEXT NOT NULL
        )""",
        """CREATE TABLE rooms (
            id INTEGER PRIMARY KEY,
            venue_id INTEGER NOT NULL REFERENCES venues(id),
            name TEXT NOT NULL,
            capacity INTEGER NOT NULL CHECK (capacity >= 1),
            accessibility TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX rooms_venue ON rooms(venue_id)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            summit_id INTEGER REFERENCES summits(id),
            room_id INTEGER REFERENCES rooms(id),
            online_url TEXT,
            format TEXT NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
            timezone TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1),
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'published', 'cancelled')),
            cancel_reason TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            sequence INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            published_at TEXT
        )""",
        "CREATE INDEX events_start ON events(starts_at)",
        "CREATE INDEX events_room ON events(room_id)",
        "CREATE INDEX events_summit ON events(summit_id)",
        """CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            email TEXT,
            affiliation TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX people_name_key ON people(name_key)",
        "CREATE UNIQUE INDEX people_email ON people(email) WHERE email IS NOT NULL",
        """CREATE TABLE event_speakers (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            person_id INTEGER NOT NULL REFERENCES people(id),
            role TEXT NOT NULL,
            affiliation TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (event_id, position)
        )""",
        "CREATE INDEX event_speakers_person ON event_speakers(person_id)",
        """CREATE TABLE organizations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE event_organizations (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            organization_id INTEGER NOT NULL REFERENCES organizations(id),
            role TEXT NOT NULL,
            PRIMARY KEY (event_id, position)
        )""",
        "CREATE INDEX event_organizations_org ON event_organizations(organization_id)",
        """CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'organizer')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        )""",
        """CREATE TABLE sign_in_codes (
            code_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            expires_at TEXT NOT NULL
        )""",
    ],
    # 2: registrations (RSVPs) and the waiting list.
    [
        """CREATE TABLE registrations (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            organization TEXT NOT NULL DEFAULT '',
            needs TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            confirmed_at TEXT,
            cancelled_at TEXT
        )""",
        # One active registration per email and event; cancelled ones may repeat.
        "CREATE UNIQUE INDEX registrations_active_email ON registrations(event_id, email)"
        " WHERE status != 'cancelled'",
        "CREATE INDEX registrations_event_status ON registrations(event_id, status, id)",
    ],
    # 3: tickets, door passes and check-in.
    [
        "ALTER TABLE registrations ADD COLUMN checkin_code TEXT",
        "ALTER TABLE registrations ADD COLUMN checked_in_at TEXT",
        "ALTER TABLE registrations ADD COLUMN checked_in_door TEXT",
        "ALTER TABLE registrations ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0",
        "CREATE UNIQUE INDEX registrations_checkin_code ON registrations(checkin_code)",
        # Walk-ins may come without an email: only real addresses must be unique per event.
        "DROP INDEX registrations_active_email",
        "CREATE UNIQUE INDEX registrations_active_email ON registrations(event_id, email)"
        " WHERE status != 'cancelled' AND email != ''",
        """CREATE TABLE door_passes (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            label TEXT NOT NULL,
            secret TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )""",
        """CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            registration_id INTEGER REFERENCES registrations(id),
            door TEXT NOT NULL,
            verdict TEXT NOT NULL,
            scanned_at TEXT NOT NULL
        )""",
        "CREATE INDEX scans_event ON scans(event_id, id)",
    ],
    # 4: a counter every change to the programme's tables bumps (in the same transaction, from
    # any process), so readers can cache the programme until it moves.
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO meta (key, value) VALUES ('catalog_version', 0)",
        *(
            f"CREATE TRIGGER {table}_{op.lower()}_catalog AFTER {op} ON {table} BEGIN"
            " UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'; END"
            for table in (
                "summits", "venues", "rooms", "events", "people", "event_speakers", "organizations",
                "event_organizations",
            )
            for op in ("INSERT", "UPDATE", "DELETE")
        ),
    ],
    # 5 (issue #9, sign-in): failed sign-ins, for throttling and for admins to see. The email is
    # the one typed (trimmed, lower case; an account may not exist), the address the client's
    # (an IPv6 one as its /64), never the password. Indexed for the two counts in the last 15
    # minutes and for the latest failures / the 30-day clean-up.
    [
        """CREATE TABLE sign_in_failures (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            address TEXT,
            failed_at TEXT NOT NULL
        )""",
        "CREATE INDEX sign_in_failures_email ON sign_in_failures(email, failed_at)",
        "CREATE INDEX sign_in_failures_address ON sign_in_failures(address, failed_at)",
        "CREATE INDEX sign_in_failures_time ON sign_in_failures(failed_at)",
    ],
    # 6 (issue #9, registration mode): how open an event's registration is, whether its join
    # link is public, and the proof-of-work challenges already used (kept until they expire, so
    # a solution cannot be replayed). 'email' is reserved for confirmation by email.
    [
        "ALTER TABLE events ADD COLUMN registration_mode TEXT NOT NULL DEFAULT 'open'"
        " CHECK (registration_mode IN ('open', 'proof_of_work', 'email'))",
        "ALTER TABLE events ADD COLUMN join_link_public INTEGER NOT NULL DEFAULT 0"
        " CHECK (join_link_public IN (0, 1))",
        """CREATE TABLE used_proofs (
            signature TEXT PRIMARY KEY,
            expires_at TEXT NOT NULL
        )""",
        "CREATE INDEX used_proofs_expiry ON used_proofs(expires_at)",
    ],
    # 7 (issue #10, email): the outbox, written in the transaction of the change that causes
    # each message and delivered after it commits; what each registration wants to hear
    # (its language, reminders and organizers' messages on or off); each event's reminder
    # (hours before the start, NULL for none); private links that can be sent again (derived
    # from the registration's id with a server key, so no token is stored: ``old_token_hash``
    # keeps the random links made before, which still work); the requests for a private link
    # (per address, hashed, for the per-address limit); places held for 30 minutes while a
    # new address confirms by email.
    [
        "ALTER TABLE registrations ADD COLUMN language TEXT NOT NULL DEFAULT 'en'",
        "ALTER TABLE registrations ADD COLUMN messages_off INTEGER NOT NULL DEFAULT 0 CHECK (messages_off IN (0, 1))",
        "ALTER TABLE registrations ADD COLUMN old_token_hash TEXT",
        "ALTER TABLE registrations ADD COLUMN link_derived INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX registrations_old_token ON registrations(old_token_hash) WHERE old_token_hash IS NOT NULL",
        "ALTER TABLE events ADD COLUMN reminder_hours INTEGER DEFAULT 24"
        " CHECK (reminder_hours IS NULL OR reminder_hours BETWEEN 1 AND 336)",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            event_id INTEGER REFERENCES events(id),
            registration_id INTEGER REFERENCES registrations(id),
            recipient TEXT NOT NULL,
            recipient_name TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            data TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'waiting'
                CHECK (status IN ('waiting', 'sending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            claimed_by TEXT,
            claimed_until TEXT,
            last_error TEXT,
            message_id TEXT NOT NULL UNIQUE,
            ical_method TEXT,
            ical_sequence INTEGER,
            batch TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT
        )""",
        "CREATE INDEX outbox_due ON outbox(status, next_attempt_at)",
        "CREATE INDEX outbox_event ON outbox(event_id, id)",
        "CREATE INDEX outbox_registration ON outbox(registration_id, kind, status)",
        "CREATE INDEX outbox_recipient ON outbox(recipient, event_id, ical_sequence)",
        "CREATE INDEX outbox_batch ON outbox(batch) WHERE batch IS NOT NULL",
        """CREATE TABLE link_requests (
            id INTEGER PRIMARY KEY,
            email_hash TEXT NOT NULL,
            requested_at TEXT NOT NULL
        )""",
        "CREATE INDEX link_requests_email ON link_requests(email_hash, requested_at)",
        """CREATE TABLE held_places (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id),
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            organization TEXT NOT NULL DEFAULT '',
            needs TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            seat INTEGER NOT NULL CHECK (seat IN (0, 1)),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""",
        "CREATE INDEX held_places_event ON held_places(event_id, expires_at)",
    ],
    # 8 (issue #10, confirmed by email): a held place is named by a link derived from its id
    # (``ticket_codes.hold_token``), found again by that link's SHA-256 (``token_hash``), and
    # remembers the registration its confirmation made (``registration_id``), so a second click
    # gives the same registration back. Ids must never be used twice, or an old link would
    # confirm someone else's new hold: the table is made again with AUTOINCREMENT (nobody could
    # hold a place before this migration, so there is nothing to copy).
    [
        "DROP TABLE held_places",
        """CREATE TABLE held_places (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events(id),
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            organization TEXT NOT NULL DEFAULT '',
            needs TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            seat INTEGER NOT NULL CHECK (seat IN (0, 1)),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            registration_id INTEGER REFERENCES registrations(id)
        )""",
        "CREATE INDEX held_places_event ON held_places(event_id, expires_at)",
        "CREATE INDEX held_places_email ON held_places(event_id, email)",
    ],
    # 9 (issue #11, audit log): who changed what and when, written in the transaction of the
    # change. ``subject`` names what was changed by id or code (never a guest's name or email);
    # ``details`` (JSON) holds the before and after of edited fields. No page or method edits it.
    [
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_kind TEXT NOT NULL,
            actor_user_id INTEGER,
            actor_label TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            event_id INTEGER,
            subject TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX audit_log_at ON audit_log(at)",
        "CREATE INDEX audit_log_event ON audit_log(event_id, at)",
        "CREATE INDEX audit_log_action ON audit_log(action, at)",
        "CREATE INDEX audit_log_user ON audit_log(actor_user_id, at)",
    ],
    # issue #12, security list: a host's guest-list rule (deadline in hours or working days, the
    # sponsor, the columns) held by a venue, a room or one event (exactly one of the three), and
    # each list made (its columns and, per guest, the registration id, updated_at and a hash of
    # what the list said: no names). Both go with what they belong to (ON DELETE CASCADE).
    [
        """CREATE TABLE guest_list_rules (
            id INTEGER PRIMARY KEY,
            venue_id INTEGER UNIQUE REFERENCES venues(id) ON DELETE CASCADE,
            room_id INTEGER UNIQUE REFERENCES rooms(id) ON DELETE CASCADE,
            event_id INTEGER UNIQUE REFERENCES events(id) ON DELETE CASCADE,
            hours INTEGER CHECK (hours IS NULL OR hours >= 1),
            working_days INTEGER CHECK (working_days IS NULL OR working_days >= 1),
            holidays TEXT NOT NULL DEFAULT '[]',
            sponsor TEXT NOT NULL DEFAULT '',
            columns TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL,
            CHECK ((venue_id IS NOT NULL) + (room_id IS NOT NULL) + (event_id IS NOT NULL) = 1),
            CHECK (hours IS NULL OR working_days IS NULL)
        )""",
        """CREATE TABLE security_lists (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            made_at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            columns TEXT NOT NULL,
            rows TEXT NOT NULL
        )""",
        "CREATE INDEX security_lists_event ON security_lists(event_id, id)",
    ],
    # issue #12, questions (``areas/questions.py``): the questions an event's form asks (the
    # built-in ones by ``builtin`` code, the organizer's own with their text; ids never reused,
    # a removed question is only marked ``removed``), each registration's answers with a
    # snapshot of the question's text (readable after the question changed or went), the
    # answers a held place will carry (JSON), and the two privacy choices every attendee makes.
    [
        """CREATE TABLE event_questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events(id),
            position INTEGER NOT NULL,
            builtin TEXT,
            kind TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            help TEXT NOT NULL DEFAULT '',
            choices TEXT NOT NULL DEFAULT '[]',
            asked INTEGER NOT NULL DEFAULT 1,
            required INTEGER NOT NULL DEFAULT 0,
            removed INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX event_questions_event ON event_questions(event_id, position)",
        """CREATE TABLE registration_answers (
            registration_id INTEGER NOT NULL REFERENCES registrations(id),
            key TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (registration_id, key)
        )""",
        "ALTER TABLE held_places ADD COLUMN answers TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE registrations ADD COLUMN no_photos INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE registrations ADD COLUMN hide_name INTEGER NOT NULL DEFAULT 0",
    ],
    # issue #12, reconfirmation: per event, whether confirmed guests are asked "Still coming?"
    # before the deadline, whether the places of those who did not answer are released then, and
    # how many places are offered beyond the capacity (``areas/reconfirm.py``); and per guest
    # asked, the request and its one answer ("yes", "no", or "released" when nobody answered).
    # The link is derived from the registration's id (``ticket_codes.reconfirm_token``); only its
    # SHA-256 is kept. Settings go with a deleted draft.
    [
        """CREATE TABLE reconfirm_settings (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
            release_unanswered INTEGER NOT NULL DEFAULT 0 CHECK (release_unanswered IN (0, 1)),
            overbooking INTEGER NOT NULL DEFAULT 0 CHECK (overbooking >= 0),
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE reconfirmations (
            registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),
            event_id INTEGER NOT NULL REFERENCES events(id),
            token_hash TEXT NOT NULL UNIQUE,
            asked_at TEXT NOT NULL,
            answer TEXT CHECK (answer IN ('yes', 'no', 'released')),
            answered_at TEXT
        )""",
        "CREATE INDEX reconfirmations_event ON reconfirmations(event_id, answer)",
    ],
    # issue #13, event translations: an event's title and description in other languages
    # (``areas/translations.py``; the event's own columns stay the original) and the language
    # the original is in (no row: English). Both are part of the public programme, so they bump
    # catalog_version like the tables of migration 4. They go with a deleted draft.
    [
        """CREATE TABLE event_translations (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            language TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (event_id, language)
        )""",
        """CREATE TABLE event_languages (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            original TEXT NOT NULL DEFAULT 'en'
        )""",
        *(
            f"CREATE TRIGGER {table}_{op.lower()}_catalog AFTER {op} ON {table} BEGIN"
            " UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'; END"
            for table in ("event_translations", "event_languages")
            for op in ("INSERT", "UPDATE", "DELETE")
        ),
    ],
    # The questions an event's form asks are read on every run of the event page (a
    # registration rush's page): they bump catalog_version too, so the Planner keeps them until
    # they change (``Planner.event_questions``).
    [
        f"CREATE TRIGGER event_questions_{op.lower()}_catalog AFTER {op} ON event_questions BEGIN"
        " UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'; END"
        for op in ("INSERT", "UPDATE", "DELETE")
    ],
    # issue #14, sign-on (``areas/sign_on.py``): who signs for an organization (one contact per
    # organization and address: their one link lists every request of that organization sent to
    # them, ``token_hash`` the SHA-256 of a link derived from the contact's id), each request to
    # an organization on an event (per event, organization and role: the event's organization
    # rows are written again on every save), its answer, the name to display and the logo's file
    # (under the data folder's images/); each speaker's request (per event and person) with the
    # speaker's answer, bio, photo, name as on the ID document, how they take part and their
    # language; and per event whether organizations not yet answering are shown as "invited".
    # Ids are never reused (AUTOINCREMENT): a link names one contact or request for good. What
    # the public pages show changes with them, so they bump catalog_version.
    [
        """CREATE TABLE sign_on_contacts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            organization_id INTEGER NOT NULL REFERENCES organizations(id),
            email TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            UNIQUE (organization_id, email)
        )""",
        """CREATE TABLE sign_on_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            organization_id INTEGER NOT NULL REFERENCES organizations(id),
            role TEXT NOT NULL,
            contact_id INTEGER NOT NULL REFERENCES sign_on_contacts(id),
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'declined')),
            display_name TEXT NOT NULL DEFAULT '',
            logo TEXT,
            language TEXT NOT NULL DEFAULT 'en',
            requested_at TEXT NOT NULL,
            reminded_at TEXT,
            answered_at TEXT,
            UNIQUE (event_id, organization_id, role)
        )""",
        "CREATE INDEX sign_on_requests_contact ON sign_on_requests(contact_id, status)",
        """CREATE TABLE speaker_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id),
            email TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'declined')),
            bio TEXT NOT NULL DEFAULT '',
            photo TEXT,
            id_name TEXT NOT NULL DEFAULT '',
            attendance TEXT CHECK (attendance IS NULL OR attendance IN ('in_person', 'remote', 'video')),
            speaks TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            requested_at TEXT NOT NULL,
            reminded_at TEXT,
            answered_at TEXT,
            UNIQUE (event_id, person_id)
        )""",
        """CREATE TABLE sign_on_settings (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            show_invited INTEGER NOT NULL DEFAULT 0 CHECK (show_invited IN (0, 1))
        )""",
        *(
            f"CREATE TRIGGER {table}_{op.lower()}_catalog AFTER {op} ON {table} BEGIN"
            " UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'; END"
            for table in ("sign_on_requests", "speaker_requests", "sign_on_settings")
            for op in ("INSERT", "UPDATE", "DELETE")
        ),
    ],
    # issue #14, calls for side events (``areas/proposals.py``): per summit, calls with their
    # window (UTC), text and questions (JSON) and the key of their public link; the proposals
    # made to them (what the proposer typed, JSON where it is a list, the event an acceptance
    # made); the proposers (two after a merge), each with the SHA-256 of their private link,
    # derived from the row's id (``ticket_codes.proposal_token``), so ids are never reused; and
    # the comments on a proposal (visible to its proposers or internal).
    [
        """CREATE TABLE calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            summit_id INTEGER NOT NULL REFERENCES summits(id),
            key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            opens_at TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            questions TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX calls_summit ON calls(summit_id)",
        """CREATE TABLE proposals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN
                ('submitted', 'changes_requested', 'accepted', 'declined', 'withdrawn', 'merged')),
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL,
            preferred_days TEXT NOT NULL DEFAULT '[]',
            preferred_times TEXT NOT NULL DEFAULT '[]',
            audience TEXT NOT NULL DEFAULT '',
            speakers TEXT NOT NULL DEFAULT '[]',
            organizations TEXT NOT NULL DEFAULT '[]',
            answers TEXT NOT NULL DEFAULT '{}',
            decline_reason TEXT NOT NULL DEFAULT '',
            merged_into INTEGER REFERENCES proposals(id),
            event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            decided_at TEXT
        )""",
        "CREATE INDEX proposals_call ON proposals(call_id, id)",
        """CREATE TABLE proposers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            proposal_id INTEGER NOT NULL REFERENCES proposals(id),
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            organization TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX proposers_proposal ON proposers(proposal_id)",
        """CREATE TABLE proposal_comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            proposal_id INTEGER NOT NULL REFERENCES proposals(id),
            at TEXT NOT NULL,
            author TEXT NOT NULL CHECK (author IN ('organizer', 'proposer')),
            author_label TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            visible INTEGER NOT NULL CHECK (visible IN (0, 1)),
            kind TEXT NOT NULL DEFAULT 'comment'
        )""",
        "CREATE INDEX proposal_comments_proposal ON proposal_comments(proposal_id, id)",
    ],
    # Posters and social cards (issue #15): the colours an event's organizers chose. The
    # coalition's logo is a file in the data folder (face/share.py), not a row.
    [
        """CREATE TABLE event_poster (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            theme TEXT NOT NULL DEFAULT 'navy'
        )""",
    ],
]


def insert_row(db, table: str, row: dict) -> int:
    """One INSERT of ``row`` (our own column names) into ``table``; returns the new row's id.
    For the writes a registration makes while it holds the write turn: sqlite-utils' ``insert``
    first asks ``sqlite_master`` three times and wraps itself in a savepoint — eight statements
    more, each a moment the process may wait for its interpreter lock while every other
    process's writers wait for the turn (issue #17)."""
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    values = [json.dumps(v) if isinstance(v, (dict, list, tuple)) else v for v in row.values()]
    return db.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values).lastrowid


def to_db_time(value: datetime) -> str:
    """UTC, second precision, one fixed format, so text order is time order."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class _Group:
    """One ``BEGIN IMMEDIATE`` transaction of ``Database.write`` and the blocks that ran in it."""

    __slots__ = ("db", "blocks", "broken", "tainted", "done")

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.blocks = 0
        self.broken: BaseException | None = None  # set when the transaction can no longer commit
        self.tainted = False  # a block raised something else than a refusal: no reuse of the connection
        self.done = threading.Event()  # set once it is committed (or rolled back)


class Database:
    """Opens connections to one SQLite file and runs its migrations once."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        files.prepare(self.path)  # a private folder (0700) and file (0600), before SQLite opens it
        self._write_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Writers of all processes queue on this file (see the module's docstring); private like the database.
            self._queue = os.open(self.path.with_name(self.path.name + files.WRITE_LOCK_SUFFIX),
                                  os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            # Closed with the Database; at exit the system closes it (daemon threads may be writing then).
            weakref.finalize(self, os.close, self._queue).atexit = False
            with self._write_lock:
                conn = self._connect()
                try:
                    conn.execute("PRAGMA journal_mode = WAL")
                    self._migrate(conn)
                finally:
                    conn.close()
        except (OSError, sqlite3.OperationalError) as err:
            # A folder that cannot be made, a file or folder the server may not write (also
            # for root: a read-only mount), a full disk: say so before anyone is served.
            log.error("cannot write the database %s: %s", self.path, err)
            raise StorageError("database_not_writable", path=str(self.path)) from err
        # Closing the last connection to a WAL database checkpoints the whole log into the
        # file, which doubled the cost of every write here. One idle connection held for the
        # Database's lifetime keeps the others from being the last; SQLite still checkpoints
        # by itself every 1,000 pages.
        self._keeper = self._connect()
        self._keeper.execute("SELECT count(*) FROM schema_migrations").fetchone()  # opens the log
        self._idle_readers: list[sqlite_utils.Database] = []
        self._idle_lock = threading.Lock()
        self._writer: sqlite_utils.Database | None = None  # only touched under _write_lock
        self._group: _Group | None = None  # the open transaction of ``write``: only touched under _write_lock
        self._count_lock = threading.Lock()
        self._waiting = 0  # writers of this process waiting for _write_lock (under _count_lock)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we say BEGIN and COMMIT ourselves. check_same_thread=False: a
        # pooled connection serves one thread at a time, but not always the one that opened it.
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Deleted personal data must not stay readable in free pages.
        conn.execute("PRAGMA secure_delete = ON")
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, statements in enumerate(MIGRATIONS, start=1):
                if version in done:
                    continue
                for sql in statements:
                    conn.execute(sql)
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, to_db_time(clock.now())),
                )
            # A real write even when there was nothing to migrate: a read-only file would
            # otherwise open fine and fail the first registration.
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(user_version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        with self.read() as db:
            return db.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """A connection for reads, lent to this block alone; WAL lets readers run beside a writer.

        Rows must be fetched inside the block (they are: fetchone/fetchall, or loops run to the
        end), so the connection goes back with no statement open.
        """
        with self._idle_lock:
            db = self._idle_readers.pop() if self._idle_readers else None
        if db is None:
            db = sqlite_utils.Database(self._connect())
        try:
            yield db
        except PlannerError:
            self._give_back(db)  # a refusal (not found, bad input) leaves the connection as it was
            raise
        except BaseException:
            db.conn.close()
            raise
        self._give_back(db)

    def _give_back(self, db: sqlite_utils.Database) -> None:
        if db.conn.in_transaction:  # a block that began one and left it open: never lend that on
            db.conn.close()
            return
        with self._idle_lock:
            if len(self._idle_readers) < IDLE_READERS:
                self._idle_readers.append(db)
                return
        db.conn.close()

    def _take_turn(self, failed: str) -> None:
        """This process's turn to write, among all processes on the file: the lock file, tried
        every half millisecond; after the busy timeout, ``StorageError`` as a locked file gives."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                fcntl.flock(self._queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    log.error("a write to %s waited past %s ms for another process", self.path, BUSY_TIMEOUT_MS)
                    raise StorageError(failed) from None
                time.sleep(0.0005)

    def _give_turn(self) -> None:
        fcntl.flock(self._queue, fcntl.LOCK_UN)

    @contextmanager
    def _turn(self, failed: str = "write_failed") -> Iterator[None]:
        self._take_turn(failed)
        try:
            yield
        finally:
            self._give_turn()

    @contextmanager
    def write(self, failed: str = "write_failed") -> Iterator[sqlite_utils.Database]:
        """A ``BEGIN IMMEDIATE`` transaction: all of the block is written, or none of it.

        sqlite-utils' own writes nest inside it as savepoints, so table helpers may be used.
        Raises ``StorageError(failed)`` when the file refuses the write (disk full, read-only,
        locked past the timeout): nothing was written, and the caller may name what was not
        saved (``failed``, a code with its sentence in ``codes.MESSAGES``).

        Group commit: when other writers of this process are already waiting as a block ends,
        the transaction stays open and the next block runs in it, each block in a savepoint of
        its own (a block that raises leaves no trace, the others stay), one after another, as
        many as ``GROUP_MAX``. The last one commits for all, and every block's ``with`` returns
        only once that commit is on disk (or raises ``StorageError`` if it failed). Each block
        still checks and writes alone, in order; what is shared is the turn, the commit and its
        ``fsync``, which under a rush took longer than the writing itself (issue #17).
        """
        with self._count_lock:
            self._waiting += 1
        self._write_lock.acquire()
        with self._count_lock:
            self._waiting -= 1
        group = self._group
        if group is None:
            try:
                group = self._open_group(failed)
            except BaseException:
                self._write_lock.release()
                raise
        conn = group.db.conn
        group.blocks += 1
        savepoint = f"block{group.blocks}"
        outcome: BaseException | None = None
        try:
            conn.execute(f"SAVEPOINT {savepoint}")
        except BaseException as err:  # noqa: BLE001 - whatever it was, the transaction is not to be trusted
            group.broken = err
            outcome = StorageError(failed)
        else:
            try:
                yield group.db
            except BaseException as exc:  # the block's own work goes; the transaction stays for the others
                outcome = exc
                group.tainted |= not isinstance(exc, PlannerError)
                try:
                    if not conn.in_transaction:
                        raise sqlite3.OperationalError("the transaction was rolled back")
                    conn.execute(f"ROLLBACK TO {savepoint}")
                    conn.execute(f"RELEASE {savepoint}")
                except BaseException as err:  # noqa: BLE001 - the others' blocks cannot be kept
                    group.broken = err
            else:
                try:
                    conn.execute(f"RELEASE {savepoint}")
                except BaseException as err:  # noqa: BLE001 - as above
                    group.broken = err
                    outcome = StorageError(failed)
        with self._count_lock:
            more = self._waiting > 0
        if more and group.broken is None and group.blocks < GROUP_MAX:
            self._write_lock.release()  # the next writer's block runs in this transaction
            if outcome is None:
                group.done.wait()
        else:
            try:
                self._close_group(group)
            finally:
                self._write_lock.release()
        if isinstance(outcome, sqlite3.OperationalError):  # the file refused this block's write
            log.error("a write to %s failed: %s", self.path, outcome)
            raise StorageError(failed) from outcome
        if outcome is not None:
            raise outcome
        if group.broken is not None:
            raise StorageError(failed) from group.broken

    def _open_group(self, failed: str) -> "_Group":
        """Under the write lock: the turn among processes and ``BEGIN IMMEDIATE``."""
        self._take_turn(failed)
        db, self._writer = self._writer or sqlite_utils.Database(self._connect()), None
        try:
            db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            db.conn.close()  # never begun; the next write starts on a fresh connection
            self._give_turn()
            log.error("a write to %s failed: %s", self.path, err)
            raise StorageError(failed) from err
        except BaseException:
            db.conn.close()
            self._give_turn()
            raise
        self._group = _Group(db)
        return self._group

    def _close_group(self, group: "_Group") -> None:
        """Under the write lock: commit the group's blocks (or roll them all back if one broke
        the transaction), give the turn back, and tell every block's writer."""
        conn = group.db.conn
        try:
            if group.broken is None:
                try:
                    conn.execute("COMMIT")
                except BaseException as err:  # noqa: BLE001 - not committed: every block's writer is told
                    group.broken = err
            if group.broken is not None:
                log.error("a write to %s failed: %s", self.path, group.broken)
            if group.broken is not None or group.tainted:
                conn.close()  # (rolled back with it) the next write starts on a fresh connection
            else:
                self._writer = group.db
        finally:
            self._group = None
            try:
                self._give_turn()
            finally:
                group.done.set()  # whatever happened, no writer of the group waits for ever

    def snapshot_into(self, target: Path) -> None:
        """A consistent copy of the whole database in ``target`` (which must not exist or be
        empty), taken with ``VACUUM INTO`` from one read transaction: writers carry on
        meanwhile (WAL), and the copy holds every transaction committed before it began. It
        is compact, so free pages (and whatever a deletion left in them) are not copied."""
        with self.read() as db:
            db.conn.execute("VACUUM INTO ?", [str(target)])

    def checkpoint(self, attempts: int = 5) -> bool:
        """Copy the write-ahead log into the file and empty it (``wal_checkpoint(TRUNCATE)``),
        so old versions of changed pages (an erased name, say) are gone from the log too.
        Waits for readers of other processes up to the busy timeout, ``attempts`` times;
        returns False if one still held an old snapshot (the log is emptied at the next
        checkpoint)."""
        for _ in range(attempts):
            with self._write_lock:
                while self._group is not None:  # writers' blocks are in a transaction: let them end it
                    self._write_lock.release()
                    time.sleep(0.001)
                    self._write_lock.acquire()
                try:
                    with self._turn():
                        db, self._writer = self._writer or sqlite_utils.Database(self._connect()), None
                        try:
                            busy = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                        finally:
                            self._writer = db
                except StorageError:  # another process kept the turn: as busy as a reader would be
                    busy = True
            if not busy:
                return True
        return False

