"""The plain dataclasses the Planner returns.

They are snapshots: changing one changes nothing in the database. Datetimes are
timezone-aware; ``starts_at``/``ends_at`` are in UTC and ``local_start``/``local_end`` give
them in the event's own zone (the venue's, else the summit's).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .codes import FORMAT_LABELS, MESSAGES
from .i18n import N_


@dataclass(frozen=True)
class Summit:
    id: int
    name: str
    city: str
    timezone: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Venue:
    id: int
    name: str
    address: str
    timezone: str


@dataclass(frozen=True)
class Room:
    id: int
    venue_id: int
    name: str
    capacity: int
    accessibility: str
    venue: Venue | None = None

    @property
    def label(self) -> str:
        """"Boss Room, 8th floor — Church Center for the United Nations"."""
        if not self.venue:
            return self.name
        return str(N_("{room} — {venue}").format(room=self.name, venue=self.venue.name))


@dataclass(frozen=True)
class Speaker:
    person_id: int
    name: str
    affiliation: str
    email: str | None
    role: str
    # issue #14: "confirmed" once the speaker said yes through their link (or the organizer
    # entered them without asking), "pending" while a request waits, "declined"; only confirmed
    # speakers appear on public outputs, with what they gave through their link: a short bio,
    # a photo (the name of a file ``Planner.picture`` reads), how they take part
    # (``codes.SPEAKER_ATTENDANCE``) and the language they speak in.
    status: str = "confirmed"
    bio: str = ""
    photo: str | None = None
    attendance: str | None = None
    speaks: str = ""


@dataclass(frozen=True)
class EventOrganization:
    organization_id: int
    name: str
    role: str
    # issue #14: "confirmed" once the organization's contact said yes (sign-on), or when the
    # organizer added it without asking; "pending" while a request waits ("invited" instead
    # when the organizer chose to show such organizations publicly, marked as invited);
    # "declined". ``display_name`` is the name its contact asked to be shown, ``logo`` the
    # name of its logo's file (``Planner.picture``).
    status: str = "confirmed"
    display_name: str = ""
    logo: str | None = None

    @property
    def shown_name(self) -> str:
        """The name public outputs show: the one the organization's contact gave, else its own."""
        return self.display_name or self.name

    @property
    def invited(self) -> bool:
        """Asked, not answered yet, and shown publicly as "invited" (never as confirmed)."""
        return self.status == "invited"


def upcoming_and_past(events, now) -> tuple[list["Event"], list["Event"]]:
    """The one rule of "over" for every list that puts past events apart (the programme, the
    organizers' table, the embed): an event is past once it has ended (``ends_at <= now``; one
    on now is upcoming). Upcoming ones keep their order; past ones come the latest first."""
    upcoming = [e for e in events if e.ends_at > now]
    past = sorted((e for e in events if e.ends_at <= now), key=lambda e: e.starts_at, reverse=True)
    return upcoming, past


