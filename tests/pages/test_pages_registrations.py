"""AppTest for the RSVP form, the attendee's private page and the organizers' registrations page."""

from __future__ import annotations

import pytest

from tests.pages.apptest import app, dialogue, event_page, no_exception, signed_in, texts


def rsvp(at, event_id, **values):
    for field in ("name", "email", "organization", "needs"):
        if field in values:
            widget = at.text_area if field == "needs" else at.text_input
            widget(key=f"rsvp_{field}_{event_id}").input(values[field])
    at.button(key=f"FormSubmitter:rsvp_{event_id}-" + ("Join the waiting list" if values.pop("full", False) else "Register")).click().run()
    return at


def ticket(token) -> object:
    at = app()
    at.query_params["t"] = token
    at.run()
    at.switch_page("ticket.py").run()
    return at


def test_rsvp_confirms_and_gives_the_private_link(app_planner):
    event = dialogue(app_planner)
    at = rsvp(event_page(app_planner, event.id), event.id, name="Ana Pérez", email="Ana@Example.org", organization="Red")
    no_exception(at)
    page = texts(at)
    assert "You're registered, Ana Pérez!" in page
    (registration,) = app_planner.registrations(event.id)
    assert registration.email == "ana@example.org" and registration.status == "confirmed"
    code = at.code[0].value
    assert code.startswith("http://localhost:8501/ticket?t=")
    assert app_planner.registration(code.split("t=")[1]).id == registration.id


def test_rsvp_bad_input_shows_a_message_and_keeps_what_was_typed(app_planner):
    event = dialogue(app_planner)
    at = rsvp(event_page(app_planner, event.id), event.id, name="Ana Pérez", email="not-an-email")
    no_exception(at)
    assert "email address does not look right" in texts(at)
    assert at.text_input(key=f"rsvp_name_{event.id}").value == "Ana Pérez"
    assert app_planner.registrations(event.id) == []
    at = rsvp(event_page(app_planner, event.id), event.id, name="  ", email="ana@example.org")
    assert "Your name is required" in texts(at)
    assert app_planner.registrations(event.id) == []


def test_rsvp_marks_every_field_it_needs_at_once(app_planner):
    event = dialogue(app_planner)
    at = rsvp(event_page(app_planner, event.id), event.id, name=" ", email="not-an-email")
    no_exception(at)
    assert "Your name is required" in texts(at) and "email address does not look right" in texts(at)
    assert app_planner.registrations(event.id) == []
    at = rsvp(at, event.id, name="Ana Pérez", email="ana@example.org")
    assert "Your name is required" not in texts(at) and "does not look right" not in texts(at)
    assert len(app_planner.registrations(event.id)) == 1


def test_a_full_event_says_so_and_offers_the_waiting_list(app_planner):
    event = dialogue(app_planner)
    app_planner.update_event(event.id, version=event.version, capacity=1)
    app_planner.register(event.id, name="First", email="first@example.org")
    at = event_page(app_planner, event.id)
    assert "This event is full" in texts(at)
    at = rsvp(at, event.id, name="Second", email="second@example.org", full=True)
    no_exception(at)
    assert "waiting list" in texts(at) and "place 1" in texts(at)


def test_registering_twice_does_not_reveal_the_private_link(app_planner):
    event = dialogue(app_planner)
    app_planner.register(event.id, name="Ana", email="ana@example.org")
    at = rsvp(event_page(app_planner, event.id), event.id, name="Someone else", email="ANA@example.org ")
    no_exception(at)
    assert "already registered" in texts(at)
    assert not at.code  # no private link shown
    assert len(app_planner.registrations(event.id)) == 1


def test_someone_elses_email_changes_nothing_and_points_to_the_private_link(app_planner):
    """Typing an attendee's address must not rename them (the door would greet the impostor)."""
    from tests.conftest import table_rows

    event = dialogue(app_planner)
    ana = app_planner.register(event.id, name="Ana", email="ana@example.org", organization="Red", needs="Captions")
    before = table_rows(app_planner.path)
    at = rsvp(event_page(app_planner, event.id), event.id, name="Mallory", email="ana@example.org",
              organization="Evil Corp", needs="None")
    no_exception(at)
    page = texts(at)
    assert "already registered" in page and "updated" not in page
    assert "We have emailed the private link to that address: use it to change or cancel." in page
    after = table_rows(app_planner.path)
    # What it writes is a message to the address's owner (never to whoever typed it), and the
    # request that counts against that inbox's limit; nothing else changes.
    mail = ("outbox", "link_requests")
    assert {t: rows for t, rows in after.items() if t not in mail} == {
        t: rows for t, rows in before.items() if t not in mail}
    sent = [m for m in app_planner.outbox(event.id) if m.kind == "private_link"]
    assert [m.recipient for m in sent] == ["ana@example.org"]
    stored = app_planner.registration(ana.manage_token)
    assert (stored.name, stored.organization, stored.needs) == ("Ana", "Red", "Captions")


