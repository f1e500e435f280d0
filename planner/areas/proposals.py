"""Calls for side events and the proposals made to them (issue #14).

Why: a coalition's side events are proposed by its members; hosts collect applications in a
window, review them, merge co-applicants and accept some. Until now that happened by email and
spreadsheet. Here:

* **A call** belongs to one summit, is open from ``opens_at`` to ``closes_at`` (aware, stored in
  UTC, shown and typed in the summit's zone), has a title, a short text (plain text, never
  Markdown) and questions of the registration-question kinds (``questions.KINDS``, checked by
  the same rules). Its public link names it by a random ``key`` (``/call?c=…``), so calls are
  not found by counting ids.
* **A proposal** is made while the call is open, by anyone with the link, with a solved
  proof-of-work challenge made for that call (``proofs.check_call_proof``) and within the flood
  limits of registrations (the Planner asks its limiter). It holds what the proposer typed:
  title, description, format, preferred days (summit days) and parts of the day
  (``codes.DAY_PARTS``), expected audience, speakers (name, affiliation, email, role),
  organizations (name, role, contact email) and the answers to the call's questions.
* **Its proposers** (one; two or more after a merge) each have a private link
  (``ticket_codes.proposal_token``, derived from the proposer's id with a label of its own, so
  it opens this proposal only: never a registration, a door or a check-in; only its SHA-256
  is kept). Through it they follow the proposal, read the comments meant for them, answer,
  edit it until a decision (after the call closed, only when changes were asked for) and
  withdraw it.
* **Statuses**: submitted → changes requested (an edit makes it submitted again) → accepted,
  declined (with a reason) or withdrawn; a proposal merged into another is ``merged`` and its
  proposers follow the one kept. Decided proposals change no more.
* **Acceptance** creates the draft event with every field filled from the proposal (title,
  description, format, summit, speakers with their emails, organizations with their roles) at
  the time and place the organizer picks (within the preferred days and parts of the day unless
  confirmed otherwise), checks it against the programme (``conflicts.find_conflicts``) and tells
  the proposers. The organizations' contact emails stay with the proposal:
  ``_organization_contacts`` gives them to the co-sponsor sign-on.

Functions taking ``db`` run inside the caller's transaction (``BEGIN IMMEDIATE`` when they write).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .. import clock, security
from .. import validate as check
from ..codes import (
    DAY_PARTS, DAY_PART_LABELS, FORMAT_LABELS, FORMATS, Moment, ORGANIZATION_ROLE_LABELS, ORGANIZATION_ROLES,
    QUESTION_KIND_LABELS, SPEAKER_ROLE_LABELS, SPEAKER_ROLES,
)
from ..db import from_db_time, to_db_time
from ..errors import NotFound, ValidationError
from ..i18n import N_
from ..models import Question
from ..text import match_key
from . import catalog, questions as question_rules, registrations, ticket_codes

TITLE_MAX = 200
CALL_TEXT_MAX = 4000
DESCRIPTION_MAX = 5000
AUDIENCE_MAX = 500
COMMENT_MAX = 4000
REASON_MAX = 2000
SPEAKERS_MAX = 30
ORGANIZATIONS_MAX = 30
# The hours of each part of the day a proposer may prefer, in the summit's zone: [start, end).
DAY_PART_HOURS = {"morning": (8, 12), "midday": (12, 14), "afternoon": (14, 18), "evening": (18, 22)}
OPEN = ("submitted", "changes_requested")  # not decided yet
FIELDS = ("title", "description", "format", "preferred_days", "preferred_times", "audience", "speakers",
          "organizations", "answers")


# ---------------------------------------------------------------------- what the area hands out


@dataclass(frozen=True)
class Call:
    id: int
    summit_id: int
    summit_name: str
    timezone: str  # the summit's zone: the call's times are shown and typed in it
    summit_days: tuple[date, date]
    key: str  # the public link's ?c=
    title: str
    text: str
    opens_at: datetime  # aware, in the summit's zone
    closes_at: datetime
    questions: tuple[Question, ...]
    proposals: int = 0  # how many proposals it received (merged ones apart)

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    @property
    def days(self) -> list[date]:
        first, last = self.summit_days
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class Proposer:
    id: int
    name: str
    email: str
    organization: str
    language: str


@dataclass(frozen=True)
class Comment:
    id: int
    at: datetime
    author: str  # "organizer" or "proposer"
    author_label: str  # the organizer's account name, or the proposer's name
    body: str
    visible: bool  # to the proposers (an organizer's internal note: False)
    kind: str  # "comment", "changes_requested", "declined", "accepted", "merged"


@dataclass(frozen=True)
class Proposal:
    id: int
    call: Call
    status: str  # codes.PROPOSAL_STATUSES
    title: str
    description: str
    format: str
    preferred_days: tuple[date, ...]
    preferred_times: tuple[str, ...]
    audience: str
    speakers: tuple[dict, ...]  # name, affiliation, email, role
    organizations: tuple[dict, ...]  # name, role, email
    answers: dict  # question key → value
    decline_reason: str
    merged_into: int | None
    event_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None
    proposers: tuple[Proposer, ...]
    comments: tuple[Comment, ...] = ()
    token: str | None = None  # the private link's token, only right after proposing
    viewer_id: int | None = None  # the proposer whose link opened it

    @property
    def is_open(self) -> bool:
        """Not decided yet: organizers may still decide, proposers may still withdraw."""
        return self.status in OPEN

    def editable(self, now: datetime) -> bool:
        """Whether the proposers may change it: until a decision, and after the call closed
        only when the organizers asked for changes."""
        return self.status == "changes_requested" or (self.status == "submitted" and self.call.is_open(now))

    def answer_items(self) -> list[tuple[str, object]]:
        """(question, answer) in the call's order, for those answered."""
        return [(q.label, self.answers[q.key]) for q in self.call.questions if q.key in self.answers]


