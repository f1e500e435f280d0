"""Issue #10, the *confirmed by email* registration mode: the form holds a place for 30 minutes
and sends a link; opening it makes the registration. Every address gets the same answer; live
holds are taken seats; lapsed ones go to the waiting list.

Messages about registrations carry a calendar invitation, rendered by code another branch
adds: these tests read the outbox rows, and render only the "confirm your place" message,
which has no calendar part.
"""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime

import pytest

from planner import ClientKey, NotFound, PendingConfirmation, Planner, TooManyRequests, ValidationError
from planner.ratelimit import RegistrationLimits
from tests.conftest import is_readable, table_rows

LINK = re.compile(r"/confirm\?t=([A-Za-z0-9_-]+)")


@pytest.fixture
def now(clock):
    """The conftest clock, set to the real day (events in ``FUTURE`` stay open) to the second."""
    clock.now = datetime.now(UTC).replace(microsecond=0)
    return clock


@pytest.fixture
def email_event(open_event, now):
    """``email_event(capacity=…)``: a published event in the future, confirmed by email."""
    return lambda capacity=2, **fields: open_event(registration_mode="email", capacity=capacity, **fields)


def register(planner, event, address, name="Ana", **more):
    return planner.register(event.id, name=name, email=address, **more)


def holds(planner) -> list[dict]:
    with planner._db.read() as db:
        return [dict(r) for r in db.execute("SELECT * FROM held_places ORDER BY id").fetchall()]


def messages(planner, kind=None):
    return [m for m in planner.outbox() if kind is None or m.kind == kind]


def text_of(planner, message_id) -> tuple[str, str]:
    """Subject and plain text of one outbox message as it would be sent now."""
    parsed = email.message_from_bytes(planner.outbox_eml(message_id))
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    return parsed["Subject"], part.get_payload(decode=True).decode()


def link_for(planner, address) -> str:
    """The token of the latest confirm link sent to ``address``, read out of the message."""
    message = [m for m in messages(planner, "confirm_email") if m.recipient == address][-1]
    return LINK.search(text_of(planner, message.id)[1]).group(1)


def deliver(planner) -> None:
    """What every pass of the sender does first (``deliver_outbox`` calls ``_release_holds`` in
    its first transaction; the SMTP transport it imports comes from another branch)."""
    with planner._db.write() as db:
        planner._release_holds(db)


# ---------------------------------------------------------------------- the same answer


def test_every_address_gets_the_same_answer_new_held_registered_or_waiting(planner, email_event):
    event = email_event(capacity=1)
    register(planner, event, "seated@example.org")
    planner.confirm_registration(link_for(planner, "seated@example.org"))
    register(planner, event, "waiting@example.org")
    assert planner.confirm_registration(link_for(planner, "waiting@example.org")).status == "waitlisted"
    register(planner, event, "held@example.org")

    answers = {
        "new": register(planner, event, "new@example.org", name="Bo"),
        "held": register(planner, event, "held@example.org", name="Someone Else"),
        "registered": register(planner, event, "SEATED@example.org ", name="Mallory"),
        "waiting": register(planner, event, "waiting@example.org", name="Mallory"),
    }
    assert set(answers.values()) == {PendingConfirmation(event.id)}
    assert all(type(a) is PendingConfirmation for a in answers.values())
    assert repr(answers["new"]) == repr(answers["registered"]) == repr(answers["held"]) == repr(answers["waiting"])


def test_registering_writes_no_registration_but_a_held_place_and_a_confirm_message(planner, email_event):
    event = email_event(capacity=2)
    assert register(planner, event, " Ana@Example.org", organization="Red", needs="Step-free") == PendingConfirmation(event.id)
    assert planner.registrations(event.id) == []
    (hold,) = holds(planner)
    assert (hold["email"], hold["name"], hold["organization"], hold["needs"], hold["seat"]) == (
        "ana@example.org", "Ana", "Red", "Step-free", 1)
    assert hold["registration_id"] is None
    (message,) = messages(planner)
    assert (message.kind, message.recipient, message.event_id, message.registration_id) == (
        "confirm_email", "ana@example.org", event.id, None)
    counts = planner.event_counts(event.id)
    assert (counts.confirmed, counts.held, counts.seats_left) == (0, 1, 1)


