"""Calls for side events (issue #14): a call per summit, open in a window; proposals through its
link with a proof of work and within the flood limits; the proposer's private link (its own
purpose only); comments, changes requested, declines, merges and acceptance into a draft
event with every field filled, checked against the programme, the proposers told."""

from __future__ import annotations

from datetime import UTC, date, datetime

import altcha
import pytest

from planner import NotFound, PermissionDenied, TooManyRequests
from planner.access import PUBLIC, of_user
from planner.areas import proposals as rules
from planner.ratelimit import ClientKey, RegistrationLimits
from planner import Planner

from .conftest import NY


def solve(challenge: dict) -> str:
    parsed = altcha.Challenge.from_dict(challenge)
    return altcha.Payload(parsed, altcha.solve_challenge(parsed)).to_base64()


@pytest.fixture
def call(planner, summit, clock):
    """A call of the UN General Assembly Week summit, open 1–15 October 2026 (New York); the
    clock stands on 10 October."""
    clock.now = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
    return planner.open_call(
        summit.id, title="Call for side events, UNGA week", text="Propose a side event <b>now</b>.",
        opens_at=datetime(2026, 10, 1, 9, 0, tzinfo=NY), closes_at=datetime(2026, 10, 15, 17, 0, tzinfo=NY),
        questions=[{"kind": "long_text", "label": "How does it serve migrants?", "required": True},
                   {"kind": "one_choice", "label": "Language", "choices": ["English", "Spanish"]}],
    )


GOOD = dict(
    title="Border dialogue", description="Civil society and states on the border.", format="in_person",
    preferred_days=[date(2026, 10, 20), date(2026, 10, 21)], preferred_times=["morning", "midday"],
    audience="About 80 delegates and NGO staff",
    speakers=[{"name": "Ana Pérez", "affiliation": "CELS", "email": "ana@example.org", "role": "chair"},
              {"name": "Bo Li", "affiliation": "", "email": "", "role": "speaker"}],
    organizations=[{"name": "CELS", "role": "host", "email": "sign@cels.example.org"},
                   {"name": "PICUM", "role": "co-sponsor", "email": ""}],
    answers={"q1": "Directly: migrants speak.", "q2": "Spanish"},
)


@pytest.fixture
def propose(planner, call):
    def make(**changes):
        fields = {**GOOD, **changes}
        who = {k: fields.pop(k) for k in ("name", "email", "organization") if k in fields}
        who.setdefault("name", "Marta Proposer")
        who.setdefault("email", "marta@example.org")
        return planner.propose_event(call.key, **who, **fields, proof=solve(planner.call_challenge(call.key)),
                                     language="es")
    return make


def text_of(planner, message_id: int) -> str:
    """A message as its reader gets it: the plain-text part, decoded."""
    from email import message_from_bytes, policy

    parsed = message_from_bytes(planner.outbox_eml(message_id), policy=policy.default)
    return parsed.get("Subject", "") + "\n" + parsed.get_body(("plain",)).get_content()


def html_of(planner, message_id: int) -> str:
    from email import message_from_bytes, policy

    return message_from_bytes(planner.outbox_eml(message_id), policy=policy.default).get_body(("html",)).get_content()


def kinds(planner) -> list[str]:
    return [m.kind for m in planner.outbox()]


# ---------------------------------------------------------------------- calls


def test_a_call_keeps_its_window_in_the_summits_zone_and_is_found_by_its_link(planner, call):
    assert call.opens_at.tzinfo.key == "America/New_York" and call.opens_at.hour == 9
    assert call.closes_at == datetime(2026, 10, 15, 17, 0, tzinfo=NY)
    assert planner.public_call(call.key).id == call.id
    assert [q.key for q in call.questions] == ["q1", "q2"] and call.questions[0].required
    assert call.is_open(datetime(2026, 10, 10, tzinfo=UTC)) and not call.is_open(datetime(2026, 10, 16, tzinfo=UTC))
    assert [c.id for c in planner.calls(call.summit_id)] == [call.id]
    assert planner.audit_log()[0].action == "call_opened"


