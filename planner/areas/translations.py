"""Events in several languages (issue #13): an event's title and description in other languages.

The event's own columns stay the original, written in its ``original`` language (a row of
``event_languages``; none: English); ``event_translations`` holds one title and description per
other language, among the six official languages of the United Nations. Events are read with
them (``events.select``: one query for all the events read), so the cached public programme
carries them and a page picks one with ``Event.localized`` without asking the database again.
Writing functions run inside the caller's transaction.
"""

from __future__ import annotations

from .. import validate as check
from ..errors import ValidationError
from ..i18n import N_

LANGUAGES = ("en", "es", "fr", "ar", "zh", "ru")
# Each named in itself, as a language menu does: readers of the language find it, whatever the page's.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français", "ar": "العربية", "zh": "中文", "ru": "Русский"}
DEFAULT = "en"


def check_language(language) -> str:
    return check.choice(language, LANGUAGES, "language", N_("Language"), LANGUAGE_NAMES)


def of_events(db, ids: list[int] | None) -> tuple[dict[int, str], dict[int, dict[str, tuple[str, str]]]]:
    """The original language (when not English) and the translations of the given events (of all
    when ids is None): two small queries, whatever the number of events."""
    where, params = "", []
    if ids is not None:
        where, params = f" WHERE event_id IN ({','.join('?' * len(ids))})", list(ids)
    originals = {r[0]: r[1] for r in db.execute(f"SELECT event_id, original FROM event_languages{where}", params)}
    found: dict[int, dict[str, tuple[str, str]]] = {}
    for r in db.execute(f"SELECT event_id, language, title, description FROM event_translations{where}"
                        " ORDER BY event_id, language", params):
        found.setdefault(r[0], {})[r[1]] = (r[2], r[3])
    return originals, found


def original(db, event_id: int) -> str:
    row = db.execute("SELECT original FROM event_languages WHERE event_id = ?", [event_id]).fetchone()
    return row[0] if row else DEFAULT


def set_translation(db, event_id: int, language, title, description) -> tuple[str, str, str]:
    """Checks (as an event's own title and description are) and writes one language's title and
    description, replacing any; returns (language, title, description). Not the original's language."""
    language = check_language(language)
    title = check.text(title, "title", N_("Title"), max_length=check.TITLE_MAX)
    description = check.long_text(description, "description", N_("Description"))
    if language == original(db, event_id):
        raise ValidationError("translation_of_original", field="language", language=LANGUAGE_NAMES[language])
    db.execute("INSERT INTO event_translations (event_id, language, title, description) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (event_id, language) DO UPDATE SET title = excluded.title,"
               " description = excluded.description", [event_id, language, title, description])
    return language, title, description


def remove_translation(db, event_id: int, language) -> bool:
    """Writes; True if there was one to remove."""
    language = check_language(language)
    return db.execute("DELETE FROM event_translations WHERE event_id = ? AND language = ?",
                      [event_id, language]).rowcount > 0


def set_original(db, event_id: int, language) -> str:
    """Writes the language the event's own title and description are in. Refused while a
    translation into that language exists (the two would compete)."""
    language = check_language(language)
    if db.execute("SELECT 1 FROM event_translations WHERE event_id = ? AND language = ?",
                  [event_id, language]).fetchone():
        raise ValidationError("original_is_translated", field="language", language=LANGUAGE_NAMES[language])
    db.execute("INSERT INTO event_languages (event_id, original) VALUES (?, ?)"
               " ON CONFLICT (event_id) DO UPDATE SET original = excluded.original", [event_id, language])
    return language


def copy(db, source_id: int, copy_id: int) -> None:
    """Writes the source event's original language and translations as the copy's."""
    db.execute("INSERT INTO event_translations (event_id, language, title, description)"
               " SELECT ?, language, title, description FROM event_translations WHERE event_id = ?", [copy_id, source_id])
    db.execute("INSERT INTO event_languages (event_id, original) SELECT ?, original FROM event_languages"
               " WHERE event_id = ?", [copy_id, source_id])