def test_the_confirm_message_names_the_event_holds_for_30_minutes_and_says_ignore_it(planner, email_event):
    event = email_event()
    register(planner, event, "ana@example.org")
    subject, text = text_of(planner, messages(planner)[0].id)
    assert subject == f"Confirm your place: {event.title}"
    assert "30 minutes" in text and "Confirm my place" in text
    assert "If you did not register, ignore this message: nothing happens." in text
    assert LINK.search(text)
    assert f"{planner.base_url}/confirm?t=" in text


def test_an_address_already_registered_gets_its_private_link_and_no_hold(planner, email_event):
    event = email_event()
    register(planner, event, "ana@example.org")
    confirmed = planner.confirm_registration(link_for(planner, "ana@example.org"))
    before = {m.id for m in messages(planner)}
    register(planner, event, "ana@example.org", name="Mallory", organization="Evil")
    (new,) = [m for m in messages(planner) if m.id not in before]
    assert (new.kind, new.recipient, new.data) == ("private_link", "ana@example.org", {"registration_ids": [confirmed.id]})
    assert planner.registrations(event.id)[0].name == "Ana"
    assert [h["registration_id"] for h in holds(planner)] == [confirmed.id]  # no new hold


def test_asking_again_while_held_sends_the_link_again_at_most_three_times_and_changes_nothing(planner, email_event):
    event = email_event()
    for name in ("Ana", "Mallory", "Mallory", "Mallory", "Mallory"):
        register(planner, event, "ana@example.org", name=name)
    (hold,) = holds(planner)
    assert hold["name"] == "Ana"
    sent = messages(planner, "confirm_email")
    assert len(sent) == 3 and {m.data["hold_id"] for m in sent} == {hold["id"]}
    assert len({link_for(planner, "ana@example.org") for _ in range(2)}) == 1


# ---------------------------------------------------------------------- seats


def test_a_held_place_is_taken_capacity_one_the_next_address_is_held_for_the_waiting_list(planner, email_event):
    event = email_event(capacity=1)
    register(planner, event, "a@example.org")
    counts = planner.event_counts(event.id)
    assert counts.is_full and counts.seats_left == 0 and counts.held == 1
    assert planner.all_event_counts()[event.id] == counts
    register(planner, event, "b@example.org")
    assert [h["seat"] for h in holds(planner)] == [1, 0]
    b_message = messages(planner, "confirm_email")[-1]
    subject, text = text_of(planner, b_message.id)
    assert "waiting list" in text and "Confirm and join the waiting list" in text
    # B confirms first: the place held for A stays A's.
    assert planner.confirm_registration(link_for(planner, "b@example.org")).status == "waitlisted"
    assert planner.confirm_registration(link_for(planner, "a@example.org")).status == "confirmed"


def test_a_walk_in_past_the_places_held_needs_force(planner, email_event):
    event = email_event(capacity=1)
    register(planner, event, "a@example.org")
    with pytest.raises(ValidationError) as refused:
        planner.walk_in(event.id, name="Walk In")
    assert refused.value.code == "walk_in_full"
    assert planner.walk_in(event.id, name="Walk In", force=True).status == "confirmed"


def test_a_cancellation_moves_up_the_waiting_list_only_into_places_not_held(planner, email_event):
    event = email_event(capacity=2)
    register(planner, event, "a@example.org")
    register(planner, event, "b@example.org")
    a = planner.confirm_registration(link_for(planner, "a@example.org"))
    register(planner, event, "c@example.org")  # full: a confirmed, b held
    c = planner.confirm_registration(link_for(planner, "c@example.org"))
    assert c.status == "waitlisted"
    planner.cancel_registration(a.manage_token)
    assert planner.registration(c.manage_token).status == "confirmed"  # a's seat, not b's held one
    assert planner.capacity_preview(event.id, 3) == []  # b's hold keeps its seat


# ---------------------------------------------------------------------- lapsing


