"""The event editor's "Title and description in other languages" section (issue #13), under the
event's details on the edit page: the language the event's own title and description are in,
and its title and description in the other official languages of the United Nations, each
saved or removed by itself (``set_event_translation``, ``remove_event_translation``). Languages
are named in themselves (Español, العربية), as language menus do."""

from __future__ import annotations

import streamlit as st

from planner import PlannerError
from planner.areas.translations import LANGUAGE_NAMES, LANGUAGES
from planner.i18n import _
from planner.ui.components import language
from planner.ui.components.markdown import error_md, escape_md
from planner.ui.components.messages import flash
from planner.ui.components.session import PAGE_SET, actor, planner


def _fill(k: str, found: dict) -> None:
    """The title and description fields show what is saved for the language picked."""
    s = st.session_state
    s[f"{k}_title"], s[f"{k}_description"] = found.get(s[f"{k}_lang"], ("", ""))


def _call(k: str, action, message: str) -> None:
    s = st.session_state
    try:
        action()
    except PlannerError as err:
        s[f"{k}_error"] = error_md(err)
        return
    s.pop(f"{k}_error", None)
    s.pop(f"{k}_lang", None)  # loaded again from what is saved
    flash(message)


@language.activate  # callbacks run before main.py sets the session's language
def _save(k: str, event_id: int) -> None:
    s = st.session_state
    language = s[f"{k}_lang"]
    _call(k, lambda: planner().set_event_translation(event_id, language, title=s[f"{k}_title"],
                                                     description=s[f"{k}_description"], actor=actor()),
          _("Saved the title and description in {language}.").format(language=LANGUAGE_NAMES[language]))


@language.activate  # callbacks run before main.py sets the session's language
def _remove(k: str, event_id: int, language: str) -> None:
    _call(k, lambda: planner().remove_event_translation(event_id, language, actor=actor()),
          _("Removed the title and description in {language}.").format(language=LANGUAGE_NAMES[language]))


@language.activate  # callbacks run before main.py sets the session's language
def _set_original(k: str, event_id: int) -> None:
    language = st.session_state[f"{k}_original"]
    _call(k, lambda: planner().set_event_language(event_id, language, actor=actor()),
          _("The event's own title and description are now marked as written in {language}.").format(
              language=LANGUAGE_NAMES[language]))


def event_translations(event) -> None:
    """The section for a saved event."""
    k, s = f"tr_{event.id}", st.session_state
    found = planner().event_translations(event.id, actor=actor())
    others = [code for code in LANGUAGES if code != event.original_language]
    st.subheader(_("Title and description in other languages"), anchor="languages")
    st.caption(_("Visitors who read the site in one of these languages see the event's title and description in "
                 "it, in the programme, on the event page, in calendar files and in the messages to guests. "
                 "Without one, they see the event's own."))
    s[f"{k}_original"] = event.original_language
    st.selectbox(_("The event's own title and description are in"), LANGUAGES, key=f"{k}_original",
                 persist_state=PAGE_SET,
                 format_func=LANGUAGE_NAMES.get, on_change=_set_original, args=(k, event.id))
    for code, (title, _description) in found.items():
        shown, remove = st.columns([4, 1], vertical_alignment="center")
        shown.markdown(f"**{LANGUAGE_NAMES[code]}** · {escape_md(title)}")
        remove.button(_("Remove"), key=f"{k}_remove_{code}", on_click=_remove, args=(k, event.id, code),
                      icon=":material/delete:")
    if s.get(f"{k}_lang") not in others:
        s[f"{k}_lang"] = next((code for code in others if code not in found), others[0])
        _fill(k, found)
    st.selectbox(_("Language"), others, key=f"{k}_lang",
                 persist_state=PAGE_SET, format_func=LANGUAGE_NAMES.get, on_change=_fill,
                 args=(k, found))
    st.text_input(_("Title"), key=f"{k}_title", persist_state=PAGE_SET, max_chars=200)
    st.text_area(_("Description"), key=f"{k}_description", persist_state=PAGE_SET, height=150,
                 help=_("Markdown such as **bold**, lists and links. HTML is shown as plain text."))
    if s.get(f"{k}_error"):
        st.error(s[f"{k}_error"], icon=":material/error:")
    st.button(_("Save this language"), key=f"{k}_save", on_click=_save, args=(k, event.id), icon=":material/translate:")