def test_an_unknown_or_malformed_call_link_finds_nothing(planner, call, assert_refused):
    for key in ("", "nope", "x" * 500, None, 42, call.key + "a"):
        assert_refused(lambda: planner.public_call(key), exc=NotFound)


@pytest.mark.parametrize("bad, field", [
    (dict(title=""), "title"),
    (dict(title="x" * 201), "title"),
    (dict(closes_at=datetime(2026, 9, 1, tzinfo=NY)), "closes_at"),
    (dict(opens_at=datetime(2026, 10, 1, 9, 0)), "opens_at"),  # no zone
    (dict(questions=[{"kind": "essay", "label": "Q"}]), "questions"),
    (dict(questions=[{"kind": "one_choice", "label": "Q", "choices": ["only one"]}]), "choices"),
    (dict(questions="not a list"), "questions"),
])
def test_a_call_with_bad_input_is_refused(planner, summit, clock, assert_refused, bad, field):
    fields = dict(title="Call", opens_at=datetime(2026, 10, 1, tzinfo=NY), closes_at=datetime(2026, 10, 15, tzinfo=NY))
    assert_refused(lambda: planner.open_call(summit.id, **{**fields, **bad}), field=field)


def test_changing_a_call_keeps_the_ids_of_its_questions_and_closing_it_ends_proposals(planner, call, propose,
                                                                                      assert_refused):
    changed = planner.update_call(call.id, title="Call, extended", questions=[
        {"id": 2, "kind": "one_choice", "label": "Language", "choices": ["English", "Spanish", "French"]},
        {"kind": "yes_no", "label": "Need a room?"}])
    assert [q.key for q in changed.questions] == ["q2", "q3"]
    assert planner.audit_log()[0].action == "call_edited"
    closed = planner.close_call(call.id)
    assert not closed.is_open(datetime(2026, 10, 10, 12, 0, 1, tzinfo=UTC))
    error = assert_refused(lambda: propose(answers={}), field="call")
    assert error.code == "call_not_open"


def test_organizers_only_open_and_see_calls(planner, call, assert_refused):
    assert_refused(lambda: planner.open_call(call.summit_id, title="X", opens_at=call.opens_at,
                                             closes_at=call.closes_at, actor=PUBLIC), exc=PermissionDenied)
    assert_refused(lambda: planner.calls(actor=PUBLIC), exc=PermissionDenied)


# ---------------------------------------------------------------------- proposing


def test_a_proposal_is_received_with_a_private_link_and_an_email_in_the_proposers_language(planner, propose):
    done = propose()
    assert done.status == "submitted" and done.token
    seen = planner.proposal(done.token)
    assert seen.title == "Border dialogue" and seen.proposers[0].email == "marta@example.org"
    assert seen.organizations[0]["email"] == "sign@cels.example.org"  # the contact is kept
    assert seen.answers == {"q1": "Directly: migrants speak.", "q2": "Spanish"}
    message = planner.outbox()[-1]
    assert message.kind == "proposal_received" and message.recipient == "marta@example.org"
    assert message.language == "es"
    eml = text_of(planner, message.id)
    assert "/proposal?t=" in eml and "Border dialogue" in eml


def test_a_proposal_needs_a_proof_made_for_its_call_used_once(planner, call, assert_refused):
    fields = {**GOOD, "name": "M", "email": "m@example.org"}
    assert_refused(lambda: planner.propose_event(call.key, **fields), field="proof")
    assert_refused(lambda: planner.propose_event(call.key, **fields, proof="garbage"), field="proof")
    event_proof = solve(planner.registration_challenge(1))  # a challenge of an event, not of this call
    assert_refused(lambda: planner.propose_event(call.key, **fields, proof=event_proof), field="proof")
    proof = solve(planner.call_challenge(call.key))
    planner.propose_event(call.key, **fields, proof=proof)
    error = assert_refused(lambda: planner.propose_event(call.key, **fields, proof=proof), field="proof")
    assert error.code == "proof_used"


