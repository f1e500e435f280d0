"""Registration questions and privacy choices (issue #12).

Per event the organizer chooses which built-in questions the form asks (``BUILTINS``: the
given names and family name as on the ID document, country or nationality, organization type,
gender, access or interpretation needs) and whether each is required, and adds questions of
their own (``KINDS``: short text, long text, one choice, several choices, yes/no), each with
help text. Until an organizer chooses, an event asks what the form always asked: the needs,
optionally.

Storage: ``event_questions`` holds one row per built-in question (``asked`` says whether the
form shows it) and one per question of the organizer's, whose id never changes and is never
used again (a removed one is only marked ``removed``). Answers live in ``registration_answers``,
one row per answer keyed by the question's *answer key* (``given_names``, ``family_name``,
``country``, ``organization_type``, ``gender`` for the built-in ones, ``q<id>`` for the
organizer's), each with a snapshot of the question's text and kind, so an answer given before
the question was reworded or removed still reads as it was asked. The needs stay in
``registrations.needs``, where they always were. Values are JSON: text, a choice, a list of
choices, true or false; a country is its ISO 3166 alpha-2 code (``countries`` names them in
the active language through Babel). A held place (confirmed by email, ``holds.py``) keeps the
checked answers and privacy choices as JSON until its registration is made.

The privacy choices are two columns of ``registrations``: ``no_photos`` ("Please do not
photograph or film me": the door sees a mark) and ``hide_name`` ("Do not show my name on any
list shared beyond the organizers": the shared participants list leaves the person out).

For the security list: ``id_names(db, registration_id)`` gives ``(given_names, family_name)``
as typed for the ID document, or None when the registration has neither.

Every function runs inside the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

from babel import Locale

from .. import validate as check
from ..codes import (
    ANSWER_LABELS, BUILTIN_QUESTION_LABELS, GENDER_LABELS, GENDERS, ORGANIZATION_TYPE_LABELS, ORGANIZATION_TYPES,
    QUESTION_KIND_LABELS,
)
from ..db import insert_row
from ..errors import NotFound, ValidationError
from ..i18n import N_, current
from ..text import sort_key
from ..models import Answer, Question, Registration

BUILTINS = ("id_names", "country", "organization_type", "gender", "needs")
KINDS = ("short_text", "long_text", "one_choice", "several_choices", "yes_no")
CHOICE_KINDS = ("one_choice", "several_choices")
SHORT_MAX = 200
LONG_MAX = 2000
LABEL_MAX = 300
HELP_MAX = 500
CHOICES_MAX = 30
QUESTIONS_MAX = 30
ID_NAME_KEYS = ("given_names", "family_name")
# Codes Babel names that are no country or nationality (groups, reserved, unknown).
NOT_COUNTRIES = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})
DEFAULT = (Question(id=None, key="needs", kind="needs", builtin="needs", required=False),)


# ---------------------------------------------------------------------- countries


@lru_cache(maxsize=16)
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except Exception:  # the pseudo-language and unknown tags: English names
        names = Locale("en").territories
    english = Locale("en").territories
    codes = [c for c in english if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES]
    return tuple(sorted(((c, names.get(c, english[c])) for c in codes), key=lambda p: sort_key(p[1])))


def countries() -> dict[str, str]:
    """ISO 3166 alpha-2 code → the country's name in the active language, sorted by name."""
    return dict(_countries(current()))


def country_name(code: str | None) -> str:
    return countries().get(code or "", code or "")


# ---------------------------------------------------------------------- the questions of an event


def event_questions(db, event_id: int, *, everything: bool = False) -> list[Question]:
    """The questions an event's form asks, in order (``DEFAULT`` until the organizer chose);
    ``everything``: the built-in ones not asked too (the editor shows them)."""
    rows = db.execute(
        "SELECT * FROM event_questions WHERE event_id = ? AND removed = 0 ORDER BY position, id", [event_id]
    ).fetchall()
    if not rows:
        found = list(DEFAULT)
        if everything:
            found += [Question(id=None, key=b, kind=b, builtin=b, asked=False) for b in BUILTINS if b != "needs"]
        return found
    found = [_question(r) for r in rows]
    return found if everything else [q for q in found if q.asked]


