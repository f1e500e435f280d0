"""The organizer's editor of an event's registration questions (issue #12), under the event's
details on the edit page: which built-in questions the form asks and whether each is required,
and questions of their own. Saving calls ``set_event_questions``; answers already given keep
the question's text as it was."""

from __future__ import annotations

import streamlit as st

from planner import PlannerError
from planner.areas.questions import BUILTINS, CHOICE_KINDS, KINDS
from planner.codes import BUILTIN_QUESTION_LABELS, QUESTION_KIND_LABELS, label
from planner.i18n import _
from planner.ui.components.markdown import error_md
from planner.ui.components.messages import flash
from planner.ui.components.session import PAGE_SET, actor, planner


def _load(k: str, current) -> None:
    """The widgets start from what is saved (again after each save)."""
    s = st.session_state
    for key in [key for key in s if str(key).startswith(f"{k}_")]:
        del s[key]
    asked = {q.builtin: q for q in current if q.builtin}
    for b in BUILTINS:
        s[f"{k}_ask_{b}"] = b in asked
        s[f"{k}_req_{b}"] = bool(asked.get(b) and asked[b].required)
    for q in current:
        if not q.builtin:
            s[f"{k}_label_{q.id}"], s[f"{k}_help_{q.id}"] = q.label, q.help
            s[f"{k}_choices_{q.id}"], s[f"{k}_req_{q.id}"] = "\n".join(q.choices), q.required
    s[f"{k}_loaded"] = True


def _spec(k: str, own, removed: int | None = None) -> list[dict]:
    s = st.session_state
    spec = [{"builtin": b, "required": bool(s.get(f"{k}_req_{b}"))} for b in BUILTINS if s.get(f"{k}_ask_{b}")]
    for q in own:
        if q.id == removed:
            continue
        spec.append({"id": q.id, "kind": q.kind, "label": s.get(f"{k}_label_{q.id}", ""),
                     "help": s.get(f"{k}_help_{q.id}", ""), "required": bool(s.get(f"{k}_req_{q.id}")),
                     "choices": _lines(s.get(f"{k}_choices_{q.id}", ""))})
    return spec


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _save(k: str, event_id: int, own, removed: int | None = None, new: bool = False) -> None:
    s = st.session_state
    spec = _spec(k, own, removed)
    if new:
        spec.append({"kind": s.get(f"{k}_new_kind"), "label": s.get(f"{k}_new_label", ""),
                     "help": s.get(f"{k}_new_help", ""), "required": bool(s.get(f"{k}_new_req")),
                     "choices": _lines(s.get(f"{k}_new_choices", ""))})
    try:
        planner().set_event_questions(event_id, spec, actor=actor())
    except PlannerError as err:
        s[f"{k}_error"] = error_md(err)
        return
    s.pop(f"{k}_error", None)
    s.pop(f"{k}_loaded", None)
    flash(_("Saved the registration questions."))


def questions_editor(event) -> None:
    k = f"qe_{event.id}"
    s = st.session_state
    current = planner().event_questions(event.id)
    own = [q for q in current if not q.builtin]
    if not s.get(f"{k}_loaded"):
        _load(k, current)
    st.subheader(_("Registration questions"), anchor="questions")
    st.caption(_("What the registration form asks besides name, email and organization. You can change the "
                 "questions after people registered: their answers keep the question as it was asked."))
    for b in BUILTINS:
        ask, required = st.columns([3, 1], vertical_alignment="center")
        ask.checkbox(label(BUILTIN_QUESTION_LABELS, b), key=f"{k}_ask_{b}", persist_state=PAGE_SET)
        required.checkbox(_("Required"), key=f"{k}_req_{b}", persist_state=PAGE_SET, disabled=not s.get(f"{k}_ask_{b}"))
    for q in own:
        with st.container(border=True, key=f"{k}_box_{q.id}"):
            st.caption(label(QUESTION_KIND_LABELS, q.kind))
            st.text_input(_("Question"), key=f"{k}_label_{q.id}", persist_state=PAGE_SET, max_chars=300)
            st.text_input(_("Help text (optional)"), key=f"{k}_help_{q.id}", persist_state=PAGE_SET, max_chars=500)
            if q.kind in CHOICE_KINDS:
                st.text_area(_("Choices, one per line"), key=f"{k}_choices_{q.id}", persist_state=PAGE_SET, height=100)
            st.checkbox(_("Required"), key=f"{k}_req_{q.id}", persist_state=PAGE_SET)
            st.button(_("Remove this question"), key=f"{k}_remove_{q.id}", on_click=_save,
                      args=(k, event.id, own, q.id), icon=":material/delete:")
    if s.get(f"{k}_error"):
        st.error(s[f"{k}_error"], icon=":material/error:")
    st.button(_("Save questions"), key=f"{k}_save", on_click=_save, args=(k, event.id, own), type="primary",
              icon=":material/save:")
    with st.expander(_("Add a question of your own"), icon=":material/add:", key=f"{k}_new_open"):
        st.selectbox(_("Kind of answer"), KINDS, key=f"{k}_new_kind", format_func=lambda c: label(QUESTION_KIND_LABELS, c))
        st.text_input(_("Question"), key=f"{k}_new_label", max_chars=300)
        st.text_input(_("Help text (optional)"), key=f"{k}_new_help", max_chars=500)
        if s.get(f"{k}_new_kind") in CHOICE_KINDS:
            st.text_area(_("Choices, one per line"), key=f"{k}_new_choices", height=100)
        st.checkbox(_("Required"), key=f"{k}_new_req")
        st.button(_("Add question"), key=f"{k}_add", on_click=_save, args=(k, event.id, own), kwargs={"new": True},
                  icon=":material/add:")