def test_proposals_are_limited_like_registrations(tmp_path, summit, clock):
    planner = Planner(tmp_path / "limited.db", registration_limits=RegistrationLimits(per_session=2))
    clock.now = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
    s = planner.add_summit(name="S", timezone="America/New_York", starts_on=date(2026, 10, 19),
                           ends_on=date(2026, 10, 23))
    c = planner.open_call(s.id, title="Call", opens_at=datetime(2026, 10, 1, tzinfo=NY),
                          closes_at=datetime(2026, 10, 15, tzinfo=NY))
    client = ClientKey("one-browser")
    fields = {**GOOD, "answers": {}}
    for n in range(2):
        planner.propose_event(c.key, name="M", email=f"m{n}@example.org", **fields, client=client,
                              proof=solve(planner.call_challenge(c.key)))
    with pytest.raises(TooManyRequests):
        planner.propose_event(c.key, name="M", email="m9@example.org", **fields, client=client,
                              proof=solve(planner.call_challenge(c.key)))


def test_a_call_not_open_yet_or_closed_takes_no_proposal(planner, call, clock, propose, assert_refused):
    clock.now = datetime(2026, 9, 30, tzinfo=UTC)
    assert_refused(lambda: propose(), field="call")
    clock.now = datetime(2026, 10, 15, 21, 0, tzinfo=UTC)  # 17:00 in New York: closed
    error = assert_refused(lambda: propose(), field="call")
    assert "15 Oct 2026" in str(error)


@pytest.mark.parametrize("bad, field", [
    (dict(title=""), "title"),
    (dict(title="x" * 201), "title"),
    (dict(title="Two\nlines"), "title"),
    (dict(description=""), "description"),
    (dict(description="x" * 5001), "description"),
    (dict(format="party"), "format"),
    (dict(preferred_days=[date(2026, 11, 1)]), "preferred_days"),
    (dict(preferred_days=["not a date"]), "preferred_days"),
    (dict(preferred_times=["night"]), "preferred_times"),
    (dict(audience="x" * 501), "audience"),
    (dict(speakers=[{"name": "", "email": "a@example.org"}]), "speakers"),
    (dict(speakers=[{"name": "Ana", "email": "not-an-email"}]), "speakers"),
    (dict(speakers=[{"name": "Ana", "role": "king"}]), "speakers"),
    (dict(speakers=[{"name": f"S{n}"} for n in range(31)]), "speakers"),
    (dict(speakers="Ana"), "speakers"),
    (dict(organizations=[{"name": "CELS", "email": "cels@"}]), "organizations"),
    (dict(organizations=[{"name": "CELS", "role": "owner"}]), "organizations"),
    (dict(organizations=[{"name": "CELS", "secret": "x"}]), "organizations"),
    (dict(answers={"q1": ""}), "q1"),  # required
    (dict(answers={"q1": "ok", "q2": "French"}), "q2"),
    (dict(answers={"q1": "ok", "q9": "?"}), "q9"),
    (dict(email="marta@"), "email"),
    (dict(name=""), "name"),
    (dict(unknown="x"), "unknown"),
])
def test_a_proposal_with_bad_input_is_refused_with_a_clear_message(propose, assert_refused, bad, field):
    assert_refused(lambda: propose(**bad), field=field)


def test_hostile_markdown_and_html_are_kept_as_text(planner, propose):
    hostile = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"
    done = propose(title=hostile, description=hostile, speakers=[{"name": "<img src=x onerror=alert(1)>"}])
    seen = planner.proposal(done.token)
    assert seen.title == hostile and seen.speakers[0]["name"] == "<img src=x onerror=alert(1)>"
    assert "<script>" not in html_of(planner, planner.outbox()[-1].id)
    assert hostile in text_of(planner, planner.outbox()[-1].id)


def test_empty_speaker_and_organization_rows_are_left_out(planner, propose):
    done = propose(speakers=[{"name": "Ana"}, {"name": "", "affiliation": "", "email": ""}],
                   organizations=[{"name": "", "email": ""}])
    assert len(done.speakers) == 1 and done.organizations == ()


# ---------------------------------------------------------------------- the proposer's link