def test_drafts_and_past_events_have_no_form(app_planner):
    draft = next(e for e in app_planner.list_events() if e.status == "draft")
    at = event_page(app_planner, draft.id, signed_in(app_planner))
    assert "Registration opens when the event is published" in texts(at)


def test_private_page_shows_status_edits_and_cancels_with_confirmation(app_planner):
    event = dialogue(app_planner)
    app_planner.update_event(event.id, version=event.version, capacity=1)
    first = app_planner.register(event.id, name="First", email="first@example.org")
    waiting = app_planner.register(event.id, name="Second", email="second@example.org")

    at = ticket(waiting.manage_token)
    no_exception(at)
    assert "waiting list" in texts(at) and "number **1**" in texts(at)

    at = ticket(first.manage_token)
    assert "Your place is confirmed" in texts(at)
    at.text_input[0].input("First Person")
    at.button(key="FormSubmitter:ticket_details-Save changes").click().run()
    assert app_planner.registration(first.manage_token).name == "First Person"
    at.button[-1].click().run()  # "Cancel my registration"
    assert "cannot be undone" in texts(at)
    assert app_planner.registration(first.manage_token).status == "confirmed"
    next(b for b in at.button if b.label == "Yes, cancel it").click().run()
    no_exception(at)
    assert app_planner.registration(first.manage_token).status == "cancelled"
    assert "registration is cancelled" in texts(at)

    at = ticket(waiting.manage_token)
    assert "Your place is confirmed" in texts(at)


@pytest.mark.parametrize("token", ["", "nope", "x" * 43, "A" * 5000])
def test_unknown_or_malformed_tokens_show_only_a_polite_not_found(app_planner, token):
    at = ticket(token)
    no_exception(at)
    assert at.title[0].value == "Registration not found"
    assert len(at.title) == 1 and not at.image and not at.toggle and not at.download_button
    # Only the way back: "Email me my private link", for any event (tests/pages/test_pages_recovery.py).
    assert [b.label for b in at.button] == ["Email me my private link"]
    assert [t.key for t in at.text_input] == ["link_request_any_email"]


def test_organizers_follow_and_manage_registrations(app_planner):
    event = dialogue(app_planner)
    app_planner.update_event(event.id, version=event.version, capacity=2)
    for n in range(4):
        app_planner.register(event.id, name=f"Person {n}", email=f"p{n}@example.org", needs="Spanish" if n == 0 else "")
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("registrations.py").run()
    no_exception(at)
    at.selectbox(key="r_event").set_value(event.id).run()
    table = at.dataframe[0].value
    assert list(table["Name"]) == ["Person 0", "Person 1", "Person 2", "Person 3"]
    assert list(table["Status"]) == ["Confirmed", "Confirmed", "Waiting list #1", "Waiting list #2"]
    assert table.iloc[0]["Needs"] == "Spanish"

    at.text_input(key=f"r_query_{event.id}").input("person 3").run()
    assert list(at.dataframe[0].value["Name"]) == ["Person 3"]

    at.number_input(key=f"r_cap_{event.id}").set_value(3).run()
    assert "moves **1** person up" in texts(at) and "Person 2" in texts(at)
    assert app_planner.event_counts(event.id).confirmed == 2  # only a preview so far
    at.button(key=f"r_cap_apply_{event.id}").click().run()
    no_exception(at)
    assert app_planner.event_counts(event.id).confirmed == 3

    target = app_planner.registrations(event.id)[0]
    at.selectbox(key=f"r_cancel_pick_{event.id}").set_value(target.id)
    at.checkbox(key=f"r_cancel_sure_{event.id}").check().run()
    at.button(key=f"r_cancel_{event.id}").click().run()
    no_exception(at)
    counts = app_planner.event_counts(event.id)
    assert (counts.confirmed, counts.waitlisted, counts.cancelled) == (3, 0, 1)


def test_anonymous_sessions_cannot_open_the_registrations_page(app_planner):
    at = app().run()
    with pytest.raises(ValueError):
        at.switch_page("registrations.py")