@dataclass(frozen=True)
class Acceptance:
    proposal: Proposal
    event_id: int
    conflicts: list = field(default_factory=list)


# ---------------------------------------------------------------------- calls


def _check_questions(value) -> list[dict]:
    """A call's questions, by the rules of registration questions: ``{"kind", "label", "help",
    "choices", "required"}``, with ``"id"`` (a whole number) to keep one already there."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError("questions_not_a_list", field="questions")
    if len(value) > question_rules.QUESTIONS_MAX:
        raise ValidationError("too_many_questions", field="questions", max=question_rules.QUESTIONS_MAX)
    found = []
    for q in value:
        if not isinstance(q, dict):
            raise ValidationError("questions_not_a_list", field="questions")
        unknown = sorted(set(q) - {"id", "kind", "label", "help", "choices", "required"})
        if unknown:
            raise ValidationError("unknown_field", field="questions", names=", ".join(unknown))
        label = check.text(q.get("label"), "questions", N_("Question"), max_length=question_rules.LABEL_MAX)
        kind = check.choice(q.get("kind"), question_rules.KINDS, "questions", N_("Kind of answer"),
                            QUESTION_KIND_LABELS)
        help_text = check.long_text(q.get("help") or "", "questions", N_("Help text"), question_rules.HELP_MAX)
        choices = question_rules._clean_choices(q.get("choices"), label) if kind in question_rules.CHOICE_KINDS \
            else []
        required = q.get("required", False)
        if not isinstance(required, bool):
            raise ValidationError("answer_not_yes_no", field="questions", label=N_("Required"))
        found.append({"id": q.get("id"), "kind": kind, "label": label, "help": help_text, "choices": choices,
                      "required": required})
    return found


def _number_questions(checked: list[dict], before: list[dict]) -> list[dict]:
    """Ids for new questions, never used before in this call (answers keep their key)."""
    known = {q["id"] for q in before}
    next_id = max(known, default=0) + 1
    for q in checked:
        given = q["id"]
        if not (isinstance(given, int) and not isinstance(given, bool) and given in known):
            q["id"] = next_id
            next_id += 1
    ids = [q["id"] for q in checked]
    if len(set(ids)) != len(ids):
        raise ValidationError("question_twice", field="questions", label=checked[ids.index(ids[-1])]["label"])
    return checked


def _questions(stored: str) -> tuple[Question, ...]:
    return tuple(Question(id=q["id"], key=f"q{q['id']}", kind=q["kind"], label=q["label"], help=q["help"],
                          choices=tuple(q["choices"]), required=q["required"]) for q in json.loads(stored))


def _check_window(opens_at, closes_at, zone: str) -> tuple[datetime, datetime]:
    opens_at = check.aware(opens_at, "opens_at", N_("Opens")).astimezone(ZoneInfo("UTC")).replace(microsecond=0)
    closes_at = check.aware(closes_at, "closes_at", N_("Closes")).astimezone(ZoneInfo("UTC")).replace(microsecond=0)
    if closes_at <= opens_at:
        raise ValidationError("call_closes_before_opening", field="closes_at")
    return opens_at, closes_at


def _call_from_row(db, r) -> Call:
    summit = catalog.get_summit(db, r["summit_id"])
    zone = ZoneInfo(summit.timezone)
    count = db.execute("SELECT count(*) FROM proposals WHERE call_id = ? AND status != 'merged'", [r["id"]]
                       ).fetchone()[0]
    return Call(id=r["id"], summit_id=summit.id, summit_name=summit.name, timezone=summit.timezone,
                summit_days=(summit.starts_on, summit.ends_on), key=r["key"], title=r["title"], text=r["text"],
                opens_at=from_db_time(r["opens_at"]).astimezone(zone),
                closes_at=from_db_time(r["closes_at"]).astimezone(zone), questions=_questions(r["questions"]),
                proposals=count)


def open_call(db, summit_id, *, title, text="", opens_at, closes_at, questions=()) -> Call:
    """Writes a new call for a summit; returns it."""
    summit = catalog.get_summit(db, summit_id)
    title = check.text(title, "title", N_("Title"), max_length=TITLE_MAX)
    text = check.long_text(text, "text", N_("Text of the call"), CALL_TEXT_MAX)
    opens_at, closes_at = _check_window(opens_at, closes_at, summit.timezone)
    checked = _number_questions(_check_questions(questions), [])
    now = to_db_time(clock.now())
    call_id = db["calls"].insert({
        "summit_id": summit.id, "key": secrets.token_urlsafe(12), "title": title, "text": text,
        "opens_at": to_db_time(opens_at), "closes_at": to_db_time(closes_at),
        "questions": json.dumps(checked, ensure_ascii=False), "created_at": now, "updated_at": now,
    }).last_pk
    return get_call(db, call_id)


def update_call(db, call_id, changes: dict) -> tuple[Call, Call]:
    """Writes changes to a call (``title``, ``text``, ``opens_at``, ``closes_at``,
    ``questions``); returns it before and after."""
    before = get_call(db, call_id)
    unknown = sorted(set(changes) - {"title", "text", "opens_at", "closes_at", "questions"})
    if unknown:
        raise ValidationError("unknown_field", field=unknown[0], names=", ".join(unknown))
    row = {}
    if "title" in changes:
        row["title"] = check.text(changes["title"], "title", N_("Title"), max_length=TITLE_MAX)
    if "text" in changes:
        row["text"] = check.long_text(changes["text"], "text", N_("Text of the call"), CALL_TEXT_MAX)
    if "opens_at" in changes or "closes_at" in changes:
        opens_at, closes_at = _check_window(changes.get("opens_at", before.opens_at),
                                            changes.get("closes_at", before.closes_at), before.timezone)
        row.update(opens_at=to_db_time(opens_at), closes_at=to_db_time(closes_at))
    if "questions" in changes:
        stored = json.loads(db.execute("SELECT questions FROM calls WHERE id = ?", [before.id]).fetchone()[0])
        row["questions"] = json.dumps(_number_questions(_check_questions(changes["questions"]), stored),
                                      ensure_ascii=False)
    if row:
        row["updated_at"] = to_db_time(clock.now())
        db["calls"].update(before.id, row)
    return before, get_call(db, before.id)


def get_call(db, call_id) -> Call:
    row = db.execute("SELECT * FROM calls WHERE id = ?", [check.id(call_id)]).fetchone()
    if row is None:
        raise NotFound("call_not_found")
    return _call_from_row(db, row)


def call_by_key(db, key) -> Call:
    """The call a public link names (``?c=``); ``NotFound("call_not_found")`` otherwise."""
    if not isinstance(key, str) or not 8 <= len(key) <= 40:
        raise NotFound("call_not_found")
    row = db.execute("SELECT * FROM calls WHERE key = ?", [key.strip()]).fetchone()
    if row is None:
        raise NotFound("call_not_found")
    return _call_from_row(db, row)


def list_calls(db, summit_id=None) -> list[Call]:
    where, params = "", []
    if summit_id is not None:
        where, params = "WHERE summit_id = ?", [catalog.get_summit(db, summit_id).id]
    return [_call_from_row(db, r) for r in db.execute(f"SELECT * FROM calls {where} ORDER BY opens_at, id", params)]


def require_open(call: Call, now: datetime) -> None:
    if not call.is_open(now):
        raise ValidationError("call_not_open", field="call", opens=Moment(call.opens_at), closes=Moment(call.closes_at))


# ---------------------------------------------------------------------- what a proposal is made of


def _check_speakers(value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError("speaker_not_mapping", field="speakers", n=1)
    rows = [s for s in value if not (isinstance(s, dict) and not any(str(v or "").strip() for v in s.values()))]
    if len(rows) > SPEAKERS_MAX:
        raise ValidationError("proposal_too_many", field="speakers", max=SPEAKERS_MAX, label=N_("speakers"))
    found = []
    for n, s in enumerate(rows, start=1):
        if not isinstance(s, dict):
            raise ValidationError("speaker_not_mapping", field="speakers", n=n)
        unknown = sorted(set(s) - {"name", "affiliation", "email", "role"})
        if unknown:
            raise ValidationError("unknown_field", field="speakers", names=", ".join(unknown))
        name = check.text(s.get("name"), "speakers", N_("Name of speaker {n}").format(n=n))
        found.append({
            "name": name,
            "affiliation": check.text(s.get("affiliation"), "speakers", N_("Affiliation of {name}").format(name=name),
                                      required=False),
            "email": check.email(s.get("email"), "speakers", required=False) or "",
            "role": check.choice(s.get("role") or "speaker", SPEAKER_ROLES, "speakers", N_("Speaker role"),
                                 SPEAKER_ROLE_LABELS),
        })
    return found


def _check_organizations(value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError("organization_not_mapping", field="organizations", n=1)
    rows = [o for o in value if not (isinstance(o, dict) and not any(str(v or "").strip() for v in o.values()))]
    if len(rows) > ORGANIZATIONS_MAX:
        raise ValidationError("proposal_too_many", field="organizations", max=ORGANIZATIONS_MAX,
                              label=N_("organizations"))
    found = []
    for n, o in enumerate(rows, start=1):
        if not isinstance(o, dict):
            raise ValidationError("organization_not_mapping", field="organizations", n=n)
        unknown = sorted(set(o) - {"name", "role", "email"})
        if unknown:
            raise ValidationError("unknown_field", field="organizations", names=", ".join(unknown))
        found.append({
            "name": check.text(o.get("name"), "organizations", N_("Name of organization {n}").format(n=n)),
            "role": check.choice(o.get("role") or "co-sponsor", ORGANIZATION_ROLES, "organizations",
                                 N_("Organization role"), ORGANIZATION_ROLE_LABELS),
            "email": check.email(o.get("email"), "organizations", required=False) or "",
        })
    return found


def _check_days(value, call: Call) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple, set)):
        raise ValidationError("not_date", field="preferred_days", label=N_("Preferred days"))
    first, last = call.summit_days
    found = set()
    for d in value:
        if isinstance(d, str):
            try:
                d = date.fromisoformat(d)
            except ValueError:
                raise ValidationError("not_date", field="preferred_days", label=N_("Preferred days")) from None
        d = check.day(d, "preferred_days", N_("Preferred days"))
        if not first <= d <= last:
            raise ValidationError("proposal_day_outside_summit", field="preferred_days", day=d, first=first, last=last)
        found.add(d)
    return [d.isoformat() for d in sorted(found)]


def _check_times(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple, set)):
        raise ValidationError("answer_not_a_list", field="preferred_times", label=N_("Preferred times"))
    picked = {check.choice(v, DAY_PARTS, "preferred_times", N_("Preferred times"), DAY_PART_LABELS) for v in value}
    return [p for p in DAY_PARTS if p in picked]


def _check_answers(call: Call, answers, current: dict | None = None) -> dict:
    """The answers to the call's questions, by the registration questions' rules (key → value)."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError("answers_not_a_dict", field="answers")
    keys = {q.key for q in call.questions}
    unknown = sorted(str(k) for k in answers if k not in keys)
    if unknown:
        raise ValidationError("unknown_question", field=unknown[0], names=", ".join(unknown))
    given = {**{k: v for k, v in (current or {}).items() if k in keys}, **answers}
    found = {}
    for q in call.questions:
        value = question_rules._check_one(q, q.key, given.get(q.key))
        if value not in (None, "", ()):
            found[q.key] = list(value) if isinstance(value, tuple) else value
    return found


