"""AppTest for events in several languages (issue #13): the editor's section saves and removes a
language; a Spanish visitor sees the Spanish title and description on the programme and the
event page, and finds the event by its Spanish title; an English visitor sees the original."""

from __future__ import annotations

import pytest

from planner import i18n
from tests.pages.apptest import app, dialogue, event_page, no_exception, seen, signed_in, texts

TITLE_ES = "Celebración del PMM y diálogo con la sociedad civil"
DESCRIPTION_ES = "Un diálogo abierto sobre el **Pacto Mundial** para la Migración."


@pytest.fixture
def spanish_exists(monkeypatch):
    """Spanish offered as if its catalogue were compiled (the translators' work lands apart):
    pages and text stay English, the language chosen is "es"."""
    monkeypatch.setattr(i18n, "available", lambda: ["en", "es"])


def _translated(app_planner):
    event = dialogue(app_planner)
    app_planner.set_event_translation(event.id, "es", title=TITLE_ES, description=DESCRIPTION_ES)
    return event


def test_a_spanish_visitor_sees_the_spanish_title_and_description(app_planner, spanish_exists):
    event = _translated(app_planner)
    at = event_page(app_planner, event.id, app(lang="es"))
    no_exception(at)
    shown = seen(at)
    description = "".join(h.proto.body for h in at.get("html") if "planner-description" in h.proto.body)
    assert TITLE_ES in shown and event.title not in shown
    assert "Pacto Mundial" in description
    ics = next(b for b in at.get("link_button") if "ics" in b.proto.url)
    assert ics.proto.url == f"/events/{event.id}.ics?lang=es"


def test_an_english_visitor_sees_the_original(app_planner, spanish_exists):
    event = _translated(app_planner)
    at = event_page(app_planner, event.id, app(lang="en"))
    no_exception(at)
    assert event.title in seen(at) and TITLE_ES not in seen(at)
    description = "".join(h.proto.body for h in at.get("html") if "planner-description" in h.proto.body)
    assert "Pacto Mundial" not in description and description


def test_a_spanish_search_on_the_programme_finds_the_event_and_shows_its_spanish_title(app_planner,
                                                                                        spanish_exists):
    event = _translated(app_planner)
    at = app(lang="es")
    at.run()
    at.text_input(key="f_query").input("celebracion DIALOGO").run()
    no_exception(at)
    # Each card's title links to the event's public page (/e/<id>, issue #17), in the visitor's language.
    links = [h.proto.body for h in at.get("html") if "planner-event-link" in h.proto.body]
    assert any(TITLE_ES in body and f'href="/e/{event.id}?lang=es"' in body for body in links), links
    assert not any(event.title[:20] in body for body in links)


def test_the_editor_saves_and_removes_a_language(app_planner):
    event = dialogue(app_planner)
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("edit_event.py").run()
    no_exception(at)
    k = f"tr_{event.id}"
    assert "Title and description in other languages" in texts(at)
    at.selectbox(key=f"{k}_lang").set_value("fr").run()
    at.text_input(key=f"{k}_title").input("Dialogue avec la société civile")
    at.text_area(key=f"{k}_description").input("Un **dialogue**.")
    at.button(key=f"{k}_save").click().run()
    no_exception(at)
    assert app_planner.event_translations(event.id) == {"fr": ("Dialogue avec la société civile", "Un **dialogue**.")}
    assert "Dialogue avec la société civile" in seen(at)
    at.selectbox(key=f"{k}_lang").set_value("ar").run()
    at.text_input(key=f"{k}_title").input("   ")
    at.button(key=f"{k}_save").click().run()
    assert at.error and app_planner.event_translations(event.id).keys() == {"fr"}
    at.button(key=f"{k}_remove_fr").click().run()
    no_exception(at)
    assert app_planner.event_translations(event.id) == {}