def test_the_proposer_edits_until_a_decision_and_after_the_close_only_when_asked(planner, propose, clock,
                                                                                  assert_refused):
    done = propose()
    edited = planner.edit_proposal(done.token, title="Border dialogue 2026")
    assert edited.title == "Border dialogue 2026" and edited.description == GOOD["description"]
    clock.now = datetime(2026, 10, 16, tzinfo=UTC)  # the call closed
    error = assert_refused(lambda: planner.edit_proposal(done.token, title="Later"), field="status")
    assert error.code == "proposal_edit_closed"
    planner.request_changes(done.id, "Please add a speaker from a member state.")
    assert planner.proposal(done.token).status == "changes_requested"
    again = planner.edit_proposal(done.token, speakers=[*GOOD["speakers"], {"name": "Amb. Ruiz", "role": "speaker"}])
    assert again.status == "submitted" and len(again.speakers) == 3
    planner.decline_proposal(done.id, "The programme is full.")
    error = assert_refused(lambda: planner.edit_proposal(done.token, title="After"), field="status")
    assert error.code == "proposal_decided"
    assert_refused(lambda: planner.withdraw_proposal(done.token), field="status")


def test_the_proposer_withdraws_once(planner, propose, assert_refused):
    done = propose()
    assert planner.withdraw_proposal(done.token).status == "withdrawn"
    assert planner.withdraw_proposal(done.token).status == "withdrawn"
    assert_refused(lambda: planner.accept_proposal(done.id, starts_at=datetime(2026, 10, 20, 9, tzinfo=NY),
                                                   ends_at=datetime(2026, 10, 20, 10, tzinfo=NY)), field="status")


def test_the_proposer_sees_comments_meant_for_them_only(planner, propose):
    done = propose()
    planner.comment_on_proposal(done.id, "Internal: their last event was good.")
    planner.comment_on_proposal(done.id, "Could you say more about the audience?", visible_to_proposer=True)
    planner.reply_to_proposal(done.token, "Mostly delegates.")
    seen = planner.proposal(done.token)
    assert [c.body for c in seen.comments] == ["Could you say more about the audience?", "Mostly delegates."]
    assert len(planner.get_proposal(done.id).comments) == 3
    assert kinds(planner).count("proposal_comment") == 1  # the internal note is not emailed


def test_a_proposers_link_opens_nothing_else_and_other_links_do_not_open_it(planner, propose, open_event,
                                                                              assert_refused):
    done = propose()
    event = open_event()
    guest = planner.register(event.id, name="Gus", email="gus@example.org")
    assert_refused(lambda: planner.registration(done.token), exc=NotFound)
    assert_refused(lambda: planner.update_registration(done.token, name="X"), exc=NotFound)
    assert_refused(lambda: planner.cancel_registration(done.token), exc=NotFound)
    assert planner.door_pass(done.token) is None
    assert planner.check_in(done.token, event.id).verdict != "ok"
    assert_refused(lambda: planner.proposal(guest.manage_token), exc=NotFound)
    assert_refused(lambda: planner.proposal(guest.checkin_code), exc=NotFound)
    for token in ("", "x" * 500, None, done.token[:-1] + ("A" if done.token[-1] != "A" else "B")):
        assert_refused(lambda: planner.proposal(token), exc=NotFound)


# ---------------------------------------------------------------------- organizers decide


def test_organizers_see_the_table_of_a_calls_proposals(planner, call, propose):
    first, second = propose(), propose(title="Youth and mobility", email="yo@example.org")
    planner.decline_proposal(second.id, "Out of scope.")
    assert [(p.title, p.status) for p in planner.proposals(call.id)] == [
        ("Border dialogue", "submitted"), ("Youth and mobility", "declined")]
    assert [p.id for p in planner.proposals(call.id, "submitted")] == [first.id]


def test_declining_needs_a_reason_and_tells_the_proposer(planner, propose, assert_refused):
    done = propose()
    assert_refused(lambda: planner.decline_proposal(done.id, "  "), field="reason")
    declined = planner.decline_proposal(done.id, "The programme is full.")
    assert declined.status == "declined" and declined.decline_reason == "The programme is full."
    assert kinds(planner)[-1] == "proposal_declined"
    entry = planner.audit_log()[0]
    assert entry.action == "proposal_declined" and entry.subject == str(done.id)
    assert "marta" not in str(entry.details)
    assert "The programme is full." in text_of(planner, planner.outbox()[-1].id)