def test_a_lapsed_hold_is_released_and_the_first_person_waiting_moves_up_with_their_news(planner, email_event, now):
    event = email_event(capacity=1)
    register(planner, event, "a@example.org")  # holds the seat
    register(planner, event, "b@example.org")
    b = planner.confirm_registration(link_for(planner, "b@example.org"))
    assert b.status == "waitlisted"
    now.advance(minutes=30)
    assert planner.event_counts(event.id).held == 0  # lapsed: no longer taken, even before the release
    deliver(planner)
    assert planner.registration(b.manage_token).status == "confirmed"
    assert [h["email"] for h in holds(planner)] == [""]  # b's, kept for the link; a's is gone
    moved = [m for m in messages(planner, "moved_up") if m.registration_id == b.id]
    assert len(moved) == 1 and moved[0].recipient == "b@example.org"


def test_a_new_registration_releases_lapsed_holds_first(planner, email_event, now):
    event = email_event(capacity=1)
    register(planner, event, "a@example.org")
    now.advance(minutes=31)
    register(planner, event, "c@example.org")
    assert [(h["email"], h["seat"]) for h in holds(planner)] == [("c@example.org", 1)]


def test_the_message_of_a_released_hold_is_not_sent(planner, email_event, now):
    event = email_event()
    register(planner, event, "a@example.org")
    message = messages(planner)[0]
    now.advance(minutes=31)
    subject, text = text_of(planner, message.id)
    assert subject.startswith("(not sent:") and "lapsed" in subject
    deliver(planner)
    assert text_of(planner, message.id)[0].startswith("(not sent:")


# ---------------------------------------------------------------------- confirming


def test_confirming_within_30_minutes_makes_a_confirmed_registration_with_its_private_link(planner, email_event, now):
    event = email_event()
    register(planner, event, "ana@example.org", organization="Red", needs="Step-free", language="fr")
    token = link_for(planner, "ana@example.org")
    now.advance(minutes=29, seconds=59)
    made = planner.confirm_registration(token)
    assert (made.status, made.email, made.name, made.organization, made.needs, made.language) == (
        "confirmed", "ana@example.org", "Ana", "Red", "Step-free", "fr")
    assert made.manage_token and planner.registration(made.manage_token).id == made.id
    assert made.checkin_code
    (confirmed,) = messages(planner, "confirmed")
    assert (confirmed.registration_id, confirmed.recipient, confirmed.language) == (made.id, "ana@example.org", "fr")
    (hold,) = holds(planner)
    assert (hold["registration_id"], hold["email"], hold["name"], hold["organization"], hold["needs"]) == (
        made.id, "", "", "", "")
    counts = planner.event_counts(event.id)
    assert (counts.confirmed, counts.held) == (1, 0)


def test_confirming_twice_gives_the_same_registration_and_writes_nothing_more(planner, email_event, snapshot, now):
    event = email_event()
    register(planner, event, "ana@example.org")
    token = link_for(planner, "ana@example.org")
    first = planner.confirm_registration(token)
    before = snapshot()
    now.advance(hours=2)  # long after the hold lapsed: the link still shows its registration
    again = planner.confirm_registration(token)
    assert again == first
    assert snapshot() == before


def test_confirming_after_30_minutes_is_refused_in_words_and_writes_nothing(planner, email_event, assert_refused, now):
    event = email_event()
    register(planner, event, "ana@example.org")
    token = link_for(planner, "ana@example.org")
    now.advance(minutes=30)
    error = assert_refused(lambda: planner.confirm_registration(token), exc=NotFound, match="expired")
    assert error.code == "confirm_link_expired"
    assert "register again" in str(error)
    deliver(planner)  # released: the same sentence
    assert_refused(lambda: planner.confirm_registration(token), exc=NotFound, match="expired")
    assert planner.registrations(event.id) == []


def test_confirming_for_an_event_cancelled_meanwhile_is_refused(planner, email_event, assert_refused):
    event = email_event()
    register(planner, event, "ana@example.org")
    token = link_for(planner, "ana@example.org")
    planner.cancel_event(event.id, reason="The room is closed.")
    assert_refused(lambda: planner.confirm_registration(token), field="event")