def _question(row) -> Question:
    builtin = row["builtin"]
    return Question(
        id=row["id"], key=builtin or f"q{row['id']}", kind=row["kind"], label=row["label"], help=row["help"],
        choices=tuple(json.loads(row["choices"])), required=bool(row["required"]), builtin=builtin,
        asked=bool(row["asked"]),
    )


def set_event_questions(db, event_id: int, questions) -> list[Question]:
    """Writes the questions an event asks, in the order given. Each is a dict: a built-in one
    ``{"builtin": "country", "required": True}`` (built-in ones left out are not asked), or one
    of the organizer's ``{"kind": "one_choice", "label": …, "help": …, "choices": [...],
    "required": False}``, with ``"id"`` to change one already there (its answers keep their
    snapshot). The organizer's questions left out are removed (their answers stay readable).
    Refusals name the question; nothing is written then."""
    from .catalog import reject_unknown

    if not isinstance(questions, (list, tuple)):
        raise ValidationError("questions_not_a_list", field="questions")
    if len(questions) > QUESTIONS_MAX:
        raise ValidationError("too_many_questions", field="questions", max=QUESTIONS_MAX)
    existing = {r["id"]: r for r in db.execute(
        "SELECT * FROM event_questions WHERE event_id = ? AND removed = 0", [event_id]).fetchall()}
    builtin_rows = {r["builtin"]: r["id"] for r in existing.values() if r["builtin"]}
    asked, custom, kept = {}, [], set()
    for position, q in enumerate(questions):
        if not isinstance(q, dict):
            raise ValidationError("questions_not_a_list", field="questions")
        if q.get("builtin") is not None:
            reject_unknown(q, ("builtin", "required", "id"))
            code = check.choice(q["builtin"], BUILTINS, "builtin", N_("Question"), BUILTIN_QUESTION_LABELS)
            if code in asked:
                raise ValidationError("question_twice", field="questions", label=BUILTIN_QUESTION_LABELS[code])
            asked[code] = (position, _yes_no(q.get("required", False), N_("Required")))
            continue
        reject_unknown(q, ("id", "kind", "label", "help", "choices", "required"))
        label = check.text(q.get("label"), "label", N_("Question"), max_length=LABEL_MAX)
        kind = check.choice(q.get("kind"), KINDS, "kind", N_("Kind of answer"), QUESTION_KIND_LABELS)
        help_text = check.long_text(q.get("help") or "", "help", N_("Help text"), HELP_MAX)
        choices = _clean_choices(q.get("choices"), label) if kind in CHOICE_KINDS else []
        question_id = q.get("id")
        if question_id is not None:
            question_id = check.id(question_id)
            if question_id not in existing or existing[question_id]["builtin"] or question_id in kept:
                raise NotFound("question_not_found", id=question_id)
            kept.add(question_id)
        custom.append((question_id, {
            "event_id": event_id, "position": position, "builtin": None, "kind": kind, "label": label,
            "help": help_text, "choices": json.dumps(choices, ensure_ascii=False), "asked": 1,
            "required": int(_yes_no(q.get("required", False), N_("Required"))), "removed": 0,
        }))
    for code in BUILTINS:
        position, required = asked.get(code, (1000 + BUILTINS.index(code), False))
        row = {"event_id": event_id, "position": position, "builtin": code, "kind": code, "asked": int(code in asked),
               "required": int(required)}
        if code in builtin_rows:
            db["event_questions"].update(builtin_rows[code], row)
        else:
            db["event_questions"].insert(row)
    for question_id, row in custom:
        if question_id is None:
            db["event_questions"].insert(row)
        else:
            db["event_questions"].update(question_id, row)
    gone = [i for i, r in existing.items() if not r["builtin"] and i not in kept]
    if gone:
        db.execute(f"UPDATE event_questions SET removed = 1 WHERE id IN ({','.join('?' * len(gone))})", gone)
    return event_questions(db, event_id, everything=True)