def check_proposal(call: Call, fields: dict, current: dict | None = None) -> dict:
    """Everything a proposal is made of, checked (writes nothing). ``current``: the proposal's
    stored fields, which those left out of ``fields`` keep."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValidationError("unknown_field", field=unknown[0], names=", ".join(unknown))
    given = {**(current or {}), **fields}
    return {
        "title": check.text(given.get("title"), "title", N_("Title"), max_length=TITLE_MAX),
        "description": _required_long(given.get("description"), "description", N_("Description"), DESCRIPTION_MAX),
        "format": check.choice(str(given.get("format") or "").replace(" ", "_").replace("-", "_"), FORMATS, "format",
                               N_("Format"), FORMAT_LABELS),
        "preferred_days": _check_days(given.get("preferred_days"), call),
        "preferred_times": _check_times(given.get("preferred_times")),
        "audience": check.long_text(given.get("audience") or "", "audience", N_("Expected audience"), AUDIENCE_MAX),
        "speakers": _check_speakers(given.get("speakers")),
        "organizations": _check_organizations(given.get("organizations")),
        "answers": _check_answers(call, fields.get("answers"), (current or {}).get("answers")),
    }


def _required_long(value, field_name: str, label, most: int) -> str:
    text = check.long_text(value, field_name, label, most)
    if not text:
        raise ValidationError("required", field=field_name, label=label)
    return text


def _check_proposer(name, email, organization) -> dict:
    return {
        "name": check.text(name, "name", N_("Your name")),
        "email": check.email(email, "email", own=True),
        "organization": check.text(organization, "organization", N_("Your organization"), required=False),
    }


def _row_fields(checked: dict) -> dict:
    return {k: json.dumps(v, ensure_ascii=False) if k in ("preferred_days", "preferred_times", "speakers",
                                                           "organizations", "answers") else v
            for k, v in checked.items()}


# ---------------------------------------------------------------------- proposing and reading


def propose(db, call_key, fields: dict, *, name, email, organization, language: str, key: bytes) -> Proposal:
    """Writes a proposal to an open call and its proposer; returns it with the proposer's token.
    (The Planner checks the proof and the flood limits first, in the same transaction.)"""
    call = call_by_key(db, call_key)
    require_open(call, clock.now())
    checked = check_proposal(call, fields)
    proposer = _check_proposer(name, email, organization)
    now = to_db_time(clock.now())
    proposal_id = db["proposals"].insert({
        "call_id": call.id, "status": "submitted", **_row_fields(checked), "version": 1,
        "created_at": now, "updated_at": now,
    }).last_pk
    token = add_proposer(db, proposal_id, proposer, language, key)
    found = get(db, proposal_id)
    return _as_seen(found, token=token, viewer_id=found.proposers[0].id, with_internal=False)


def add_proposer(db, proposal_id: int, proposer: dict, language: str, key: bytes) -> str:
    """Writes a proposer; returns their private link's token (only its hash is kept)."""
    proposer_id = db["proposers"].insert({
        "proposal_id": proposal_id, **proposer, "language": language, "token_hash": "pending:" + secrets.token_hex(8),
        "created_at": to_db_time(clock.now()),
    }).last_pk
    token = ticket_codes.proposal_token(key, proposer_id)
    db.execute("UPDATE proposers SET token_hash = ? WHERE id = ?", [security.token_hash(token), proposer_id])
    return token