@pytest.mark.parametrize("garbled", [
    None, 42, "", "short", "x" * 43, "' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaa", "../../../../etc/passwd/aaaaaaaaaaaa",
    "A" * 101, "é" * 43, "a\nb" * 20,
])
def test_a_garbled_or_hostile_link_is_not_found(planner, email_event, assert_refused, garbled):
    event = email_event()
    register(planner, event, "ana@example.org")
    assert_refused(lambda: planner.confirm_registration(garbled), exc=NotFound)


def test_a_link_is_bound_to_its_hold_not_a_private_link_nor_an_altered_one(planner, email_event, assert_refused):
    event = email_event()
    register(planner, event, "ana@example.org")
    token = link_for(planner, "ana@example.org")
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert_refused(lambda: planner.confirm_registration(altered), exc=NotFound)
    made = planner.confirm_registration(token)
    with pytest.raises(NotFound):
        planner.confirm_registration(made.manage_token)  # a private link confirms nothing
    with pytest.raises(NotFound):
        planner.registration(token)  # and a confirm link is not a private link


def test_hold_ids_are_never_used_twice(planner, email_event, now):
    event = email_event()
    register(planner, event, "a@example.org")
    first = holds(planner)[0]["id"]
    now.advance(minutes=31)
    deliver(planner)
    assert holds(planner) == []
    register(planner, event, "b@example.org")
    assert holds(planner)[0]["id"] > first


# ---------------------------------------------------------------------- the rest unchanged


def test_bad_input_is_refused_as_before_and_writes_nothing(planner, email_event, assert_refused):
    event = email_event()
    assert_refused(lambda: register(planner, event, "not an address"), field="email")
    assert_refused(lambda: register(planner, event, "ana@example.org", name=""), field="name")


def test_the_flood_limits_apply(tmp_path, now):
    from tests.domain.conftest import FUTURE
    from datetime import timedelta

    planner = Planner(tmp_path / "p.db", registration_limits=RegistrationLimits(per_session=2))
    event = planner.create_event(title="T", starts_at=FUTURE, ends_at=FUTURE + timedelta(hours=1), timezone="UTC",
                                 online_url="https://meet.example.org/x", registration_mode="email")
    planner.publish_event(event.id)
    client = ClientKey("session-1", "203.0.113.7")
    for i in range(2):
        planner.register(event.id, name="A", email=f"a{i}@example.org", client=client)
    with pytest.raises(TooManyRequests) as refused:
        planner.register(event.id, name="A", email="a9@example.org", client=client)
    assert is_readable(str(refused.value))
    assert len(table_rows(planner.path)["held_places"]) == 2


def test_an_open_event_still_registers_at_once(planner, open_event, now):
    event = open_event()
    made = planner.register(event.id, name="Ana", email="ana@example.org")
    assert made.status == "confirmed" and made.manage_token
    assert holds(planner) == []
    assert [m.kind for m in messages(planner)] == ["confirmed"]


def test_a_proof_of_work_event_still_asks_for_its_proof(planner, open_event, assert_refused, now):
    event = open_event(registration_mode="proof_of_work")
    assert_refused(lambda: planner.register(event.id, name="Ana", email="ana@example.org"), field="proof")


def test_the_editor_can_choose_the_mode(planner, make_event):
    event = make_event(registration_mode="email")
    assert event.registration_mode == "email"
    changed = planner.update_event(event.id, version=event.version, registration_mode="open")
    assert changed.registration_mode == "open"


def test_erasing_an_address_holding_a_place_moves_the_waiting_list_up(planner, email_event):
    """A place held while an address confirms counts against the capacity: erasing that address
    frees it, and the first person waiting moves up and is told, as a cancellation does."""
    event = email_event(capacity=1)
    register(planner, event, "held@example.org", name="Holder")
    register(planner, event, "bo@example.org", name="Bo")
    planner.confirm_registration(link_for(planner, "bo@example.org"))
    (bo,) = [r for r in planner.registrations(event.id) if r.email == "bo@example.org"]
    assert bo.status == "waitlisted"  # the one seat is held for the first address
    done = planner.erase_person("held@example.org")
    assert done.held_places == 1 and done.moved_up == 1
    assert [r.status for r in planner.registrations(event.id) if r.email == "bo@example.org"] == ["confirmed"]
    assert [m.kind for m in messages(planner) if m.recipient == "bo@example.org"][-1] == "moved_up"
