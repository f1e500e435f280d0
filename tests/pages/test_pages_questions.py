"""AppTest for registration questions and privacy choices (issue #12): the organizer's editor,
the RSVP form asking them (a required one refused beside its field), the private page editing
answers and choices, and the door's no-photo mark."""

from __future__ import annotations

from tests.pages.apptest import dialogue, event_page, no_exception, signed_in, texts
from tests.pages.test_pages_registrations import ticket


def _editor(app_planner, event):
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("edit_event.py").run()
    no_exception(at)
    return at


def test_the_editor_chooses_built_in_questions_and_adds_one_of_its_own(app_planner):
    event = dialogue(app_planner)
    at = _editor(app_planner, event)
    k = f"qe_{event.id}"
    assert "Registration questions" in texts(at)
    at.checkbox(key=f"{k}_ask_country").check().run()
    at.checkbox(key=f"{k}_req_country").check().run()
    at.button(key=f"{k}_save").click().run()
    no_exception(at)
    asked = {q.builtin: q.required for q in app_planner.event_questions(event.id) if q.builtin}
    assert asked == {"country": True, "needs": False}
    at.selectbox(key=f"{k}_new_kind").set_value("one_choice").run()
    at.text_input(key=f"{k}_new_label").input("Lunch")
    at.text_area(key=f"{k}_new_choices").input("Vegetarian\nVegan\nAny")
    at.button(key=f"{k}_add").click().run()
    no_exception(at)
    (lunch,) = [q for q in app_planner.event_questions(event.id) if not q.builtin]
    assert (lunch.label, lunch.choices) == ("Lunch", ("Vegetarian", "Vegan", "Any"))
    # A choice question with one choice is refused with a sentence naming it; nothing changes.
    at.selectbox(key=f"{k}_new_kind").set_value("several_choices").run()
    at.text_input(key=f"{k}_new_label").input("Sessions")
    at.text_area(key=f"{k}_new_choices").input("Morning")
    at.button(key=f"{k}_add").click().run()
    assert "“Sessions” needs at least two choices" in texts(at)
    assert len(app_planner.event_questions(event.id)) == 3
    at.button(key=f"{k}_remove_{lunch.id}").click().run()
    assert [q.key for q in app_planner.event_questions(event.id)] == ["country", "needs"]


def _asking(app_planner):
    event = dialogue(app_planner)
    found = app_planner.set_event_questions(event.id, [
        {"builtin": "id_names", "required": True}, {"builtin": "country"}, {"builtin": "needs"},
        {"kind": "yes_no", "label": "First time here?", "required": True},
    ])
    return event, next(q.key for q in found if q.label == "First time here?")


def test_the_rsvp_form_asks_the_questions_and_saves_the_answers(app_planner):
    event, first = _asking(app_planner)
    at = event_page(app_planner, event.id)
    p = f"rsvp_q_{event.id}"
    at.text_input(key=f"rsvp_name_{event.id}").input("Ana Pérez")
    at.text_input(key=f"rsvp_email_{event.id}").input("ana@example.org")
    at.text_input(key=f"{p}_given_names").input("Ana María")
    at.button(key=f"FormSubmitter:rsvp_{event.id}-Register").click().run()
    no_exception(at)
    assert app_planner.registrations(event.id) == []
    # The required family name is refused beside its field (right after it), not only at the bottom.
    errors = [e.value for e in at.error]
    assert any("Family name as on the ID document" in e for e in errors), errors
    assert at.text_input(key=f"{p}_given_names").value == "Ana María"  # kept
    at.text_input(key=f"{p}_family_name").input("Pérez Gómez")
    at.selectbox(key=f"{p}_country").set_value("PE")
    at.radio(key=f"{p}_{first}").set_value(True)
    at.checkbox(key=f"{p}_no_photos").check()
    at.button(key=f"FormSubmitter:rsvp_{event.id}-Register").click().run()
    no_exception(at)
    assert "You're registered, Ana Pérez!" in texts(at)
    (done,) = app_planner.registrations(event.id)
    assert (done.given_names, done.family_name, done.country, done.answers[first]) == (
        "Ana María", "Pérez Gómez", "PE", True)
    assert done.no_photos and not done.hide_name


def test_the_private_page_edits_answers_and_privacy_choices(app_planner):
    event, first = _asking(app_planner)
    done = app_planner.register(event.id, name="Ana", email="ana@example.org", answers={
        "given_names": "Ana", "family_name": "Pérez", first: False})
    at = ticket(done.manage_token)
    no_exception(at)
    assert at.text_input(key="tk_family_name").value == "Pérez"
    at.text_input(key="tk_family_name").input("Pérez Gómez")
    at.selectbox(key="tk_country").set_value("KE")
    at.checkbox(key="tk_hide_name").check()
    at.button(key="FormSubmitter:ticket_details-Save changes").click().run()
    no_exception(at)
    after = app_planner.registration(done.manage_token)
    assert (after.family_name, after.country, after.hide_name, after.answers[first]) == ("Pérez Gómez", "KE", True,
                                                                                         False)
    assert "Saved your details." in texts(at)


def test_the_registrations_page_shows_answers_and_choices(app_planner):
    event, first = _asking(app_planner)
    app_planner.register(event.id, name="Ana", email="ana@example.org", no_photos=True,
                         answers={"given_names": "Ana", "family_name": "Pérez", "country": "PE", first: True})
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("registrations.py").run()
    no_exception(at)
    frame = next(d.value for d in at.dataframe if "Name" in d.value.columns)
    row = frame.iloc[0]
    assert row["Country or nationality"] == "Peru" and row["First time here?"] == "Yes"
    assert row["Do not photograph or film"] == "✓"


def test_the_privacy_line_says_who_gets_the_names_as_on_the_id(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    no_exception(at)
    assert "nobody else does" in texts(at) and "security desk" not in texts(at)
    _asking(app_planner)
    at = event_page(app_planner, event.id)
    assert "the host's security desk gets your names as on your ID document" in texts(at)
