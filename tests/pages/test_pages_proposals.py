"""Issue #14, calls for side events: the public call form (with the proof-of-work check, bad
input refused with a message beside its field), the proposer's private page, and the
organizers' Calls for events and Proposals pages deciding (AppTest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.ui.components import altcha as widget
from tests.pages.apptest import app, no_exception, seen, signed_in, texts
from tests.pages.test_pages_registration_mode import challenge_shown, solve


@pytest.fixture(autouse=True)
def widget_files(monkeypatch, tmp_path):
    """The installed widget is not needed here (the browser journeys need it): a stand-in file."""
    script = tmp_path / "altcha.min.js"
    script.write_text("// stand-in")
    monkeypatch.setattr(widget, "WIDGET_SCRIPT", script)


@pytest.fixture
def call(app_planner):
    summit = app_planner.list_summits()[0]
    now = datetime.now(UTC)
    return app_planner.open_call(summit.id, title="Call for side events", text="Propose **now**.",
                                 opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20),
                                 questions=[{"kind": "short_text", "label": "Why you?", "required": True}])


def call_page(call_key: str):
    at = app(c=call_key)
    at.run()
    return at.switch_page("call.py").run()


def fill(at, **values):
    defaults = {"call_title": "Border dialogue", "call_description": "States and civil society.",
                "call_sp_0_name": "Ana Pérez", "call_sp_0_email": "ana@example.org", "call_org_0_name": "CELS",
                "call_org_0_email": "sign@cels.example.org", "call_q_q1": "We work on it.",
                "call_name": "Marta Proposer", "call_email": "marta@example.org"}
    for key, value in {**defaults, **values}.items():
        (at.text_area if key.endswith("_description") else at.text_input)(key=key).input(value)
    return at


def test_an_unknown_call_link_says_so(app_planner):
    at = call_page("no-such-call-key")
    no_exception(at)
    assert "This link is not valid" in texts(at)


def test_a_member_proposes_an_event_through_the_call_link(app_planner, call):
    at = call_page(call.key)
    no_exception(at)
    assert "Call for side events" in texts(at) and "Propose **now**." in seen(at)
    assert "\\*\\*now" in texts(at)  # the call's text is plain text, not Markdown
    at.button(key="call_sp_add").click().run()  # a second speaker row, by keyboard or tap
    assert at.text_input(key="call_sp_1_name").label == "Name of speaker 2"
    fill(at, call_sp_1_name="Bo Li")
    at.session_state[f"call_proof_{call.id}_0"] = solve(challenge_shown(at))  # what the widget sends back
    at.button(key="call_submit").click().run()
    no_exception(at)
    assert "your proposal “Border dialogue” was received" in seen(at)
    [proposal] = app_planner.proposals(call.id)
    assert [s["name"] for s in proposal.speakers] == ["Ana Pérez", "Bo Li"]
    assert proposal.organizations[0] == {"name": "CELS", "role": "host", "email": "sign@cels.example.org"}
    assert proposal.answers == {"q1": "We work on it."}
    assert "/proposal?t=" in "".join(c.value for c in at.code)


def test_bad_input_shows_a_message_beside_its_field_and_keeps_what_was_typed(app_planner, call):
    at = call_page(call.key)
    fill(at, call_sp_0_email="ana-at-example")
    at.session_state[f"call_proof_{call.id}_0"] = solve(challenge_shown(at))
    at.button(key="call_submit").click().run()
    no_exception(at)
    assert "“ana-at-example” does not look like an email address." in seen(at)
    assert app_planner.proposals(call.id) == []
    assert at.text_input(key="call_title").value == "Border dialogue"


def test_without_a_solved_check_nothing_is_proposed(app_planner, call):
    at = call_page(call.key)
    fill(at)
    at.button(key="call_submit").click().run()
    no_exception(at)
    assert at.error and app_planner.proposals(call.id) == []


def test_a_closed_call_shows_no_form(app_planner, call):
    app_planner.close_call(call.id)
    at = call_page(call.key)
    no_exception(at)
    assert "it takes no more proposals" in texts(at)
    assert not [b for b in at.button if b.key == "call_submit"]


def _proposed(app_planner, call, **changes):
    fields = dict(title="Border dialogue", description="States and civil society.", format="in_person",
                  preferred_days=[call.days[0]], preferred_times=["morning"], answers={"q1": "We do."},
                  speakers=[{"name": "Ana Pérez", "email": "ana@example.org"}],
                  organizations=[{"name": "CELS", "role": "host", "email": "sign@cels.example.org"}])
    fields.update(changes)
    return app_planner.propose_event(call.key, name="Marta", email="marta@example.org",
                                     proof=solve(app_planner.call_challenge(call.key)), **fields)


def test_the_proposer_sees_status_and_comments_meant_for_them_and_can_withdraw(app_planner, call):
    done = _proposed(app_planner, call, title="<b>Bold</b> **claim**")
    app_planner.comment_on_proposal(done.id, "Internal: check the budget.")
    app_planner.request_changes(done.id, "Please add a member state speaker.")
    at = app(t=done.token)
    at.run()
    at = at.switch_page("proposal.py").run()
    no_exception(at)
    page = seen(at)
    assert "Changes requested" in page and "Please add a member state speaker." in page
    assert "Internal" not in page
    assert "<b>Bold</b> **claim**" in page and "\\*\\*claim" in texts(at)  # typed text, not markup
    at.text_input(key="propedit_title").input("Border dialogue, revised")
    at.button(key="prop_save").click().run()
    no_exception(at)
    assert app_planner.proposal(done.token).title == "Border dialogue, revised"
    assert app_planner.proposal(done.token).status == "submitted"
    at.checkbox(key="prop_withdraw_sure").check().run()
    at.button(key="prop_withdraw").click().run()
    no_exception(at)
    assert app_planner.proposal(done.token).status == "withdrawn"


def test_an_organizer_opens_a_call_on_the_calls_page(app_planner):
    at = signed_in(app_planner)
    at.run()
    at = at.switch_page("calls.py").run()
    no_exception(at)
    at.text_input(key="callform_new_title").input("Call for side events, COP")
    at.button(key="FormSubmitter:callform_new-Open the call").click().run()
    no_exception(at)
    [made] = app_planner.calls()
    assert made.title == "Call for side events, COP"
    assert f"/call?c={made.key}" in "".join(c.value for c in at.code)


def test_an_organizer_accepts_a_proposal_at_a_room_and_time_with_the_clash_check(app_planner, call):
    done = _proposed(app_planner, call)
    at = signed_in(app_planner)
    at.query_params["call"] = str(call.id)
    at.query_params["id"] = str(done.id)
    at.run()
    at = at.switch_page("proposals.py").run()
    no_exception(at)
    assert "Border dialogue" in texts(at)
    k = f"dec_{done.id}"
    room = app_planner.list_rooms()[0]
    at.selectbox(key=f"{k}_room").select(room).run()
    no_exception(at)
    assert "No clash with the programme." in texts(at) or "Clashes with the programme:" in texts(at)
    at.button(key=f"{k}_accept").click().run()
    no_exception(at)
    accepted = app_planner.get_proposal(done.id)
    assert accepted.status == "accepted"
    event = app_planner.get_event(accepted.event_id)
    assert (event.status, event.title, event.room_id) == ("draft", "Border dialogue", room.id)
    assert event.local_start.hour == 9 and event.local_start.date() == call.days[0]
    assert "the draft event is made" in texts(at)


def test_an_organizer_declines_with_a_reason(app_planner, call):
    done = _proposed(app_planner, call)
    at = signed_in(app_planner)
    at.query_params["call"] = str(call.id)
    at.query_params["id"] = str(done.id)
    at.run()
    at = at.switch_page("proposals.py").run()
    k = f"dec_{done.id}"
    at.button(key=f"{k}_decline").click().run()
    assert "reason" in " ".join(e.value for e in at.error).lower()
    assert app_planner.get_proposal(done.id).status == "submitted"
    at.text_area(key=f"{k}_reason").input("The programme is full.")
    at.button(key=f"{k}_decline").click().run()
    no_exception(at)
    assert app_planner.get_proposal(done.id).decline_reason == "The programme is full."
