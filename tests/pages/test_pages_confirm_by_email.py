"""Issue #10, the *confirmed by email* mode on the pages: the RSVP form answers every address
with the same sentence and nothing else, the /confirm link opens the registration's private
page, a lapsed link says so, and the editor offers the mode (AppTest)."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime, timedelta

import pytest

from planner.outputs.sentences import check_your_email
from tests.pages.apptest import app, dialogue, event_page, no_exception, seen, signed_in
from tests.pages.test_pages_registrations import rsvp

LINK = re.compile(r"/confirm\?t=([A-Za-z0-9_-]+)")
SENTENCE = "Check your email: we sent a link to confirm your place. It is valid for 30 minutes."


@pytest.fixture
def email_dialogue(app_planner):
    event = dialogue(app_planner)
    return app_planner.update_event(event.id, version=event.version, registration_mode="email", capacity=1)


def link_for(app_planner, address) -> str:
    message = [m for m in app_planner.outbox() if m.kind == "confirm_email" and m.recipient == address][-1]
    parsed = email.message_from_bytes(app_planner.outbox_eml(message.id))
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    return LINK.search(text).group(1)


def elements(at) -> list[tuple]:
    """Every element the page shows, with what it says (widget ids and values included)."""
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            walk(child)
        proto = getattr(node, "proto", None)
        if proto is not None and not getattr(node, "children", None):
            found.append((node.type, str(proto)))

    walk(at.main)
    return found


def answer_to(app_planner, event, address, name="Bo Berg"):
    at = rsvp(event_page(app_planner, event.id), event.id, name=name, email=address, organization="Red",
              full=app_planner.event_counts(event.id).is_full)
    no_exception(at)
    return at


def test_the_form_gives_the_same_answer_to_a_new_held_registered_and_waiting_address(app_planner, email_dialogue):
    event = email_dialogue
    app_planner.register(event.id, name="Seated", email="seated@example.org")
    app_planner.confirm_registration(link_for(app_planner, "seated@example.org"))
    app_planner.register(event.id, name="Waiting", email="waiting@example.org")
    assert app_planner.confirm_registration(link_for(app_planner, "waiting@example.org")).status == "waitlisted"
    app_planner.register(event.id, name="Held", email="held@example.org")
    assert app_planner.event_counts(event.id).is_full  # every answer below comes from the same full form

    pages = {address: answer_to(app_planner, event, address)
             for address in ("new@example.org", "held@example.org", "seated@example.org", "waiting@example.org")}
    shown = {address: elements(at) for address, at in pages.items()}
    first = shown["new@example.org"]
    assert any(SENTENCE in proto for _type, proto in first) and len(first) > 5
    assert all(elements_ == first for elements_ in shown.values())
    for at in pages.values():
        assert [i.value for i in at.info] == [SENTENCE]
        assert not at.success and not at.error and not at.warning[1:]
        text = seen(at)
        assert "@example.org" not in text and "private link" not in text.lower()
    assert check_your_email() == SENTENCE


def test_the_answer_of_a_new_address_holds_its_place_and_registers_nobody(app_planner, email_dialogue):
    at = answer_to(app_planner, email_dialogue, "new@example.org")
    assert [i.value for i in at.info] == [SENTENCE]
    assert app_planner.registrations(email_dialogue.id) == []
    assert app_planner.event_counts(email_dialogue.id).held == 1
    assert any(b.label == "Register someone else" for b in at.button)


def test_the_form_says_a_link_will_be_sent(app_planner, email_dialogue):
    at = event_page(app_planner, email_dialogue.id)
    assert "We will email you a link to confirm your place" in seen(at)


def confirm_page(token):
    at = app()
    at.query_params["t"] = token
    at.run()
    at.switch_page("confirm.py").run()
    return at


def test_the_confirm_link_makes_the_registration_and_shows_its_private_page(app_planner, email_dialogue):
    answer_to(app_planner, email_dialogue, "new@example.org")
    token = link_for(app_planner, "new@example.org")
    at = confirm_page(token)
    no_exception(at)
    (registration,) = app_planner.registrations(email_dialogue.id)
    assert registration.status == "confirmed" and registration.name == "Bo Berg"
    text = seen(at)
    assert "Your email address is confirmed" in text
    assert "Your place is confirmed" in text and "Bo Berg" in text
    # The address shown is the private link from now on.
    assert at.query_params["t"] in (app_planner.confirm_registration(token).manage_token,
                                    [app_planner.confirm_registration(token).manage_token])
    # Opening the link again shows the same registration.
    again = confirm_page(token)
    no_exception(again)
    assert "Your place is confirmed" in seen(again)
    assert len(app_planner.registrations(email_dialogue.id)) == 1


def test_a_lapsed_or_garbled_link_says_so_and_registers_nobody(app_planner, email_dialogue, monkeypatch):
    answer_to(app_planner, email_dialogue, "new@example.org")
    token = link_for(app_planner, "new@example.org")
    import planner.clock

    later = datetime.now(UTC) + timedelta(minutes=31)
    monkeypatch.setattr(planner.clock, "now", lambda: later)
    for link in (token, "garbled", ""):
        at = confirm_page(link)
        no_exception(at)
        assert "This link has expired" in seen(at)
        assert "register again" in seen(at)
    assert app_planner.registrations(email_dialogue.id) == []


def test_the_editor_sets_confirmation_by_email_and_says_it_needs_a_mail_server(app_planner):
    event = dialogue(app_planner)
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("edit_event.py").run()
    no_exception(at)
    box = at.selectbox(key="ev_registration_mode")
    assert "Confirmed by email" in box.options
    box.set_value("email").run()
    assert any("No mail server is set up" in w.value for w in at.warning)  # the test server has none
    at.button(key="ev_save").click().run()
    no_exception(at)
    assert app_planner.get_event(event.id).registration_mode == "email"
