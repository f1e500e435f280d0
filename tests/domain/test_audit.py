"""The audit log (issue #11): every organizer and admin action that changes data leaves one
entry, written in the change's own transaction — who (actor kind, account or door label), what
(an action code), which event, what was changed (by id or code) and the details (for an edit,
the before and after of each changed field only). A refused or rolled-back change leaves none;
no guest's name or email is ever written; only admins read it.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from planner import PermissionDenied, StaleEdit, ValidationError
from planner.access import PUBLIC, of_door, of_user
from planner.codes import AUDIT_ACTIONS, AUDIT_DETAIL_LABELS

GUEST_NAME, GUEST_EMAIL = "Zoë Secret", "zoe.secret@example.org"


@pytest.fixture
def olga(planner):
    return planner.add_user(email="olga@example.org", name="Olga Organizer", password="olga-long-password")


@pytest.fixture
def ada(planner):
    return planner.add_user(email="ada@example.org", name="Ada Admin", password="ada-long-password!", role="admin")


@pytest.fixture
def as_olga(olga):
    return of_user(olga)


def latest(planner):
    """The newest entry (admins' view, as the system)."""
    found = planner.audit_log(limit=1)
    assert found, "no audit entry was written"
    return found[0]


def count(planner, action=None) -> int:
    return len(planner.audit_log(action=action))


def assert_by_olga(entry, olga):
    assert (entry.actor_kind, entry.actor_user_id, entry.actor_label) == (
        "organizer", olga.id, "Olga Organizer <olga@example.org>")


# ---------------------------------------------------------------------- events


def test_creating_an_event_is_logged_with_who_and_which_event(planner, make_event, olga, as_olga):
    event = make_event(title="Borders dialogue", actor=as_olga)
    entry = latest(planner)
    assert entry.action == "event_created" and entry.event_id == event.id
    assert_by_olga(entry, olga)
    assert entry.details == {"title": "Borders dialogue"}


def test_an_edit_keeps_the_before_and_after_of_each_changed_field_only(planner, make_event, at, olga, as_olga):
    event = make_event(title="Old title", capacity=30, description="Same")
    planner.update_event(event.id, version=event.version, title="New title", capacity=50,
                         starts_at=at(20, 9), description="Same", allow_past=True, actor=as_olga)
    entry = latest(planner)
    assert entry.action == "event_edited" and entry.event_id == event.id
    assert_by_olga(entry, olga)
    assert entry.details["changes"] == {
        "title": {"before": "Old title", "after": "New title"},
        "capacity": {"before": 30, "after": 50},
        "starts_at": {"before": event.starts_at.isoformat(), "after": at(20, 9).astimezone(event.starts_at.tzinfo).isoformat()},
    }
    assert set(entry.details["changes"]) <= set(AUDIT_DETAIL_LABELS)


def test_an_edit_of_speakers_keeps_who_speaks_but_never_their_email(planner, make_event, as_olga):
    event = make_event(speakers=[{"name": "Diego Morales", "email": "diego.private@example.org"}])
    planner.update_event(event.id, version=event.version, actor=as_olga,
                         speakers=[{"name": "Diego Morales", "email": "diego.private@example.org"},
                                   {"name": "Ana Ruiz", "role": "chair"}])
    change = latest(planner).details["changes"]["speakers"]
    assert [s["name"] for s in change["after"]] == ["Diego Morales", "Ana Ruiz"]
    assert "diego.private" not in str(planner.audit_log())


def test_duplicating_publishing_and_cancelling_are_logged(planner, make_event, olga, as_olga):
    source = make_event()
    copy = planner.duplicate_event(source.id, actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id, entry.details["copied_from"]) == ("event_duplicated", copy.id, source.id)
    planner.publish_event(copy.id, allow_room_clash=True, allow_past=True, actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id) == ("event_published", copy.id)
    assert_by_olga(entry, olga)
    planner.publish_event(copy.id, actor=as_olga)  # already published: nothing changes, nothing logged
    assert count(planner, "event_published") == 1
    planner.cancel_event(copy.id, reason="The room is closed.", actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id) == ("event_cancelled", copy.id)
    assert entry.details == {"reason": "The room is closed.", "previous_status": "published"}
    planner.cancel_event(copy.id, reason="Again", actor=as_olga)
    assert count(planner, "event_cancelled") == 1


# ---------------------------------------------------------------------- summits, venues, rooms


def test_summits_venues_and_rooms_added_and_edited_are_logged(planner, summit, venue, room, as_olga):
    assert [e.action for e in planner.audit_log()][-3:] == ["room_added", "venue_added", "summit_added"]
    planner.update_summit(summit.id, city="Manhattan", actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.subject) == ("summit_edited", str(summit.id))
    assert entry.details["changes"] == {"city": {"before": "New York", "after": "Manhattan"}}
    planner.update_venue(venue.id, address="1 Plaza", actor=as_olga)
    assert latest(planner).details["changes"] == {"address": {"before": venue.address, "after": "1 Plaza"}}
    planner.update_room(room.id, capacity=120, actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.subject) == ("room_edited", str(room.id))
    assert entry.details["changes"] == {"capacity": {"before": 80, "after": 120}}
    assert entry.details["moved_up"] == 0
    before = count(planner)
    planner.update_room(room.id, capacity=120, actor=as_olga)  # the same again: no change, no entry
    assert count(planner) == before


def test_a_bigger_room_says_how_many_moved_up(planner, open_event, room, as_olga):
    planner.update_room(room.id, capacity=1)
    event = open_event()
    planner.register(event.id, name="First", email="first@example.org")
    planner.register(event.id, name="Second", email="second@example.org")
    planner.update_room(room.id, capacity=2, actor=as_olga)
    entry = latest(planner)
    assert entry.details["changes"] == {"capacity": {"before": 1, "after": 2}} and entry.details["moved_up"] == 1


# ---------------------------------------------------------------------- registrations and the door


def test_an_organizer_cancelling_a_registration_is_logged_by_its_id(planner, open_event, olga, as_olga):
    event = open_event()
    guest = planner.register(event.id, name=GUEST_NAME, email=GUEST_EMAIL)
    planner.cancel_registration_for(guest.id, actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id, entry.subject) == ("registration_cancelled", event.id, str(guest.id))
    assert entry.details == {"previous_status": "confirmed", "moved_up": 0}
    assert_by_olga(entry, olga)
    planner.cancel_registration_for(guest.id, actor=as_olga)  # already cancelled
    assert count(planner, "registration_cancelled") == 1


def test_a_guest_cancelling_their_own_registration_is_not_an_organizer_action(planner, open_event):
    event = open_event()
    guest = planner.register(event.id, name=GUEST_NAME, email=GUEST_EMAIL)
    planner.cancel_registration(guest.manage_token)
    assert count(planner, "registration_cancelled") == 0


def test_a_check_in_undone_at_the_door_names_the_door_link(planner, open_event):
    event = open_event()
    guest = planner.register(event.id, name=GUEST_NAME, email=GUEST_EMAIL)
    door = of_door(planner.create_door_pass(event.id, "North door"))
    planner.check_in(guest.checkin_code, event.id, door="North door", actor=door)
    planner.undo_check_in(guest.id, actor=door)
    entry = latest(planner)
    assert (entry.action, entry.event_id, entry.subject) == ("check_in_undone", event.id, str(guest.id))
    assert (entry.actor_kind, entry.actor_user_id, entry.actor_label) == ("door", None, "North door")
    assert entry.details == {"door": "North door", "walk_in": False, "status": "confirmed", "moved_up": 0}


def test_a_walk_in_forced_past_the_capacity_is_logged_and_one_within_it_is_not(planner, open_event, as_olga):
    event = open_event(capacity=2)
    planner.walk_in(event.id, name="Within", actor=as_olga)
    assert count(planner, "walk_in_over_capacity") == 0
    planner.register(event.id, name="Seat two", email="two@example.org")
    with pytest.raises(ValidationError):
        planner.walk_in(event.id, name="Refused", actor=as_olga)
    assert count(planner, "walk_in_over_capacity") == 0
    forced = planner.walk_in(event.id, name=GUEST_NAME, force=True, door="Side door", actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id, entry.subject) == ("walk_in_over_capacity", event.id, str(forced.id))
    assert entry.details == {"door": "Side door", "capacity": 2, "taken": 3}


def test_door_links_created_and_revoked_are_logged_once(planner, open_event, olga, as_olga):
    event = open_event()
    door_pass = planner.create_door_pass(event.id, "North door", actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id, entry.subject) == ("door_pass_created", event.id, str(door_pass.id))
    assert entry.details == {"label": "North door"}
    assert door_pass.url.split("pass=")[1] not in str(planner.audit_log())  # the link's secret stays out
    planner.revoke_door_pass(door_pass.id, actor=as_olga)
    planner.revoke_door_pass(door_pass.id, actor=as_olga)
    assert [e.action for e in planner.audit_log(limit=2)] == ["door_pass_revoked", "door_pass_created"]
    assert_by_olga(latest(planner), olga)


def test_a_message_to_guests_is_logged_with_its_subject_and_how_many(planner, open_event, as_olga):
    event = open_event()
    for n in range(3):
        planner.register(event.id, name=f"Guest {n}", email=f"g{n}@example.org")
    batch = planner.message_guests(event.id, "Room change", "See you in the Chapel.", to=["confirmed"], actor=as_olga)
    entry = latest(planner)
    assert (entry.action, entry.event_id, entry.subject) == ("guests_messaged", event.id, batch)
    assert entry.details == {"message_subject": "Room change", "recipients": 3, "to": ["confirmed"]}


# ---------------------------------------------------------------------- accounts and sign-in


def test_accounts_added_removed_and_passwords_set_are_logged_by_email(planner, ada, olga):
    admin = of_user(ada)
    user = planner.add_user(email="new@example.org", name="New One", password="new-long-password", actor=admin)
    entry = latest(planner)
    assert (entry.action, entry.subject, entry.details) == ("user_added", "new@example.org",
                                                             {"name": "New One", "role": "organizer"})
    assert (entry.actor_kind, entry.actor_user_id) == ("admin", ada.id)
    planner.set_password(user.id, "another-long-password", actor=of_user(user))  # the account itself
    entry = latest(planner)
    assert (entry.action, entry.subject, entry.actor_user_id, entry.details) == (
        "password_set", "new@example.org", user.id, {})
    planner.remove_user(user.id, actor=admin)
    entry = latest(planner)
    assert (entry.action, entry.subject) == ("user_removed", "new@example.org")
    text = _log_text(planner)
    assert "another-long-password" not in text and "new-long-password" not in text


def test_a_failed_sign_in_is_logged_with_the_email_as_typed_and_the_address(planner, olga):
    assert planner.authenticate(" Olga@Example.org ", "wrong password!", client="203.0.113.7") is None
    entry = latest(planner)
    assert (entry.action, entry.subject, entry.actor_kind, entry.actor_user_id) == (
        "sign_in_failed", "olga@example.org", "public", None)
    assert entry.details == {"client": "203.0.113.7"}
    assert "wrong password!" not in _log_text(planner)
    planner.authenticate("olga@example.org", "olga-long-password")
    assert count(planner, "sign_in_failed") == 1  # a right password leaves no entry


def test_a_sign_in_told_to_wait_is_not_logged(planner, olga):
    for _ in range(5):
        planner.authenticate("olga@example.org", "wrong password!")
    with pytest.raises(ValidationError):
        planner.authenticate("olga@example.org", "wrong password!")
    assert count(planner, "sign_in_failed") == 5


# ---------------------------------------------------------------------- refusals, privacy, access


def test_a_stale_edit_writes_no_entry(planner, make_event, as_olga, assert_refused):
    event = make_event()
    planner.update_event(event.id, version=event.version, title="Saved first")
    assert_refused(lambda: planner.update_event(event.id, version=event.version, title="Lost", actor=as_olga),
                   exc=StaleEdit)


@pytest.mark.parametrize("call", [
    lambda p, e, a: p.update_event(e.id, version=e.version, capacity=-1, actor=a),
    lambda p, e, a: p.cancel_event(e.id, reason="", actor=a),
    lambda p, e, a: p.create_event(title="", starts_at=e.starts_at, ends_at=e.ends_at, actor=a),
    lambda p, e, a: p.update_room(e.room_id, capacity=0, actor=a),
    lambda p, e, a: p.create_door_pass(e.id, "Door", actor=a),  # a draft has no door
    lambda p, e, a: p.add_user(email="olga@example.org", name="Twice", password="long-enough-pass"),
], ids=["edit", "cancel", "create", "room", "door pass of a draft", "account twice"])
def test_a_refused_change_writes_no_entry(planner, make_event, olga, as_olga, assert_refused, call):
    event = make_event()
    assert_refused(lambda: call(planner, event, as_olga))


def test_a_change_rolled_back_after_its_entry_leaves_no_entry(planner, make_event, as_olga, monkeypatch):
    """The entry is in the change's transaction: a failure after it is written undoes both."""
    from planner.areas import outbox

    event = planner.publish_event(make_event().id, allow_room_clash=True, allow_past=True)

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox failed")

    monkeypatch.setattr(outbox, "event_cancelled", broken)
    before = count(planner)
    with pytest.raises(RuntimeError):
        planner.cancel_event(event.id, reason="Rain", actor=as_olga)
    assert count(planner) == before
    assert planner.get_event(event.id).status == "published"


def _log_text(planner) -> str:
    conn = sqlite3.connect(planner.path)
    try:
        return "\n".join(" ".join(str(v) for v in row) for row in conn.execute("SELECT * FROM audit_log"))
    finally:
        conn.close()


def test_no_guest_name_or_email_is_ever_in_the_log(planner, open_event, as_olga):
    event = open_event(capacity=1)
    door = of_door(planner.create_door_pass(event.id, "North door", actor=as_olga))
    guest = planner.register(event.id, name=GUEST_NAME, email=GUEST_EMAIL, organization="Secret Org", needs="Secret needs")
    planner.check_in(guest.checkin_code, event.id, actor=door)
    planner.undo_check_in(guest.id, actor=door)
    planner.cancel_registration_for(guest.id, actor=as_olga)
    waiting = planner.register(event.id, name="Other Guest", email="other@example.org")
    again = planner.register(event.id, name=GUEST_NAME, email=GUEST_EMAIL)
    walker = planner.walk_in(event.id, name=GUEST_NAME, email="zoe.walk@example.org", organization="Secret Org",
                             force=True, actor=as_olga)
    planner.undo_check_in(walker.id, actor=door)
    planner.message_guests(event.id, "Hello", "Body", to=["confirmed", "waitlisted"], actor=as_olga)
    del waiting, again
    assert count(planner) >= 6
    conn = sqlite3.connect(planner.path)
    try:
        raw = b"\n".join(
            b" ".join(str(v).encode() for v in row) for row in conn.execute("SELECT * FROM audit_log")
        )
    finally:
        conn.close()
    for secret in (GUEST_NAME, "Zo\\u00eb", "Secret", "zoe.secret", "zoe.walk", "Other Guest", "other@example.org"):
        assert secret.encode() not in raw, secret


def test_only_admins_read_the_log(planner, ada, as_olga, open_event):
    open_event()
    with pytest.raises(PermissionDenied):
        planner.audit_log(actor=as_olga)
    with pytest.raises(PermissionDenied):
        planner.audit_log(actor=PUBLIC)
    assert planner.audit_log(actor=of_user(ada))


def test_the_log_filters_by_event_account_action_and_time(planner, make_event, olga, ada, as_olga, clock):
    first = make_event(actor=as_olga)
    clock.advance(hours=1)
    second = make_event(actor=of_user(ada))
    planner.publish_event(second.id, allow_room_clash=True, allow_past=True, actor=of_user(ada))
    assert {e.action for e in planner.audit_log(event_id=first.id)} == {"event_created"}
    assert [e.event_id for e in planner.audit_log(user_id=olga.id)] == [first.id]
    assert [e.event_id for e in planner.audit_log(action="event_published")] == [second.id]
    assert [e.event_id for e in planner.audit_log(since=clock.now - timedelta(minutes=1),
                                                  action="event_created")] == [second.id]
    assert [e.event_id for e in planner.audit_log(until=clock.now - timedelta(minutes=1),
                                                  action="event_created")] == [first.id]
    with pytest.raises(ValidationError):
        planner.audit_log(action="not_an_action")


def test_every_action_has_a_label():
    assert all(str(label) for label in AUDIT_ACTIONS.values())