def test_merging_keeps_both_proposers_and_everything_each_proposed(planner, propose, assert_refused):
    keep = propose()
    other = propose(title="Borders, the other one", email="otto@example.org",
                    speakers=[{"name": "Ana Pérez", "email": "ana@example.org"}, {"name": "Cai Wu"}],
                    organizations=[{"name": "cels", "role": "host"}, {"name": "Red Cross", "email": "rc@example.org"}],
                    preferred_days=[date(2026, 10, 22)], preferred_times=["evening"])
    merged = planner.merge_proposals(keep.id, other.id)
    assert [p.email for p in merged.proposers] == ["marta@example.org", "otto@example.org"]
    assert [s["name"] for s in merged.speakers] == ["Ana Pérez", "Bo Li", "Cai Wu"]
    assert [o["name"] for o in merged.organizations] == ["CELS", "PICUM", "Red Cross"]
    assert date(2026, 10, 22) in merged.preferred_days and "evening" in merged.preferred_times
    assert planner.get_proposal(other.id).status == "merged"
    assert planner.proposal(other.token).id == keep.id  # the other proposer follows the one kept
    assert kinds(planner)[-2:] == ["proposal_merged", "proposal_merged"]
    assert_refused(lambda: planner.merge_proposals(keep.id, keep.id), field="other")
    assert_refused(lambda: planner.merge_proposals(keep.id, other.id), field="status")


def test_accepting_creates_the_draft_event_with_every_field_filled(planner, propose, room):
    done = propose()
    accepted = planner.accept_proposal(done.id, starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=NY),
                                       ends_at=datetime(2026, 10, 20, 10, 30, tzinfo=NY), room_id=room.id)
    event = planner.get_event(accepted.event_id)
    assert event.status == "draft" and event.title == "Border dialogue" and event.description == GOOD["description"]
    assert event.summit_id == done.call.summit_id and event.room_id == room.id and event.format == "in_person"
    assert event.local_start.hour == 9
    assert [(s.name, s.affiliation, s.email, s.role) for s in event.speakers] == [
        ("Ana Pérez", "CELS", "ana@example.org", "chair"), ("Bo Li", "", None, "speaker")]
    assert [(o.name, o.role) for o in event.organizations] == [("CELS", "host"), ("PICUM", "co-sponsor")]
    assert accepted.proposal.status == "accepted" and accepted.proposal.event_id == event.id
    assert rules._organization_contacts(accepted.proposal) == [("CELS", "host", "sign@cels.example.org")]
    assert kinds(planner)[-3:] == ["sign_on", "speaker_request", "proposal_accepted"]
    assert [e.action for e in planner.audit_log()[:4]] == [
        "proposal_accepted", "speaker_requested", "sign_on_requested", "event_created"]
    assert "Buenas noticias" in text_of(planner, planner.outbox()[-1].id)  # in the proposer's language (es)


def test_every_name_on_an_accepted_proposal_is_asked_and_none_shows_publicly_before_saying_yes(
        planner, propose, room):
    """The organization with a contact is asked to sign on and the speaker with an email to
    confirm, in the acceptance's transaction; until they answer, no public output names them."""
    accepted = planner.accept_proposal(propose().id, starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=NY),
                                       ends_at=datetime(2026, 10, 20, 10, 30, tzinfo=NY), room_id=room.id)
    event = planner.get_event(accepted.event_id)
    assert {o.name: o.status for o in event.organizations} == {"CELS": "pending", "PICUM": "confirmed"}
    assert {s.name: s.status for s in event.speakers} == {"Ana Pérez": "pending", "Bo Li": "confirmed"}
    assert [o.name for o in event.public_organizations] == ["PICUM"]
    assert [s.name for s in event.public_speakers] == ["Bo Li"]
    status = planner.sign_on_status(event.id)
    assert [(o.name, o.status) for o in status.organizations if o.name == "CELS"] == [("CELS", "pending")]


