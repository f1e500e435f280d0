"""Registration questions and privacy choices (issue #12): the organizer picks built-in questions
and adds their own; answers are checked like every other input, kept with the question's text
as asked, shown in exports, carried through confirmation by email, and erased with the person."""

from __future__ import annotations

import pytest

from planner import NotFound, Planner, ValidationError
from planner.areas import questions as rules
from planner.i18n import using

from .test_confirm_by_email import link_for
from .test_data_care import _database_bytes

ALL_KINDS = [
    {"builtin": "id_names", "required": True},
    {"builtin": "country", "required": True},
    {"builtin": "organization_type"},
    {"builtin": "gender"},
    {"builtin": "needs"},
    {"kind": "short_text", "label": "Your role", "help": "As it should read on the badge.", "required": True},
    {"kind": "long_text", "label": "What do you hope to learn?"},
    {"kind": "one_choice", "label": "Lunch", "choices": ["Vegetarian", "Vegan", "Any"], "required": True},
    {"kind": "several_choices", "label": "Sessions", "choices": ["Morning", "Afternoon", "Evening"]},
    {"kind": "yes_no", "label": "First time at the summit?"},
]


@pytest.fixture
def asking(planner, open_event):
    """A published event whose form asks every kind of question; ``keys`` by label."""
    event = open_event()
    found = planner.set_event_questions(event.id, ALL_KINDS)
    keys = {q.label: q.key for q in found if not q.builtin}
    return event, keys


def good(keys, **more) -> dict:
    answers = {"given_names": "Ana María", "family_name": "Pérez Gómez", "country": "pe",
               keys["Your role"]: "Coordinator", keys["Lunch"]: "Vegan"}
    answers.update(more)
    return answers


def test_an_event_asks_the_needs_until_its_organizer_chooses(planner, open_event):
    event = open_event()
    (needs,) = planner.event_questions(event.id)
    assert (needs.builtin, needs.required, needs.answer_keys) == ("needs", False, ())


def test_answers_to_every_kind_of_question_are_saved_and_readable(planner, asking):
    event, keys = asking
    done = planner.register(event.id, name="Ana", email="ana@example.org", needs="Ramp", no_photos=True,
                            answers=good(keys, organization_type="ngo", gender="non_binary",
                                         **{keys["Sessions"]: ["Evening", "Morning"],
                                            keys["First time at the summit?"]: False,
                                            keys["What do you hope to learn?"]: "Line one\nLine two"}))
    assert (done.given_names, done.family_name, done.country) == ("Ana María", "Pérez Gómez", "PE")
    assert done.answers[keys["Sessions"]] == ("Morning", "Evening")  # in the question's order
    assert done.answers[keys["First time at the summit?"]] is False
    assert done.no_photos and not done.hide_name
    shown = {a.label: a.shown for a in planner.registrations(event.id)[0].answer_items}
    assert shown["Country or nationality"] == "Peru" and shown["Gender"] == "Non-binary"
    assert shown["Type of organization"] == "NGO or civil society" and shown["First time at the summit?"] == "No"
    with planner._db.read() as db:
        assert rules.id_names(db, done.id) == ("Ana María", "Pérez Gómez")


@pytest.mark.parametrize("bad, code, named", [
    ({"given_names": ""}, "required", "Given name(s)"),
    ({"country": "Narnia"}, "not_a_country", "Country"),
    ("role_missing", "required", "Your role"),
    ("role_too_long", "too_long", "Your role"),
    ("long_too_long", "too_long", "What do you hope to learn?"),
    ("lunch_not_a_choice", "not_a_choice", "Lunch"),
    ("sessions_not_a_list", "answer_not_a_list", "Sessions"),
    ("sessions_not_a_choice", "not_a_choice", "Sessions"),
    ("yes_no_text", "answer_not_yes_no", "First time at the summit?"),
    ({"gender": "robot"}, "not_a_choice", "Gender"),
    ({"q999999": "x"}, "unknown_question", "q999999"),
])
def test_a_bad_answer_is_refused_with_a_sentence_naming_the_question(planner, asking, assert_refused, bad, code,
                                                                     named):
    event, keys = asking
    cases = {
        "role_missing": {keys["Your role"]: "  "},
        "role_too_long": {keys["Your role"]: "x" * 201},
        "long_too_long": {keys["What do you hope to learn?"]: "x" * 2001},
        "lunch_not_a_choice": {keys["Lunch"]: "Steak"},
        "sessions_not_a_list": {keys["Sessions"]: "Morning"},
        "sessions_not_a_choice": {keys["Sessions"]: ["Morning", "Night"]},
        "yes_no_text": {keys["First time at the summit?"]: "yes"},
    }
    answers = good(keys, **(cases[bad] if isinstance(bad, str) else bad))
    error = assert_refused(lambda: planner.register(event.id, name="Ana", email="ana@example.org", answers=answers))
    assert error.code == code and named in str(error)


