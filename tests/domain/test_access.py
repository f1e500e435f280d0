"""Access is decided in the domain: a door pass works its own event and never sees an email or
access needs, whatever method it calls; organizers cannot manage accounts; the public reaches
neither organizer methods nor drafts."""

from __future__ import annotations

import inspect

import pytest

from planner import PUBLIC, SYSTEM, NotFound, PermissionDenied, Planner
from planner.access import of_door, of_user
from planner.models import Registration

SECRET_EMAIL = "ana.secret@example.org"
SECRET_NEEDS = "Wheelchair space, French interpretation"


@pytest.fixture
def door_world(planner, open_event):
    """A published event with a guest who gave an email and needs, a waiting guest, a door
    pass for it, and a second event with its own pass."""
    event = open_event(capacity=1, organizations=[{"name": "ACLU", "role": "co-sponsor"}],
                       speakers=[{"name": "Ana Speaker", "email": "ana.speaker@example.net"}])
    guest = planner.register(event.id, name="Ana Pérez", email=SECRET_EMAIL, organization="CELS", needs=SECRET_NEEDS)
    waiting = planner.register(event.id, name="Bo Waits", email="bo.secret@example.org", needs="Quiet room")
    door_pass = planner.create_door_pass(event.id, "North door")
    other = open_event()
    other_pass = planner.create_door_pass(other.id, "Other door")
    # issue #14: a call of the event's summit, open now, with one proposal
    from datetime import UTC, datetime, timedelta

    import altcha

    now = datetime.now(UTC)
    call = planner.open_call(event.summit_id, title="Call", opens_at=now - timedelta(days=1),
                             closes_at=now + timedelta(days=30))
    challenge = altcha.Challenge.from_dict(planner.call_challenge(call.key))
    proposal = planner.propose_event(call.key, name="Pia Proposer", email="pia.secret@example.org", title="Idea",
                                     description="An idea.", format="in_person",
                                     proof=altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64())
    return {"event": event, "guest": guest, "waiting": waiting, "door": of_door(door_pass),
            "other_door": of_door(other_pass), "pass": door_pass, "other": other, "call": call,
            "proposal": proposal}


