"""The language of this Streamlit session.

Every session is served from threads of one process, so no language is installed globally:
``planner.i18n`` keeps the active one in a ContextVar, and each piece of this app that
Streamlit runs sets it for itself: the script run (``main.py``), each fragment rerun (it
skips ``main.py`` and may run in another thread), each widget callback (callbacks run before
``main.py``) and each download built later in a thread of its own (``later``).

The choice, in order: ``?lang=`` in the address (remembered for the session, because links
between pages drop it), the session's earlier choice, the ``planner_lang`` cookie (set by the
switcher), then the browser's language, then English.

The switcher (``switcher``) is a row of links to ``/language?to=…&next=…`` (planner/web/routes.py):
Streamlit pages cannot set a cookie (``st.context.cookies`` only reads), a plain HTTP route can,
so the route remembers the choice for a year and sends the browser back to the same page with
``?lang=`` in its address. A new tab, a reload, a link from a mail all find the cookie.
"""

from __future__ import annotations

import functools
import html
from typing import Callable, TypeVar
from urllib.parse import urlencode

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
        state[KEY] = i18n.normalize(remembered() or st.context.locale)
    return i18n.activate(state[KEY])


COOKIE = "planner_lang"


def remembered() -> str | None:
    """The language the switcher stored in this browser's cookie, if any."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser behind this run (a test's bare script)
        return None
    return value if isinstance(value, str) and value else None  # AppTest's cookies are a mock


def switch_url(code: str, here: str) -> str:
    """The switcher's link to ``code``: the route that stores the choice, then back to ``here``."""
    return "/language?" + urlencode({"to": code, "next": here})


def here(page) -> str:
    """This page's address (path and query, without ``lang``), to come back to after switching."""
    path = "/" + (getattr(page, "url_path", "") or "")
    query = {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}
    return path + ("?" + urlencode(query) if query else "")


def switcher(page) -> None:
    """The languages with a catalogue, each named in itself, as links; the current one marked.
    Shown at the top right of every page. Nothing is drawn while English is the only language."""
    codes = i18n.available()
    if len(codes) < 2:
        return
    current = i18n.current()
    back = here(page)
    # The list is one block of HTML (plain links to the /language route, which sets the cookie
    # and comes back here), not one Streamlit element per language: every element is one more
    # message to the browser on each run of every page (issue #17).
    with st.container(horizontal=True, horizontal_alignment="right", key="language_switcher"):
        with st.popover(i18n.name(current) if current in i18n.NAMES else i18n.name(i18n.DEFAULT),
                        icon=":material/translate:"):
            st.html(_choices(tuple(codes), current, back))


@functools.lru_cache(maxsize=1024)
def _choices(codes: tuple[str, ...], current: str, back: str) -> str:
    """The languages as a list of links, each named (and marked ``lang``) in itself, the current
    one marked and not a link."""
    items = []
    for code in codes:
        name = html.escape(i18n.name(code))
        direction = "rtl" if i18n.is_rtl(code) else "ltr"
        if code == current:
            items.append(f"<li><strong aria-current='true' lang='{code}' dir='{direction}'>{name}</strong> ✓</li>")
        else:
            items.append(f"<li><a href=\"{html.escape(switch_url(code, back))}\" lang='{code}' hreflang='{code}' "
                         f"dir='{direction}' class='planner-language'>{name}</a></li>")
    return ("<ul class='planner-languages' style='list-style:none;margin:0;padding:0;display:flex;flex-direction:column;"
            "gap:.25rem;min-width:10rem'>" + "".join(items) + "</ul>"
            "<style>.planner-languages a{display:block;padding:.4rem .75rem;border-radius:.5rem;color:#31333f;"
            "text-decoration:none;border:1px solid rgba(49,51,63,.2)}.planner-languages a:hover{background:#f0f2f6}"
            ".planner-languages strong{display:block;padding:.4rem .75rem}</style>")


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