def _from_row(db, r, call: Call | None = None) -> Proposal:
    call = call or get_call(db, r["call_id"])
    proposers = tuple(Proposer(p["id"], p["name"], p["email"], p["organization"], p["language"]) for p in db.execute(
        "SELECT * FROM proposers WHERE proposal_id = ? ORDER BY id", [r["id"]]))
    comments = tuple(Comment(c["id"], from_db_time(c["at"]), c["author"], c["author_label"], c["body"],
                             bool(c["visible"]), c["kind"]) for c in db.execute(
        "SELECT * FROM proposal_comments WHERE proposal_id = ? ORDER BY id", [r["id"]]))
    return Proposal(
        id=r["id"], call=call, status=r["status"], title=r["title"], description=r["description"], format=r["format"],
        preferred_days=tuple(date.fromisoformat(d) for d in json.loads(r["preferred_days"])),
        preferred_times=tuple(json.loads(r["preferred_times"])), audience=r["audience"],
        speakers=tuple(json.loads(r["speakers"])), organizations=tuple(json.loads(r["organizations"])),
        answers=json.loads(r["answers"]), decline_reason=r["decline_reason"], merged_into=r["merged_into"],
        event_id=r["event_id"], version=r["version"], created_at=from_db_time(r["created_at"]),
        updated_at=from_db_time(r["updated_at"]), decided_at=from_db_time(r["decided_at"]), proposers=proposers,
        comments=comments,
    )


