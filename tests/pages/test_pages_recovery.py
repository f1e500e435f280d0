"""AppTest for the attendee's side of email (issue #10): "Email me my private link" on the event
page and on the page of a private link that names nothing, and the choice of reminders and
organizers' messages on the private page.

The link form must answer a registered address and an unknown one alike, on the page (same
elements, same words) while only the registered one gets a message in the outbox.
"""

from __future__ import annotations

import re

from planner import TooManyRequests
from planner.ui.components.link_request import SENT
from tests.pages.apptest import app, dialogue, event_page, no_exception, texts

SENT_TEXT = str(SENT)
BUTTON = "Email me my private link"


def ask_for_link(at, event_id, email):
    key = f"link_request_{'any' if event_id is None else event_id}"
    at.text_input(key=f"{key}_email").input(email)
    at.button(key=f"FormSubmitter:{key}-{BUTTON}").click().run()
    return at


def not_found_page(token="not-a-real-token"):
    at = app()
    at.query_params["t"] = token
    at.run()
    at.switch_page("ticket.py").run()
    return at


def private_page(token):
    return not_found_page(token)


def private_links(planner) -> list:
    return [m for m in planner.outbox() if m.kind == "private_link"]


def shape(at, hide: str) -> list:
    """Every element of the page, in order, as its kind and its whole content (the typed address
    taken out): two pages with the same shape look and read the same."""
    found = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is not None:
            found.append(("block", type(node).__name__))
            for child in children.values():
                walk(child)
        else:
            found.append((node.type, str(getattr(node, "proto", "")).replace(hide, "ADDRESS")))

    walk(at._tree)
    return found


def test_the_event_page_answers_a_registered_and_an_unknown_address_alike(app_planner):
    event = dialogue(app_planner)
    app_planner.register(event.id, name="Ana", email="ana@example.org")
    before = len(private_links(app_planner))

    known = ask_for_link(event_page(app_planner, event.id), event.id, "ana@example.org")
    no_exception(known)
    assert SENT_TEXT in texts(known)
    assert len(private_links(app_planner)) == before + 1
    (message,) = private_links(app_planner)[before:]
    assert message.recipient == "ana@example.org" and message.event_id == event.id

    unknown = ask_for_link(event_page(app_planner, event.id), event.id, "nobody@example.org")
    no_exception(unknown)
    assert SENT_TEXT in texts(unknown)
    assert len(private_links(app_planner)) == before + 1  # nothing for an address with no registration

    assert texts(known) == texts(unknown)
    assert shape(known, "ana@example.org") == shape(unknown, "nobody@example.org")


def test_an_address_registered_for_another_event_only_gets_nothing_from_this_events_page(app_planner):
    event = dialogue(app_planner)
    other = next(e for e in app_planner.programme() if e.id != event.id and e.status == "published")
    app_planner.register(other.id, name="Ana", email="ana@example.org")
    before = len(private_links(app_planner))
    at = ask_for_link(event_page(app_planner, event.id), event.id, "ana@example.org")
    assert SENT_TEXT in texts(at)
    assert len(private_links(app_planner)) == before


def test_an_address_that_is_not_one_gets_the_fields_error_and_no_answer(app_planner):
    event = dialogue(app_planner)
    before = app_planner.outbox()
    at = ask_for_link(event_page(app_planner, event.id), event.id, "not an address")
    no_exception(at)
    assert [e.value for e in at.error] == ["That email address does not look right: check it for typos."]
    assert SENT_TEXT not in texts(at)
    assert app_planner.outbox() == before


def test_too_many_requests_from_one_session_are_refused_in_words(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    for n in range(5):
        ask_for_link(at, event.id, f"someone{n}@example.org")
        assert SENT_TEXT in texts(at), n
    ask_for_link(at, event.id, "someone5@example.org")
    no_exception(at)
    assert SENT_TEXT not in texts(at)
    assert str(TooManyRequests("link_requests_limited")) in [e.value for e in at.error]


def test_the_form_is_closed_away_under_the_registration_box_and_gone_once_registered(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    (expander,) = [e for e in at.expander if e.label == "Lost your private link?"]
    from tests.pages.test_pages_registrations import rsvp

    rsvp(at, event.id, name="Ana", email="ana@example.org")
    no_exception(at)
    assert not [e for e in at.expander if e.label == "Lost your private link?"]


def test_the_not_found_page_sends_the_links_of_every_event(app_planner):
    events = [e for e in app_planner.programme() if e.status == "published"][:2]
    for e in events:
        app_planner.register(e.id, name="Ana", email="ana@example.org")
    before = len(private_links(app_planner))

    at = ask_for_link(not_found_page(), None, "ANA@example.org ")
    no_exception(at)
    assert "Registration not found" in texts(at) and SENT_TEXT in texts(at)
    (message,) = private_links(app_planner)[before:]
    assert message.event_id is None and message.recipient == "ana@example.org"
    assert len(message.data["registration_ids"]) == 2

    unknown = ask_for_link(not_found_page(), None, "nobody@example.org")
    assert texts(unknown) == texts(at)
    assert len(private_links(app_planner)) == before + 1


def test_the_private_page_turns_reminders_and_messages_off_and_on(app_planner):
    event = dialogue(app_planner)
    ana = app_planner.register(event.id, name="Ana", email="ana@example.org")
    at = private_page(ana.manage_token)
    no_exception(at)
    (switch,) = [t for t in at.toggle if t.label == "Send me reminders and messages from the organizers"]
    assert switch.value is True
    assert "always sent" in texts(at)

    switch.set_value(False).run()
    no_exception(at)
    assert app_planner.registration(ana.manage_token).messages_off is True
    assert "You get no reminders and no messages from the organizers." in texts(at)

    at.toggle(key=f"ticket_messages_{ana.id}").set_value(True).run()
    assert app_planner.registration(ana.manage_token).messages_off is False
    assert "You get no reminders" not in texts(at)

    app_planner.set_messages(ana.manage_token, False)  # from the mail app, say
    assert private_page(ana.manage_token).toggle(key=f"ticket_messages_{ana.id}").value is False


def test_the_answers_and_labels_are_plain_words(app_planner):
    at = not_found_page()
    labels = [b.label for b in at.button] + [t.label for t in at.text_input]
    assert BUTTON in labels and "Your email" in labels
    assert not re.search(r"Traceback|Error|Exception", texts(at))