@dataclass(frozen=True)
class Event:
    id: int
    uid: str
    title: str
    description: str
    summit_id: int | None
    room_id: int | None
    online_url: str | None
    format: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    capacity_is_default: bool
    status: str
    cancel_reason: str
    version: int
    sequence: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    speakers: tuple[Speaker, ...] = ()
    organizations: tuple[EventOrganization, ...] = ()
    room: Room | None = None
    venue: Venue | None = None
    summit: Summit | None = None
    registration_mode: str = "open"  # codes.REGISTRATION_MODES
    join_link_public: bool = False  # the organizer shows the join link to everyone
    reminder_hours: int | None = 24  # hours before the start the reminder goes to confirmed guests; None: none
    # issue #13: the language ``title`` and ``description`` are in here (the original's,
    # ``original_language``, unless ``localized`` chose another) and the event's other
    # languages: code → (title, description). Left out of the hash: a dict has none.
    language: str = "en"
    original_language: str = "en"
    translations: dict = field(default_factory=dict, hash=False)

    def localized(self, language: str | None) -> "Event":
        """The event with its title and description in ``language`` ("es", "es-AR", "ar"…)
        when the organizers gave them, else as it is (the original). What the public pages,
        calendar files and messages show a visitor or a guest."""
        code = (language or "").replace("_", "-").split("-")[0].lower()
        if code == self.language or code not in self.translations:
            return self
        title, description = self.translations[code]
        others = {k: v for k, v in self.translations.items() if k != code}
        return replace(self, title=title, description=description, language=code,
                       translations={**others, self.language: (self.title, self.description)})

    @property
    def original_title(self) -> str:
        """The title as the organizers first wrote it (whichever language is shown)."""
        return self.title if self.language == self.original_language else self.translations[self.original_language][0]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS[self.format])

    @property
    def place(self) -> str:
        """Where to go, in words — the one rule for the pages and the calendar file's LOCATION
        (issue #16): "Auditorium, Ford Foundation Center, 320 E 43rd St, New York" (room, venue
        and the venue's address), with " — and online" after it for a hybrid event; "Online" for
        an online event; "Place to be announced" when no room is set yet (a hybrid event without
        a room: "Place to be announced — and online"). The address ends the place, so "and
        online" never falls between the building and its street."""
        if self.format == "online":
            return str(N_("Online"))
        if self.room and self.venue:
            where = ", ".join(p for p in (self.room.name, self.venue.name, self.venue.address) if p)
        else:
            where = str(N_("Place to be announced"))
        if self.format == "hybrid":
            # Translators: a hybrid event's place: "Auditorium, Ford Foundation Center, 320 E 43rd St — and online".
            return str(N_("{place} — and online").format(place=where))
        return where

    @property
    def place_is_known(self) -> bool:
        """A room is set (or the event is online only): the place can be shown on a map or joined."""
        return self.format == "online" or bool(self.room and self.venue)

    def organizations_with_role(self, role: str) -> list[EventOrganization]:
        return [o for o in self.organizations if o.role == role]

    @property
    def public_organizations(self) -> tuple[EventOrganization, ...]:
        """The organizations every public output (pages, calendar files, embed, feed, posters)
        may name: the single rule of issue #14 lives here. Confirmed ones, and, where the
        organizer chose to show them, those asked who have not answered yet with status
        "invited": every output that names one must mark it so (``EventOrganization.invited``)."""
        return tuple(o for o in self.organizations if o.status in ("confirmed", "invited"))

    @property
    def confirmed_organizations(self) -> tuple[EventOrganization, ...]:
        """Only the organizations that agreed (or were added without asking): what outputs that
        cannot mark a name "invited", or keep it up to date, show (calendar files)."""
        return tuple(o for o in self.organizations if o.status == "confirmed")

    def public_organizations_with_role(self, role: str) -> list[EventOrganization]:
        return [o for o in self.public_organizations if o.role == role]

    @property
    def public_speakers(self) -> tuple[Speaker, ...]:
        """The speakers every public output may name (confirmed ones)."""
        return tuple(s for s in self.speakers if s.status == "confirmed")

    @property
    def is_public(self) -> bool:
        """On the public programme: published, or published and later cancelled (kept so
        people who planned to come find out). Drafts, and drafts cancelled, are not."""
        return self.published_at is not None and self.status in ("published", "cancelled")

    @property
    def has_door(self) -> bool:
        """People come in through a door, so tickets and check-in make sense: an in-person or
        hybrid event that is not cancelled."""
        return self.format != "online" and self.status != "cancelled"

    @property
    def has_join_link(self) -> bool:
        """An online or hybrid event, not cancelled, with a link to join (shown to registrants)."""
        return bool(self.online_url) and self.format in ("online", "hybrid") and self.status != "cancelled"

    @property
    def public_join_url(self) -> str | None:
        """The join link for everyone (the public event page), only if the organizer made it
        public; otherwise only registrants get it (``join_url_for``)."""
        return self.online_url if self.has_join_link and self.join_link_public else None

    def join_url_for(self, registration: Registration) -> str | None:
        """The join link for this registration: confirmed, of this event, which has one."""
        if registration.event_id != self.id or registration.status != "confirmed" or not self.has_join_link:
            return None
        return self.online_url

    def registration_closed(self, now: datetime) -> str | None:
        """Why this event takes no registrations at ``now`` (a key of
        ``codes.REGISTRATION_CLOSED``: "cancelled", "not_published", "ended"), or None when it
        takes them. The one rule behind the event page's box and ``register``."""
        return registration_closed(self.status, self.ends_at, now)


def registration_closed(status: str, ends_at: datetime, now: datetime) -> str | None:
    """See ``Event.registration_closed`` (this form needs no loaded event)."""
    if status == "cancelled":
        return "cancelled"
    if status != "published":
        return "not_published"
    if ends_at <= now:
        return "ended"
    return None


