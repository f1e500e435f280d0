"""The language of this Streamlit session.

Every session is served from threads of one process, so no language is installed globally:
``planner.i18n`` keeps the active one in a ContextVar, and each piece of this app that
Streamlit runs sets it for itself: the script run (``main.py``), each fragment rerun (it
skips ``main.py`` and may run in another thread), each widget callback (callbacks run before
``main.py``) and each download built later in a thread of its own (``later``).

The choice, in order: ``?lang=`` in the address (remembered for the session, because links
between pages drop it), the session's earlier choice, then the browser's language.
"""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

import streamlit as st

from planner import i18n

KEY = "language"
F = TypeVar("F", bound=Callable)


def activate(function: F | None = None) -> str | F:
    """Make the session's language active in this run, fragment or callback, and return it.

    As a decorator (under ``@st.fragment``, or on a callback) the language is made active
    each time the function is called."""
    if function is not None:

        @functools.wraps(function)
        def in_session_language(*args, **kwargs):
            activate()
            return function(*args, **kwargs)

        return in_session_language  # type: ignore[return-value]
    state = st.session_state
    asked = st.query_params.get("lang")
    if asked:
        state[KEY] = i18n.normalize(asked)
    elif KEY not in state:
        state[KEY] = i18n.normalize(st.context.locale)
    return i18n.activate(state[KEY])


def for_address() -> str | None:
    """The session's language when the browser would not choose it by itself (it came from
    ``?lang=``), to carry on a link that leaves this session (the sign-in redirect); else None."""
    code = st.session_state.get(KEY)
    return code if code and code != i18n.normalize(st.context.locale) else None


def later(function: Callable[[], bytes]) -> Callable[[], bytes]:
    """``function`` to be called later outside this run (a download's data), in the
    language active now."""
    code = i18n.current()

    def in_this_language() -> bytes:
        with i18n.using(code):
            return function()

    return in_this_language
