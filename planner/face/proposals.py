"""The Planner's calls for side events (issue #14): organizers open a call per summit, anyone
with its link proposes an event, the proposer follows it through a private link, organizers
comment, ask for changes, decline, merge and accept (``areas/proposals.py`` holds the rules and
says why). Every decision is audited and told to the proposers through the outbox, in the same
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from .. import clock
from ..access import SYSTEM, Actor
from ..areas import audit, events, outbox, proofs
from ..areas import proposals as rules
from ..areas import sign_on as area_sign_on
from ..areas.conflicts import find_conflicts
from ..areas.ticket_codes import proposal_token
from ..errors import ValidationError
from ..i18n import N_
from ..i18n import current as current_language
from ..ratelimit import ClientKey
from ..text import match_key
from . import staff_only
from .sign_on import request_sign_ons_for


@dataclass(frozen=True)
class AcceptancePreview:
    """What accepting at a time and place would give: whether it fits the proposers'
    preferences (and the summit's days), and the clashes the draft would have."""

    fits: bool
    conflicts: list


_SECOND = timedelta(seconds=1)
_VISIBLE = N_("Visible to the proposer")
_OTHER_TIME = N_("Accept at another time")


def _label(actor: Actor) -> str:
    return actor.user.name if actor.user is not None else ""


class ProposalMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    # ------------------------------------------------------------------ calls (organizers)

    @staff_only
    def open_call(self, summit_id: int, *, title: str, opens_at, closes_at, text: str = "", questions=(),
                  actor: Actor = SYSTEM) -> rules.Call:
        """A call for side events for a summit, open from ``opens_at`` to ``closes_at`` (aware
        datetimes), with a short plain ``text`` and ``questions`` of the registration-question
        kinds (``{"kind", "label", "help", "choices", "required"}``; answers are keyed
        ``q<id>``). Its public link is ``/call?c=<key>``. ``ValidationError`` for bad input,
        ``NotFound`` for an unknown summit."""
        with self._db.write() as db:
            call = rules.open_call(db, summit_id, title=title, text=text, opens_at=opens_at, closes_at=closes_at,
                                   questions=questions)
            audit.record(db, actor, "call_opened", subject=call.id, title=call.title,
                         opens_at=call.opens_at, closes_at=call.closes_at)
            return call

    @staff_only
    def update_call(self, call_id: int, *, actor: Actor = SYSTEM, **changes) -> rules.Call:
        """Change a call's ``title``, ``text``, ``opens_at``, ``closes_at`` or ``questions``
        (give a question's ``id`` to keep its answers). ``NotFound("call_not_found")``."""
        with self._db.write() as db:
            before, after = rules.update_call(db, call_id, changes)
            keys = ("title", "text", "opens_at", "closes_at")
            diff = audit.changed({k: getattr(before, k) for k in keys}, {k: getattr(after, k) for k in keys})
            if before.questions != after.questions:
                diff["questions"] = {"before": [q.label for q in before.questions],
                                     "after": [q.label for q in after.questions]}
            if diff:
                audit.record(db, actor, "call_edited", subject=after.id, changes=diff)
            return after

    @staff_only
    def close_call(self, call_id: int, *, actor: Actor = SYSTEM) -> rules.Call:
        """Close a call now (a call already closed stays as it is)."""
        call = self._read(rules.get_call, call_id)
        now = clock.now().replace(microsecond=0)
        if not call.is_open(now):
            return call
        return self.update_call(call.id, closes_at=now, opens_at=min(call.opens_at, now - _SECOND), actor=actor)

    @staff_only
    def calls(self, summit_id: int | None = None, *, actor: Actor = SYSTEM) -> list[rules.Call]:
        """Every call (of one summit), by opening time, with how many proposals each received."""
        return self._read(rules.list_calls, summit_id)

    def public_call(self, key: str) -> rules.Call:
        """The call a public link names (``/call?c=<key>``), open or not (``Call.is_open``).
        ``NotFound("call_not_found")`` otherwise."""
        return self._read(rules.call_by_key, key)

    def call_challenge(self, key: str) -> dict:
        """A signed proof-of-work challenge for a call's proposal form (writes nothing)."""
        return proofs.new_call_challenge(self._proof_key, self.public_call(key).id)

    # ------------------------------------------------------------------ proposing (anyone with the link)

    def propose_event(self, call_key: str, *, name: str, email: str, organization: str = "", proof: str | None = None,
                      client: ClientKey | None = None, language: str | None = None, **fields) -> rules.Proposal:
        """A proposal to an open call: ``title``, ``description``, ``format`` (in_person,
        online, hybrid), ``preferred_days`` (summit days), ``preferred_times``
        (``codes.DAY_PARTS``), ``audience``, ``speakers`` (name, affiliation, email, role),
        ``organizations`` (name, role, email: the contact who will be asked to sign on) and
        ``answers`` to the call's questions; ``name``, ``email`` and ``organization`` are the
        proposer's. Always needs ``proof``, a solution of ``call_challenge``; with ``client``
        the registration flood limits apply (``TooManyRequests``). Returns the proposal with
        its private link's ``token`` (also emailed, in ``language``). Refuses a closed call
        (``call_not_open``) and bad input (``ValidationError``), writing nothing."""
        language = language or current_language()
        counted: list = []
        with self._db.write(failed="registration_write_failed") as db:
            call = rules.call_by_key(db, call_key)
            rules.require_open(call, clock.now())
            if client is not None:
                counted = self._limiter.check(client, f"call:{call.id}")
            proofs.check_call_proof(db, call.id, proof, self._proof_key)
            done = rules.propose(db, call_key, fields, name=name, email=email, organization=organization,
                                 language=language, key=self._checkin_key)
            self._tell_proposers(db, done.id, "proposal_received")
        self._limiter.count(counted)
        self._wrote_mail()
        return done

    def proposal(self, token: str) -> rules.Proposal:
        """The proposal a proposer's private link names, with the comments meant for its
        proposers (never internal ones). ``NotFound("proposal_link_unknown")`` for any other
        token: a registration's, a door's or a check-in code."""
        return self._read(rules.by_token, token)

    def edit_proposal(self, token: str, **fields) -> rules.Proposal:
        """The proposer changes their proposal (the fields of ``propose_event``; those left out
        keep their value) until a decision, and after the call closed only when changes were
        asked for; a proposal with changes requested becomes submitted again."""
        return self._write(rules.edit, token, fields)

    def withdraw_proposal(self, token: str) -> rules.Proposal:
        """The proposer withdraws an undecided proposal (again: nothing changes)."""
        return self._write(lambda db: rules.withdraw(db, token)[0])

    def reply_to_proposal(self, token: str, body: str) -> rules.Proposal:
        """The proposer answers the organizers (a comment both see)."""
        return self._write(lambda db: rules.reply(db, token, body)[0])

    # ------------------------------------------------------------------ reviewing (organizers)

    @staff_only
    def proposals(self, call_id: int, status: str | None = None, *, actor: Actor = SYSTEM) -> list[rules.Proposal]:
        """A call's proposals in arrival order (merged ones too, ``merged_into`` set), each with
        every comment, internal ones included."""
        return self._read(rules.listing, call_id, status)

    @staff_only
    def get_proposal(self, proposal_id: int, *, actor: Actor = SYSTEM) -> rules.Proposal:
        """One proposal with every comment. ``NotFound("proposal_not_found")``."""
        return self._read(rules.get, proposal_id)

    @staff_only
    def comment_on_proposal(self, proposal_id: int, body: str, *, visible_to_proposer: bool = False,
                            actor: Actor = SYSTEM) -> rules.Proposal:
        """An organizer's comment: internal (organizers only), or ``visible_to_proposer`` (then
        emailed to the proposers)."""
        if not isinstance(visible_to_proposer, bool):
            raise ValidationError("answer_not_yes_no", field="visible", label=_VISIBLE)
        with self._db.write() as db:
            p = rules.get(db, proposal_id)
            comment_id = rules.add_comment(db, p.id, "organizer", _label(actor), rules.check_comment(body),
                                           visible=visible_to_proposer)
            audit.record(db, actor, "proposal_commented", subject=p.id, visible=visible_to_proposer)
            if visible_to_proposer:
                self._tell_proposers(db, p.id, "proposal_comment", comment_id=comment_id)
            found = rules.get(db, p.id)
        self._wrote_mail()
        return found

    @staff_only
    def request_changes(self, proposal_id: int, message: str, *, actor: Actor = SYSTEM) -> rules.Proposal:
        """Ask the proposers to change an undecided proposal (``message`` says what; they are
        emailed). They may edit it then, even after the call closed."""
        with self._db.write() as db:
            found = rules.request_changes(db, proposal_id, message, _label(actor))
            audit.record(db, actor, "proposal_changes_requested", subject=found.id)
            self._tell_proposers(db, found.id, "proposal_changes_requested")
        self._wrote_mail()
        return found

    @staff_only
    def decline_proposal(self, proposal_id: int, reason: str, *, actor: Actor = SYSTEM) -> rules.Proposal:
        """Decline an undecided proposal with a ``reason`` the proposers are sent."""
        with self._db.write() as db:
            found = rules.decline(db, proposal_id, reason, _label(actor))
            audit.record(db, actor, "proposal_declined", subject=found.id, reason=found.decline_reason)
            self._tell_proposers(db, found.id, "proposal_declined")
        self._wrote_mail()
        return found

    @staff_only
    def merge_proposals(self, keep_id: int, other_id: int, *, actor: Actor = SYSTEM) -> rules.Proposal:
        """Merge ``other`` into ``keep`` (both undecided, same call): ``keep`` gains the other's
        proposers (their links now show ``keep``), speakers, organizations and preferences;
        ``other`` becomes ``merged``. Every proposer is told. Returns ``keep``."""
        with self._db.write() as db:
            keep, other = rules.merge(db, keep_id, other_id, _label(actor))
            audit.record(db, actor, "proposals_merged", subject=keep.id, merged=other.id)
            self._tell_proposers(db, keep.id, "proposal_merged", merged=other.id)
        self._wrote_mail()
        return keep

    @staff_only
    def preview_acceptance(self, proposal_id: int, *, starts_at, ends_at, room_id: int | None = None,
                           online_url: str | None = None, actor: Actor = SYSTEM) -> AcceptancePreview:
        """Whether a time fits the proposers' preferred days and parts of the day, and the
        clashes with the programme the draft event would have (writes nothing)."""
        with self._db.read() as db:
            p = rules.get(db, proposal_id)
            fields = rules.event_fields(p, starts_at=starts_at, ends_at=ends_at, room_id=room_id, online_url=online_url)
            checked = events.check_fields(db, **fields)
            conflicts = events.preview_conflicts(db, None, fields)
            return AcceptancePreview(rules.fits_preferences(p, checked["starts_at"], checked["ends_at"]), conflicts)

    @staff_only
    def accept_proposal(self, proposal_id: int, *, starts_at, ends_at, room_id: int | None = None,
                        online_url: str | None = None, capacity: int | None = None, allow_other_time: bool = False,
                        actor: Actor = SYSTEM) -> rules.Acceptance:
        """Accept an undecided proposal: creates the draft event with every field filled from
        it (title, description, format, summit, speakers with their emails, organizations with
        their roles) at the time (aware datetimes) and room or online link chosen, checks it
        against the programme (the clashes come back in ``Acceptance.conflicts``) and tells the
        proposers. A time off the preferred days and parts of the day, or outside the summit,
        needs ``allow_other_time`` (``proposal_time_not_preferred``)."""
        if not isinstance(allow_other_time, bool):
            raise ValidationError("answer_not_yes_no", field="allow_other_time", label=_OTHER_TIME)
        with self._db.write() as db:
            p = rules.get(db, proposal_id)
            rules.require_undecided(p)
            checked = events.check_fields(db, **rules.event_fields(
                p, starts_at=starts_at, ends_at=ends_at, room_id=room_id, online_url=online_url, capacity=capacity))
            if not allow_other_time and not rules.fits_preferences(p, checked["starts_at"], checked["ends_at"]):
                raise ValidationError("proposal_time_not_preferred", field="starts_at")
            event = events.get_event(db, events.create(db, checked, allow_past=False))
            audit.record(db, actor, "event_created", event_id=event.id, title=event.title)
            found = rules.accepted(db, p.id, event.id, _label(actor))
            # Every name on the event must agree to be there (issue #14): each organization the
            # proposer gave a contact for is asked to sign on, each speaker with an email to
            # confirm — in this transaction, so the event never exists with them unasked.
            # Each once (a proposal may name someone twice, as chair and speaker), and only at an
            # address the proposal gave: a speaker named without one may have been matched by
            # name to someone else already known, who must not be asked for them.
            request_sign_ons_for(self, db, event.id, rules._organization_contacts(found), actor=actor)
            given = {match_key(s["name"]): s["email"] for s in found.speakers if s.get("email")}
            asked = set()
            for speaker in event.speakers:
                email = given.get(match_key(speaker.name))
                if email and speaker.person_id not in asked:
                    asked.add(speaker.person_id)
                    area_sign_on.request_speaker(db, event.id, speaker.person_id, email,
                                                 token_for=self._speaker_token, domain=self._domain,
                                                 language=current_language(), actor=actor)
            event = events.get_event(db, event.id)
            conflicts = find_conflicts(events.select(db, "WHERE e.status != 'cancelled'"), focus_id=event.id)
            audit.record(db, actor, "proposal_accepted", event_id=event.id, subject=p.id,
                         conflicts=len(conflicts))
            self._tell_proposers(db, p.id, "proposal_accepted")
        self._wrote_mail()
        return rules.Acceptance(found, event.id, conflicts)

    # ------------------------------------------------------------------ messages

    def _tell_proposers(self, db, proposal_id: int, kind: str, **data) -> None:
        """Inside the caller's transaction: ``kind`` to each proposer, in their language."""
        for proposer_id in rules.proposer_ids(db, proposal_id):
            row = rules.proposer(db, proposer_id)
            if not row["email"]:  # erased
                continue
            outbox.enqueue(db, kind, recipient=row["email"], recipient_name=row["name"], language=row["language"],
                           data={"proposer_id": proposer_id, "proposal_id": proposal_id, **data}, domain=self._domain)

    def _proposal_extra(self, db, row) -> dict:
        """What a proposal message is written from (``mail/proposals.py``): the proposal as its
        proposers see it, the proposer's link token and the comment it is about."""
        if not row.kind.startswith("proposal_"):
            return {}
        proposer = rules.proposer(db, row.data.get("proposer_id"))
        if proposer is None:
            return {}
        found = rules.get(db, proposer["proposal_id"])
        comment = next((c for c in found.comments if c.id == row.data.get("comment_id")), None)
        event = events.get_event(db, found.event_id) if found.event_id is not None else None
        return {"proposal": rules._as_seen(found, with_internal=False), "comment": comment, "accepted_event": event,
                "proposal_token": proposal_token(self._checkin_key, proposer["id"])}