@dataclass(frozen=True)
class Registration:
    """One person's RSVP to one event.

    ``position`` is the place on the waiting list (1 = next in), None unless waitlisted.
    ``manage_token`` is the private link's secret: it is only known when the registration
    is made (or looked up by it); the database keeps only its hash. When someone registers
    again with an email that already holds a place, the existing registration comes back
    unchanged, with ``already_registered`` set and no token, so knowing an address is not
    enough to change or manage someone else's registration.
    """

    id: int
    event_id: int
    name: str
    email: str
    organization: str
    needs: str
    status: str
    position: int | None
    created_at: datetime
    updated_at: datetime
    manage_token: str | None = None
    already_registered: bool = False
    checkin_code: str | None = None  # shown (and valid at the door) only while confirmed
    checked_in_at: datetime | None = None
    checked_in_door: str | None = None
    walk_in: bool = False
    event_has_door: bool = True  # Event.has_door of its event, read with the registration
    language: str = "en"  # the language the person registered in: every message to them uses it
    messages_off: bool = False  # the person turned off reminders and organizers' messages
    # issue #12, questions (areas/questions.py): the answers with their questions' text, and
    # the privacy choices ("Please do not photograph or film me", "Do not show my name on any
    # list shared beyond the organizers").
    answer_items: tuple[Answer, ...] = ()
    no_photos: bool = False
    hide_name: bool = False

    @property
    def answers(self) -> dict:
        """Answer key ("given_names", "country", "q12" …) → value (text, a choice, a tuple of
        choices, True/False; a country as its ISO 3166 alpha-2 code)."""
        return {a.key: a.value for a in self.answer_items}

    @property
    def given_names(self) -> str:
        """Given name(s) as on the ID document ("" if not asked or not given)."""
        return self.answers.get("given_names", "")

    @property
    def family_name(self) -> str:
        """Family name as on the ID document ("" if not asked or not given)."""
        return self.answers.get("family_name", "")

    @property
    def country(self) -> str:
        """Country or nationality, an ISO 3166 alpha-2 code ("" if not asked or not given)."""
        return self.answers.get("country", "")

    @property
    def has_ticket(self) -> bool:
        """A QR ticket to show at the door: a confirmed place at an event with a door (not
        online-only, not cancelled). Waiting-list and cancelled registrations have none."""
        return self.status == "confirmed" and self.event_has_door and bool(self.checkin_code)

    @property
    def ticket_code(self) -> str | None:
        """The check-in code as printed on the ticket ("ABCD-EFGH-JKMN-PQRS"), confirmed only."""
        if self.status != "confirmed" or not self.checkin_code:
            return None
        c = self.checkin_code
        return "-".join(c[i : i + 4] for i in range(0, len(c), 4))


@dataclass(frozen=True)
class PendingConfirmation:
    """What ``register`` answers for an event confirmed by email, whatever the address: a new
    one (a place is held and a link sent), one already holding a place, one already
    registered (its private link is sent). Only the event is named, so a page cannot tell
    these apart, and neither can whoever typed the address."""

    event_id: int


@dataclass(frozen=True)
class EventCounts:
    confirmed: int
    waitlisted: int
    cancelled: int
    capacity: int | None  # None: no limit (an online event without a capacity)
    held: int = 0  # places held for addresses confirming by email (not lapsed): taken meanwhile
    overbooking: int = 0  # places offered beyond the capacity (issue #12): confirmations count up to both

    @property
    def offered(self) -> int | None:
        """The places confirmed guests may hold: the capacity and the overbooking allowance."""
        return None if self.capacity is None else self.capacity + self.overbooking

    @property
    def seats_left(self) -> int | None:
        return None if self.offered is None else max(self.offered - self.confirmed - self.held, 0)

    @property
    def is_full(self) -> bool:
        return self.offered is not None and self.confirmed + self.held >= self.offered


@dataclass(frozen=True)
class CheckInResult:
    """What the door sees after a scan. ``registration`` is None for invalid codes;
    ``first_at``/``first_door`` say when and where an already-checked-in guest came in;
    ``ticket_event_title`` names the event a wrong-event ticket is for."""

    verdict: str
    registration: Registration | None = None
    first_at: datetime | None = None
    first_door: str | None = None
    ticket_event_title: str | None = None

    @property
    def no_photos(self) -> bool:
        """The guest asked not to be photographed or filmed: the door shows a mark."""
        return self.registration is not None and self.registration.no_photos


@dataclass(frozen=True)
class Attendance:
    """Headcount at the door: ``checked_in`` counts everyone inside, walk-ins included;
    ``confirmed`` counts confirmed registrations made in advance (walk-ins apart)."""

    confirmed: int
    checked_in: int
    walk_ins: int
    waitlisted: int
    capacity: int | None

    @property
    def expected(self) -> int:
        return self.confirmed + self.walk_ins