def _holds_secret(value) -> bool:
    """True if anything returned (however nested) carries an email or access needs."""
    if isinstance(value, Registration):
        return bool(value.email) or bool(value.needs) or value.manage_token is not None
    if isinstance(value, (bytes, str)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        return "@example.org" in text or "Wheelchair" in text or "Quiet room" in text
    if isinstance(value, (list, tuple)):
        return any(_holds_secret(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return any(_holds_secret(getattr(value, f)) for f in value.__dataclass_fields__)
    return False


def _door_calls(planner: Planner, w: dict):
    """Every Planner method that takes an actor, called as the door would call it."""
    event, guest, waiting = w["event"], w["guest"], w["waiting"]
    return {
        "check_in": lambda a: planner.check_in(guest.checkin_code, event.id, actor=a),
        "check_in_registration": lambda a: planner.check_in_registration(waiting.id, event.id, actor=a),
        "undo_check_in": lambda a: planner.undo_check_in(guest.id, actor=a),
        "walk_in": lambda a: planner.walk_in(event.id, name="Walker", email="walker.secret@example.org",
                                             force=True, actor=a),
        "search_guests": lambda a: planner.search_guests(event.id, "", actor=a),
        "attendance": lambda a: planner.attendance(event.id, actor=a),
        "door_list_csv": lambda a: planner.door_list_csv(event.id, actor=a),
        "registrations": lambda a: planner.registrations(event.id, actor=a),
        "cancel_registration_for": lambda a: planner.cancel_registration_for(waiting.id, actor=a),
        "capacity_preview": lambda a: planner.capacity_preview(event.id, 5, actor=a),
        "scans": lambda a: planner.scans(event.id, actor=a),
        "door_passes": lambda a: planner.door_passes(event.id, actor=a),
        "create_door_pass": lambda a: planner.create_door_pass(event.id, "Side door", actor=a),
        "revoke_door_pass": lambda a: planner.revoke_door_pass(w["pass"].id, actor=a),
        "list_events": lambda a: planner.list_events(actor=a),
        "all_event_counts": lambda a: planner.all_event_counts(actor=a),
        "get_event": lambda a: planner.get_event(event.id, actor=a),
        "create_event": lambda a: planner.create_event(title="X", starts_at=event.starts_at, ends_at=event.ends_at,
                                                       actor=a),
        "update_event": lambda a: planner.update_event(event.id, version=event.version, title="Y", actor=a),
        "duplicate_event": lambda a: planner.duplicate_event(event.id, actor=a),
        "publish_event": lambda a: planner.publish_event(event.id, actor=a),
        "cancel_event": lambda a: planner.cancel_event(event.id, reason="No.", actor=a),
        "add_summit": lambda a: planner.add_summit(name="S", timezone="UTC", starts_on=event.starts_at.date(),
                                                   ends_on=event.starts_at.date(), actor=a),
        "update_summit": lambda a: planner.update_summit(event.summit_id, name="S2", actor=a),
        "add_venue": lambda a: planner.add_venue(name="V", timezone="UTC", actor=a),
        "update_venue": lambda a: planner.update_venue(event.venue.id, name="V2", actor=a),
        "add_room": lambda a: planner.add_room(venue_id=event.venue.id, name="R", capacity=3, actor=a),
        "update_room": lambda a: planner.update_room(event.room_id, capacity=90, actor=a),
        "venue_events_to_come": lambda a: planner.venue_events_to_come(event.venue.id, actor=a),
        "room_capacity_events": lambda a: planner.room_capacity_events(event.room_id, actor=a),
        "venue_zone_change": lambda a: planner.venue_zone_change(event.venue.id, "Europe/London", actor=a),
        "add_user": lambda a: planner.add_user(email="new@example.org", name="New", password="long enough pw", actor=a),
        "remove_user": lambda a: planner.remove_user(1, actor=a),
        "list_users": lambda a: planner.list_users(actor=a),
        "set_password": lambda a: planner.set_password(1, "another long password", actor=a),
        "sign_in_failures": lambda a: planner.sign_in_failures(actor=a),
        "outbox": lambda a: planner.outbox(actor=a),
        "outbox_counts": lambda a: planner.outbox_counts(actor=a),
        "undelivered": lambda a: planner.undelivered(event.id, actor=a),
        "audit_log": lambda a: planner.audit_log(actor=a),
        "report_summary": lambda a: planner.report_summary(event_id=event.id, actor=a),
        "registrations_over_time": lambda a: planner.registrations_over_time(event.id, actor=a),
        "arrivals": lambda a: planner.arrivals(event.id, actor=a),
        "by_organization": lambda a: planner.by_organization(event_id=event.id, actor=a),
        "organizer_turnout": lambda a: planner.organizer_turnout(actor=a),
        "outbox_eml": lambda a: planner.outbox_eml(planner.outbox()[0].id, actor=a),
        "message_reach": lambda a: planner.message_reach(event.id, ("confirmed", "waitlisted"), actor=a),
        "message_guests": lambda a: planner.message_guests(event.id, "Room change", "Now in **room 2**.", actor=a),
        "preview_guest_message": lambda a: planner.preview_guest_message(event.id, "Hello", "Body", actor=a),
        "send_test_message": lambda a: planner.send_test_message(event.id, "Hello", "Body", "me@example.org",
                                                                 actor=a),
        "registrations_table": lambda a: planner.registrations_table(event.id, actor=a),
        "checkin_log_table": lambda a: planner.checkin_log_table(event.id, actor=a),
        "attendance_table": lambda a: planner.attendance_table(event.id, actor=a),
        "programme_table": lambda a: planner.programme_table(event.id, actor=a),
        "export": lambda a: planner.export("all", "xlsx", event_id=event.id, actor=a),
        "preview_event_import": lambda a: planner.preview_event_import(b"Title,Date,Start,End\nX,1/1/2030,9:00,10:00\n",
                                                                       "e.csv", actor=a),
        "import_events": lambda a: planner.import_events(b"Title,Date,Start,End\nX,1/1/2030,9:00,10:00\n", "e.csv",
                                                         actor=a),
        "preview_guest_import": lambda a: planner.preview_guest_import(event.id, b"Name,Email\nEve,eve@example.org\n",
                                                                       "g.csv", actor=a),
        "import_guests": lambda a: planner.import_guests(event.id, b"Name,Email\nEve,eve@example.org\n", "g.csv",
                                                         actor=a),
        "backup": lambda a: planner.backup(planner.path.parent / "access-backup.db", actor=a),
        "erase_person": lambda a: planner.erase_person(SECRET_EMAIL, actor=a),
        "delete_event": lambda a: planner.delete_event(event.id, actor=a),
        "delete_summit": lambda a: planner.delete_summit(event.summit_id, actor=a),
        "delete_venue": lambda a: planner.delete_venue(event.venue.id, actor=a),
        "delete_room": lambda a: planner.delete_room(event.room_id, actor=a),
        # issue #12, security list
        "set_guest_list_rule": lambda a: planner.set_guest_list_rule(venue_id=event.venue.id, hours=48, actor=a),
        "clear_guest_list_rule": lambda a: planner.clear_guest_list_rule(venue_id=event.venue.id, actor=a),
        "guest_list_rules": lambda a: planner.guest_list_rules(actor=a),
        "guest_list_rule": lambda a: planner.guest_list_rule(event.id, actor=a),
        "guest_list_status": lambda a: planner.guest_list_status(event.id, actor=a),
        "make_security_list": lambda a: planner.make_security_list(event.id, actor=a),
        "security_lists": lambda a: planner.security_lists(event.id, actor=a),
        "check_in_anyway": lambda a: planner.check_in_anyway(guest.id, event.id, actor=a),
        "participants_table": lambda a: planner.participants_table(event.id, actor=a),
        "set_event_questions": lambda a: planner.set_event_questions(event.id, [{"builtin": "country"}], actor=a),
        # reconfirmation and no-shows (issue #12): organizers only
        "reconfirmation_settings": lambda a: planner.reconfirmation_settings(event.id, actor=a),
        "set_reconfirmation": lambda a: planner.set_reconfirmation(event.id, enabled=True, release_unanswered=True,
                                                                   overbooking=2, actor=a),
        "no_show_rates": lambda a: planner.no_show_rates(actor=a),
        "suggested_overbooking": lambda a: planner.suggested_overbooking(40, actor=a),
        # events in several languages (issue #13): organizers only
        "event_translations": lambda a: planner.event_translations(event.id, actor=a),
        "set_event_translation": lambda a: planner.set_event_translation(event.id, "es", title="Evento", actor=a),
        "remove_event_translation": lambda a: planner.remove_event_translation(event.id, "es", actor=a),
        "set_event_language": lambda a: planner.set_event_language(event.id, "fr", actor=a),
        # co-sponsor sign-on and speaker confirmations (issue #14): organizers only
        "request_sign_on": lambda a: planner.request_sign_on(event.id, "ACLU", "contact@aclu.example.org", actor=a),
        "remind_sign_on": lambda a: planner.remind_sign_on(event.id, "ACLU", actor=a),
        "request_speaker_confirmation": lambda a: planner.request_speaker_confirmation(
            event.id, event.speakers[0].person_id, actor=a),
        "remind_speaker": lambda a: planner.remind_speaker(event.id, event.speakers[0].person_id, actor=a),
        "sign_on_status": lambda a: planner.sign_on_status(event.id, actor=a),
        "set_show_invited": lambda a: planner.set_show_invited(event.id, True, actor=a),
        # calls for side events (issue #14): organizers only; proposers act through their link
        "open_call": lambda a: planner.open_call(event.summit_id, title="C", opens_at=w["call"].opens_at,
                                                 closes_at=w["call"].closes_at, actor=a),
        "update_call": lambda a: planner.update_call(w["call"].id, title="C2", actor=a),
        "close_call": lambda a: planner.close_call(w["call"].id, actor=a),
        "calls": lambda a: planner.calls(actor=a),
        "proposals": lambda a: planner.proposals(w["call"].id, actor=a),
        "get_proposal": lambda a: planner.get_proposal(w["proposal"].id, actor=a),
        "comment_on_proposal": lambda a: planner.comment_on_proposal(w["proposal"].id, "Note", actor=a),
        "request_changes": lambda a: planner.request_changes(w["proposal"].id, "More", actor=a),
        "decline_proposal": lambda a: planner.decline_proposal(w["proposal"].id, "No", actor=a),
        "merge_proposals": lambda a: planner.merge_proposals(w["proposal"].id, w["proposal"].id, actor=a),
        "preview_acceptance": lambda a: planner.preview_acceptance(w["proposal"].id, starts_at=event.starts_at,
                                                                   ends_at=event.ends_at, actor=a),
        "accept_proposal": lambda a: planner.accept_proposal(w["proposal"].id, starts_at=event.starts_at,
                                                             ends_at=event.ends_at, allow_other_time=True, actor=a),
        # posters and social cards (issue #15): public events for anyone, drafts and settings for organizers
        "poster_pdf": lambda a: planner.poster_pdf(event.id, actor=a),
        "social_card_png": lambda a: planner.social_card_png(event.id, actor=a),
        "share_file_tag": lambda a: planner.share_file_tag(event.id, "a4", actor=a),
        "set_poster_theme": lambda a: planner.set_poster_theme(event.id, "forest", actor=a),
        "set_coalition_logo": lambda a: planner.set_coalition_logo(None, actor=a),
        # the organizer pages (issue #16): organizers only
        "past_capacity_note": lambda a: planner.past_capacity_note(event.id, actor=a),
        "event_problems": lambda a: planner.event_problems(event.id, title="T", actor=a),
        "preview_event": lambda a: planner.preview_event(event.id, title="T", actor=a),
    }

# What a public event shows anyone (its page, its posters and cards): allowed to every actor.
PUBLIC_OUTPUTS = {"get_event", "poster_pdf", "social_card_png", "share_file_tag"}


def test_every_method_that_takes_an_actor_is_tried(planner, door_world):
    """The calls below cover every Planner method with an ``actor`` parameter, so a new one
    cannot slip past these tests."""
    with_actor = {name for name, member in inspect.getmembers(Planner, inspect.isfunction)
                  if not name.startswith("_") and "actor" in inspect.signature(member).parameters}
    assert with_actor and with_actor == set(_door_calls(planner, door_world))


def test_a_door_pass_never_sees_an_email_or_needs_through_any_method(planner, door_world):
    allowed = []
    for name, call in _door_calls(planner, door_world).items():
        try:
            result = call(door_world["door"])
        except PermissionDenied:
            continue
        allowed.append(name)
        assert not _holds_secret(result), f"{name} showed the door an email or needs: {result!r}"
    # The door's own work is allowed, and nothing else.
    assert set(allowed) == {"check_in", "check_in_registration", "undo_check_in", "walk_in", "search_guests",
                            "attendance", "door_list_csv", "check_in_anyway"} | PUBLIC_OUTPUTS
    # What the door did happened: the guest is in, the walk-in is registered.
    assert planner.attendance(door_world["event"].id).checked_in >= 1
    assert any(r.name == "Walker" for r in planner.registrations(door_world["event"].id))


def test_a_door_pass_works_its_own_event_only(planner, door_world, assert_refused):
    for name, call in _door_calls(planner, {**door_world, "door": door_world["other_door"]}).items():
        if name in ("check_in", "search_guests", "attendance", "walk_in", "door_list_csv", "check_in_anyway"):
            error = assert_refused(lambda: call(door_world["other_door"]), exc=PermissionDenied)
            assert error.code == "other_event"


def test_a_revoked_door_pass_stops_at_the_next_call(planner, door_world, assert_refused):
    door = door_world["door"]
    assert planner.attendance(door_world["event"].id, actor=door).confirmed == 1
    planner.revoke_door_pass(door_world["pass"].id)
    assert_refused(lambda: planner.attendance(door_world["event"].id, actor=door), exc=PermissionDenied)
    assert_refused(lambda: planner.check_in(door_world["guest"].checkin_code, door_world["event"].id, actor=door),
                   exc=PermissionDenied)


def test_an_organizer_cannot_call_admin_only_methods(planner, door_world, assert_refused):
    admin = of_user(planner.add_user(email="boss@example.org", name="Boss", password="long enough pw", role="admin"))
    organizer = of_user(planner.add_user(email="org@example.org", name="Org", password="long enough pw"))
    assert admin.user.id == 1  # the account the calls below try to change or remove
    for name in ("add_user", "remove_user", "list_users", "set_password", "sign_in_failures", "audit_log", "backup",
                 "erase_person", "set_coalition_logo"):
        error = assert_refused(lambda: _door_calls(planner, door_world)[name](organizer), exc=PermissionDenied)
        assert error.code == "admin_only" and "admin" in str(error)
    assert planner.list_users(actor=admin)
    # Everyone may change their own password.
    planner.set_password(organizer.user.id, "my own new password", actor=organizer)
    assert planner.authenticate("org@example.org", "my own new password") is not None


def test_an_organizer_may_plan_and_see_registrations(planner, door_world):
    organizer = of_user(planner.add_user(email="org@example.org", name="Org", password="long enough pw"))
    found = planner.registrations(door_world["event"].id, actor=organizer)
    assert {r.email for r in found} == {SECRET_EMAIL, "bo.secret@example.org"}  # organizers see emails


def test_the_public_reaches_no_organizer_method_and_no_draft(planner, door_world, make_event, assert_refused):
    for name, call in _door_calls(planner, door_world).items():
        if name in PUBLIC_OUTPUTS:
            continue
        assert_refused(lambda: call(PUBLIC), exc=PermissionDenied)
    draft = make_event(title="Not yet")
    assert_refused(lambda: planner.get_event(draft.id, actor=PUBLIC), exc=NotFound)
    for call in (planner.poster_pdf, planner.social_card_png, planner.share_links, planner.link_preview):
        assert_refused(lambda: call(draft.id, actor=PUBLIC) if call in (planner.poster_pdf, planner.social_card_png)
                       else call(draft.id), exc=NotFound)
    assert planner.poster_pdf(draft.id, actor=SYSTEM).startswith(b"%PDF")  # organizers print before publishing
    assert planner.get_event(draft.id, actor=SYSTEM).title == "Not yet"
    assert planner.get_event(door_world["event"].id, actor=PUBLIC).id == door_world["event"].id


def test_a_sign_on_link_answers_its_own_requests_only_and_opens_nothing_else(planner, door_world):
    """A sign-on or speaker link is no registration link, no ticket and no door pass, and neither
    of those answers a request."""
    import email
    import re
    from email import policy

    event, guest = door_world["event"], door_world["guest"]
    planner.request_sign_on(event.id, "ACLU", "contact@aclu.example.org")
    planner.request_speaker_confirmation(event.id, event.speakers[0].person_id)
    tokens = {}
    for message in planner.outbox():
        if message.kind in ("sign_on", "speaker_request"):
            text = email.message_from_bytes(planner.outbox_eml(message.id), policy=policy.default).get_body(
                ("plain",)).get_content()
            tokens[message.kind] = re.search(r"\?t=([A-Za-z0-9_-]+)", text).group(1)
    for token in tokens.values():
        with pytest.raises(NotFound):
            planner.registration(token)
        with pytest.raises(NotFound):
            planner.cancel_registration(token)
        assert planner.check_in(token, event.id).verdict == "invalid"
        assert planner.door_pass(token) is None
    with pytest.raises(NotFound):
        planner.answer_speaker(tokens["sign_on"], confirm=True, attendance="remote")
    with pytest.raises(NotFound):
        planner.answer_sign_on(tokens["speaker_request"], 1, confirm=True)
    for token in (guest.manage_token, guest.checkin_code, door_world["pass"].url.rsplit("=", 1)[-1]):
        with pytest.raises(NotFound):
            planner.sign_on(token)
        with pytest.raises(NotFound):
            planner.speaker_request(token)
    assert planner.registration(guest.manage_token).status == "confirmed"
def test_a_proposers_link_is_good_for_its_proposal_only(planner, door_world, assert_refused):
    """Issue #14: the private link of a proposal is its own purpose: it cannot manage a
    registration, open the door or check anyone in, and no other link opens the proposal."""
    token, event, guest = door_world["proposal"].token, door_world["event"], door_world["guest"]
    assert planner.proposal(token).title == "Idea"
    for call in (lambda: planner.registration(token), lambda: planner.update_registration(token, name="X"),
                 lambda: planner.cancel_registration(token), lambda: planner.reconfirmation(token),
                 lambda: planner.answer_reconfirmation(token, False)):
        assert_refused(call, exc=NotFound)
    assert planner.door_pass(token) is None
    assert planner.check_in(token, event.id).verdict != "ok"
    assert planner.registration(guest.manage_token).status == "confirmed"
    from urllib.parse import parse_qs, urlsplit

    door_secret = next(iter(parse_qs(urlsplit(door_world["pass"].url).query).values()))[0]
    assert planner.door_pass(door_secret) is not None
    for other in (guest.manage_token, guest.checkin_code, door_secret):
        assert_refused(lambda: planner.proposal(other), exc=NotFound)
        assert_refused(lambda: planner.edit_proposal(other, title="Taken over"), exc=NotFound)
        assert_refused(lambda: planner.withdraw_proposal(other), exc=NotFound)
