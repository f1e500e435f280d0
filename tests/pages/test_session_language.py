"""Each Streamlit session has its own language: ``?lang=``, then its earlier choice, then the
browser's; made active in every run, fragment, callback and later download.

The pseudo language (en-XA) stands in for a second language: its text is wrapped in ⟦ ⟧.
"""

from __future__ import annotations

import threading

from streamlit.testing.v1 import AppTest

from planner import i18n
from planner.i18n import _, using
from planner.ui.components import language
from tests.pages.apptest import app, dialogue

PSEUDO_TITLE = "⟦Side events programme⟧"


def title(at: AppTest) -> str:
    assert not at.exception, [e.value for e in at.exception]
    return at.title[0].value


def test_lang_in_the_address_chooses_the_language_and_the_session_keeps_it(app_planner):
    at = app(lang="en-XA").run()
    assert title(at) == PSEUDO_TITLE
    del at.query_params["lang"]  # a link to another page drops it
    at.run()
    assert title(at) == PSEUDO_TITLE
    at.query_params["lang"] = "en"
    assert title(at.run()) == "Side events programme"


def test_the_browsers_language_is_used_when_nothing_else_chose(app_planner):
    at = app()
    at.context["locale"] = "en-XA"
    assert title(at.run()) == PSEUDO_TITLE
    at = app(lang="en")
    at.context["locale"] = "en-XA"
    assert title(at.run()) == "Side events programme"  # the address wins
    at = app()
    at.context["locale"] = "fr-CA"  # a French browser gets the French catalogue
    with using("fr"):
        assert title(at.run()) == _("Side events programme") != "Side events programme"
    at = app()
    at.context["locale"] = "de-DE"  # no German: English
    assert title(at.run()) == "Side events programme"


def test_sessions_do_not_share_a_language(app_planner):
    pseudo, english = app(lang="en-XA"), app()
    assert title(pseudo.run()) == PSEUDO_TITLE
    assert title(english.run()) == "Side events programme"
    assert title(pseudo.run()) == PSEUDO_TITLE
    assert i18n.current() == i18n.DEFAULT  # nothing leaked into the test's own thread


def _callback_app():
    import streamlit as st

    from planner.i18n import _
    from planner.ui.components import language

    @language.activate
    def said():
        st.session_state["said"] = _("Register")

    st.button("go", on_click=said)
    st.text(st.session_state.get("said", ""))


def test_a_callback_runs_in_the_sessions_language():
    """Callbacks run before main.py activates the language in a run: they activate it themselves."""
    at = AppTest.from_function(_callback_app, default_timeout=30)
    at.session_state[language.KEY] = i18n.PSEUDO
    at.run()
    at.button[0].click().run()
    assert not at.exception
    assert at.text[0].value == "⟦Register⟧"


def counter_alone(event_id):
    """The door's headcount fragment on its own, as its every-3-seconds rerun runs it (no main.py)."""
    from planner.ui.checkin import _counter

    _counter(event_id)


def test_the_headcount_fragment_runs_in_the_sessions_language(app_planner):
    event = dialogue(app_planner)
    door_pass = app_planner.create_door_pass(event.id, "North door")
    at = AppTest.from_function(counter_alone, args=(event.id,), default_timeout=30)
    at.session_state["door_pass_secret"] = door_pass.url.split("pass=")[1]
    at.session_state[language.KEY] = i18n.PSEUDO
    at.run()
    assert not at.exception
    assert [c.value for c in at.caption] == ["⟦⟦0 expected⟧ (⟦0 walk-ins⟧) · ⟦0 waiting⟧⟧"]


def test_a_download_made_later_in_another_thread_keeps_the_language():
    made = []
    with i18n.using(i18n.PSEUDO):
        later = language.later(lambda: i18n._("Door list").encode())
    thread = threading.Thread(target=lambda: made.append(later()))  # as Streamlit builds a download
    thread.start()
    thread.join()
    assert made == ["⟦Door list⟧".encode()]


def _sign_in(at: AppTest) -> str:
    """The address the sign-in page sends the browser to after the right password."""
    at.switch_page("sign_in.py").run()
    at.text_input[0].input("admin@example.org")
    at.text_input[1].input("correct-horse-battery")
    at.button[0].click().run()
    assert not at.exception
    # The language switcher's links come first on every page: the sign-in's is the one to /auth/.
    return next(b.proto.url for b in at.get("link_button") if b.proto.url.startswith("/auth/"))


def test_signing_in_keeps_a_language_chosen_in_the_address(app_planner):
    """/auth/sign-in sets the cookie in a new page load, which starts a new session."""
    assert _sign_in(app(lang="en-XA").run()).endswith("&next=/organize%3Flang%3Den-XA")
    assert _sign_in(app().run()).endswith("&next=/organize")  # the browser's language needs no help
