"""Issue #9, part "mode": the proof-of-work check in the RSVP form, the editor's registration
settings, and the join link on the public event page (AppTest; the widget itself runs in
Chromium in tests/browser/test_journey_proof_of_work.py)."""

from __future__ import annotations

import json

import altcha
import pytest

from planner.ui.components import altcha as widget
from tests.pages.apptest import app, dialogue, event_page, no_exception, signed_in, texts
from tests.pages.test_pages_registrations import rsvp

LINK = "https://meet.example.org/secret-room"


def challenge_shown(at) -> dict:
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "planner.ui.components.altcha.altcha"
    return json.loads(component.proto.json_args)["challenge"]


def solve(challenge: dict) -> str:
    parsed = altcha.Challenge.from_dict(challenge)
    return altcha.Payload(parsed, altcha.solve_challenge(parsed)).to_base64()


@pytest.fixture
def pow_dialogue(app_planner):
    event = dialogue(app_planner)
    return app_planner.update_event(event.id, version=event.version, registration_mode="proof_of_work")


@pytest.fixture(autouse=True)
def widget_files(monkeypatch, tmp_path):
    """These tests do not need the installed widget (the browser journey does): a stand-in file."""
    script = tmp_path / "altcha.min.js"
    script.write_text("// stand-in")
    monkeypatch.setattr(widget, "WIDGET_SCRIPT", script)


@pytest.fixture
def without_widget_files(monkeypatch, tmp_path):
    monkeypatch.setattr(widget, "WIDGET_SCRIPT", tmp_path / "not-installed.js")


def test_an_open_event_shows_no_check(app_planner):
    event = dialogue(app_planner)
    assert event_page(app_planner, event.id).get("component_instance") == []


def test_the_form_of_an_event_with_a_check_shows_the_widget_and_refuses_without_it(app_planner, pow_dialogue):
    at = event_page(app_planner, pow_dialogue.id)
    no_exception(at)
    challenge = challenge_shown(at)
    assert challenge["parameters"]["data"]["event"] == pow_dialogue.id
    at = rsvp(at, pow_dialogue.id, name="Ana Pérez", email="ana@example.org")
    no_exception(at)
    assert "Please complete the check above the button" in texts(at)
    assert app_planner.registrations(pow_dialogue.id) == []
    assert at.text_input(key=f"rsvp_name_{pow_dialogue.id}").value == "Ana Pérez"


def test_a_solved_check_registers_once_and_the_next_person_gets_a_new_check(app_planner, pow_dialogue):
    at = event_page(app_planner, pow_dialogue.id)
    first = challenge_shown(at)
    at.session_state[f"rsvp_proof_{pow_dialogue.id}_0"] = solve(first)  # what the widget sends back
    at = rsvp(at, pow_dialogue.id, name="Ana Pérez", email="ana@example.org")
    no_exception(at)
    assert "You're registered, Ana Pérez!" in texts(at)
    # A second press of Register, answered after the first, found the check used up: the next
    # person's form must not start with that message.
    at.session_state[f"rsvp_error_{pow_dialogue.id}"] = ("proof", "That check was already used.")
    at.button(key=f"rsvp_again_{pow_dialogue.id}").click().run()
    assert challenge_shown(at)["signature"] != first["signature"]
    assert "already used" not in texts(at)
    [registration] = app_planner.registrations(pow_dialogue.id)
    assert registration.email == "ana@example.org"


def test_without_the_widget_files_the_form_says_so_instead_of_breaking(app_planner, pow_dialogue, without_widget_files):
    at = event_page(app_planner, pow_dialogue.id)
    no_exception(at)
    assert at.get("component_instance") == []
    assert "needs a check that this server cannot show right now" in texts(at)
    assert [b.disabled for b in at.button if b.label == "Register"] == [True]  # nothing to press in vain


# ---------------------------------------------------------------------- the editor


def editor(app_planner, event):
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    return at.switch_page("edit_event.py").run()


def test_the_editor_sets_the_registration_mode_and_the_public_join_link(app_planner):
    event = dialogue(app_planner)
    at = editor(app_planner, event)
    no_exception(at)
    mode = at.selectbox(key="ev_registration_mode")
    assert mode.options == ["Open: anyone with the form", "With a check that a person is registering (proof of work)",
                            "Confirmed by email"]
    mode.set_value("proof_of_work")
    at.checkbox(key="ev_join_link_public").check()
    at.button(key="ev_save").click().run()
    no_exception(at)
    saved = app_planner.get_event(event.id)
    assert (saved.registration_mode, saved.join_link_public) == ("proof_of_work", True)


def test_without_the_widget_files_the_editor_offers_no_check_and_says_why(app_planner, without_widget_files):
    event = dialogue(app_planner)
    at = editor(app_planner, event)
    no_exception(at)
    assert at.selectbox(key="ev_registration_mode").options == ["Open: anyone with the form", "Confirmed by email"]
    assert "proof of work) is unavailable on this server" in texts(at)
    app_planner.update_event(event.id, version=event.version, registration_mode="proof_of_work")
    at = editor(app_planner, app_planner.get_event(event.id))
    no_exception(at)
    assert "Nobody can register for this event until" in texts(at)


# ---------------------------------------------------------------------- the join link


def hybrid(app_planner, public: bool):
    event = dialogue(app_planner)
    return app_planner.update_event(event.id, version=event.version, online_url=LINK, join_link_public=public)


def test_the_public_event_page_hides_the_join_link_unless_it_is_public(app_planner):
    event = hybrid(app_planner, public=False)
    at = event_page(app_planner, event.id)
    no_exception(at)
    assert LINK not in texts(at) and "Join online" not in texts(at)
    assert "People registered get the link to join on their private page." in texts(at)
    event = app_planner.update_event(event.id, version=event.version, join_link_public=True)
    at = event_page(app_planner, event.id)
    assert f"[Join online](<{LINK}>)" in texts(at)  # the link in <…>, so nothing in it ends the Markdown link


def test_a_registrant_still_gets_the_join_link_on_their_private_page(app_planner):
    event = hybrid(app_planner, public=False)
    ana = app_planner.register(event.id, name="Ana", email="ana@example.org")
    at = app()
    at.query_params["t"] = ana.manage_token
    at.run()
    at.switch_page("ticket.py").run()
    assert [b.url for b in at.get("link_button") if b.label == "Join online"] == [LINK]