def test_someone_named_twice_is_asked_once_and_someone_named_without_an_address_is_not_asked(
        planner, propose, room, make_event):
    """Ana chairs and speaks, CELS is listed twice: one request each, and the acceptance goes
    through. Bo Li gave no address; a Bo Li already known from another event (with his own
    address) is matched by name, but the proposal never named that address, so he is not asked."""
    make_event(title="Earlier", speakers=[{"name": "Bo Li", "affiliation": "Elsewhere", "email": "bo@elsewhere.org"}])
    speakers = GOOD["speakers"] + [{"name": "Ana Pérez", "affiliation": "CELS", "email": "ana@example.org",
                                    "role": "speaker"}]
    organizations = GOOD["organizations"] + [{"name": "CELS", "role": "host", "email": "sign@cels.example.org"}]
    done = propose(speakers=speakers, organizations=organizations)
    accepted = planner.accept_proposal(done.id, starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=NY),
                                       ends_at=datetime(2026, 10, 20, 10, 30, tzinfo=NY), room_id=room.id)
    asked = [(m.kind, m.recipient) for m in planner.outbox() if m.kind in ("sign_on", "speaker_request")]
    assert sorted(asked) == [("sign_on", "sign@cels.example.org"), ("speaker_request", "ana@example.org")]
    assert "bo@elsewhere.org" not in {m.recipient for m in planner.outbox()}
    assert accepted.proposal.status == "accepted"


def test_accepting_reports_clashes_with_the_programme(planner, propose, room, make_event):
    make_event(title="Already there", starts_at=datetime(2026, 10, 20, 9, 30, tzinfo=NY),
               ends_at=datetime(2026, 10, 20, 11, 0, tzinfo=NY), allow_past=False)
    done = propose()
    start, end = datetime(2026, 10, 20, 9, 0, tzinfo=NY), datetime(2026, 10, 20, 10, 0, tzinfo=NY)
    preview = planner.preview_acceptance(done.id, starts_at=start, ends_at=end, room_id=room.id)
    assert preview.fits and [c.kind for c in preview.conflicts] == ["room"]
    accepted = planner.accept_proposal(done.id, starts_at=start, ends_at=end, room_id=room.id)
    assert [c.kind for c in accepted.conflicts] == ["room"]


def test_accepting_off_the_preferred_days_and_times_needs_a_confirmation(planner, propose, room, assert_refused):
    done = propose()
    evening = dict(starts_at=datetime(2026, 10, 20, 19, 0, tzinfo=NY), ends_at=datetime(2026, 10, 20, 20, tzinfo=NY))
    other_day = dict(starts_at=datetime(2026, 10, 23, 9, 0, tzinfo=NY), ends_at=datetime(2026, 10, 23, 10, tzinfo=NY))
    for when in (evening, other_day):
        error = assert_refused(lambda: planner.accept_proposal(done.id, **when, room_id=room.id), field="starts_at")
        assert error.code == "proposal_time_not_preferred"
    # Across two adjacent parts preferred (morning and midday) fits.
    span = dict(starts_at=datetime(2026, 10, 21, 11, 0, tzinfo=NY), ends_at=datetime(2026, 10, 21, 13, tzinfo=NY))
    assert planner.preview_acceptance(done.id, **span, room_id=room.id).fits
    accepted = planner.accept_proposal(done.id, **evening, room_id=room.id, allow_other_time=True)
    assert planner.get_event(accepted.event_id).local_start.hour == 19


def test_accepting_with_a_bad_place_or_time_writes_nothing(planner, propose, room, assert_refused):
    done = propose(format="online")
    when = dict(starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=NY), ends_at=datetime(2026, 10, 20, 10, tzinfo=NY))
    assert_refused(lambda: planner.accept_proposal(done.id, **when, room_id=room.id), field="format")
    assert_refused(lambda: planner.accept_proposal(done.id, starts_at=when["ends_at"], ends_at=when["starts_at"]),
                   field="ends_at")
    assert_refused(lambda: planner.accept_proposal(done.id, **when, room_id=999), exc=NotFound)
    assert planner.get_proposal(done.id).status == "submitted"


