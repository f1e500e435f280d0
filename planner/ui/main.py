"""The Streamlit entry script: decides which pages this session gets, then runs one.

Anonymous visitors get the programme, event pages and the sign-in page at /organize;
signed-in organizers also get the planning pages; admins also get accounts. Every run first
makes the session's language active (see ``components/language.py``).
"""

import streamlit as st

from planner import i18n
from planner.i18n import _
from planner.ui.components import a11y, language
from planner.ui.components.markdown import escape_md
from planner.ui.components.navigation import navigation
from planner.ui.components.session import current_user

language.activate()
# The tab's icon is an emoji, which Streamlit draws in the page itself: a ":material/…:" icon would
# make every visitor's browser fetch it from fonts.gstatic.com (Google), a request to a third party
# that people at risk of reprisals must not be made to send.
st.set_page_config(page_title=_("Side Event Planner"), page_icon="📅", layout="wide")

# Long event titles must fit a phone: smaller headings on narrow screens.
LAYOUT_CSS = (
    "<style>@media (max-width: 640px) {"
    " [data-testid='stHeadingWithActionElements'] h1 { font-size: 1.8rem; line-height: 1.25; }"
    " [data-testid='stHeadingWithActionElements'] h2 { font-size: 1.4rem; }"
    # Rows of figures stay two by two instead of one tall column each.
    " [class*='st-key-metrics'] [data-testid='stHorizontalBlock'] { flex-wrap: wrap; }"
    " [class*='st-key-metrics'] [data-testid='stColumn'] { min-width: calc(50% - 1rem) !important; flex: 1 1 calc(50% - 1rem) !important; }"
    " [class*='st-key-metrics'] [data-testid='stMetricValue'] { font-size: 1.75rem; } }"
    # Event titles are links (st.page_link), which cut long labels to one line: let them wrap.
    " [data-testid='stPageLink'] a { height: auto; }"
    " [data-testid='stPageLink'] p { white-space: normal; overflow: visible; text-overflow: clip; }"
    " [class*='st-key-event_card'] [data-testid='stPageLink'] p { font-size: 1.1rem; font-weight: 600; line-height: 1.35; }"
    # The programme's event titles: links to the public event page (/e/<id>).
    " a.planner-event-link { font-size: 1.1rem; font-weight: 600; line-height: 1.35; color: #1f5fa8; }"
    "</style>"
)
# WCAG 2.1 AA (issue #16): text contrast, a visible keyboard focus, errors tied to their fields;
# drawn with the layout rules above as one element.
a11y.install(LAYOUT_CSS)

# Right-to-left languages (Arabic): the whole page turns around — text, alignment, widgets,
# the ticket and the door's verdict — while what must read left to right stays so: codes
# (ticket codes in `code`), addresses people type (email, links: widgets whose key says so),
# numbers in inputs. Streamlit's widgets are reached by their data-testid; an inline code or
# link keeps its own direction inside a sentence with unicode-bidi: isolate. Only a language
# with a catalogue is ever active, so English text is never turned around.
if i18n.is_rtl():
    st.html(
        "<style data-planner-direction='rtl'>"
        " [data-testid='stMain'], [data-testid='stSidebar'], [data-testid='stDialog'], [data-testid='stPopoverBody']"
        " { direction: rtl; }"
        " [data-testid='stMain'] :is(p, li, h1, h2, h3, h4, h5, h6, label, [data-testid='stCaptionContainer'])"
        " { text-align: right; }"
        " [data-testid='stMain'] :is(input, textarea) { direction: rtl; text-align: right; }"
        # What people type reads in its own direction, paragraph by paragraph (an English
        # description stays left to right); times and dates read left to right ("17:00").
        " [data-testid='stMain'] :is(textarea, input[type='text']) { unicode-bidi: plaintext; text-align: start; }"
        " [data-testid='stMain'] :is([data-testid='stTimeInputTimeDisplay'], [data-testid='stDateInputField'])"
        " { direction: ltr; }"  # their hour, minute, day… boxes are laid out in a row: not reversed
        " [data-testid='stMain'] [dir='auto'] :is(p, li, h1, h2, h3, h4, h5, h6) { text-align: start; }"
        # Streamlit's camera box speaks English whatever the page's language (no way to give it
        # words): each of its lines at least reads in its own direction (".This app…" otherwise).
        " [data-testid='stCameraInput'] * { unicode-bidi: plaintext; }"
        " [data-testid='stMain'] [class*='st-key-'][class*='email'] input,"
        " [data-testid='stMain'] [class*='st-key-'][class*='url'] input,"
        " [data-testid='stMain'] [class*='st-key-'][class*='code'] input,"
        " [data-testid='stMain'] input[type='number'], [data-testid='stMain'] input[type='email']"
        " { direction: ltr; text-align: left; }"
        " [data-testid='stMain'] :is(code, pre, a[href^='http'], [dir='ltr'])"
        " { direction: ltr; unicode-bidi: isolate; }"
        " [data-testid='stMain'] pre, [data-testid='stMain'] [data-testid='stCode'] { text-align: left; }"
        "</style>"
    )

user = current_user()
st.session_state["user"] = user

page = navigation(user)
language.switcher(page)
if user is not None:
    with st.sidebar:
        # Translators: in the sidebar; **…** is bold (Markdown), {email} the account's address.
        st.caption(_("Signed in as **{name}** ({email})").format(name=escape_md(user.name), email=escape_md(user.email)))
        st.link_button(_("Sign out"), "/auth/sign-out", icon=":material/logout:")

page.run()