def test_a_required_needs_question_refuses_empty_needs(planner, open_event, assert_refused):
    event = open_event()
    planner.set_event_questions(event.id, [{"builtin": "needs", "required": True}])
    assert_refused(lambda: planner.register(event.id, name="Ana", email="ana@example.org"), field="needs")
    assert planner.register(event.id, name="Ana", email="ana@example.org", needs="Ramp").needs == "Ramp"


def test_privacy_choices_must_be_yes_or_no(planner, open_event, assert_refused):
    event = open_event()
    assert_refused(lambda: planner.register(event.id, name="A", email="a@example.org", no_photos="please"))


def test_questions_changed_after_registrations_leave_old_answers_readable(planner, asking):
    event, keys = asking
    done = planner.register(event.id, name="Ana", email="ana@example.org", answers=good(keys))
    current = [q for q in planner.event_questions(event.id) if not q.builtin]
    edited = [{"id": q.id, "kind": q.kind, "label": q.label, "choices": list(q.choices), "required": q.required}
              for q in current if q.label not in ("Lunch", "Your role")]
    edited.append({"id": next(q.id for q in current if q.label == "Your role"), "kind": "short_text",
                   "label": "Your job title"})
    planner.set_event_questions(event.id, [{"builtin": "id_names"}, *edited])
    after = planner.registration(done.manage_token)
    labels = {a.key: a.label for a in after.answer_items}
    assert labels[keys["Lunch"]] == "Lunch" and after.answers[keys["Lunch"]] == "Vegan"  # removed, still readable
    assert labels[keys["Your role"]] == "Your role"  # reworded: the answer keeps the question it answered
    assert keys["Lunch"] not in {q.key for q in planner.event_questions(event.id)}
    # Editing through the private link answers the current questions; the removed one stays.
    changed = planner.update_registration(done.manage_token, answers={keys["Your role"]: "Director"})
    assert {a.key: a.label for a in changed.answer_items}[keys["Your role"]] == "Your job title"
    assert changed.answers[keys["Lunch"]] == "Vegan" and changed.given_names == "Ana María"


def test_setting_questions_refuses_bad_ones_and_writes_nothing(planner, open_event, assert_refused):
    event = open_event()
    assert_refused(lambda: planner.set_event_questions(event.id, [{"kind": "one_choice", "label": "Lunch",
                                                                   "choices": ["Only"]}]), field="choices")
    assert_refused(lambda: planner.set_event_questions(event.id, [{"kind": "dance", "label": "X"}]), field="kind")
    assert_refused(lambda: planner.set_event_questions(event.id, [{"kind": "yes_no", "label": " "}]), field="label")
    assert_refused(lambda: planner.set_event_questions(event.id, [{"builtin": "gender"}, {"builtin": "gender"}]))
    assert_refused(lambda: planner.set_event_questions(event.id, [{"id": 4242, "kind": "yes_no", "label": "X"}]),
                   exc=NotFound)
    assert planner.audit_log(action="questions_changed") == []


def test_the_private_link_edits_answers_and_privacy_choices(planner, asking, assert_refused):
    event, keys = asking
    done = planner.register(event.id, name="Ana", email="ana@example.org", answers=good(keys))
    changed = planner.update_registration(done.manage_token, answers={"country": "KE", keys["Lunch"]: "Any"},
                                          no_photos=True, hide_name=True)
    assert (changed.country, changed.answers[keys["Lunch"]], changed.no_photos, changed.hide_name) == (
        "KE", "Any", True, True)
    assert_refused(lambda: planner.update_registration(done.manage_token, answers={keys["Lunch"]: None}),
                   field=keys["Lunch"])


def test_confirmation_by_email_carries_the_answers_and_choices(planner, open_event, assert_refused):
    event = open_event(registration_mode="email")
    planner.set_event_questions(event.id, [{"builtin": "country", "required": True}])
    assert_refused(lambda: planner.register(event.id, name="Ana", email="ana@example.org"), field="country")
    planner.register(event.id, name="Ana", email="ana@example.org", answers={"country": "MX"}, hide_name=True)
    made = planner.confirm_registration(link_for(planner, "ana@example.org"))
    assert made.country == "MX" and made.hide_name
    with planner._db.read() as db:  # the hold forgot them once the registration was made
        assert db.execute("SELECT answers FROM held_places").fetchone()[0] == "{}"


