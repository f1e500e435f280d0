"""The questions of an event's form and the privacy choices (issue #12), drawn inside a form:
the RSVP box and the private page use the same widgets. Each widget's key is
``{prefix}_{answer key}``; ``answers(prefix, questions)`` reads them back as
``register(answers=…)`` takes them. A refusal naming an answer key shows beside its widget."""

from __future__ import annotations

import streamlit as st

from planner.areas.questions import countries
from planner.codes import GENDER_LABELS, GENDERS, ORGANIZATION_TYPE_LABELS, ORGANIZATION_TYPES, YES_NO_LABELS
from planner.i18n import _
from planner.outputs.sentences import ID_NAMES_HINT, PRIVACY_CHOICES, question_label
from planner.ui.components.session import PAGE_SET

NO_PHOTOS = "no_photos"
HIDE_NAME = "hide_name"


def draw(prefix: str, questions, field_error, registration=None) -> None:
    """The widgets of every question but the needs (the caller draws them where they were),
    filled with ``registration``'s answers when editing one."""
    given = registration.answers if registration is not None else {}
    s = st.session_state
    for q in questions:
        if q.builtin == "needs":
            continue
        for key in q.answer_keys:
            widget = f"{prefix}_{key}"
            if registration is not None and widget not in s:
                value = given.get(key)
                s[widget] = list(value or ()) if q.kind == "several_choices" else value
            _widget(q, key, widget)
            field_error(key)


def _widget(q, key: str, widget: str) -> None:
    text = question_label(q, key)
    if q.builtin == "id_names":
        st.text_input(text, key=widget, persist_state=PAGE_SET, max_chars=200, help=str(ID_NAMES_HINT))
    elif q.builtin == "country":
        names = countries()
        st.selectbox(text, list(names), key=widget, persist_state=PAGE_SET, index=None,
                     format_func=lambda c: names.get(c, c),
                     placeholder=_("Choose a country"))
    elif q.builtin == "organization_type":
        st.selectbox(text, ORGANIZATION_TYPES, key=widget, persist_state=PAGE_SET, index=None,
                     format_func=lambda c: str(ORGANIZATION_TYPE_LABELS[c]), placeholder=_("Choose one"))
    elif q.builtin == "gender":
        st.selectbox(text, GENDERS, key=widget, persist_state=PAGE_SET, index=None,
                     format_func=lambda c: str(GENDER_LABELS[c]), placeholder=_("Choose one"))
    elif q.kind == "short_text":
        st.text_input(text, key=widget, persist_state=PAGE_SET, max_chars=200, help=q.help or None)
    elif q.kind == "long_text":
        st.text_area(text, key=widget, persist_state=PAGE_SET, max_chars=2000, height=80, help=q.help or None)
    elif q.kind == "one_choice":
        st.radio(text, list(q.choices), key=widget, persist_state=PAGE_SET, index=None, help=q.help or None)
    elif q.kind == "several_choices":
        st.multiselect(text, list(q.choices), key=widget, persist_state=PAGE_SET, help=q.help or None,
                       placeholder=_("Choose any"))
    elif q.kind == "yes_no":
        st.radio(text, [True, False], key=widget, persist_state=PAGE_SET, index=None, horizontal=True,
                 format_func=lambda v: str(YES_NO_LABELS[v]), help=q.help or None)


def privacy(prefix: str, registration=None) -> None:
    """The two choices every attendee can make."""
    s = st.session_state
    if registration is not None:
        s.setdefault(f"{prefix}_{NO_PHOTOS}", registration.no_photos)
        s.setdefault(f"{prefix}_{HIDE_NAME}", registration.hide_name)
    for key, text, hint in PRIVACY_CHOICES:
        st.checkbox(str(text), key=f"{prefix}_{key}", help=str(hint))


def answers(prefix: str, questions) -> dict:
    """What the widgets hold, as ``register(answers=…)`` takes it."""
    s = st.session_state
    return {key: s.get(f"{prefix}_{key}") for q in questions for key in q.answer_keys}


def choices(prefix: str) -> dict:
    s = st.session_state
    return {"no_photos": bool(s.get(f"{prefix}_{NO_PHOTOS}")), "hide_name": bool(s.get(f"{prefix}_{HIDE_NAME}"))}


def cells(registration) -> dict:
    """A registration's privacy choices and answers as table cells (the registrations page)."""
    found = {}
    if registration.no_photos:
        found[_("Do not photograph or film")] = "✓"
    if registration.hide_name:
        found[_("Name kept off shared lists")] = "✓"
    for a in registration.answer_items:
        found[a.label] = a.shown
    return found