def get(db, proposal_id) -> Proposal:
    row = db.execute("SELECT * FROM proposals WHERE id = ?", [check.id(proposal_id)]).fetchone()
    if row is None:
        raise NotFound("proposal_not_found", id=proposal_id)
    return _from_row(db, row)


def listing(db, call_id, status: str | None = None) -> list[Proposal]:
    call = get_call(db, call_id)
    where, params = "WHERE call_id = ?", [call.id]
    if status is not None:
        where += " AND status = ?"
        params.append(status)
    return [_from_row(db, r, call) for r in db.execute(f"SELECT * FROM proposals {where} ORDER BY id", params)]


def _as_seen(p: Proposal, *, token=None, viewer_id=None, with_internal: bool) -> Proposal:
    from dataclasses import replace

    comments = p.comments if with_internal else tuple(c for c in p.comments if c.visible)
    return replace(p, comments=comments, token=token, viewer_id=viewer_id)


def _proposer_row(db, token):
    if not isinstance(token, str) or not registrations.TOKEN_SHAPE.fullmatch(token):
        raise NotFound("proposal_link_unknown")
    row = db.execute("SELECT * FROM proposers WHERE token_hash = ?", [security.token_hash(token)]).fetchone()
    if row is None:
        raise NotFound("proposal_link_unknown")
    return row