def test_the_events_table_shows_registered_places_left_and_waiting(app_planner):
    event = dialogue(app_planner)
    event = app_planner.update_event(event.id, version=event.version, capacity=2)
    for n in range(3):
        app_planner.register(event.id, name=f"Guest {n}", email=f"guest{n}@example.org")
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    no_exception(at)
    table = at.dataframe[0].value
    row = table[table["Title"] == event.title].iloc[0]
    assert (row["Registered"], row["Places left"], row["Waiting"]) == ("2 / 2", "Full", "1")
    app_planner.cancel_registration_for(app_planner.registrations(event.id, status="confirmed")[0].id)
    app_planner.update_event(event.id, version=app_planner.get_event(event.id).version, capacity=5)
    at.run()
    row = at.dataframe[0].value.set_index("Title").loc[event.title]
    assert (row["Registered"], row["Places left"], row["Waiting"]) == ("2 / 5", "3", "")
    app_planner.cancel_event(event.id, reason="The room is closed.")
    at.run()
    assert at.dataframe[0].value.set_index("Title").loc[event.title]["Places left"] == ""  # nobody can take them


def test_registering_again_does_not_reveal_the_place_held(app_planner):
    """Whoever types an address may not own it: no status, no waiting-list position."""
    event = dialogue(app_planner)
    app_planner.update_event(event.id, version=event.version, capacity=1)
    app_planner.register(event.id, name="First", email="first@example.org")
    app_planner.register(event.id, name="Ana", email="ana@example.org")  # waiting list, place 1
    at = rsvp(event_page(app_planner, event.id), event.id, name="Someone", email="ana@example.org", full=True)
    no_exception(at)
    page = texts(at)
    assert "already registered" in page
    assert "waiting list, place" not in page and "place 1" not in page and "confirmed" not in page.lower()


def test_the_private_page_shows_the_ticket_only_where_there_is_a_door_to_show_it_at(app_planner):
    event = dialogue(app_planner)
    ana = app_planner.register(event.id, name="Ana", email="ana@example.org")
    code = app_planner.registration(ana.manage_token).ticket_code
    at = ticket(ana.manage_token)
    no_exception(at)
    assert "Your ticket" in texts(at)
    drawn = " ".join(h.proto.body for h in at.get("html"))
    assert f">{code}</code></p>" in drawn  # the code to type, large
    assert drawn.count("data-testid='ticket-qr'") == 1  # the QR code, with its text alternative
    assert f"alt='QR code for ticket {code}'" in drawn

    app_planner.cancel_event(event.id, reason="The room is closed.")
    at = ticket(ana.manage_token)
    no_exception(at)
    assert "The event is cancelled" in texts(at) and "The room is closed" in texts(at)
    assert "Your place is confirmed" not in texts(at)
    assert "Your ticket" not in texts(at) and code not in texts(at)
    assert not any("ticket-qr" in h.proto.body or code in h.proto.body for h in at.get("html"))

    hybrid = next(e for e in app_planner.list_events() if e.status == "published" and e.format == "hybrid" and e.online_url)
    cy = app_planner.register(hybrid.id, name="Cy", email="cy@example.org")
    assert any(b.label == "Join online" for b in ticket(cy.manage_token).get("link_button"))
    app_planner.cancel_event(hybrid.id, reason="Rain.")
    assert not any(b.label == "Join online" for b in ticket(cy.manage_token).get("link_button"))

    webinar = next(e for e in app_planner.list_events() if e.status == "published" and e.format == "online")
    bo = app_planner.register(webinar.id, name="Bo", email="bo@example.org")
    at = ticket(bo.manage_token)
    no_exception(at)
    assert "Your place is confirmed" in texts(at) and "Your ticket" not in texts(at)


def _press_register_twice(event_id: int) -> None:
    """Two presses of Register before the first answer is drawn: the form callback runs twice."""
    import streamlit as st

    from planner.ui.components.rsvp import _submit

    st.session_state[f"rsvp_name_{event_id}"] = "Ana Pérez"
    st.session_state[f"rsvp_email_{event_id}"] = "ana@example.org"
    if "pressed" not in st.session_state:
        st.session_state["pressed"] = True
        _submit(event_id)
        _submit(event_id)
    done = st.session_state[f"rsvp_done_{event_id}"]
    st.write(f"token:{bool(done.manage_token)} already:{done.already_registered}")


def test_a_double_press_of_register_keeps_the_private_link(app_planner):
    """In a rush the first answer can take seconds; pressing again must not swap the answer
    that carries the private link for an "already registered" one without it."""
    event = dialogue(app_planner)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_press_register_twice, args=(event.id,), default_timeout=30).run()
    assert not at.exception
    assert at.markdown[0].value == "token:True already:False"
    assert len(app_planner.registrations(event.id)) == 1