def test_the_door_sees_the_no_photo_mark_but_no_answers(planner, asking):
    from planner.access import of_door

    event, keys = asking
    guest = planner.register(event.id, name="Ana Pérez", email="ana@example.org", answers=good(keys), no_photos=True)
    other = planner.register(event.id, name="Bo", email="bo@example.org", answers=good(keys))
    door = of_door(planner.create_door_pass(event.id))
    result = planner.check_in(guest.checkin_code, event.id, actor=door)
    assert result.verdict == "checked_in" and result.no_photos and result.registration.answer_items == ()
    assert not planner.check_in(other.checkin_code, event.id, actor=door).no_photos
    found = {g.name: g.no_photos for g in planner.search_guests(event.id, "", actor=door)}
    assert found == {"Ana Pérez": True, "Bo": False}


def test_exports_carry_answers_and_privacy_and_the_shared_list_leaves_out_who_asked(planner, asking):
    event, keys = asking
    planner.register(event.id, name="Ana Shown", email="ana@example.org", organization="CELS", answers=good(keys))
    planner.register(event.id, name="Bo Hidden", email="bo@example.org", answers=good(keys), hide_name=True,
                     no_photos=True)
    internal = planner.registrations_table(event.id)
    assert list(internal["Name"]) == ["Ana Shown", "Bo Hidden"]  # the organizers' own: everyone
    assert list(internal["Name kept off shared lists"]) == ["", "yes"]
    assert list(internal["Do not photograph or film"]) == ["", "yes"]
    for heading in ("Given name(s) as on the ID document", "Family name as on the ID document",
                    "Country or nationality", "Your role", "Lunch"):
        assert heading in internal.columns  # a column per question
    assert list(internal["Country or nationality"]) == ["Peru", "Peru"]
    shared = planner.participants_table(event.id)
    assert list(shared.columns) == ["Event", "Name", "Organization"]
    assert list(shared["Name"]) == ["Ana Shown"]
    data, name, _ = planner.export("participants", "csv", event_id=event.id)
    assert b"Ana Shown" in data and b"Bo Hidden" not in data and name.startswith("participants-")
    assert planner.audit_log(action="export")[0].subject == "participants"
    workbook, _, _ = planner.export("all", "xlsx", event_id=event.id)  # the internal workbook: no shared sheet
    assert workbook


def test_the_shared_list_export_kind_has_a_clear_name(planner):
    from planner.areas.exports import KIND_LABELS

    with using("en"):
        assert "share" in str(KIND_LABELS["participants"]).lower()


def test_erasure_leaves_no_byte_of_the_answers(planner, asking):
    event, keys = asking
    secret = good(keys, given_names="Zbigniewa", family_name="Brzęczyszczykiewicz",
                  **{keys["Your role"]: "Secret-Role-Xyz"})
    planner.register(event.id, name="Erase Me", email="erase@example.org", answers=secret)
    blob = _database_bytes(planner.path)
    assert b"Secret-Role-Xyz" in blob or "Secret-Role-Xyz".encode() in blob
    planner.erase_person("erase@example.org")
    blob = _database_bytes(planner.path)
    for needle in ("Zbigniewa", "Brzęczyszczykiewicz", "Secret-Role-Xyz"):
        assert needle.encode() not in blob
    with planner._db.read() as db:
        assert db.execute("SELECT count(*) FROM registration_answers").fetchone()[0] == 0


def test_retention_removes_answers(planner, asking):
    from datetime import timedelta

    event, keys = asking
    planner.register(event.id, name="Ana", email="ana@example.org", answers=good(keys))
    planner.apply_retention(now=event.ends_at + timedelta(days=planner.retention_days, minutes=1))
    assert planner.registrations(event.id)[0].answer_items == ()


def test_an_unknown_question_key_in_a_bad_shape_is_refused(planner, asking, assert_refused):
    event, _ = asking
    error = assert_refused(lambda: planner.register(event.id, name="A", email="a@example.org", answers=["x"]))
    assert isinstance(error, ValidationError)


def test_the_questions_are_kept_until_they_change(planner, open_event):
    """The event page asks for them on every run: read once, then again only after a change."""
    event = open_event()
    first = planner.event_questions(event.id)
    assert planner.event_questions(event.id) == first
    planner.set_event_questions(event.id, [{"builtin": "country", "required": True}])
    assert [q.builtin for q in planner.event_questions(event.id)] == ["country"]
    again = Planner(planner.path)  # another process changes them: the counter tells this one
    again.set_event_questions(event.id, [{"builtin": "gender"}])
    assert [q.builtin for q in planner.event_questions(event.id)] == ["gender"]