def by_token(db, token) -> Proposal:
    """The proposal a proposer's link names, as the proposer sees it: comments meant for them
    only. ``NotFound("proposal_link_unknown")`` for any other token."""
    row = _proposer_row(db, token)
    return _as_seen(get(db, row["proposal_id"]), viewer_id=row["id"], with_internal=False)


def _require_editable(p: Proposal) -> None:
    if p.status not in OPEN:
        raise ValidationError("proposal_decided", field="status", status=_status_word(p.status))
    if not p.editable(clock.now()):
        raise ValidationError("proposal_edit_closed", field="status")


def _status_word(status: str):
    from ..codes import PROPOSAL_STATUS_LABELS

    return PROPOSAL_STATUS_LABELS[status]


def stored_fields(p: Proposal) -> dict:
    return {"title": p.title, "description": p.description, "format": p.format,
            "preferred_days": list(p.preferred_days), "preferred_times": list(p.preferred_times),
            "audience": p.audience, "speakers": list(p.speakers), "organizations": list(p.organizations),
            "answers": p.answers}


def edit(db, token, fields: dict) -> Proposal:
    """Writes the proposer's changes; one asked for changes makes the proposal submitted again."""
    row = _proposer_row(db, token)
    p = get(db, row["proposal_id"])
    _require_editable(p)
    checked = check_proposal(p.call, fields, stored_fields(p))
    db["proposals"].update(p.id, {**_row_fields(checked), "status": "submitted", "version": p.version + 1,
                                  "updated_at": to_db_time(clock.now())})
    return by_token(db, token)


def withdraw(db, token) -> tuple[Proposal, bool]:
    """Writes: the proposer withdraws an undecided proposal. Withdrawing again changes nothing
    (``False``)."""
    row = _proposer_row(db, token)
    p = get(db, row["proposal_id"])
    if p.status == "withdrawn":
        return by_token(db, token), False
    if p.status not in OPEN:
        raise ValidationError("proposal_decided", field="status", status=_status_word(p.status))
    _decide(db, p.id, "withdrawn")
    return by_token(db, token), True