def test_a_registration_the_disk_refuses_shows_a_sentence_not_sqlite(app_planner, monkeypatch):
    """Disk full, read-only or locked: the form says nothing was recorded, never a raw OperationalError."""
    from tests.conftest import table_rows
    from tests.domain.test_storage_errors import _break_writes

    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    before = table_rows(app_planner.path)
    _break_writes(app_planner, monkeypatch, "read_only")
    at = rsvp(at, event.id, name="Ana Pérez", email="ana@example.org")
    no_exception(at)
    errors = [e.value for e in at.error]
    assert errors == ["We could not save your registration, so nothing was recorded. Please try again."], errors
    assert "sqlite" not in texts(at).lower() and "OperationalError" not in texts(at)
    assert at.text_input(key=f"rsvp_name_{event.id}").value == "Ana Pérez"  # kept for the next try
    assert table_rows(app_planner.path) == before


def test_a_flood_from_one_browser_session_is_told_to_wait_and_nothing_is_written(app_planner):
    """The form passes its session to the Planner's flood limits: the sixth registration in a
    minute from one session (the default limit is 5) is refused with a sentence."""
    from tests.conftest import table_rows

    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    for i in range(5):
        at = rsvp(at, event.id, name=f"Guest {i}", email=f"guest{i}@example.org")
        no_exception(at)
        assert f"You're registered, Guest {i}!" in texts(at)
        at.button(key=f"rsvp_again_{event.id}").click().run()  # "Register someone else"
    before = table_rows(app_planner.path)
    at = rsvp(at, event.id, name="Guest 5", email="guest5@example.org")
    no_exception(at)
    assert [e.value for e in at.error] == [
        "Too many registrations came from here in the last minute. Please wait a minute and try again."
    ]
    assert at.text_input(key=f"rsvp_name_{event.id}").value == "Guest 5"  # kept for the next try
    assert table_rows(app_planner.path) == before
    # Another browser (a new session) is not held up by this one.
    at = rsvp(event_page(app_planner, event.id), event.id, name="Ana", email="ana@example.org")
    assert "You're registered, Ana!" in texts(at)


def test_the_private_page_leads_to_the_event_page_and_back_to_registering(app_planner):
    """The private page links to the public event page (its description, speakers, sharing); once
    the registration is cancelled, and while the event takes registrations, *Register again*."""
    event = dialogue(app_planner)
    ana = app_planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    at = ticket(ana.manage_token)
    no_exception(at)
    link = f"](http://localhost:8501/e/{event.id})"
    assert any("Event page: details, speakers and sharing" in m.value and link in m.value for m in at.markdown)
    assert not any(b.label == "Register again" for b in at.get("link_button"))
    app_planner.cancel_registration(ana.manage_token)
    at = ticket(ana.manage_token)
    (again,) = [b for b in at.get("link_button") if b.label == "Register again"]
    assert again.proto.url == f"http://localhost:8501/e/{event.id}#register"


def test_the_private_page_of_a_cancelled_event_offers_nothing_to_cancel_or_change(app_planner):
    event = dialogue(app_planner)
    ana = app_planner.register(event.id, name="Ana Pérez", email="ana@example.org", organization="Red Migrante")
    app_planner.cancel_event(event.id, reason="The room was flooded.")
    at = ticket(ana.manage_token)
    no_exception(at)
    assert "The event is cancelled." in texts(at) and "The room was flooded" in texts(at)
    assert "Can't come?" not in texts(at) and "Cancelling frees your place" not in texts(at)
    assert not at.get("form") and not [b for b in at.button if b.label in ("Save changes", "Cancel my registration")]
    assert "Ana Pérez — Red Migrante" in texts(at)  # the details, to read
    assert not any(b.label == "Register again" for b in at.get("link_button"))


def test_a_refused_change_on_the_private_page_is_shown_beside_its_field_and_changes_nothing(app_planner):
    event = dialogue(app_planner)
    ana = app_planner.register(event.id, name="Ana Pérez", email="ana@example.org", organization="Red Migrante")
    at = ticket(ana.manage_token)
    at.text_input(key="tk_name").set_value("   ")
    at.button(key="FormSubmitter:ticket_details-Save changes").click().run()
    no_exception(at)

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    order = [(getattr(n, "key", None), n) for n in walk(at.main)]
    name_at = next(i for i, (k, _n) in enumerate(order) if k == "tk_name")
    error_at = next(i for i, (k, _n) in enumerate(order) if k == "a11y_error__tk_name")
    organization_at = next(i for i, (k, _n) in enumerate(order) if k == "tk_organization")
    assert name_at < error_at < organization_at  # beside its field, not under the button
    assert "Your name is required" in " ".join(str(getattr(e, "value", "")) for _k, e in order[error_at:organization_at])
    assert app_planner.registration(ana.manage_token).name == "Ana Pérez"
    at.text_input(key="tk_name").set_value("Ana María Pérez")
    at.button(key="FormSubmitter:ticket_details-Save changes").click().run()
    no_exception(at)
    assert app_planner.registration(ana.manage_token).name == "Ana María Pérez"
    assert "Saved your details." in texts(at) and "Your name is required" not in texts(at)