@dataclass(frozen=True)
class DoorPass:
    id: int
    event_id: int
    label: str
    url: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Scan:
    id: int
    event_id: int
    registration_id: int | None
    door: str
    verdict: str
    scanned_at: datetime


@dataclass(frozen=True)
class Conflict:
    """A clash between events: ``kind`` is "room", "speaker" or "outside_summit";
    ``message`` says it in the active language (from ``codes.MESSAGES["conflict_<kind>"]``
    and ``params``)."""

    kind: str
    event_ids: tuple[int, ...]
    params: dict

    @property
    def lazy_message(self):
        """The sentence, translated when it is shown (to put inside another sentence)."""
        return MESSAGES[f"conflict_{self.kind}"].format(**self.params)

    @property
    def message(self) -> str:
        return str(self.lazy_message)


@dataclass(frozen=True)
class ZoneTimes:
    """One event to come at a venue whose time zone would change, keeping its local times
    (``Planner.venue_zone_change``): ``moved`` is the event on the new zone's clock, the same
    readings where the new zone has them; ``counts``, its registrations (those told of the change)."""

    event: Event
    moved: Event
    counts: EventCounts
    skipped: tuple[str, ...] = ()  # "start", "end": readings the new zone skips that day (its clocks go forward)
    twice: tuple[str, ...] = ()  # "start", "end": readings the new zone has twice that night (the first is kept)


@dataclass(frozen=True)
class ZoneChange:
    """What a venue's new time zone would do to its events to come if they kept their local
    times: each one's new times, and the clashes that would make which are not there now (a
    speaker due at another venue's event then, a summit's days left). Keeping the moments they
    happen changes no moment, so it makes no clash."""

    venue: Venue
    timezone: str
    events: tuple[ZoneTimes, ...]
    clashes: tuple[Conflict, ...]


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class SignInFailure:
    """One wrong sign-in: when (aware, UTC), the email as typed (trimmed, lower case; it may name
    no account) and the client's address (an IPv6 one as its /64; ``None`` when unknown)."""

    failed_at: datetime
    email: str
    address: str | None


@dataclass(frozen=True)
class EventChange:
    """One field that differs between two versions of an event (for stale-save messages)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Question:
    """One question of an event's registration form (issue #12, ``areas/questions.py``).
    ``builtin`` names a built-in one ("id_names", "country", "organization_type", "gender",
    "needs"), whose words are ``label_text``'s; the organizer's own have an ``id`` that never
    changes, ``key`` "q<id>", a ``kind`` of ``areas.questions.KINDS`` and their own ``label``."""

    id: int | None
    key: str
    kind: str
    label: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    builtin: str | None = None
    asked: bool = True

    @property
    def answer_keys(self) -> tuple[str, ...]:
        """The keys of ``register(answers=…)`` this question takes (the ID names take two;
        the needs none: they are ``register(needs=…)``)."""
        if self.builtin == "id_names":
            return ("given_names", "family_name")
        if self.builtin == "needs":
            return ()
        return (self.key,)

    @property
    def label_text(self) -> str:
        """The question as the form asks it, in the active language for built-in ones."""
        from .codes import BUILTIN_QUESTION_LABELS

        return str(BUILTIN_QUESTION_LABELS[self.builtin]) if self.builtin else self.label


@dataclass(frozen=True)
class Answer:
    """One answer, with the question's text and kind as they were when it was given (a
    built-in question's text is "": ``label`` gives its words in the active language)."""

    key: str
    question: str
    kind: str
    value: object

    @property
    def label(self) -> str:
        from .codes import ANSWER_LABELS

        return str(ANSWER_LABELS[self.key]) if self.key in ANSWER_LABELS else self.question

    @property
    def shown(self) -> str:
        """The answer in words, in the active language."""
        from .codes import GENDER_LABELS, ORGANIZATION_TYPE_LABELS, YES_NO_LABELS, label
        from .i18n import format_list

        if self.kind == "country":
            from .areas.questions import country_name

            return country_name(self.value)
        if self.kind == "organization_type":
            return label(ORGANIZATION_TYPE_LABELS, self.value)
        if self.kind == "gender":
            return label(GENDER_LABELS, self.value)
        if self.kind == "yes_no":
            return str(YES_NO_LABELS[bool(self.value)])
        if isinstance(self.value, (list, tuple)):
            return format_list(list(self.value))
        return str(self.value)
