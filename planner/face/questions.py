"""The Planner's registration questions (issue #12): which questions an event's form asks
(``areas/questions.py`` says how they and their answers are kept). Answers and the privacy
choices travel with ``register`` and ``update_registration``; the shared participants list is
an export kind (``face/exports.py``)."""

from __future__ import annotations

from .. import validate as check
from ..access import SYSTEM, Actor
from ..areas import audit, events
from ..areas import questions as rules
from ..models import Question
from . import staff_only


class QuestionMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    def event_questions(self, event_id: int) -> list[Question]:
        """The questions an event's registration form asks, in order: built-in ones (``builtin``
        set) and the organizer's own (``id``, ``kind``, ``label``, ``help``, ``choices``), each
        ``required`` or not. An event whose organizer never chose asks the access or
        interpretation needs, optionally. The keys ``register(answers=…)`` takes are each
        question's ``answer_keys``. Kept until the programme's tables change (the event page
        asks on every run: one small query then, instead of reading the event and its questions)."""
        event_id = check.id(event_id)
        with self._db.read() as db:
            version = db.execute("SELECT value FROM meta WHERE key = 'catalog_version'").fetchone()[0]
            cached = self._questions_cache.get(event_id)
            if cached is not None and cached[0] == version:
                return list(cached[1])
            found = rules.event_questions(db, events.get_event(db, event_id).id)
        self._questions_cache[event_id] = (version, found)
        return list(found)

    @staff_only
    def set_event_questions(self, event_id: int, questions: list[dict], *, actor: Actor = SYSTEM) -> list[Question]:
        """Choose the questions an event's form asks, in order: ``{"builtin": "id_names" |
        "country" | "organization_type" | "gender" | "needs", "required": bool}`` for built-in
        ones (those left out are not asked), ``{"kind": "short_text" | "long_text" |
        "one_choice" | "several_choices" | "yes_no", "label": …, "help": …, "choices": [...],
        "required": bool}`` for the organizer's own, with ``"id"`` to change one already there.
        Questions may change after people registered: their answers keep the question's text
        as it was. Returns every question (built-in ones not asked too, ``asked`` False).
        Raises ``ValidationError`` naming the question at fault, ``NotFound`` for an unknown
        event or question id; nothing is written then."""
        with self._db.write() as db:
            event = events.get_event(db, event_id)
            before = [q.key for q in rules.event_questions(db, event.id)]
            found = rules.set_event_questions(db, event.id, questions)
            audit.record(db, actor, "questions_changed", event_id=event.id, before=before,
                         after=[q.key for q in found if q.asked])
            return found