def _clean_choices(value, label: str) -> list[str]:
    if not isinstance(value, (list, tuple)):
        raise ValidationError("question_needs_choices", field="choices", label=label)
    choices = [check.text(c, "choices", N_("Choice"), max_length=SHORT_MAX) for c in value
               if not (isinstance(c, str) and not c.strip())]
    if len(choices) < 2:
        raise ValidationError("question_needs_choices", field="choices", label=label)
    if len(choices) > CHOICES_MAX:
        raise ValidationError("too_many_choices", field="choices", label=label, max=CHOICES_MAX)
    if len({c.casefold() for c in choices}) != len(choices):
        raise ValidationError("question_choice_twice", field="choices", label=label)
    return choices


def _yes_no(value, label) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("answer_not_yes_no", field="required", label=label)
    return value


# ---------------------------------------------------------------------- answers


def check_privacy(no_photos, hide_name) -> tuple[bool, bool]:
    """The two privacy choices: each True or False."""
    return (_yes_no(no_photos, N_("Please do not photograph or film me")),
            _yes_no(hide_name, N_("Do not show my name on any list shared beyond the organizers")))


def check_answers(db, event_id: int, answers, needs: str = "", *, current: dict | None = None) -> list[tuple]:
    """The answers to the event's questions, checked like every other input: a list of
    ``(key, question text, kind, value)`` for those answered. ``current`` (a registration's
    answers) fills in the questions ``answers`` leaves out. Refuses unknown questions, a
    required question unanswered (the needs, ``needs``, included), text too long, a choice
    that is not one, a list that is not a list and a yes/no that is neither."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError("answers_not_a_dict", field="answers")
    questions = event_questions(db, event_id)
    keys = {k for q in questions for k in q.answer_keys}
    unknown = sorted(str(k) for k in answers if k not in keys)
    if unknown:
        raise ValidationError("unknown_question", field=unknown[0], names=", ".join(unknown))
    given = {**{k: v for k, v in (current or {}).items() if k in keys}, **answers}
    checked = []
    for q in questions:
        if q.kind == "needs":
            if q.required and not (needs or "").strip():
                raise ValidationError("required", field="needs", label=N_("Access or interpretation needs"))
            continue
        for key in q.answer_keys:
            value = _check_one(q, key, given.get(key))
            if value not in (None, "", ()):
                checked.append((key, q.label if not q.builtin else "", q.kind if not q.builtin else key, value))
    return checked


def _label(q: Question, key: str):
    return ANSWER_LABELS[key] if q.builtin else q.label


def _check_one(q: Question, key: str, value):
    label = _label(q, key)
    kind = key if q.builtin else q.kind
    empty = value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and not value)
    if empty:
        if q.required:
            raise ValidationError("required", field=key, label=label)
        return None
    if kind in ("given_names", "family_name", "short_text"):
        return check.text(value, key, label, required=q.required, max_length=SHORT_MAX)
    if kind == "long_text":
        return check.long_text(value, key, label, LONG_MAX)
    if kind == "country":
        code = value.strip().upper() if isinstance(value, str) else ""
        if code not in countries():
            raise ValidationError("not_a_country", field=key, label=label, value=str(value)[:100])
        return code
    if kind in ("organization_type", "gender"):
        options, labels = (ORGANIZATION_TYPES, ORGANIZATION_TYPE_LABELS) if kind == "organization_type" else (
            GENDERS, GENDER_LABELS)
        return check.choice(value, options, key, label, labels)
    if kind == "one_choice":
        return _one_choice(value, q.choices, key, label)
    if kind == "several_choices":
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise ValidationError("answer_not_a_list", field=key, label=label)
        picked = {_one_choice(v, q.choices, key, label) for v in value}
        return tuple(c for c in q.choices if c in picked)
    if kind == "yes_no":
        if not isinstance(value, bool):
            raise ValidationError("answer_not_yes_no", field=key, label=label)
        return value
    raise ValidationError("invalid", field=key)  # pragma: no cover - kinds are checked when saved


def _one_choice(value, choices, key: str, label: str) -> str:
    if not isinstance(value, str) or value.strip() not in choices:
        raise ValidationError("not_a_choice", field=key, label=label, value=str(value)[:100], choices=list(choices))
    return value.strip()


def save_answers(db, registration_id: int, event_id: int, checked: list[tuple]) -> None:
    """Writes: the answers to the event's current questions become ``checked``; answers to
    questions removed since stay as they were."""
    keys = [k for q in event_questions(db, event_id) for k in q.answer_keys]
    if keys:
        db.execute(f"DELETE FROM registration_answers WHERE registration_id = ? AND key IN ({','.join('?' * len(keys))})",
                   [registration_id, *keys])
    for position, (key, question, kind, value) in enumerate(checked):
        db["registration_answers"].insert({
            "registration_id": registration_id, "key": key, "question": question, "kind": kind,
            "value": json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False),
            "position": position,
        })


def add_answers(db, registration_id: int, checked: list[tuple]) -> None:
    """Writes: the answers of a registration just made (it has none yet), one INSERT each."""
    for position, (key, question, kind, value) in enumerate(checked):
        insert_row(db, "registration_answers", {
            "registration_id": registration_id, "key": key, "question": question, "kind": kind,
            "value": json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False),
            "position": position,
        })


def set_privacy(db, registration_id: int, no_photos: bool, hide_name: bool) -> None:
    db.execute("UPDATE registrations SET no_photos = ?, hide_name = ? WHERE id = ?",
               [int(no_photos), int(hide_name), registration_id])


def answers_of(db, registration_ids: list[int]) -> dict[int, tuple[Answer, ...]]:
    """Every answer of these registrations, in the order given."""
    found: dict[int, list[Answer]] = {}
    for start in range(0, len(registration_ids), 500):
        chunk = registration_ids[start : start + 500]
        for r in db.execute(
            f"SELECT * FROM registration_answers WHERE registration_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY registration_id, position, key", chunk,
        ).fetchall():
            value = json.loads(r["value"])
            found.setdefault(r["registration_id"], []).append(
                Answer(key=r["key"], question=r["question"], kind=r["kind"],
                       value=tuple(value) if isinstance(value, list) else value))
    return {i: tuple(a) for i, a in found.items()}


def attach(db, found: list[Registration]) -> list[Registration]:
    """The registrations with their answers (``registrations.load`` calls it)."""
    answers = answers_of(db, [r.id for r in found]) if found else {}
    return [replace(r, answer_items=answers[r.id]) if r.id in answers else r for r in found]


def id_names(db, registration_id: int) -> tuple[str, str] | None:
    """The given names and family name a registration gave as on the ID document (either may
    be "" when the other was given), or None when it gave neither (its event did not ask, or
    they were erased). For the security list: the host needs these, not the display name."""
    rows = dict(db.execute(
        "SELECT key, value FROM registration_answers WHERE registration_id = ? AND key IN (?, ?)",
        [registration_id, *ID_NAME_KEYS]).fetchall())
    if not rows:
        return None
    return json.loads(rows.get("given_names", '""')), json.loads(rows.get("family_name", '""'))


def hold_data(checked: list[tuple], no_photos: bool, hide_name: bool) -> str:
    """What a held place keeps until its registration is made (JSON)."""
    return json.dumps({"answers": [[k, q, kind, list(v) if isinstance(v, tuple) else v] for k, q, kind, v in checked],
                       "no_photos": no_photos, "hide_name": hide_name}, ensure_ascii=False)


def from_hold(db, registration_id: int, data: str | None) -> None:
    """Writes the answers and choices a held place kept onto the registration it made."""
    kept = json.loads(data or "{}")
    answers = kept.get("answers") or []
    for position, (key, question, kind, value) in enumerate(answers):
        db["registration_answers"].insert({
            "registration_id": registration_id, "key": key, "question": question, "kind": kind,
            "value": json.dumps(value, ensure_ascii=False), "position": position}, replace=True)
    set_privacy(db, registration_id, bool(kept.get("no_photos")), bool(kept.get("hide_name")))


def erase(db, registration_ids: list[int]) -> int:
    """Writes: deletes every answer of these registrations (an erasure, retention)."""
    if not registration_ids:
        return 0
    return db.execute(
        f"DELETE FROM registration_answers WHERE registration_id IN ({','.join('?' * len(registration_ids))})",
        registration_ids).rowcount
