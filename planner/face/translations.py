"""The Planner's events in several languages (issue #13): organizers give an event's title and
description in other languages of the six official ones of the United Nations, and say which
language the event's own are in. Pages, calendar files and messages pick one with
``Event.localized`` (``areas/translations.py`` says how they are kept)."""

from __future__ import annotations

from ..access import SYSTEM, Actor
from ..areas import audit, events
from ..areas import translations as rules
from ..models import Event
from . import staff_only


class TranslationMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    @staff_only
    def event_translations(self, event_id: int, *, actor: Actor = SYSTEM) -> dict[str, tuple[str, str]]:
        """An event's title and description in other languages than its original: language code →
        (title, description). ``NotFound`` for an unknown event."""
        return self._read(lambda db: dict(events.get_event(db, event_id).translations))

    @staff_only
    def set_event_translation(self, event_id: int, language: str, *, title: str, description: str = "",
                              actor: Actor = SYSTEM) -> Event:
        """Give (or replace) an event's title and description in ``language`` ("en", "es", "fr",
        "ar", "zh" or "ru"), checked as the event's own are. Returns the event. Raises
        ``ValidationError`` (``not_a_choice`` for another language, ``translation_of_original``
        for the event's own language, or the title's or description's refusal), ``NotFound``
        for an unknown event; nothing is written then."""
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            language, title, _ = rules.set_translation(db, event.id, language, title, description)
            audit.record(db, actor, "event_translated", event_id=event.id, language=language, title=title)
            return events.get_event(db, event.id)

    @staff_only
    def remove_event_translation(self, event_id: int, language: str, *, actor: Actor = SYSTEM) -> Event:
        """Remove an event's title and description in ``language`` (nothing happens if there
        were none). Returns the event. ``ValidationError`` for a language not offered."""
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            if rules.remove_translation(db, event.id, language):
                audit.record(db, actor, "event_translation_removed", event_id=event.id,
                             language=rules.check_language(language))
            return events.get_event(db, event.id)

    @staff_only
    def set_event_language(self, event_id: int, language: str, *, actor: Actor = SYSTEM) -> Event:
        """Say which language the event's own title and description are in (until then:
        English). ``original_is_translated`` while it has a translation into that language."""
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            language = rules.set_original(db, event.id, language)
            if language != event.original_language:
                audit.record(db, actor, "event_language_set", event_id=event.id, language=language,
                             before=event.original_language)
            return events.get_event(db, event.id)
