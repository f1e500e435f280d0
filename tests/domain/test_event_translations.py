"""Events in several languages (issue #13): organizers give an event's title and description in
other UN languages; the programme, the event, its calendar files and its messages show the
visitor's (or the guest's) language when given, else the original; search finds an event by its
title in any of its languages."""

from __future__ import annotations

import email
from email import policy

import icalendar
import pytest

from planner import NotFound, PermissionDenied
from planner.access import PUBLIC, of_door
from planner.codes import ORGANIZATION_ROLES, SPEAKER_ROLES
from planner.i18n import using
from planner.text import match_key

TITLE_ES = "Migración y derechos humanos"
DESCRIPTION_ES = "Una conversación sobre **derechos** de las personas migrantes."


@pytest.fixture
def bilingual(planner, open_event):
    event = open_event(title="Migration and human rights", description="A conversation about **rights**.")
    return planner.set_event_translation(event.id, "es", title=TITLE_ES, description=DESCRIPTION_ES)


def test_an_event_keeps_its_original_and_gives_each_language_its_own_title_and_description(planner, bilingual):
    assert bilingual.title == "Migration and human rights"  # the event's own fields stay the original
    assert bilingual.original_language == "en"
    assert planner.event_translations(bilingual.id) == {"es": (TITLE_ES, DESCRIPTION_ES)}
    spanish = bilingual.localized("es")
    assert (spanish.title, spanish.description, spanish.language) == (TITLE_ES, DESCRIPTION_ES, "es")
    assert bilingual.localized("es-AR").title == TITLE_ES  # a regional variant takes its language's
    for other in ("en", "fr", "en-XA", None, ""):  # no French given: the original
        assert bilingual.localized(other).title == "Migration and human rights"
    assert spanish.localized("en").title == "Migration and human rights"  # and back
    assert spanish.original_title == "Migration and human rights"


def test_a_spanish_search_finds_the_event_by_its_spanish_title_accents_and_case_aside(planner, bilingual):
    assert [e.id for e in planner.programme(query="MIGRACION derechos")] == [bilingual.id]
    assert [e.id for e in planner.programme(query="migrantes")] == [bilingual.id]  # its Spanish description
    assert [e.id for e in planner.programme(query="migration")] == [bilingual.id]  # and still in English
    assert planner.programme(query="migración inexistente") == []


def test_the_public_programme_carries_the_translations_and_sees_them_change(planner, bilingual):
    assert planner.programme()[0].translations == {"es": (TITLE_ES, DESCRIPTION_ES)}
    planner.set_event_translation(bilingual.id, "es", title="Migración, otra vez")
    assert planner.get_event(bilingual.id, actor=PUBLIC).localized("es").title == "Migración, otra vez"
    planner.remove_event_translation(bilingual.id, "es")
    assert planner.get_event(bilingual.id, actor=PUBLIC).localized("es").title == "Migration and human rights"
    assert planner.event_translations(bilingual.id) == {}


def test_the_calendar_file_is_in_the_visitors_language(planner, bilingual):
    with using("es"), pytest.MonkeyPatch.context() as m:
        m.setattr("planner.face.calendars.current", lambda: "es")  # before the Spanish catalogue is compiled
        spanish = icalendar.Calendar.from_ical(planner.event_ics(bilingual.id))
        programme = icalendar.Calendar.from_ical(planner.programme_ics())
    english = icalendar.Calendar.from_ical(planner.event_ics(bilingual.id))
    [event] = [c for c in spanish.walk("VEVENT")]
    assert str(event["SUMMARY"]) == TITLE_ES and "personas migrantes" in str(event["DESCRIPTION"])
    assert [str(c["SUMMARY"]) for c in programme.walk("VEVENT")] == [TITLE_ES]
    assert [str(c["SUMMARY"]) for c in english.walk("VEVENT")] == ["Migration and human rights"]


def test_a_guests_messages_and_calendar_file_use_the_language_they_registered_in(planner, bilingual):
    guest = planner.register(bilingual.id, name="Ana Pérez", email="ana@example.org", language="es")
    other = planner.register(bilingual.id, name="Bo Smith", email="bo@example.org", language="en")
    sent = {m.registration_id: m for m in planner.outbox() if m.kind == "confirmed"}
    spanish = email.message_from_bytes(planner.outbox_eml(sent[guest.id].id), policy=policy.default)
    english = email.message_from_bytes(planner.outbox_eml(sent[other.id].id), policy=policy.default)
    assert TITLE_ES in spanish["Subject"] and "Migration" not in spanish["Subject"]
    assert "Migration and human rights" in english["Subject"]
    invite = next(p for p in spanish.walk() if p.get_content_type() == "text/calendar")
    assert TITLE_ES in invite.get_content()
    own = icalendar.Calendar.from_ical(planner.registration_ics(guest.manage_token))
    assert [str(c["SUMMARY"]) for c in own.walk("VEVENT")] == [TITLE_ES]


def test_an_edit_of_the_original_title_alone_tells_a_spanish_guest_nothing_new_about_the_title(planner, bilingual):
    guest = planner.register(bilingual.id, name="Ana Pérez", email="ana@example.org", language="es")
    event = planner.get_event(bilingual.id)
    planner.update_event(event.id, version=event.version, starts_at=event.starts_at.replace(minute=30),
                         ends_at=event.ends_at.replace(minute=30))
    [changed] = [m for m in planner.outbox() if m.kind == "event_changed" and m.registration_id == guest.id]
    text = email.message_from_bytes(planner.outbox_eml(changed.id), policy=policy.default)
    body = text.get_body(("plain",)).get_content()
    assert TITLE_ES in text["Subject"] and "Migration and human rights" not in body