def reply(db, token, body) -> tuple[Proposal, int]:
    """Writes a proposer's comment (visible to the organizers and the proposers)."""
    row = _proposer_row(db, token)
    p = get(db, row["proposal_id"])
    if p.status in ("merged",):
        raise ValidationError("proposal_decided", field="status", status=_status_word(p.status))
    body = _required_long(body, "body", N_("Comment"), COMMENT_MAX)
    comment_id = add_comment(db, p.id, "proposer", row["name"], body, visible=True)
    return by_token(db, token), comment_id


# ---------------------------------------------------------------------- organizers


def add_comment(db, proposal_id: int, author: str, label: str, body: str, *, visible: bool,
                kind: str = "comment") -> int:
    return db["proposal_comments"].insert({
        "proposal_id": proposal_id, "at": to_db_time(clock.now()), "author": author, "author_label": label,
        "body": body, "visible": int(visible), "kind": kind,
    }).last_pk


def check_comment(body, label=N_("Comment")) -> str:
    return _required_long(body, "body", label, COMMENT_MAX)


def require_undecided(p: Proposal) -> None:
    if p.status not in OPEN:
        raise ValidationError("proposal_decided", field="status", status=_status_word(p.status))


def _decide(db, proposal_id: int, status: str, **columns) -> None:
    now = to_db_time(clock.now())
    final = status not in OPEN
    db["proposals"].update(proposal_id, {"status": status, "updated_at": now, **({"decided_at": now} if final else {}),
                                         **columns})


def request_changes(db, proposal_id, message: str, label: str) -> Proposal:
    p = get(db, proposal_id)
    require_undecided(p)
    message = check_comment(message, N_("What should change"))
    add_comment(db, p.id, "organizer", label, message, visible=True, kind="changes_requested")
    _decide(db, p.id, "changes_requested")
    return get(db, p.id)


def decline(db, proposal_id, reason: str, label: str) -> Proposal:
    p = get(db, proposal_id)
    require_undecided(p)
    reason = _required_long(reason, "reason", N_("Reason"), REASON_MAX)
    add_comment(db, p.id, "organizer", label, reason, visible=True, kind="declined")
    _decide(db, p.id, "declined", decline_reason=reason)
    return get(db, p.id)


def _union(first: tuple, second: tuple, key) -> list[dict]:
    seen, found = set(), []
    for item in (*first, *second):
        k = key(item)
        if k not in seen:
            seen.add(k)
            found.append(item)
    return found


def merge(db, keep_id, other_id, label: str) -> tuple[Proposal, Proposal]:
    """Writes: ``other`` joins ``keep``: its proposers, speakers, organizations, preferred days
    and times are added to ``keep``'s (each once), its description follows ``keep``'s, and it
    becomes ``merged`` (its proposers' links now show ``keep``). Both must be undecided and
    proposals to the same call."""
    from ..text import match_key

    keep, other = get(db, keep_id), get(db, other_id)
    if keep.id == other.id:
        raise ValidationError("proposal_merge_itself", field="other")
    require_undecided(keep)
    require_undecided(other)
    if keep.call.id != other.call.id:
        raise ValidationError("proposal_merge_other_call", field="other")
    speakers = _union(keep.speakers, other.speakers, lambda s: s["email"] or match_key(s["name"]))
    organizations = _union(keep.organizations, other.organizations, lambda o: match_key(o["name"]))
    if len(speakers) > SPEAKERS_MAX or len(organizations) > ORGANIZATIONS_MAX:
        raise ValidationError("proposal_too_many", field="speakers" if len(speakers) > SPEAKERS_MAX
                              else "organizations", max=SPEAKERS_MAX,
                              label=N_("speakers") if len(speakers) > SPEAKERS_MAX else N_("organizations"))
    description = keep.description
    if other.description and other.description not in description:
        description = f"{description}\n\n{other.description}"[:DESCRIPTION_MAX]
    days = sorted({*keep.preferred_days, *other.preferred_days})
    times = [t for t in DAY_PARTS if t in {*keep.preferred_times, *other.preferred_times}]
    now = to_db_time(clock.now())
    db["proposals"].update(keep.id, {
        "speakers": json.dumps(speakers, ensure_ascii=False),
        "organizations": json.dumps(organizations, ensure_ascii=False), "description": description,
        "preferred_days": json.dumps([d.isoformat() for d in days]), "preferred_times": json.dumps(times),
        "version": keep.version + 1, "updated_at": now,
    })
    db.execute("UPDATE proposers SET proposal_id = ? WHERE proposal_id = ?", [keep.id, other.id])
    _decide(db, other.id, "merged", merged_into=keep.id)
    # The note's sentence is written where it is shown, in the reader's language: the body keeps the title.
    add_comment(db, keep.id, "organizer", label, other.title, visible=True, kind="merged")
    return get(db, keep.id), get(db, other.id)


