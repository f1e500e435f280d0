"""Issue #14 on the pages: the event page names only who agreed (invited ones marked, when the
organizer chose so), the contact's and the speaker's links take their answers, and the
organizers' "Co-sponsors and speakers" page sends requests and shows where they stand (AppTest)."""

from __future__ import annotations

from datetime import timedelta

import pytest

import planner.clock
from planner.areas import ticket_codes
from tests.pages.apptest import app, dialogue, event_page, no_exception, seen, signed_in


@pytest.fixture
def event(app_planner, monkeypatch):
    """The demo's dialogue, with the clock a week before it (its requests still open)."""
    found = dialogue(app_planner)
    now = found.starts_at - timedelta(days=7)
    monkeypatch.setattr(planner.clock, "now", lambda: now)
    return found


def link(app_planner, kind: str) -> str:
    message = [m for m in app_planner.outbox() if m.kind == kind][-1]
    if kind == "sign_on":
        return ticket_codes.sign_on_token(app_planner._checkin_key, message.data["contact_id"])
    return ticket_codes.speaker_token(app_planner._checkin_key, message.data["request_id"])


def open_link(page: str, token: str):
    at = app()
    at.query_params["t"] = token
    at.run()
    at.switch_page(page).run()
    no_exception(at)
    return at


def test_the_event_page_names_a_pending_organization_only_as_invited_and_only_when_chosen(app_planner, event):
    organization = event.organizations[0]
    app_planner.request_sign_on(event.id, organization.name, "contact@example.org", role=organization.role)
    page = seen(event_page(app_planner, event.id))
    assert organization.name not in page
    app_planner.set_show_invited(event.id, True)
    page = seen(event_page(app_planner, event.id))
    assert f"{organization.name} (invited)" in page
    token = link(app_planner, "sign_on")
    request = app_planner.sign_on(token).requests[0]
    app_planner.answer_sign_on(token, request.id, confirm=True, display_name="The Shown Name")
    page = seen(event_page(app_planner, event.id))
    assert "The Shown Name" in page and "(invited)" not in page


def test_the_event_page_shows_a_confirmed_speaker_with_bio_and_hides_one_not_answering(app_planner, event):
    first, second = event.speakers[0], event.speakers[1]
    app_planner.request_speaker_confirmation(event.id, first.person_id, email="first@example.org")
    app_planner.request_speaker_confirmation(event.id, second.person_id, email="second@example.org")
    app_planner.answer_speaker(link(app_planner, "speaker_request"), confirm=True, attendance="video",
                               bio="Twenty years *defending* migrants.")
    page = seen(event_page(app_planner, event.id))
    assert first.name not in page
    assert second.name in page and "Twenty years *defending* migrants." in page  # escaped, not emphasis


def test_the_contact_confirms_on_the_sign_on_page(app_planner, event):
    organization = event.organizations[0]
    app_planner.request_sign_on(event.id, organization.name, "contact@example.org", role=organization.role)
    token = link(app_planner, "sign_on")
    at = open_link("sign_on.py", token)
    assert event.title in seen(at) and organization.name in seen(at)
    assert app_planner.sign_on(token).requests[0].status == "pending"  # opening changed nothing
    assert [u.proto.max_upload_size_mb for u in at.get("file_uploader")] == [8]  # the box says the label's 8 MB
    request = app_planner.sign_on(token).requests[0]
    at.text_input(key=f"sign_on_name_{request.id}").set_value("Our Display Name")
    at.button[0].click().run()
    no_exception(at)
    assert "your answer for" in seen(at)
    done = app_planner.sign_on(token).requests[0]
    assert done.status == "confirmed" and done.display_name == "Our Display Name"


def test_the_speaker_confirms_on_their_page_and_in_person_is_asked_for_the_id_name(app_planner, event):
    speaker = event.speakers[0]
    app_planner.request_speaker_confirmation(event.id, speaker.person_id, email="speaker@example.org")
    token = link(app_planner, "speaker_request")
    at = open_link("speaker.py", token)
    assert speaker.name in seen(at) and event.title in seen(at)
    assert [u.proto.max_upload_size_mb for u in at.get("file_uploader")] == [8]
    at.radio(key="speaker_attendance").set_value("in_person")
    at.button[0].click().run()
    no_exception(at)
    assert "name as it is written on your ID document" in seen(at)
    assert app_planner.speaker_request(token).status == "pending"
    at.text_input(key="speaker_id_name").set_value("Ana María PÉREZ")
    at.text_area(key="speaker_bio").set_value("Lawyer.")
    at.button[0].click().run()
    no_exception(at)
    found = app_planner.speaker_request(token)
    assert found.status == "confirmed" and found.id_name == "Ana María PÉREZ" and found.bio == "Lawyer."


@pytest.mark.parametrize("page", ["sign_on.py", "speaker.py"])
@pytest.mark.parametrize("token", ["unknown-token-00000000000000000000000", "", "x"])
def test_an_unknown_link_says_so(app_planner, page, token):
    at = open_link(page, token)
    assert "This link is not valid" in seen(at) and not at.button


def test_the_organizers_page_sends_a_request_and_shows_where_it_stands(app_planner, event):
    organization = event.organizations[0]
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("sponsors.py").run()
    no_exception(at)
    key = f"{event.id}_{organization.organization_id}_{organization.role}"
    assert organization.name in seen(at) and "Added by the organizers" in seen(at)
    assert "On the public page now. Once asked, it is left off the page" in seen(at)  # the dialogue is published
    at.text_input(key=f"sponsor_email_{key}").set_value("contact@example.org")
    at.button(key=f"sponsor_send_{key}").click().run()
    no_exception(at)
    assert "Request sent to contact@example.org." in seen(at) and "No answer yet" in seen(at)
    assert app_planner.sign_on_status(event.id).organizations[0].status == "pending"
    assert "On the public page now" not in " ".join(
        str(c.value) for c in at.main.get_by_key(f"sponsor_org_{key}").caption)  # asked: no longer said of it
    at.button(key=f"sponsor_remind_{key}").click().run()  # too soon: said in words, nothing sent
    assert "less than an hour ago" in seen(at)
    at.toggle(key=f"sponsor_show_invited_{event.id}").set_value(True).run()
    no_exception(at)
    assert app_planner.sign_on_status(event.id).show_invited


def test_the_programme_names_an_organization_not_answering_only_as_invited(app_planner, event):
    organization = next(o for o in event.organizations if o.role == "co-sponsor")
    app_planner.request_sign_on(event.id, organization.name, "contact@example.org", role=organization.role)
    at = app()
    at.run()
    no_exception(at)
    assert f"{organization.name} (invited)" not in seen(at)
    app_planner.set_show_invited(event.id, True)
    at = app()
    at.run()
    assert f"{organization.name} (invited)" in seen(at)


def test_the_outbox_lists_sign_on_and_speaker_requests(app_planner, event):
    app_planner.request_sign_on(event.id, event.organizations[0].name, "contact@example.org",
                                role=event.organizations[0].role)
    app_planner.request_speaker_confirmation(event.id, event.speakers[0].person_id, email="speaker@example.org")
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("outbox.py").run()
    no_exception(at)
    shown = seen(at) + " ".join(str(v) for df in at.dataframe for v in df.value.values.ravel())
    assert "contact@example.org" in shown and "speaker@example.org" in shown
