"""AppTest: "Add to Google Calendar" and "Add to Outlook.com" beside the .ics buttons."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.pages.apptest import app, dialogue, event_page, no_exception, signed_in

WEB_CALENDARS = {"Add to Google Calendar": "calendar.google.com", "Add to Outlook.com": "outlook.live.com"}


def ticket(token):
    at = app()
    at.query_params["t"] = token
    at.run()
    at.switch_page("ticket.py").run()
    return at


def buttons(at) -> dict[str, str]:
    return {b.label: b.proto.url for b in at.get("link_button")}


def web_calendar_links(at) -> dict[str, str]:
    return {label: url for label, url in buttons(at).items() if label in WEB_CALENDARS}


def test_the_event_page_offers_the_web_calendars_beside_the_ics(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    no_exception(at)
    found = buttons(at)
    assert found["Event's calendar file (.ics)"] == f"/events/{event.id}.ics"  # the event's, not "my" calendar
    links = web_calendar_links(at)
    assert set(links) == set(WEB_CALENDARS)
    for label, url in links.items():
        assert urlsplit(url).netloc == WEB_CALENDARS[label]
    expected = app_planner.calendar_links(event.id)
    assert links == {"Add to Google Calendar": expected["google"], "Add to Outlook.com": expected["outlook"]}
    google = parse_qs(urlsplit(links["Add to Google Calendar"]).query)
    assert google["text"] == [event.title]
    assert f"Event page: {app_planner.base_url}/e/{event.id}" in google["details"][0].splitlines()


def test_cancelled_events_and_drafts_offer_no_web_calendar(app_planner):
    event = dialogue(app_planner)
    app_planner.cancel_event(event.id, reason="The room is closed for repairs.")
    at = event_page(app_planner, event.id)
    no_exception(at)
    assert "Event's calendar file (.ics)" in buttons(at)  # subscribers still need the cancellation
    assert web_calendar_links(at) == {}

    draft = next(e for e in app_planner.list_events() if e.status == "draft")
    at = event_page(app_planner, draft.id, signed_in(app_planner))
    no_exception(at)
    assert web_calendar_links(at) == {}


def test_the_private_page_offers_the_web_calendars_with_the_persons_own_links(app_planner):
    event = dialogue(app_planner)
    reg = app_planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    at = ticket(reg.manage_token)
    no_exception(at)
    assert any(b.label == "Add to my calendar (.ics)" for b in at.get("download_button"))
    links = web_calendar_links(at)
    expected = app_planner.registration_calendar_links(reg.manage_token)
    assert links == {"Add to Google Calendar": expected["google"], "Add to Outlook.com": expected["outlook"]}
    body = parse_qs(urlsplit(links["Add to Outlook.com"]).query)["body"][0]
    assert f"/ticket?t={reg.manage_token}" in body

    app_planner.cancel_registration(reg.manage_token)
    at = ticket(reg.manage_token)
    no_exception(at)
    assert web_calendar_links(at) == {}


def test_the_registrations_calendar_file_is_named_after_its_event():
    from types import SimpleNamespace

    from planner.ui.components.calendar_buttons import calendar_file_name

    dialogue = SimpleNamespace(title="GCM celebration and civil society dialogue on the “Recommended Principles”")
    assert calendar_file_name(dialogue) == "gcm-celebration-and-civil-society-dialogue-on-the.ics"  # whole words, at most 60
    assert calendar_file_name(SimpleNamespace(title="حوار المجتمع المدني")) == "حوار-المجتمع-المدني.ics"
    assert calendar_file_name(SimpleNamespace(title="!!!")) == "side-event.ics"  # nothing to name it by