def fits_preferences(p: Proposal, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a time (aware) lies on a preferred day and within a preferred part of the day,
    in the summit's zone; no preference given is no constraint."""
    zone = ZoneInfo(p.call.timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    first, last = p.call.summit_days
    if not first <= start.date() <= last or not first <= (end - timedelta(seconds=1)).date() <= last:
        return False
    if p.preferred_days and start.date() not in p.preferred_days:
        return False
    if not p.preferred_times:
        return True
    spans = sorted(DAY_PART_HOURS[t] for t in p.preferred_times)
    merged: list[list[int]] = []
    for first, last in spans:  # adjacent parts preferred together make one span (11:00–13:00 fits)
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    day = start.date()
    for first, last in merged:
        opens = datetime.combine(day, time(0), zone) + timedelta(hours=first)
        closes = datetime.combine(day, time(0), zone) + timedelta(hours=last)
        if opens <= start and end <= closes:
            return True
    return False


def event_fields(p: Proposal, *, starts_at, ends_at, room_id=None, online_url=None, capacity=None) -> dict:
    """The ``create_event`` fields of the draft an acceptance makes: every field filled from
    the proposal, the time and place the organizer chose."""
    return {
        "title": p.title, "description": p.description, "format": p.format, "summit_id": p.call.summit_id,
        "starts_at": starts_at, "ends_at": ends_at, "room_id": room_id, "online_url": online_url,
        "capacity": capacity,
        "speakers": [{k: s[k] for k in ("name", "affiliation", "email", "role")} for s in p.speakers],
        "organizations": [{"name": o["name"], "role": o["role"]} for o in p.organizations],
    }


def _organization_contacts(proposal: Proposal) -> list[tuple[str, str, str]]:
    """The organizations of a proposal with a contact email, as ``(name, role, email)``: who the
    co-sponsor sign-on (issue #14, "signon") asks to confirm once the event is made."""
    seen, found = set(), []
    for o in proposal.organizations:  # each organization and role once (the event keeps them once)
        key = (match_key(o["name"]), o["role"])
        if o.get("email") and key not in seen:
            seen.add(key)
            found.append((o["name"], o["role"], o["email"]))
    return found


def accepted(db, proposal_id: int, event_id: int, label: str) -> Proposal:
    """Writes: the proposal is accepted and names the draft event made from it."""
    _decide(db, proposal_id, "accepted", event_id=event_id)
    add_comment(db, proposal_id, "organizer", label, "", visible=True, kind="accepted")
    return get(db, proposal_id)


def proposer_ids(db, proposal_id: int) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM proposers WHERE proposal_id = ? ORDER BY id", [proposal_id])]


def proposer(db, proposer_id: int):
    return db.execute("SELECT * FROM proposers WHERE id = ?", [proposer_id]).fetchone()


def erase(db, email: str) -> int:
    """Writes (an erasure, ``face/care.py``): proposers with this address are blanked (their
    link stops mattering: nobody can be told any more), and the address is cut out of the
    speakers and organizations of every proposal. Returns how many proposals it touched."""
    touched = {r[0] for r in db.execute("SELECT proposal_id FROM proposers WHERE email = ?", [email])}
    db.execute("UPDATE proposers SET name = '', email = '', organization = '' WHERE email = ?", [email])
    like = f"%{json.dumps(email)[1:-1]}%"
    for row in db.execute("SELECT id, speakers, organizations FROM proposals WHERE speakers LIKE ? OR"
                          " organizations LIKE ?", [like, like]).fetchall():
        speakers = [{**s, "email": ""} if s.get("email") == email else s for s in json.loads(row["speakers"])]
        organizations = [{**o, "email": ""} if o.get("email") == email else o
                         for o in json.loads(row["organizations"])]
        db["proposals"].update(row["id"], {"speakers": json.dumps(speakers, ensure_ascii=False),
                                           "organizations": json.dumps(organizations, ensure_ascii=False)})
        touched.add(row["id"])
    return len(touched)