def test_translations_are_checked_as_the_event_s_own_title_and_description_are(planner, bilingual, assert_refused):
    assert_refused(lambda: planner.set_event_translation(bilingual.id, "de", title="Migration"), field="language")
    assert_refused(lambda: planner.set_event_translation(bilingual.id, "fr", title="   "), field="title")
    assert_refused(lambda: planner.set_event_translation(bilingual.id, "fr", title="x" * 201), field="title")
    assert_refused(lambda: planner.set_event_translation(bilingual.id, "fr", title="Deux\nlignes"), field="title")
    assert_refused(lambda: planner.set_event_translation(bilingual.id, "fr", title="Migration",
                                                         description="x" * 20_001), field="description")
    error = assert_refused(lambda: planner.set_event_translation(bilingual.id, "en", title="Migration"),
                           field="language")
    assert error.code == "translation_of_original"
    assert_refused(lambda: planner.set_event_translation(9999, "fr", title="Migration"), exc=NotFound)
    error = assert_refused(lambda: planner.set_event_language(bilingual.id, "es"), field="language")
    assert error.code == "original_is_translated"


def test_an_event_written_in_spanish_shows_its_original_to_spanish_visitors_and_english_when_given(planner,
                                                                                                   open_event):
    event = open_event(title="Derechos de las personas migrantes")
    planner.set_event_language(event.id, "es")
    event = planner.set_event_translation(event.id, "en", title="Rights of migrants")
    assert event.original_language == "es" and event.localized("es").title == "Derechos de las personas migrantes"
    assert event.localized("en").title == "Rights of migrants"
    assert event.localized("fr").title == "Derechos de las personas migrantes"


def test_a_copy_keeps_the_languages_and_a_deleted_draft_takes_them_along(planner, make_event, bilingual):
    copy = planner.duplicate_event(bilingual.id)
    assert copy.translations == {"es": (TITLE_ES, DESCRIPTION_ES)}
    draft = make_event(title="Draft")
    planner.set_event_translation(draft.id, "fr", title="Brouillon")
    planner.delete_event(draft.id)
    with planner._db.read() as db:
        assert db.execute("SELECT count(*) FROM event_translations WHERE event_id = ?", [draft.id]).fetchone()[0] == 0


def test_only_staff_translate_events(planner, bilingual):
    for actor in (PUBLIC, of_door(planner.create_door_pass(bilingual.id, "North door"))):
        for call in (lambda: planner.event_translations(bilingual.id, actor=actor),
                     lambda: planner.set_event_translation(bilingual.id, "fr", title="Migration", actor=actor),
                     lambda: planner.remove_event_translation(bilingual.id, "es", actor=actor),
                     lambda: planner.set_event_language(bilingual.id, "es", actor=actor)):
            with pytest.raises(PermissionDenied):
                call()


def test_translating_is_in_the_audit_log(planner, bilingual):
    planner.remove_event_translation(bilingual.id, "es")
    actions = [e.action for e in planner.audit_log(event_id=bilingual.id)]
    assert "event_translated" in actions and "event_translation_removed" in actions


def test_speaker_and_organization_roles_are_codes_with_translated_labels_not_typed_text(planner, open_event,
                                                                                          assert_refused):
    assert "speaker" in SPEAKER_ROLES and "host" in ORGANIZATION_ROLES
    assert_refused(lambda: open_event(speakers=[{"name": "Ana", "role": "Ponente"}]), field="speakers")
    assert_refused(lambda: open_event(organizations=[{"name": "GCM", "role": "Anfitrión"}]), field="organizations")


# ---------------------------------------------------------------------- matching in every script


@pytest.mark.parametrize("a, b", [
    ("Café Müller", "cafe muller"),  # Latin accents and case
    ("Łódź", "LODZ"),  # letters whose stroke is no combining mark
    ("ЁЛКА", "елка"),  # Cyrillic: case, ё as е
    ("Москва", "МОСКВА"),
    ("إسلام", "اسلام"), ("أحمد", "احمد"), ("آمال", "امال"),  # Arabic: hamza and madda on alef
    ("مُحَمَّد", "محمد"),  # vowel marks (tashkeel)
    ("مدرسة", "مدرسه"), ("على", "علي"), ("عربـــي", "عربي"),  # teh marbuta, alef maksura, tatweel
    ("ＧＣＭ　２０２６", "gcm 2026"), ("移民，权利", "移民,权利"),  # full width to half width
])
def test_match_keys_ignore_case_and_accents_in_every_script(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize("a, b", [("йод", "иод"), ("Йемен", "Иемен"), ("中文", "中午"), ("ا", "ب")])
def test_match_keys_keep_letters_that_differ_apart(a, b):
    assert match_key(a) != match_key(b)


def test_a_search_in_russian_arabic_and_chinese_finds_the_translated_titles(planner, bilingual):
    planner.set_event_translation(bilingual.id, "ru", title="Миграция и права человека — ёмко")
    planner.set_event_translation(bilingual.id, "ar", title="الهِجْرَة وحقوق الإنسان")
    planner.set_event_translation(bilingual.id, "zh", title="移民与人权")
    for query in ("МИГРАЦИЯ емко", "الهجره", "人权", "ＭＩＧＲＡＣＩÓＮ"):
        assert [e.id for e in planner.programme(query=query)] == [bilingual.id], query