def test_only_organizers_decide(planner, propose, assert_refused):
    done = propose()
    organizer = of_user(planner.add_user(email="org@example.org", name="Olga", password="long enough pw"))
    for call in (lambda a: planner.proposals(done.call.id, actor=a),
                 lambda a: planner.get_proposal(done.id, actor=a),
                 lambda a: planner.comment_on_proposal(done.id, "Hi", actor=a),
                 lambda a: planner.request_changes(done.id, "More", actor=a),
                 lambda a: planner.decline_proposal(done.id, "No", actor=a)):
        assert_refused(lambda: call(PUBLIC), exc=PermissionDenied)
    assert planner.request_changes(done.id, "More detail, please.", actor=organizer).status == "changes_requested"
    assert planner.audit_log()[0].actor_label.startswith("Olga")
    # The proposer sees the request but not who, by account, wrote it.
    assert planner.proposal(done.token).comments[-1].body == "More detail, please."


def test_the_proposer_messages_render_in_their_language_for_every_kind(planner, propose, room):
    def latest(kind: str) -> str:
        message = planner.outbox()[-1]
        assert message.kind == kind
        eml = text_of(planner, message.id)
        assert "/proposal?" in eml and "lang=es" in eml, eml[:300]
        return eml

    keep, other = propose(), propose(email="otto@example.org")
    latest("proposal_received")
    planner.comment_on_proposal(keep.id, "A question for you.", visible_to_proposer=True)
    assert "A question for you." in latest("proposal_comment")
    planner.request_changes(keep.id, "Add a member state.")
    assert "Add a member state." in latest("proposal_changes_requested")
    planner.merge_proposals(keep.id, other.id)
    latest("proposal_merged")
    planner.accept_proposal(keep.id, starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=NY),
                            ends_at=datetime(2026, 10, 20, 10, tzinfo=NY), room_id=room.id)
    assert "Church Center" in latest("proposal_accepted")
    third = propose(email="third@example.org")
    planner.decline_proposal(third.id, "Full.")
    assert "Full." in latest("proposal_declined")


def test_erasing_a_person_removes_them_from_proposals_too(planner, propose):
    done = propose()
    planner.erase_person("marta@example.org")
    planner.erase_person("sign@cels.example.org")
    seen = planner.get_proposal(done.id)
    assert seen.proposers[0].email == "" and seen.proposers[0].name == ""
    assert seen.organizations[0]["email"] == "" and seen.organizations[0]["name"] == "CELS"
    assert seen.speakers[0]["email"] == "ana@example.org"  # others stay
    planner.decline_proposal(done.id, "Full.")
    assert kinds(planner).count("proposal_declined") == 0  # nobody left to tell


def test_two_organizers_deciding_at_once_make_one_decision(planner, propose, room):
    """Accept and decline race on real threads, many times: exactly one wins, and an accepted
    proposal has exactly one draft event."""
    import threading

    for _ in range(5):
        done = propose()
        results, barrier = [], threading.Barrier(2)

        def run(action):
            barrier.wait()
            try:
                action()
                results.append("ok")
            except Exception as err:  # noqa: BLE001 - the refusal is what is counted
                results.append(getattr(err, "code", repr(err)))

        accept = lambda: planner.accept_proposal(  # noqa: E731
            done.id, starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=NY), ends_at=datetime(2026, 10, 20, 10, tzinfo=NY),
            room_id=room.id, allow_other_time=True)
        decline = lambda: planner.decline_proposal(done.id, "Full.")  # noqa: E731
        threads = [threading.Thread(target=run, args=(a,)) for a in (accept, decline)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["ok", "proposal_decided"]
        final = planner.get_proposal(done.id)
        events = [e for e in planner.list_events() if e.title == "Border dialogue"]
        assert (final.status == "accepted") == (final.event_id is not None)
    assert len(events) == sum(p.status == "accepted" for p in planner.proposals(done.call.id))
